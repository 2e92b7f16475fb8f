//! The rules every request passes first: a known `Host` (DNS rebinding), GET or HEAD only,
//! but for the review button's POST, which must come from this server's own page.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The longest address answered (a longer one is 414, with a body saying so; the HTTP layer
/// itself refuses those over 64 KB).
const MAX_URI: usize = 8 * 1024;

/// Refuses a request with an unknown `Host` (403), a method other than GET and HEAD (405),
/// and one that names its host twice: an absolute-form target (`GET http://elsewhere/`) or
/// more than one `Host` header (400), which a proxy and this server could read differently.
pub(crate) async fn local_only(
    State(state): State<crate::State>,
    request: Request,
    next: Next,
) -> Response {
    if request.uri().to_string().len() > MAX_URI {
        return (
            StatusCode::URI_TOO_LONG,
            format!("URI too long: this server reads addresses of up to {MAX_URI} bytes\n"),
        )
            .into_response();
    }
    if request.uri().scheme().is_some() || request.uri().authority().is_some() {
        return (
            StatusCode::BAD_REQUEST,
            "bad request: the target must be a path (origin form), not an absolute URL\n",
        )
            .into_response();
    }
    if request.headers().get_all(header::HOST).iter().count() > 1 {
        return (
            StatusCode::BAD_REQUEST,
            "bad request: more than one Host header\n",
        )
            .into_response();
    }
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if !state
        .options
        .hosts
        .iter()
        .any(|allowed| allowed.eq_ignore_ascii_case(host))
    {
        return (
            StatusCode::FORBIDDEN,
            format!("forbidden: Host `{host}` is not this server's name\n"),
        )
            .into_response();
    }
    let reading = request.method() == Method::GET || request.method() == Method::HEAD;
    let marking = request.method() == Method::POST && request.uri().path() == MARK_REVIEW;
    if !reading && !marking {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "method not allowed: this server is read-only but for its review button\n",
        )
            .into_response();
    }
    if marking && !same_origin(&request, host) {
        return (
            StatusCode::FORBIDDEN,
            "forbidden: the review is marked from this server's own page only\n",
        )
            .into_response();
    }
    next.run(request).await
}

/// The one write the page makes: "reviewed up to here".
pub(crate) const MARK_REVIEW: &str = "/review";

/// Whether a write comes from this server's own page. A browser says where a request
/// comes from in `Sec-Fetch-Site`, which no page can set: `same-origin` is this server's
/// own page. A browser too old to send it is judged by `Origin`, which must be this server
/// (the page's `no-referrer` policy makes a modern browser send `Origin: null`, so `Origin`
/// alone cannot be the rule). Anything else (another site, a hostile entry's link, a
/// request with neither header) is refused.
fn same_origin(request: &Request, host: &str) -> bool {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    match header("sec-fetch-site") {
        Some(site) => site == "same-origin",
        None => header("origin").is_some_and(|o| o.eq_ignore_ascii_case(&format!("http://{host}"))),
    }
}
