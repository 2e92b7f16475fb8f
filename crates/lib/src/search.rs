//! `search`: ranked, filtered full-text search over the entries and the evidence commits.

use journal_index::{COMMIT_KIND, Hit, Scope, SearchQuery, Sort};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::fields::Filters;
use crate::journal::{Journal, SkippedFile};

/// A search: a query in tantivy's language (may be empty when a filter is given), filters,
/// order, scope and a limit.
#[derive(Debug, Clone, Default)]
pub struct SearchOptions {
    /// The query text.
    pub text: String,
    /// The filters.
    pub filters: Filters,
    /// At most this many hits.
    pub limit: usize,
    /// Best match first, or newest first.
    pub sort: Sort,
    /// Entries, commits or both.
    pub scope: Scope,
    /// Every plain word matches within an edit distance (`word~` does it for one word).
    pub fuzzy: bool,
}

/// One hit, as `search --json` prints it: an entry or an evidence commit.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum HitRecord {
    /// An entry.
    Entry(EntryHit),
    /// An evidence commit.
    Commit(CommitHit),
}

/// A matching entry.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EntryHit {
    /// Its id.
    pub id: String,
    /// Relevance (0 when sorted by date without a text query).
    pub score: f32,
    /// Its date, as written.
    pub date: String,
    /// Its title.
    pub title: String,
    /// Byte ranges of the matched words in the title.
    pub title_highlights: Vec<[usize; 2]>,
    /// Providers.
    pub provider: Vec<String>,
    /// Patterns.
    pub pattern: Vec<String>,
    /// Confidence.
    pub confidence: Option<String>,
    /// Kind.
    pub kind: Option<String>,
    /// Story.
    pub story: Option<String>,
    /// Tags as `key=value`.
    pub tags: Vec<String>,
    /// The agent that recorded it.
    pub agent: Option<String>,
    /// Its file, relative to the working tree.
    pub path: String,
    /// The body around the matched words.
    pub snippet: String,
    /// Byte ranges of the matched words in the snippet.
    pub highlights: Vec<[usize; 2]>,
}

/// A matching evidence commit.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CommitHit {
    /// Its SHA.
    pub id: String,
    /// Always `commit`.
    pub kind: &'static str,
    /// Relevance.
    pub score: f32,
    /// For a `[repos.NAME]` repository, NAME.
    pub repo: Option<String>,
    /// Its subject.
    pub subject: String,
    /// Byte ranges of the matched words in the subject.
    pub title_highlights: Vec<[usize; 2]>,
    /// Its page on the forge (from journal.toml's `url`, else the repository's `origin`),
    /// when one is known.
    pub url: Option<String>,
    /// Its date.
    pub date: String,
    /// Its author.
    pub author: Option<String>,
    /// Providers from `[[rules]]`.
    pub provider: Vec<String>,
    /// Patterns from `[[rules]]`.
    pub pattern: Vec<String>,
    /// The message and paths around the matched words.
    pub snippet: String,
    /// Byte ranges of the matched words in the snippet.
    pub highlights: Vec<[usize; 2]>,
}

/// What [`Journal::search`] found.
#[derive(Debug, Clone, Serialize)]
pub struct SearchReport {
    /// The hits, in order.
    pub hits: Vec<HitRecord>,
    /// How many matched in all.
    pub total: usize,
    /// When nothing matched: for each word of the query no entry holds, the nearest words
    /// that are indexed. Absent otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub did_you_mean: Vec<DidYouMean>,
    /// Files that could not be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedFile>,
    /// What else the operation noticed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// The nearest indexed words to a word of a query that found nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DidYouMean {
    /// The word of the query (lowercased).
    pub word: String,
    /// The nearest indexed words, nearest first (edit distance at most 2).
    pub nearest: Vec<String>,
}

impl Journal {
    /// Searches the entries (and, by scope, the evidence commits).
    pub fn search(&self, options: &SearchOptions) -> Result<SearchReport> {
        self.check_filters(&options.filters)?;
        if options.text.trim().is_empty() && !options.filters.any() {
            return Err(Error::NothingToSearch);
        }
        self.check_query_fields(&options.text)?;
        let query = SearchQuery {
            text: Some(options.text.clone()).filter(|t| !t.trim().is_empty()),
            limit: options.limit,
            sort: options.sort,
            scope: options.scope,
            fuzzy: options.fuzzy,
            suggest: true,
            ..options.filters.query()
        };
        let fresh = self.fresh()?;
        let results = fresh.index.search(&query, Some(&self.store))?;
        let mut links = CommitLinkCache {
            journal: self,
            known: std::collections::HashMap::new(),
        };
        Ok(SearchReport {
            hits: results
                .hits
                .iter()
                .map(|hit| hit_record(hit, &mut links))
                .collect(),
            total: results.total,
            did_you_mean: results
                .did_you_mean
                .into_iter()
                .map(|s| DidYouMean {
                    word: s.word,
                    nearest: s.nearest,
                })
                .collect(),
            skipped: fresh.skipped,
            warnings: fresh.warnings,
        })
    }
}

