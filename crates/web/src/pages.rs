//! The pages: the timeline, search, one entry, and the 404 page.

use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use journal_lib::{EntryRecord, FilterText, HitRecord, SearchOptions, TagsReport};
use serde::{Deserialize, Serialize};

use crate::render::{PageError, error_page, page};

/// Entries per timeline page.
pub(crate) const PER_PAGE: usize = 50;

/// The query string of the timeline and the search page: the CLI's filters, comma-separated
/// where the CLI repeats a flag.
#[derive(Debug, Default, Deserialize, Serialize)]
pub(crate) struct PageQuery {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub confidence: Option<String>,
    #[serde(default)]
    pub story: Option<String>,
    #[serde(default)]
    pub agent: Option<String>,
    #[serde(default)]
    pub since: Option<String>,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub page: Option<usize>,
}

impl PageQuery {
    /// Returns the filters as text (empty values are no filter).
    pub(crate) fn filter_text(&self) -> FilterText {
        let list = |v: &Option<String>| -> Vec<String> {
            v.iter()
                .flat_map(|s| s.split(','))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let one = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        FilterText {
            provider: list(&self.provider),
            pattern: list(&self.pattern),
            kind: one(&self.kind),
            confidence: one(&self.confidence),
            story: one(&self.story),
            agent: one(&self.agent),
            since: one(&self.since),
            until: one(&self.until),
            tags: list(&self.tag),
        }
    }

    /// Runs the search the query asks for; `None` when it asks for nothing (no words, no
    /// filter). The scope and order are checked first.
    pub(crate) async fn search(
        &self,
        state: &crate::State,
    ) -> Result<Option<journal_lib::SearchReport>, PageError> {
        let scope = journal_lib::parse_scope(self.scope.as_deref())?;
        let sort = journal_lib::parse_sort(self.sort.as_deref())?;
        let text = self.q.clone().unwrap_or_default();
        let filters = self.filter_text();
        if text.trim().is_empty() && filters == FilterText::default() {
            return Ok(None);
        }
        let report = state
            .with_journal(move |journal, now| {
                journal.search(&SearchOptions {
                    text,
                    filters: filters.parse(now)?,
                    limit: PER_PAGE,
                    sort,
                    scope,
                })
            })
            .await?;
        Ok(Some(report))
    }
}

/// A day of the timeline.
#[derive(Debug, Serialize)]
struct Day {
    day: String,
    entries: Vec<EntryRecord>,
}

/// `/`: the entries, newest first, grouped by day, a page at a time, with the facet counts.
pub(crate) async fn timeline(
    State(state): State<crate::State>,
    crate::params::Params(query): crate::params::Params<PageQuery>,
) -> Response {
    #[derive(Serialize)]
    struct Context {
        days: Vec<Day>,
        facets: TagsReport,
        query: PageQuery,
        page: usize,
        next: Option<usize>,
        previous: Option<usize>,
        skipped: Vec<journal_lib::SkippedFile>,
    }
    let page_number = query.page.unwrap_or(1).max(1);
    let text = query.filter_text();
    let result = state
        .with_journal(move |journal, now| {
            let filters = text.parse(now)?;
            // One more than the page holds tells whether there is a next page.
            let skip = (page_number - 1) * PER_PAGE;
            let selection = journal.select_from(&filters, skip, Some(PER_PAGE + 1))?;
            let facets = journal.tags()?;
            Ok((selection, facets))
        })
        .await;
    let (selection, facets) = match result {
        Ok(found) => found,
        Err(e) => return error_page(&state, &e.into()),
    };
    let more = selection.entries.len() > PER_PAGE;
    let mut days: Vec<Day> = Vec::new();
    for (entry, path) in selection.entries.iter().take(PER_PAGE) {
        let day = entry.date.format("%Y-%m-%d").to_string();
        let record = EntryRecord::new(entry, path);
        match days.last_mut() {
            Some(last) if last.day == day => last.entries.push(record),
            _ => days.push(Day {
                day,
                entries: vec![record],
            }),
        }
    }
    page(
        &state,
        "timeline.html",
        Context {
            days,
            facets,
            query,
            page: page_number,
            next: more.then_some(page_number + 1),
            previous: (page_number > 1).then(|| page_number - 1),
            skipped: selection.skipped,
        },
    )
}

/// `/search`: the CLI's query language and ranking, highlighted snippets.
pub(crate) async fn search(
    State(state): State<crate::State>,
    crate::params::Params(query): crate::params::Params<PageQuery>,
) -> Response {
    #[derive(Serialize)]
    struct Context {
        query: PageQuery,
        hits: Vec<SearchHit>,
        total: usize,
        searched: bool,
    }
    let (hits, total, searched) = match query.search(&state).await {
        Ok(Some(report)) => (
            report.hits.iter().map(SearchHit::new).collect(),
            report.total,
            true,
        ),
        Ok(None) => (Vec::new(), 0, false),
        Err(e) => return error_page(&state, &e),
    };
    page(
        &state,
        "search.html",
        Context {
            query,
            hits,
            total,
            searched,
        },
    )
}

/// A hit as the page shows it: the snippet cut into plain and matched parts (the template
/// escapes each, then marks the matched ones).
#[derive(Debug, Serialize)]
struct SearchHit {
    id: String,
    commit: bool,
    date: String,
    title: String,
    labels: Vec<String>,
    parts: Vec<(String, bool)>,
}

impl SearchHit {
    fn new(hit: &HitRecord) -> Self {
        let (id, commit, date, title, labels, snippet, highlights) = match hit {
            HitRecord::Entry(e) => (
                &e.id,
                false,
                &e.date,
                &e.title,
                e.provider.iter().chain(&e.pattern).cloned().collect(),
                &e.snippet,
                &e.highlights,
            ),
            HitRecord::Commit(c) => (
                &c.id,
                true,
                &c.date,
                &c.subject,
                c.provider.iter().chain(&c.pattern).cloned().collect(),
                &c.snippet,
                &c.highlights,
            ),
        };
        let mut parts = Vec::new();
        let mut at = 0;
        for &[start, end] in highlights {
            if start >= at && end <= snippet.len() {
                parts.push((snippet[at..start].to_owned(), false));
                parts.push((snippet[start..end].to_owned(), true));
                at = end;
            }
        }
        parts.push((snippet[at..].to_owned(), false));
        Self {
            id: id.clone(),
            commit,
            date: date.chars().take(10).collect(),
            title: title.clone(),
            labels,
            parts,
        }
    }
}

/// `/entries/<id>`: one entry, its evidence verified and what replaced it; a unique prefix
/// redirects to the full id.
pub(crate) async fn entry(State(state): State<crate::State>, Path(id): Path<String>) -> Response {
    #[derive(Serialize)]
    struct Context {
        entry: EntryRecord,
        body: String,
        problems: Vec<String>,
        evidence: Vec<journal_lib::EvidenceState>,
        superseded_by: Vec<journal_lib::EntryRef>,
    }
    let asked = id.clone();
    let result = state
        .with_journal(move |journal, _| journal.review(&asked))
        .await;
    match result {
        Ok(reviewed) if reviewed.shown.record.id.as_deref() != Some(id.as_str()) => {
            let full = reviewed.shown.record.id.clone().unwrap_or_default();
            Redirect::to(&format!("/entries/{full}")).into_response()
        }
        Ok(reviewed) => page(
            &state,
            "entry.html",
            Context {
                body: crate::markdown::body_html(&reviewed.shown.record.body),
                entry: reviewed.shown.record,
                problems: {
                    let path = reviewed.shown.rel_path.to_string_lossy();
                    let located = |p: &journal_lib::Problem| p.located(&path).to_string();
                    reviewed.shown.problems.iter().map(located).collect()
                },
                evidence: reviewed.evidence,
                superseded_by: reviewed.superseded_by,
            },
        ),
        Err(e) => error_page(&state, &e.into()),
    }
}

/// Any other path: the 404 page.
pub(crate) async fn not_found(State(state): State<crate::State>, uri: Uri) -> Response {
    error_page(
        &state,
        &PageError::not_found(format!("no page `{}`", uri.path())),
    )
}
