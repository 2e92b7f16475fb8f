//! Searching: tantivy's query language over title, body and tags, filters, ranking, snippets.

use std::ops::Bound;
use std::path::Path;

use journal_store::Store;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::query_grammar;
use tantivy::schema::{Field, IndexRecordOption, Value as _};
use tantivy::{DocAddress, Order, TantivyDocument, Term};

use crate::commits::COMMIT_KIND;
use crate::error::{Error, Result};
use crate::index::JournalIndex;
use crate::query_ast::{field_problem, normalise};
use crate::snippets::{Highlighters, snippet_of};

/// How hits are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (BM25, title boosted); newest first without a text query.
    #[default]
    Score,
    /// Newest first.
    Date,
}

/// Which documents a search looks at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scope {
    /// Journal entries only.
    #[default]
    Entries,
    /// Evidence commits only.
    Commits,
    /// Both.
    All,
}

/// A search: optional text in tantivy's query language, and filters that must all hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchQuery {
    /// The query text (AND / OR / NOT, "phrases", `field:value`, `prefix*`).
    pub text: Option<String>,
    /// Any of these providers.
    pub provider: Vec<String>,
    /// Any of these patterns.
    pub pattern: Vec<String>,
    /// This confidence level.
    pub confidence: Option<String>,
    /// This kind.
    pub kind: Option<String>,
    /// This story.
    pub story: Option<String>,
    /// Recorded by this agent (the whole `agent` value, or its name before a space).
    pub agent: Option<String>,
    /// All of these `key=value` tags.
    pub tags: Vec<(String, String)>,
    /// Entries superseding this id.
    pub supersedes: Option<String>,
    /// Observed at or after (seconds since the epoch).
    pub since: Option<i64>,
    /// Observed at or before (seconds since the epoch).
    pub until: Option<i64>,
    /// Only entries that record at least one metric.
    pub measured: bool,
    /// Every plain word of the text matches within an edit distance (`word~` does it for
    /// one word).
    pub fuzzy: bool,
    /// When nothing matches, look for the indexed words nearest to the query's
    /// ([`SearchResults::did_you_mean`]): for a person or an agent reading the answer, not
    /// for a search made on their behalf (the similar entries of an add).
    pub suggest: bool,
    /// At most this many hits.
    pub limit: usize,
    /// Order of the hits.
    pub sort: Sort,
    /// Entries, commits or both.
    pub scope: Scope,
}

impl SearchQuery {
    /// Returns a query for `text` with no filters and the default limit of 20.
    pub fn text(text: &str) -> Self {
        Self {
            text: Some(text.to_owned()),
            limit: 20,
            ..Self::default()
        }
    }
}

/// A piece of the body around the matched words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    /// The text.
    pub text: String,
    /// Byte ranges of the matched words in `text`.
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// One matching entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Entry id.
    pub id: String,
    /// Relevance (0 when sorted by date without a text query).
    pub score: f32,
    /// Date as written, with its offset.
    pub date: String,
    /// Title.
    pub title: String,
    /// Byte ranges of the matched words in the title.
    pub title_highlights: Vec<std::ops::Range<usize>>,
    /// Providers.
    pub provider: Vec<String>,
    /// Patterns.
    pub pattern: Vec<String>,
    /// Confidence level.
    pub confidence: Option<String>,
    /// Kind.
    pub kind: Option<String>,
    /// Story.
    pub story: Option<String>,
    /// Tags as `key=value`.
    pub tags: Vec<String>,
    /// Path relative to the working tree (`commit/<repo>/<sha>` for a commit).
    pub path: String,
    /// The body around the matched words.
    pub snippet: Snippet,
    /// Author.
    pub author: Option<String>,
    /// The agent that recorded it.
    pub agent: Option<String>,
    /// For a commit of a `[repos.NAME]` repository, NAME.
    pub repo: Option<String>,
    /// An entry's front matter as its file held it when indexed (no body): the whole entry
    /// but the body, without reading the file.
    pub front: Option<String>,
}

/// The hits and how many entries matched in all.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    /// The best `limit` hits, in order.
    pub hits: Vec<Hit>,
    /// How many entries matched.
    pub total: usize,
    /// When nothing matched: the indexed words nearest to the query's words.
    pub did_you_mean: Vec<crate::Suggestion>,
}

/// The fields a word without a field searches: the stemmed text (title boosted), the words
/// as written, and the exact provider, pattern and kind.
const DEFAULT_FIELDS: [&str; 7] = [
    "title", "body", "tag", "words", "provider", "pattern", "kind",
];