/// An existing entry that looks like the same observation as a new one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Similar {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// How alike (BM25 of the new title's words against it).
    pub score: f32,
}

impl Journal {
    /// Returns at most `limit` entries whose title and body share the most words with
    /// `title`: what an agent about to record may supersede rather than duplicate. Advice
    /// only; nothing is refused.
    pub fn similar(&self, title: &str, limit: usize) -> Result<Vec<Similar>> {
        // Words only: the title is text, not a query (no fields, operators or phrases).
        let words: Vec<String> = title
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() > 2)
            .map(str::to_lowercase)
            .filter(|w| !matches!(w.as_str(), "and" | "or" | "not"))
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let query = SearchQuery {
            text: Some(words.join(" OR ")),
            limit,
            sort: Sort::Score,
            scope: Scope::Entries,
            ..SearchQuery::default()
        };
        let fresh = self.fresh()?;
        let results = fresh.index.search(&query, None)?;
        // A hit must share at least half of the words to count as alike.
        let best = results.hits.first().map_or(0.0, |h| h.score);
        Ok(results
            .hits
            .into_iter()
            .filter(|h| h.score >= best * 0.5)
            .map(|h| Similar {
                id: h.id,
                title: h.title,
                score: h.score,
            })
            .collect())
    }

    /// Refuses `provider:X`, `pattern:X` and `kind:X` in a query text for an X outside the
    /// vocabulary, as the same values given as filters are (a query would only find nothing).
    fn check_query_fields(&self, text: &str) -> Result<()> {
        let mut provider = Vec::new();
        let mut pattern = Vec::new();
        let mut kind = None;
        for token in text.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
            let token = token.trim_start_matches(['+', '-']);
            let Some((field, value)) = token.split_once(':') else {
                continue;
            };
            let value = value.trim_matches('"');
            if value.is_empty() || value.ends_with('*') || value.contains(['*', '[', '{']) {
                continue;
            }
            match field.to_ascii_lowercase().as_str() {
                "provider" => provider.push(value.to_owned()),
                "pattern" => pattern.push(value.to_owned()),
                "kind" if kind.is_none() => kind = Some(value.to_owned()),
                _ => {}
            }
        }
        crate::fields::check_vocabulary(&self.config.vocabulary, &provider, &pattern, kind.as_ref())
    }
}

fn hit_record(hit: &Hit, links: &mut CommitLinkCache<'_>) -> HitRecord {
    let highlights = hit
        .snippet
        .highlights
        .iter()
        .map(|r| [r.start, r.end])
        .collect();
    let title_highlights = hit
        .title_highlights
        .iter()
        .map(|r| [r.start, r.end])
        .collect();
    if hit.kind.as_deref() == Some(COMMIT_KIND) {
        let sha = hit.id.rsplit(':').next().unwrap_or(&hit.id);
        return HitRecord::Commit(CommitHit {
            id: hit.id.clone(),
            kind: COMMIT_KIND,
            score: hit.score,
            repo: hit.repo.clone(),
            url: links.url(hit.repo.as_deref(), sha),
            subject: hit.title.clone(),
            title_highlights,
            date: hit.date.clone(),
            author: hit.author.clone(),
            provider: hit.provider.clone(),
            pattern: hit.pattern.clone(),
            snippet: hit.snippet.text.clone(),
            highlights,
        });
    }
    HitRecord::Entry(EntryHit {
        id: hit.id.clone(),
        score: hit.score,
        date: hit.date.clone(),
        title: hit.title.clone(),
        title_highlights,
        provider: hit.provider.clone(),
        pattern: hit.pattern.clone(),
        confidence: hit.confidence.clone(),
        kind: hit.kind.clone(),
        story: hit.story.clone(),
        tags: hit.tags.clone(),
        agent: hit.agent.clone(),
        path: hit.path.clone(),
        snippet: hit.snippet.text.clone(),
        highlights,
    })
}

/// The forge links of the repositories whose commits a search found, each looked up once.
struct CommitLinkCache<'j> {
    journal: &'j Journal,
    known: std::collections::HashMap<Option<String>, Option<journal_compile::CommitLinks>>,
}

impl CommitLinkCache<'_> {
    /// The forge page of commit `sha` of `repo` (`None`: the journal's own repository).
    fn url(&mut self, repo: Option<&str>, sha: &str) -> Option<String> {
        let journal = self.journal;
        let key = repo.filter(|r| !r.is_empty()).map(str::to_owned);
        self.known
            .entry(key.clone())
            .or_insert_with(|| {
                journal.commit_links(key.as_deref(), || match &key {
                    None => journal.store.repo().remote_url().ok().flatten(),
                    Some(name) => journal
                        .store
                        .named_repo(name)
                        .ok()
                        .flatten()
                        .and_then(|r| r.remote_url().ok().flatten()),
                })
            })
            .as_ref()
            .map(|links| links.commit(sha))
    }
}
