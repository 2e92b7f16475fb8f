//! Searching: tantivy's query language over title, body and tags, filters, ranking, snippets.

use std::ops::Bound;
use std::path::Path;

use journal_store::Store;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf};
use tantivy::schema::{Field, IndexRecordOption, Value as _};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, TantivyDocument, Term};

use crate::commits::COMMIT_KIND;
use crate::error::{Error, Result};
use crate::index::JournalIndex;

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

/// The fields a prefix without a field (`zerotier*`) searches: the unstemmed ones (a stem is
/// no prefix of what was written: `zerotier` is indexed as `zeroti`).
const PREFIX_FIELDS: [&str; 4] = ["words", "provider", "pattern", "kind"];

/// Matches by date: each document's date (`None` without one) and address.
type Dated = Vec<(Option<i64>, DocAddress)>;

/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 160;

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
            Some(text) if total == 0 && !text.is_empty() && !query.fuzzy => {
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
        let mut parser = QueryParser::for_index(&self.index, defaults);
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
        Ok(Some(crate::fuzzy::build(
            &parser,
            self.schema.words,
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
        let part = |scope| SearchQuery {
            scope,
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

/// Rewrites what tantivy's parser reads differently from what users mean:
/// - `a AND NOT b` parses as `+a +(-b)`, and a clause of exclusions alone matches nothing; its
///   exclusions are lifted into the enclosing clause (`+a -b`);
/// - `word*` becomes a prefix match on the word (over `default_fields` when no field is named),
///   since the parser only knows prefixes at the end of phrases.
fn normalise(ast: UserInputAst, default_fields: &[&str]) -> UserInputAst {
    use tantivy::query_grammar::Occur as O;
    match ast {
        UserInputAst::Clause(clauses) => {
            let mut out = Vec::with_capacity(clauses.len());
            for (occur, sub) in clauses {
                let sub = normalise(sub, default_fields);
                let required = matches!(occur, None | Some(O::Must));
                match sub {
                    UserInputAst::Clause(inner)
                        if required
                            && !inner.is_empty()
                            && inner.iter().all(|(o, _)| *o == Some(O::MustNot)) =>
                    {
                        out.extend(inner);
                    }
                    sub => out.push((occur, sub)),
                }
            }
            UserInputAst::Clause(out)
        }
        UserInputAst::Boost(inner, boost) => {
            UserInputAst::Boost(Box::new(normalise(*inner, default_fields)), boost)
        }
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(literal)
                if literal.delimiter == Delimiter::None
                    && literal.phrase.len() > 1
                    && literal.phrase.ends_with('*')
                    && !literal.phrase[..literal.phrase.len() - 1].contains(['*', ' ']) =>
            {
                let word = &literal.phrase[..literal.phrase.len() - 1];
                let pattern: String = word
                    .to_lowercase()
                    .chars()
                    .map(|c| {
                        if c.is_alphanumeric() {
                            c.to_string()
                        } else {
                            format!("\\{c}")
                        }
                    })
                    .collect::<String>()
                    + ".*";
                let regex = |field: &str| {
                    UserInputAst::Leaf(Box::new(UserInputLeaf::Regex {
                        field: Some(field.to_owned()),
                        pattern: pattern.clone(),
                    }))
                };
                match literal.field_name {
                    Some(field) => regex(&field),
                    None => UserInputAst::Clause(
                        default_fields
                            .iter()
                            .map(|f| (Some(O::Should), regex(f)))
                            .collect(),
                    ),
                }
            }
            leaf => UserInputAst::Leaf(Box::new(leaf)),
        },
    }
}

/// Returns what is wrong with a field the query names, which tantivy would only find while
/// searching, with an error that is not about the query: a field the schema does not have
/// (`a:word`), or `field:*` (exists) on a field that is not a fast field (`title:*`).
fn field_problem(ast: &UserInputAst, schema: &tantivy::schema::Schema) -> Option<String> {
    match ast {
        UserInputAst::Clause(clauses) => clauses
            .iter()
            .find_map(|(_, sub)| field_problem(sub, schema)),
        UserInputAst::Boost(inner, _) => field_problem(inner, schema),
        UserInputAst::Leaf(leaf) => {
            let (field, exists) = match &**leaf {
                UserInputLeaf::Literal(literal) => (literal.field_name.as_deref(), false),
                UserInputLeaf::Range { field, .. }
                | UserInputLeaf::Set { field, .. }
                | UserInputLeaf::Regex { field, .. } => (field.as_deref(), false),
                UserInputLeaf::Exists { field } => (Some(field.as_str()), true),
                UserInputLeaf::All => (None, false),
            };
            let field = field?;
            match schema.get_field(field) {
                Err(_) => Some(format!("unknown field `{field}`")),
                Ok(f) if exists && !schema.get_field_entry(f).is_fast() => Some(format!(
                    "`{field}:*` cannot be searched (it works on provider, pattern, kind, \
                     confidence and story)"
                )),
                Ok(_) => None,
            }
        }
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

/// The piece of `body` around the matched words, or its start when none are in it.
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

/// What marks the matched words: in the body (stemmed words, and the words as written for
/// what stemming does not find, such as `luks` in `luksFormat`) and in the title.
pub(crate) struct Highlighters {
    body: SnippetGenerator,
    words: SnippetGenerator,
    title: SnippetGenerator,
}

impl Highlighters {
    fn new(
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        schema: &crate::schema::IndexSchema,
    ) -> Result<Self> {
        let generator = |field: Field, chars: usize| -> Result<SnippetGenerator> {
            let mut g = SnippetGenerator::create(searcher, query, field)?;
            g.set_max_num_chars(chars);
            Ok(g)
        };
        Ok(Self {
            body: generator(schema.body, SNIPPET_CHARS)?,
            words: generator(schema.words, SNIPPET_CHARS)?,
            title: generator(schema.title, TITLE_CHARS)?,
        })
    }

    /// The body's snippet: the stemmed words' fragment, else the written words'.
    fn snippet(&self, body: &str) -> tantivy::snippet::Snippet {
        let stemmed = self.body.snippet(body);
        if stemmed.highlighted().is_empty() {
            let written = self.words.snippet(body);
            if !written.highlighted().is_empty() {
                return written;
            }
        }
        stemmed
    }

    /// The byte ranges of the matched words in `title`, stemmed or as written, in order.
    fn title(&self, title: &str) -> Vec<std::ops::Range<usize>> {
        let mut ranges = Vec::new();
        for generator in [&self.title, &self.words] {
            let found = generator.snippet(title);
            let Some(at) = title.find(found.fragment()) else {
                continue;
            };
            ranges.extend(found.highlighted().iter().map(|r| r.start + at..r.end + at));
        }
        ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        // Overlaps (`luksFormat` whole and `luks` its part) keep the widest.
        let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start < last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }
}

/// Titles are at most 200 characters: the title's "snippet" is all of it.
const TITLE_CHARS: usize = 1000;

fn snippet_of(highlighters: Option<&Highlighters>, body: &str) -> Snippet {
    let Some(found) = highlighters.map(|h| h.snippet(body)) else {
        return lead(body);
    };
    if found.fragment().is_empty() {
        lead(body)
    } else {
        whole_words(
            body,
            Snippet {
                text: found.fragment().to_owned(),
                highlights: found.highlighted().to_vec(),
            },
        )
    }
}

/// Trims a fragment of `body` that starts or ends inside a word to whole words, keeping its
/// highlights where they were: a snippet never shows half a word ("handmtumarker").
fn whole_words(body: &str, snippet: Snippet) -> Snippet {
    let Some(at) = body.find(&snippet.text) else {
        return snippet;
    };
    let text = &snippet.text;
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut start = 0;
    if is_word(body[..at].chars().next_back()) && is_word(text.chars().next()) {
        start = text
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(text.len());
    }
    let mut end = text.len();
    if is_word(body[at + text.len()..].chars().next()) && is_word(text.chars().next_back()) {
        end = text
            .rfind(|c: char| !c.is_alphanumeric())
            .map_or(0, |i| i + 1);
    }
    // Never cut into a matched word, and keep something.
    if let Some(first) = snippet.highlights.first() {
        start = start.min(first.start);
    }
    if let Some(last) = snippet.highlights.last() {
        end = end.max(last.end);
    }
    if start >= end {
        return snippet;
    }
    let trimmed = &text[start..end];
    let lead = trimmed.len() - trimmed.trim_start().len();
    let kept = trimmed.trim();
    let offset = start + lead;
    Snippet {
        text: kept.to_owned(),
        highlights: snippet
            .highlights
            .iter()
            .filter(|r| r.start >= offset && r.end <= offset + kept.len())
            .map(|r| r.start - offset..r.end - offset)
            .collect(),
    }
}

/// The start of the body, when no matched words are in it.
fn lead(body: &str) -> Snippet {
    let line = body
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let end = line
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(line.len(), |(i, _)| i);
    // Cut at the last whole word.
    let end = if end < line.len() {
        line[..end].rfind(char::is_whitespace).unwrap_or(end)
    } else {
        end
    };
    Snippet {
        text: line[..end].trim_end().to_owned(),
        highlights: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(text: &str) -> String {
        let ast = query_grammar::parse_query(text).unwrap();
        format!("{:?}", normalise(ast, &["title", "body"]))
    }

    #[test]
    fn snippets_hold_whole_words_only() {
        let body = "we fixed it (handmtu marker set) and the zerotier link held for a week";
        let at = body.find("mtu marker").unwrap();
        let cut = Snippet {
            text: body[at..at + 26].to_owned(),
            highlights: std::iter::once(4..10).collect(),
        };
        assert_eq!(&cut.text[4..10], "marker");
        let whole = whole_words(body, cut);
        assert_eq!(whole.text, "marker set) and the");
        assert_eq!(&whole.text[whole.highlights[0].clone()], "marker");
        let long = format!("{} tail", "word ".repeat(40));
        let lead = lead(&long);
        assert!(lead.text.ends_with("word"), "{}", lead.text);
        assert!(lead.text.chars().count() <= SNIPPET_CHARS);
    }

    #[test]
    fn and_not_becomes_an_exclusion_of_the_enclosing_clause() {
        assert_eq!(rewritten("a AND NOT b"), "(+a -b)");
        assert_eq!(rewritten("NOT a AND b"), "(-a +b)");
        assert_eq!(rewritten("a OR b"), "(?a ?b)");
    }

    #[test]
    fn a_trailing_star_is_a_prefix_match() {
        assert_eq!(
            rewritten("zero*"),
            "(?\"title\":/zero.*/ ?\"body\":/zero.*/)"
        );
        assert_eq!(rewritten("title:prov*"), "\"title\":/prov.*/");
        assert_eq!(rewritten("\"big bad wo\"*"), "\"big bad wo\"*");
    }
}
