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
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
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
    /// Returns the search page's address for this query at `page` (empty values left out).
    pub(crate) fn link(&self, page: usize) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let fields = [
            ("q", &self.q),
            ("provider", &self.provider),
            ("pattern", &self.pattern),
            ("kind", &self.kind),
            ("confidence", &self.confidence),
            ("story", &self.story),
            ("agent", &self.agent),
            ("since", &self.since),
            ("until", &self.until),
            ("tag", &self.tag),
            ("scope", &self.scope),
            ("sort", &self.sort),
        ];
        for (key, value) in fields {
            if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                pairs.push((key, value.to_owned()));
            }
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        let encoded = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("/search?{encoded}")
    }

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

    /// Runs the search the query asks for, its best `limit` hits; `None` when it asks for
    /// nothing (no words, no filter). The scope and order are checked first.
    pub(crate) async fn search(
        &self,
        state: &crate::State,
        limit: usize,
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
                    limit,
                    sort,
                    scope,
                    fuzzy: false,
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
        since: Option<journal_lib::SinceReview>,
    }
    let page_number = query.page.unwrap_or(1).max(1);
    let text = query.filter_text();
    let site = state.site;
    let result = state
        .with_journal(move |journal, now| {
            let filters = text.parse(now)?;
            // One more than the page holds tells whether there is a next page.
            let skip = (page_number - 1) * PER_PAGE;
            let selection = journal.select_from(&filters, skip, Some(PER_PAGE + 1))?;
            let facets = journal.tags()?;
            // What changed since the review, on the first page: none when git has no user
            // to review as (the page works without it).
            let since = (page_number == 1 && !site)
                .then(|| journal.since_review_brief().ok())
                .flatten();
            Ok((selection, facets, since))
        })
        .await;
    let (selection, facets, since) = match result {
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
            since,
        },
    )
    .await
}

/// `/search`: the CLI's query language and ranking, highlighted snippets.
pub(crate) async fn search(
    State(state): State<crate::State>,
    crate::params::Params(query): crate::params::Params<PageQuery>,
) -> Response {
    #[derive(Serialize)]
    struct Context {
        hits: Vec<SearchHit>,
        total: usize,
        searched: bool,
        page: usize,
        first: usize,
        last: usize,
        next: Option<String>,
        previous: Option<String>,
        choices: Choices,
        did_you_mean: Vec<Suggested>,
        query: PageQuery,
    }
    let page_number = query.page.unwrap_or(1).max(1);
    let offset = (page_number - 1).saturating_mul(PER_PAGE);
    // The form's choices come from journal.toml's vocabulary: no count, so no walk of the
    // index's facets for every search page.
    let choices = match state
        .with_journal(|journal, _| Ok(Choices::of(journal)))
        .await
    {
        Ok(choices) => choices,
        Err(e) => return error_page(&state, &e.into()),
    };
    let (hits, total, searched, did_you_mean) =
        match query.search(&state, offset.saturating_add(PER_PAGE)).await {
            Ok(Some(report)) => (
                report
                    .hits
                    .iter()
                    .skip(offset)
                    .map(SearchHit::new)
                    .collect(),
                report.total,
                true,
                report
                    .did_you_mean
                    .iter()
                    .map(|s| Suggested::new(s, &query))
                    .collect(),
            ),
            Ok(None) => (Vec::new(), 0, false, Vec::new()),
            Err(e) => return error_page(&state, &e),
        };
    let hits: Vec<SearchHit> = hits;
    let last = offset + hits.len();
    page(
        &state,
        "search.html",
        Context {
            first: offset + 1,
            last,
            next: (last < total).then(|| query.link(page_number + 1)),
            previous: (page_number > 1).then(|| query.link(page_number - 1)),
            page: page_number,
            hits,
            total,
            searched,
            choices,
            did_you_mean,
            query,
        },
    )
    .await
}

/// The values the search form offers for each filter.
#[derive(Debug, Serialize)]
struct Choices {
    provider: Vec<String>,
    pattern: Vec<String>,
    kind: Vec<String>,
    confidence: Vec<&'static str>,
}

impl Choices {
    fn of(journal: &journal_lib::Journal) -> Self {
        let v = &journal.config().vocabulary;
        Self {
            provider: v.providers.clone(),
            pattern: v.patterns.clone(),
            kind: v.kinds.clone(),
            confidence: journal_entry::confidence_levels(),
        }
    }
}

/// A "did you mean" of the page: each nearest word with the search it would run.
#[derive(Debug, Serialize)]
struct Suggested {
    word: String,
    nearest: Vec<String>,
    links: Vec<String>,
}

impl Suggested {
    fn new(suggestion: &journal_lib::DidYouMean, query: &PageQuery) -> Self {
        let text = query.q.clone().unwrap_or_default();
        let links = suggestion
            .nearest
            .iter()
            .map(|word| {
                let replaced: Vec<String> = text
                    .split_whitespace()
                    .map(|w| {
                        if w.to_lowercase() == suggestion.word {
                            word.clone()
                        } else {
                            w.to_owned()
                        }
                    })
                    .collect();
                PageQuery {
                    q: Some(replaced.join(" ")),
                    page: None,
                    ..query.clone()
                }
                .link(1)
            })
            .collect();
        Self {
            word: suggestion.word.clone(),
            nearest: suggestion.nearest.clone(),
            links,
        }
    }
}

/// A hit as the page shows it: the snippet cut into plain and matched parts (the template
/// escapes each, then marks the matched ones).
#[derive(Debug, Serialize)]
struct SearchHit {
    id: String,
    commit: bool,
    /// A commit's forge page (http or https only).
    url: Option<String>,
    date: String,
    title_parts: Vec<(String, bool)>,
    labels: Vec<String>,
    parts: Vec<(String, bool)>,
}

impl SearchHit {
    fn new(hit: &HitRecord) -> Self {
        let (id, url, date, title, title_highlights, labels, snippet, highlights) = match hit {
            HitRecord::Entry(e) => (
                &e.id,
                None,
                &e.date,
                &e.title,
                &e.title_highlights,
                e.provider.iter().chain(&e.pattern).cloned().collect(),
                &e.snippet,
                &e.highlights,
            ),
            HitRecord::Commit(c) => (
                &c.id,
                Some(
                    c.url
                        .clone()
                        .filter(|u| u.starts_with("https://") || u.starts_with("http://")),
                ),
                &c.date,
                &c.subject,
                &c.title_highlights,
                c.provider.iter().chain(&c.pattern).cloned().collect(),
                &c.snippet,
                &c.highlights,
            ),
        };
        Self {
            id: id.clone(),
            commit: url.is_some(),
            url: url.flatten(),
            date: date.chars().take(10).collect(),
            title_parts: marked(title, title_highlights),
            labels,
            parts: marked(snippet, highlights),
        }
    }
}

/// Cuts `text` into plain and matched parts (the template escapes each, then marks the
/// matched ones); ranges that overlap or fall outside are skipped.
fn marked(text: &str, highlights: &[[usize; 2]]) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut at = 0;
    for &[start, end] in highlights {
        if start >= at
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
        {
            parts.push((text[at..start].to_owned(), false));
            parts.push((text[start..end].to_owned(), true));
            at = end;
        }
    }
    parts.push((text[at..].to_owned(), false));
    parts
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
        Ok(reviewed) => {
            page(
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
            )
            .await
        }
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