/// The fields a prefix without a field (`zerotier*`) searches: the words as written (a stem
/// is no prefix of what was written: `zerotier` is indexed stemmed as `zeroti`), and the
/// stemmed fields, which hold as written every word the stemmer leaves alone (`words` does
/// not repeat them).
const PREFIX_FIELDS: [&str; 7] = [
    "words", "title", "body", "tag", "provider", "pattern", "kind",
];

/// Matches by date: each document's date (`None` without one) and address.
type Dated = Vec<(Option<i64>, DocAddress)>;

impl JournalIndex {
    /// Runs `query` against the index as of the last sync.
    ///
    /// Bodies are not stored in the index (storing and compressing them was ~7% of a rebuild),
    /// so snippets are cut from the entry files in `store` (and from the state database for
    /// commits), only for the hits returned. Without a store, hits carry no snippet.
    pub fn search(&self, query: &SearchQuery, store: Option<&Store>) -> Result<SearchResults> {
        let ranked = query.sort == Sort::Score
            && query.text.as_deref().is_some_and(|t| !t.trim().is_empty());
        if query.scope == Scope::All && ranked {
            let mut results = self.search_interleaved(query, store)?;
            results.did_you_mean = self.suggestions(query, results.total)?;
            return Ok(results);
        }
        let text_query = self.text_query(query.text.as_deref(), query.fuzzy)?;
        let combined = self.combined_query(query, text_query.as_deref())?;
        let searcher = self.reader.searcher();
        let limit = query.limit.max(1);
        let by_date = query.sort == Sort::Date || text_query.is_none();
        let (addresses, total, dates) = if by_date {
            let (top, total) = self.newest(&searcher, &*combined, limit)?;
            let dates = top
                .iter()
                .map(|(date, _)| date.unwrap_or(i64::MIN))
                .collect();
            (
                top.into_iter().map(|(_, a)| (0.0, a)).collect(),
                total,
                dates,
            )
        } else {
            let (top, total) = Self::best(&searcher, &*combined, limit)?;
            (top, total, Vec::new())
        };
        let snippets = match &text_query {
            Some(q) => Some(Highlighters::new(&searcher, &**q, &self.schema)?),
            None => None,
        };
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            hits.push(self.hit_of(&doc, score, store, snippets.as_ref())?);
        }
        if !dates.is_empty() {
            hits = in_date_order(hits, &dates, limit);
        }
        let did_you_mean = self.suggestions(query, total)?;
        Ok(SearchResults {
            hits,
            total,
            did_you_mean,
        })
    }

    /// "Did you mean" for a text query that matched nothing.
    fn suggestions(&self, query: &SearchQuery, total: usize) -> Result<Vec<crate::Suggestion>> {
        match query.text.as_deref().map(str::trim) {
            Some(text) if query.suggest && total == 0 && !text.is_empty() && !query.fuzzy => {
                let fields = self.field_names();
                let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
                self.did_you_mean(&crate::query_text::literal(text, &fields).text)
            }
            _ => Ok(Vec::new()),
        }
    }

    /// The names a `field:value` query may use.
    fn field_names(&self) -> Vec<String> {
        self.index
            .schema()
            .fields()
            .map(|(_, entry)| entry.name().to_owned())
            .collect()
    }

    /// Parses the query text (AND / OR / NOT, phrases, `field:value`, `prefix*`, `word~`):
    /// `None` for none. Words without a field search [`DEFAULT_FIELDS`]; a word with query
    /// syntax that is not a field query (`fd00::1`, `/etc/x`) is searched as written.
    fn text_query(&self, text: Option<&str>, fuzzy: bool) -> Result<Option<Box<dyn Query>>> {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        let schema = self.index.schema();
        let fields = self.field_names();
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        let defaults = DEFAULT_FIELDS
            .iter()
            .map(|name| schema.get_field(name))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let mut parser = QueryParser::new(schema.clone(), defaults, query_tokenizers());
        parser.set_field_boost(self.schema.title, 2.0);
        parser.set_conjunction_by_default();
        parser.allow_regexes();
        let literal = crate::query_text::literal(text, &fields);
        let ast = query_grammar::parse_query(&literal.text)
            .map_err(|_| Error::Query(format!("syntax error in `{text}`")))?;
        let ast = normalise(ast, &PREFIX_FIELDS);
        if let Some(problem) = field_problem(&ast, &schema) {
            return Err(Error::Query(format!("{problem} in `{text}`")));
        }
        let fuzzy = crate::fuzzy::Fuzzy {
            all: fuzzy,
            words: literal.fuzzy,
        };
        let s = &self.schema;
        Ok(Some(crate::fuzzy::build(
            &parser,
            &[s.words, s.title, s.body, s.tag],
            ast,
            &fuzzy,
        )?))
    }

    /// The text query (if any) and every filter of `query`, all required.
    fn combined_query(
        &self,
        query: &SearchQuery,
        text_query: Option<&dyn Query>,
    ) -> Result<Box<dyn Query>> {
        let s = &self.schema;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(q) = text_query {
            clauses.push((Occur::Must, q.box_clone()));
        }
        any_of(&mut clauses, s.provider, &query.provider);
        any_of(&mut clauses, s.pattern, &query.pattern);
        for (field, value) in [
            (s.confidence, &query.confidence),
            (s.kind, &query.kind),
            (s.story, &query.story),
            (s.supersedes, &query.supersedes),
        ] {
            if let Some(value) = value {
                clauses.push((Occur::Must, term(field, value)));
            }
        }
        if let Some(agent) = &query.agent {
            // `--agent claude-code` matches `claude-code 1.2` too: the name, any version.
            let name = regex::escape(agent);
            let pattern = format!("{name}( .*)?");
            clauses.push((
                Occur::Must,
                Box::new(tantivy::query::RegexQuery::from_pattern(&pattern, s.agent)?),
            ));
        }
        for (key, value) in &query.tags {
            clauses.push((Occur::Must, term(s.tag_exact, &format!("{key}={value}"))));
        }
        if query.since.is_some() || query.until.is_some() {
            let bound = |v: Option<i64>| match v {
                Some(v) => Bound::Included(Term::from_field_i64(s.date, v)),
                None => Bound::Unbounded,
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(query.since), bound(query.until))),
            ));
        }
        if query.measured {
            let one = Term::from_field_u64(s.metric_count, 1);
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(Bound::Included(one), Bound::Unbounded)),
            ));
        }
        let commit = || term(s.kind, COMMIT_KIND);
        match query.scope {
            Scope::Entries => clauses.push((Occur::MustNot, commit())),
            Scope::Commits => clauses.push((Occur::Must, commit())),
            Scope::All => {}
        }
        // A query of exclusions alone matches nothing: exclude from everything instead.
        if !clauses
            .iter()
            .any(|(o, _)| matches!(o, Occur::Must | Occur::Should))
        {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }

    /// The newest `limit` matches (with their dates) and how many matched. Equal dates come
    /// in no set order, so a tie across the limit is fetched whole (one more document tells
    /// whether there is one) and put in id order by [`in_date_order`].
    fn newest(
        &self,
        searcher: &tantivy::Searcher,
        combined: &dyn Query,
        limit: usize,
    ) -> Result<(Dated, usize)> {
        let mut fetch = limit.saturating_add(1);
        let (mut top, total) = loop {
            let collector =
                TopDocs::with_limit(fetch).order_by_fast_field::<i64>("date", Order::Desc);
            let (top, total) = searcher.search(combined, &(collector, Count))?;
            let tied = top.len() > limit && top[limit - 1].0 == top[top.len() - 1].0;
            if !tied || top.len() >= total {
                break (top, total);
            }
            fetch = fetch.saturating_mul(2);
        };
        if let Some(last) = top.get(limit - 1).map(|(date, _)| *date) {
            top.retain(|(date, _)| *date >= last);
        }
        Ok((top, total))
    }

    /// The best `limit` matches by score, and how many matched. Commits a `lower` rule
    /// matched rank below the rest.
    fn best(
        searcher: &tantivy::Searcher,
        combined: &dyn Query,
        limit: usize,
    ) -> Result<(Vec<(f32, DocAddress)>, usize)> {
        let ranked =
            TopDocs::with_limit(limit).tweak_score(move |segment: &tantivy::SegmentReader| {
                let lowered = segment.fast_fields().u64("lowered").ok();
                move |doc: tantivy::DocId, score: tantivy::Score| match &lowered {
                    Some(column) if column.first(doc) == Some(1) => score / 10.0,
                    _ => score,
                }
            });
        Ok(searcher.search(combined, &(ranked, Count))?)
    }

    /// A hit from its stored document, with its snippet when a store is given.
    fn hit_of(
        &self,
        doc: &TantivyDocument,
        score: f32,
        store: Option<&Store>,
        snippets: Option<&Highlighters>,
    ) -> Result<Hit> {
        let s = &self.schema;
        let text = |f: Field| doc.get_first(f).and_then(|v| v.as_str()).map(str::to_owned);
        let all = |f: Field| -> Vec<String> {
            doc.get_all(f)
                .filter_map(|v| v.as_str())
                .map(str::to_owned)
                .collect()
        };
        let path = text(s.path).unwrap_or_default();
        let repo = text(s.repo);
        let snippet = match store {
            None => Snippet::default(),
            Some(store) => {
                let body = self.body_of(store, &path, repo.as_deref(), text(s.id))?;
                snippet_of(snippets, &body)
            }
        };
        let title = text(s.title).unwrap_or_default();
        let title_highlights = snippets.map(|h| h.title(&title)).unwrap_or_default();
        Ok(Hit {
            id: text(s.id).unwrap_or_default(),
            score,
            date: text(s.date_text).unwrap_or_default(),
            title,
            title_highlights,
            provider: all(s.provider),
            pattern: all(s.pattern),
            confidence: text(s.confidence),
            kind: text(s.kind),
            story: text(s.story),
            tags: all(s.tag_exact),
            path,
            snippet,
            author: text(s.author),
            agent: text(s.agent),
            repo: repo.filter(|r| !r.is_empty()),
            front: text(s.front),
        })
    }

    /// Returns the text a hit's snippet is cut from: an entry's body as its file says now (a
    /// file gone or broken since the sync has none), a commit's message and changed paths.
    fn body_of(
        &self,
        store: &Store,
        path: &str,
        repo: Option<&str>,
        id: Option<String>,
    ) -> Result<String> {
        if let Some(label) = repo {
            let sha = id.as_deref().unwrap_or_default();
            let sha = sha.rsplit(':').next().unwrap_or(sha);
            return Ok(self
                .db
                .commit_text(label, sha)?
                .map(|(body, paths)| crate::commits::commit_text(&body, &paths))
                .unwrap_or_default());
        }
        Ok(store
            .load(Path::new(path))
            .ok()
            .and_then(|file| file.entry.ok())
            .map(|parsed| parsed.entry.body)
            .unwrap_or_default())
    }
}

