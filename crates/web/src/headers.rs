//! What every response carries, and the page's own static files.
//!
//! The Content-Security-Policy allows scripts, styles, images and connections from the
//! server itself only: no inline script (the page's one script is `/static/live.js`), no
//! `<style>` element, no plugin, no frame around the page, no `<base>`. The one exception is
//! style *attributes*, which the confidence page uses to place its dots; entry text never
//! carries one (the sanitizer removes them).

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The policy every response carries.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the security headers to every response.
pub(crate) async fn security(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// `/static/<file>`: the page's stylesheet and script, embedded in the binary.
pub(crate) async fn static_file(
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let (body, kind) = match file.as_str() {
        "journal.css" => (
            include_str!("static/journal.css"),
            "text/css; charset=utf-8",
        ),
        "live.js" => (
            include_str!("static/live.js"),
            "text/javascript; charset=utf-8",
        ),
        "keys.js" => (
            include_str!("static/keys.js"),
            "text/javascript; charset=utf-8",
        ),
        "site-search.js" => (
            include_str!("static/site-search.js"),
            "text/javascript; charset=utf-8",
        ),
        "favicon.svg" => (include_str!("static/favicon.svg"), "image/svg+xml"),
        _ => return (StatusCode::NOT_FOUND, "no such file\n").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}
