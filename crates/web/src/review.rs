//! The review pages: the compiled documents as they stand, the confidence of each pattern
//! with the observations behind it, and the metrics charted.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use journal_lib::{CompileOptions, CompileProblem, ConfidenceView, Filters, MetricChart};
use serde::Serialize;

use crate::pages::PageQuery;
use crate::render::{PageError, error_page, page};

/// `/documents`: the documents compile writes, by name and title (nothing is compiled).
pub(crate) async fn documents(State(state): State<crate::State>) -> Response {
    #[derive(Serialize)]
    struct Document {
        name: String,
        title: String,
    }
    #[derive(Serialize)]
    struct Context {
        list: Vec<Document>,
    }
    let result = state
        .with_journal(|journal, _| {
            Ok(journal
                .config()
                .compile
                .effective_documents()
                .into_iter()
                .map(|d| Document {
                    name: d.name,
                    title: d.title,
                })
                .collect::<Vec<_>>())
        })
        .await;
    match result {
        Ok(list) => page(&state, "documents.html", Context { list }).await,
        Err(e) => error_page(&state, &e.into()),
    }
}

/// `/documents/<NAME>`: a compiled document rendered from the current entries (nothing is
/// written), its warnings and evidence problems first.
pub(crate) async fn document(
    State(state): State<crate::State>,
    Path(name): Path<String>,
) -> Response {
    #[derive(Serialize)]
    struct Context {
        name: String,
        documents: Vec<String>,
        html: String,
        problems: Vec<CompileProblem>,
        skipped: Vec<journal_lib::SkippedFile>,
    }
    let file = if name.ends_with(".md") {
        name.clone()
    } else {
        format!("{name}.md")
    };
    let result = state
        .with_journal(move |journal, now| {
            journal.compile(&CompileOptions {
                date: Some(now.format("%Y-%m-%d").to_string()),
                ..CompileOptions::default()
            })
        })
        .await;
    let compiled = match result {
        Ok(compiled) => compiled,
        Err(e) => return error_page(&state, &e.into()),
    };
    let documents: Vec<String> = compiled
        .documents
        .iter()
        .map(|d| d.file.trim_end_matches(".md").to_owned())
        .collect();
    let Some(document) = compiled.documents.iter().find(|d| d.file == file) else {
        return error_page(
            &state,
            &PageError::not_found(format!(
                "no document `{name}`: the documents are {}",
                documents.join(", ")
            )),
        );
    };
    let mut problems = compiled.context.problems.to_vec();
    problems.sort_by_key(|p| p.severity);
    page(
        &state,
        "document.html",
        Context {
            name: file.trim_end_matches(".md").to_owned(),
            html: crate::markdown::document_html(&document.text),
            documents,
            problems,
            skipped: compiled.skipped,
        },
    )
    .await
}

/// `/documents/charts/<metric>.svg`: a chart the documents link, rendered live.
pub(crate) async fn document_chart(
    State(state): State<crate::State>,
    Path(file): Path<String>,
) -> Response {
    let Some(metric) = file.strip_suffix(".svg").map(str::to_owned) else {
        return error_page(&state, &PageError::not_found(format!("no chart `{file}`")));
    };
    let result = state
        .with_journal(move |journal, _| journal.charts(&Filters::default(), None))
        .await;
    match result {
        Ok(report) => match report.charts.into_iter().find(|c| c.metric == metric) {
            Some(chart) => svg(chart.svg),
            None => error_page(
                &state,
                &PageError::not_found(format!("no metric `{metric}`")),
            ),
        },
        Err(e) => error_page(&state, &e.into()),
    }
}

fn svg(text: String) -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml")], text).into_response()
}

/// `/confidence`: per pattern (and provider x pattern) the stated level, the check and the
/// observations behind it.
pub(crate) async fn confidence(State(state): State<crate::State>) -> Response {
    #[derive(Serialize)]
    struct Context {
        rows: Vec<ConfidenceView>,
    }
    match state.with_journal(|journal, _| journal.confidence()).await {
        Ok(report) => page(&state, "confidence.html", Context { rows: report.rows }).await,
        Err(e) => error_page(&state, &e.into()),
    }
}

/// `/metrics`: a chart per metric over time, one series per set of providers, with n / min /
/// median / p95 / max.
pub(crate) async fn metrics(
    State(state): State<crate::State>,
    crate::params::Params(query): crate::params::Params<PageQuery>,
) -> Response {
    #[derive(Serialize)]
    struct Context {
        charts: Vec<MetricChart>,
        query: PageQuery,
    }
    let text = query.filter_text();
    let result = state
        .with_journal(move |journal, now| {
            // Each point of the page's charts opens its entry.
            let page = |id: &str| format!("/entries/{id}");
            journal.charts(&text.parse(now)?, Some(&page))
        })
        .await;
    match result {
        Ok(report) => {
            page(
                &state,
                "metrics.html",
                Context {
                    charts: report.charts,
                    query,
                },
            )
            .await
        }
        Err(e) => error_page(&state, &e.into()),
    }
}