impl JournalIndex {
    /// Entries and commits ranked together: BM25 scores of two kinds of documents are not on
    /// one scale (a short commit subject outscores a long entry), so each kind is ranked on its
    /// own and the two lists are interleaved, an entry first, until `limit`: commits never
    /// bury the entries.
    fn search_interleaved(
        &self,
        query: &SearchQuery,
        store: Option<&Store>,
    ) -> Result<SearchResults> {
        // Each part without suggestions: they are for the two together.
        let part = |scope| SearchQuery {
            scope,
            suggest: false,
            ..query.clone()
        };
        let entries = self.search(&part(Scope::Entries), store)?;
        let commits = self.search(&part(Scope::Commits), store)?;
        let mut hits = Vec::with_capacity(query.limit);
        let (mut e, mut c) = (entries.hits.into_iter(), commits.hits.into_iter());
        while hits.len() < query.limit.max(1) {
            match (e.next(), c.next()) {
                (None, None) => break,
                (one, other) => {
                    hits.extend(one);
                    if hits.len() < query.limit.max(1) {
                        hits.extend(other);
                    }
                }
            }
        }
        Ok(SearchResults {
            hits,
            total: entries.total + commits.total,
            did_you_mean: Vec::new(),
        })
    }
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn any_of(clauses: &mut Vec<(Occur, Box<dyn Query>)>, field: Field, values: &[String]) {
    if values.is_empty() {
        return;
    }
    let options = values
        .iter()
        .map(|v| (Occur::Should, term(field, v)))
        .collect();
    clauses.push((Occur::Must, Box::new(BooleanQuery::new(options))));
}

/// Puts hits sorted by date in a stable order: newest first, entries of one second (an
/// agent's parallel adds) by id, newest id first, so that a listing is the same at every
/// call; cut to `limit`.
fn in_date_order(hits: Vec<Hit>, dates: &[i64], limit: usize) -> Vec<Hit> {
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by(|&a, &b| {
        dates[b]
            .cmp(&dates[a])
            .then_with(|| hits[b].id.cmp(&hits[a].id))
    });
    let mut taken: Vec<Option<Hit>> = hits.into_iter().map(Some).collect();
    let mut sorted: Vec<Hit> = order.into_iter().filter_map(|i| taken[i].take()).collect();
    sorted.truncate(limit);
    sorted
}

/// The tokenizers a query is analysed with: the index's, but a query word is one term of the
/// `words` field ([`crate::code_tokens::QueryWordTokenizer`]).
fn query_tokenizers() -> tantivy::tokenizer::TokenizerManager {
    let manager = tantivy::tokenizer::TokenizerManager::default();
    manager.register(crate::analyzer::ANALYZER, crate::analyzer::journal_en());
    manager.register(
        crate::code_tokens::CODE_TOKENIZER,
        tantivy::tokenizer::TextAnalyzer::from(crate::code_tokens::QueryWordTokenizer::default()),
    );
    manager
}
