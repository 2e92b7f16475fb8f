//! Pages kept until the journal changes. While a healthy watcher keeps the index fresh, its
//! last sync names the journal's state: a GET answered 200 is kept under its URI and that
//! sync, and served again until the next sync (the documents, the confidence page and the
//! metrics are a full compile or a read of every file each; a page visited by many costs
//! one). Without a watcher nothing is kept: nothing would say when the files changed. A
//! forced reload (`Cache-Control: no-cache`, what a browser sends on Ctrl+Shift+R) makes the
//! page again, and keeps the new one.
//!
//! A kept page of 1 KB or more is also kept gzip-compressed, compressed once when it is kept,
//! and sent so to a client that accepts gzip (every browser): a document of 10,000 entries is
//! 25 MB of HTML and 4 MB compressed, and fifty readers of it were fifty copies of 25 MB.

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
    pages: HashMap<String, Page>,
}

/// A kept page: its headers, its body, and its body gzip-compressed (when worth it).
#[derive(Clone)]
struct Page {
    headers: HeaderMap,
    body: Bytes,
    gzip: Option<Bytes>,
}

/// Pages smaller than this are not compressed.
const COMPRESS_FROM: usize = 1024;

impl Page {
    /// Keeps `body`, compressing it (on the blocking pool: a large document takes tens of
    /// milliseconds) when large enough.
    async fn new(headers: HeaderMap, body: Bytes) -> Self {
        let gzip = if body.len() >= COMPRESS_FROM {
            let raw = body.clone();
            tokio::task::spawn_blocking(move || gzip(&raw))
                .await
                .ok()
                .flatten()
        } else {
            None
        };
        Self {
            headers,
            body,
            gzip,
        }
    }

    fn size(&self) -> usize {
        self.body.len() + self.gzip.as_ref().map_or(0, Bytes::len)
    }

    /// Returns the page as a response: compressed when the client accepts it.
    fn response(self, accepts_gzip: bool, cache: &'static str) -> Response {
        let (body, compressed) = match self.gzip {
            Some(gzip) if accepts_gzip => (gzip, true),
            _ => (self.body, false),
        };
        let mut response = Body::from(body).into_response();
        *response.headers_mut() = self.headers;
        let headers = response.headers_mut();
        headers.remove(header::CONTENT_LENGTH);
        if compressed {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        headers.insert(CACHE_HEADER, HeaderValue::from_static(cache));
        response
    }
}

/// Returns `data` gzip-compressed (fast level: once per page and sync, on large documents).
fn gzip(data: &[u8]) -> Option<Bytes> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 4),
        flate2::Compression::fast(),
    );
    encoder.write_all(data).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

/// Says whether the request's `Accept-Encoding` accepts gzip (`gzip` or `*`, not `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

impl Pages {
    /// Forgets every kept page: the home page shows what changed since the review, which a
    /// review just moved without a sync.
    pub(crate) fn forget(&self) {
        if let Ok(mut kept) = self.inner.lock() {
            *kept = Kept::default();
        }
    }

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

    fn get(&self, sync: i64, uri: &str) -> Option<Page> {
        let kept = self.inner.lock().ok()?;
        (kept.sync == Some(sync))
            .then(|| kept.pages.get(uri).cloned())
            .flatten()
    }

    fn put(&self, sync: i64, uri: String, page: Page) {
        let Ok(mut kept) = self.inner.lock() else {
            return;
        };
        if kept.sync != Some(sync) {
            *kept = Kept {
                sync: Some(sync),
                ..Kept::default()
            };
        }
        if kept.bytes + page.size() > MAX_TOTAL {
            kept.pages.clear();
            kept.bytes = 0;
        }
        kept.bytes += page.size();
        kept.pages.insert(uri, page);
    }
}

/// Returns the page kept for `uri` at `sync`, if any.
fn kept(state: &crate::State, sync: i64, uri: &str, gzip: bool) -> Option<Response> {
    Some(state.pages.get(sync, uri)?.response(gzip, "hit"))
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
    let gzip = accepts_gzip(request.headers());
    if !reload && let Some(hit) = kept(&state, sync, &uri, gzip) {
        return hit;
    }
    let making = state.pages.making(&uri);
    let _making = making.lock().await;
    if !reload && let Some(hit) = kept(&state, sync, &uri, gzip) {
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
            let page = Page::new(parts.headers, bytes).await;
            state.pages.put(sync, uri, page.clone());
            let mut response = page.response(gzip, "stored");
            *response.status_mut() = parts.status;
            response
        }
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be read\n",
        )
            .into_response(),
    }
}
