//! `/api/…`: the pages' data as JSON, the objects of the CLI's `--json`.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use journal_lib::{EntryRecord, Group};
use serde_json::json;

use crate::pages::{PER_PAGE, PageQuery};
use crate::render::PageError;

/// Returns an error as JSON: `{"error", "hints"}` with its status.
pub(crate) fn error(e: PageError) -> Response {
    (
        e.status,
        Json(json!({"error": e.message, "hints": e.hints})),
    )
        .into_response()
}

/// `/api/entries`: the filtered entries, newest first, a page at a time.
pub(crate) async fn entries(
    State(state): State<crate::State>,
    crate::params::Params(query): crate::params::Params<PageQuery>,
) -> Response {
    let page = query.page.unwrap_or(1).max(1);
    let text = query.filter_text();
    let result = state
        .with_journal(move |journal, now| {
            journal.select_from(&text.parse(now)?, (page - 1) * PER_PAGE, Some(PER_PAGE))
        })
        .await;
    match result {
        Ok(selection) => {
            let entries: Vec<EntryRecord> = selection
                .entries
                .iter()
                .map(|(e, p)| EntryRecord::new(e, p))
                .collect();
            Json(json!({"entries": entries, "skipped": selection.skipped})).into_response()
        }
        Err(e) => error(e.into()),
    }
}

/// `/api/entries/<id>`: one entry (any unique prefix).
pub(crate) async fn entry(State(state): State<crate::State>, Path(id): Path<String>) -> Response {
    match state
        .with_journal(move |journal, _| journal.show(&id))
        .await
    {
        Ok(shown) => Json(shown).into_response(),
        Err(e) => error(e.into()),
    }
}

/// `/api/search`: the hits of `search --json`, with the total.
pub(crate) async fn search(
    State(state): State<crate::State>,
    crate::params::Params(query): crate::params::Params<PageQuery>,
) -> Response {
    let page = query.page.unwrap_or(1).max(1);
    let offset = (page - 1).saturating_mul(crate::pages::PER_PAGE);
    match query.search(&state, offset + crate::pages::PER_PAGE).await {
        Ok(Some(report)) => {
            let hits: Vec<_> = report.hits.into_iter().skip(offset).collect();
            let next = (offset + hits.len() < report.total).then(|| page + 1);
            Json(
                json!({"hits": hits, "total": report.total, "next_page": next,
                        "did_you_mean": report.did_you_mean, "skipped": report.skipped}),
            )
            .into_response()
        }
        Ok(None) => {
            let mut refused = PageError::from(journal_lib::Error::NothingToSearch);
            refused
                .hints
                .push("/api/search?q=firewall or /api/search?pattern=zerotier".to_owned());
            error(refused)
        }
        Err(e) => error(e),
    }
}

/// `/api/tags`: the facet counts of `tags --json`.
pub(crate) async fn tags(State(state): State<crate::State>) -> Response {
    match state.with_journal(|journal, _| journal.tags()).await {
        Ok(tags) => Json(tags).into_response(),
        Err(e) => error(e.into()),
    }
}

/// `/api/metrics`: the rows of `journal metrics --by provider --json`, for the filters given.
pub(crate) async fn metrics(
    State(state): State<crate::State>,
    crate::params::Params(query): crate::params::Params<PageQuery>,
) -> Response {
    let text = query.filter_text();
    let result = state
        .with_journal(move |journal, now| {
            journal.metrics(&text.parse(now)?, Some(&Group::Provider))
        })
        .await;
    match result {
        Ok(report) => Json(json!({"rows": report.rows})).into_response(),
        Err(e) => error(e.into()),
    }
}

/// `/api/confidence`: the confidence table's rows, each with its check.
pub(crate) async fn confidence(State(state): State<crate::State>) -> Response {
    let result = state.with_journal(|journal, _| journal.confidence()).await;
    match result {
        Ok(report) => {
            let rows: Vec<_> = report.rows.into_iter().map(|view| view.row).collect();
            Json(json!({"rows": rows})).into_response()
        }
        Err(e) => error(e.into()),
    }
}
