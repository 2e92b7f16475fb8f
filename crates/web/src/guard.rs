//! The rules every request passes first: a known `Host` (DNS rebinding), GET or HEAD only.

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
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "method not allowed: this server is read-only\n",
        )
            .into_response();
    }
    next.run(request).await
}
