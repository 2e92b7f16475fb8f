//! Pages kept until the journal changes. While a healthy watcher keeps the index fresh, its
//! last sync names the journal's state: a GET answered 200 is kept under its URI and that
//! sync, and served again until the next sync (the documents, the confidence page and the
//! metrics are a full compile or a read of every file each; a page visited by many costs
//! one). Without a watcher nothing is kept: nothing would say when the files changed. A
//! forced reload (`Cache-Control: no-cache`, what a browser sends on Ctrl+Shift+R) makes the
//! page again, and keeps the new one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes, HttpBody as _, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Says whether a page came from what was kept (`hit`) or was kept now (`stored`).
const CACHE_HEADER: &str = "x-journal-cache";

/// The largest page kept.
const MAX_PAGE: usize = 64 << 20;
/// The most bytes kept in all.
const MAX_TOTAL: usize = 160 << 20;

/// What is kept: the sync it was made at, and each page by URI.
#[derive(Default)]
pub(crate) struct Pages {
    inner: Mutex<Kept>,
    /// One lock per URI being made: requests for a page being made wait for it rather than
    /// make it again (fifty clients opening a document cost one compile, not fifty).
    making: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

#[derive(Default)]
struct Kept {
    sync: Option<i64>,
    bytes: usize,
    pages: HashMap<String, (HeaderMap, Bytes)>,
}

impl Pages {
    /// Returns the lock of `uri`'s making.
    fn making(&self, uri: &str) -> Arc<tokio::sync::Mutex<()>> {
        let Ok(mut making) = self.making.lock() else {
            return Arc::default();
        };
        if making.len() > 4096 {
            making.retain(|_, lock| Arc::strong_count(lock) > 1);
        }
        Arc::clone(making.entry(uri.to_owned()).or_default())
    }

    fn get(&self, sync: i64, uri: &str) -> Option<(HeaderMap, Bytes)> {
        let kept = self.inner.lock().ok()?;
        (kept.sync == Some(sync))
            .then(|| kept.pages.get(uri).cloned())
            .flatten()
    }

    fn put(&self, sync: i64, uri: String, headers: HeaderMap, body: Bytes) {
        let Ok(mut kept) = self.inner.lock() else {
            return;
        };
        if kept.sync != Some(sync) {
            *kept = Kept {
                sync: Some(sync),
                ..Kept::default()
            };
        }
        if kept.bytes + body.len() > MAX_TOTAL {
            kept.pages.clear();
            kept.bytes = 0;
        }
        kept.bytes += body.len();
        kept.pages.insert(uri, (headers, body));
    }
}

/// Returns the page kept for `uri` at `sync`, if any.
fn kept(state: &crate::State, sync: i64, uri: &str) -> Option<Response> {
    let (headers, body) = state.pages.get(sync, uri)?;
    let mut response = Body::from(body).into_response();
    *response.headers_mut() = headers;
    response
        .headers_mut()
        .insert(CACHE_HEADER, HeaderValue::from_static("hit"));
    Some(response)
}

/// Says whether the request asks for the page to be made again (`Cache-Control: no-cache`
/// or `Pragma: no-cache`).
fn asks_reload(headers: &HeaderMap) -> bool {
    [header::CACHE_CONTROL, header::PRAGMA].iter().any(|name| {
        headers.get_all(name).iter().any(|value| {
            value.to_str().is_ok_and(|v| {
                v.split(',')
                    .any(|d| d.trim().eq_ignore_ascii_case("no-cache"))
            })
        })
    })
}

/// Serves a kept page, or keeps the page made (see the module's overview).
pub(crate) async fn pages(
    State(state): State<crate::State>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if request.method() != Method::GET || path == "/events" || path.starts_with("/static/") {
        return next.run(request).await;
    }
    let sync = match crate::live::changes(&state).await {
        Ok(changes) => *changes.borrow(),
        Err(_) => None,
    };
    let Some(sync) = sync else {
        return next.run(request).await;
    };
    let uri = request.uri().to_string();
    let reload = asks_reload(request.headers());
    if !reload && let Some(hit) = kept(&state, sync, &uri) {
        return hit;
    }
    let making = state.pages.making(&uri);
    let _making = making.lock().await;
    if !reload && let Some(hit) = kept(&state, sync, &uri) {
        return hit; // made meanwhile by the request we waited for
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK
        || response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|t| t.as_bytes().starts_with(b"text/event-stream"))
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    if body.size_hint().exact().is_none_or(|n| n > MAX_PAGE as u64) {
        return Response::from_parts(parts, body); // streamed, or too large to keep
    }
    match to_bytes(body, MAX_PAGE).await {
        Ok(bytes) => {
            state
                .pages
                .put(sync, uri, parts.headers.clone(), bytes.clone());
            let mut response = Response::from_parts(parts, Body::from(bytes));
            response
                .headers_mut()
                .insert(CACHE_HEADER, HeaderValue::from_static("stored"));
            response
        }
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be read\n",
        )
            .into_response(),
    }
}
