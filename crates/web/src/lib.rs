//! The journal's local web page: browse, search and review, on `journal-lib`.
//!
//! [`router`] answers every route with one library call per request on tokio's blocking
//! pool, on a journal kept open between requests and made current by each
//! ([`journal_lib::KeptJournal`]: every page shows the files as they are). Pages are
//! minijinja templates embedded in the binary (`templates/`: no CDN, works offline), every
//! value from an entry escaped; entry bodies are Markdown rendered by pulldown-cmark with raw
//! HTML shown as text. `/api/…` answers the same data as JSON: the objects of the CLI's
//! `--json`.
//!
//! The server is read-only and local: GET and HEAD only (anything else is 405), and a request
//! whose `Host` is not one of the names the server was bound as is 403, which defeats DNS
//! rebinding (a page elsewhere resolving its own name to 127.0.0.1).
//!
//! Nothing here reads the environment or the clock: the binary passes [`WebOptions`].
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod api;
mod cache;
mod guard;
mod headers;
mod live;
mod markdown;
mod pages;
mod params;
mod render;
mod review;
mod reviewed;
mod site;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use chrono::{DateTime, FixedOffset};
use journal_lib::{Error, Journal, KeptJournal, OpenOptions};

pub use journal_lib::Clock;
pub use markdown::body_html;
pub use site::{SiteReport, write_site};

/// What the server needs from its environment, passed in by the binary.
#[derive(Clone, Debug)]
pub struct WebOptions {
    /// Where the journal is (as for the CLI).
    pub open: OpenOptions,
    /// The `Host` values a request may carry (`127.0.0.1:7420`, `localhost:7420`, ...).
    pub hosts: Vec<String>,
    /// The clock.
    pub clock: Clock,
}

/// The shared state of every request.
#[derive(Clone)]
pub(crate) struct State {
    /// The pages are a static site's: no review (nothing to mark it with).
    site: bool,
    options: Arc<WebOptions>,
    /// The journal, kept open between requests.
    journal: Arc<KeptJournal>,
    templates: Arc<minijinja::Environment<'static>>,
    /// The journal's syncs, read by one poller for every open page (`live.rs`).
    changes: Arc<tokio::sync::OnceCell<tokio::sync::watch::Receiver<Option<i64>>>>,
    /// Pages kept until the journal changes (`cache.rs`).
    pages: Arc<cache::Pages>,
}

impl State {
    /// Runs `work` on the journal, made current, on the blocking pool.
    pub(crate) async fn with_journal<T, F>(&self, work: F) -> Result<T, Error>
    where
        T: Send + 'static,
        F: FnOnce(&Journal, DateTime<FixedOffset>) -> Result<T, Error> + Send + 'static,
    {
        // What a killed journal write left was repaired: say so in the log (stderr).
        let log = |repair: &journal_lib::Repair| tracing::warn!("{}", repair.log_line());
        self.journal
            .call_blocking(log, work)
            .await
            .map_err(|e| Error::Internal(format!("the request did not finish: {e}")))?
    }
}

/// Returns the routes. Fails when `options` finds no journal.
pub fn router(options: WebOptions) -> Result<Router, Error> {
    router_for(options, false)
}

/// Returns the routes; `site`: for the pages of a static site ([`write_site`]).
pub(crate) fn router_for(options: WebOptions, site: bool) -> Result<Router, Error> {
    let journal = KeptJournal::open(options.open.clone(), options.clock.clone())?;
    let state = State {
        site,
        journal: Arc::new(journal),
        options: Arc::new(options),
        templates: Arc::new(render::environment(site)),
        changes: Arc::default(),
        pages: Arc::default(),
    };
    Ok(Router::new()
        .route("/", get(pages::timeline))
        .route("/search", get(pages::search))
        .route("/entries/{id}", get(pages::entry))
        .route("/documents", get(review::documents))
        .route("/documents/{name}", get(review::document))
        .route("/documents/charts/{file}", get(review::document_chart))
        .route("/confidence", get(review::confidence))
        .route("/metrics", get(review::metrics))
        .route(guard::MARK_REVIEW, axum::routing::post(reviewed::mark))
        .route("/events", get(live::events))
        .route("/static/{file}", get(headers::static_file))
        .route("/api/entries", get(api::entries))
        .route("/api/entries/{id}", get(api::entry))
        .route("/api/search", get(api::search))
        .route("/api/tags", get(api::tags))
        .route("/api/metrics", get(api::metrics))
        .route("/api/confidence", get(api::confidence))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cache::pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::local_only,
        ))
        .layer(axum::middleware::from_fn(headers::security))
        .with_state(state))
}

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}
