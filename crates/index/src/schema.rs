//! `IndexSchema`: the tantivy fields, in one place (described in `index/README.md`).

use journal_entry::Entry;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::{TantivyDocument, doc};

/// The index format version as written in `index/VERSION` (with its newline).
pub const SCHEMA_VERSION: &str = include_str!("../format/VERSION");

/// Returns the index format version; an index with another one is rebuilt.
pub fn schema_version() -> &'static str {
    SCHEMA_VERSION.trim()
}

/// The tantivy schema and its fields.
#[derive(Debug, Clone)]
pub struct IndexSchema {
    /// The schema.
    pub schema: Schema,
    /// Path relative to the working tree: the document key.
    pub path: Field,
    /// Entry id.
    pub id: Field,
    /// Title, stemmed, boosted in ranking.
    pub title: Field,
    /// Body, stemmed, for snippets.
    pub body: Field,
    /// Title, body and tags as written, unstemmed, each word whole and by its parts
    /// (`journal_code`): identifiers, addresses, paths, keys, and prefix queries.
    pub words: Field,
    /// Free tags as `key=value` text.
    pub tag: Field,
    /// Free tags as exact `key=value` terms, for filters.
    pub tag_exact: Field,
    /// Providers.
    pub provider: Field,
    /// Patterns.
    pub pattern: Field,
    /// Kind.
    pub kind: Field,
    /// Confidence level.
    pub confidence: Field,
    /// Story.
    pub story: Field,
    /// Author.
    pub author: Field,
    /// The agent that recorded the entry (exact, fast): `--agent` filters on it.
    pub agent: Field,
    /// The ids an entry supersedes (exact): what replaced an entry is found by it.
    pub supersedes: Field,
    /// 1 for a commit a `lower` rule matched (fast): its score is divided by ten.
    pub lowered: Field,
    /// Date, seconds since the epoch.
    pub date: Field,
    /// Date as written, with its UTC offset.
    pub date_text: Field,
    /// For a commit, the `[repos]` name of its repository (empty for the journal's own).
    pub repo: Field,
    /// An entry's front matter as its file would hold it (stored, not searched): reading
    /// operations that need every field but the body (metrics, the confidence table) take
    /// it from here instead of reading every file.
    pub front: Field,
    /// How many metrics an entry records (indexed, fast): `measured` queries.
    pub metric_count: Field,
}

impl Default for IndexSchema {
    fn default() -> Self {
        Self::new()
    }
}

impl IndexSchema {
    /// Builds the schema.
    pub fn new() -> Self {
        let mut b = Schema::builder();
        let stemmed = TextFieldIndexing::default()
            .set_tokenizer(crate::analyzer::ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let text = TextOptions::default().set_indexing_options(stemmed);
        let keyword = STRING | STORED | FAST;
        let path = b.add_text_field("path", STRING | STORED);
        let id = b.add_text_field("id", STRING | STORED);
        let title = b.add_text_field("title", text.clone().set_stored());
        let body = b.add_text_field("body", text.clone());
        let tag = b.add_text_field("tag", text);
        // Frequencies, no positions: a query word is one term here (phrases are the stemmed
        // fields'), and positions were most of this field's cost to a reindex.
        let code = TextFieldIndexing::default()
            .set_tokenizer(crate::code_tokens::CODE_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs);
        let words = b.add_text_field("words", TextOptions::default().set_indexing_options(code));
        let tag_exact = b.add_text_field("tag_exact", keyword.clone());
        let provider = b.add_text_field("provider", keyword.clone());
        let pattern = b.add_text_field("pattern", keyword.clone());
        let kind = b.add_text_field("kind", keyword.clone());
        let confidence = b.add_text_field("confidence", keyword.clone());
        let story = b.add_text_field("story", keyword);
        // Names and e-mail addresses as words (`author:cameron`, `author:cameron*`, the
        // bare address as a phrase), not only as the whole `Name <email>`.
        let name_words = TextFieldIndexing::default()
            .set_tokenizer("default")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let author = b.add_text_field(
            "author",
            TextOptions::default()
                .set_indexing_options(name_words)
                .set_stored(),
        );
        let agent = b.add_text_field("agent", STRING | STORED | FAST);
        let supersedes = b.add_text_field("supersedes", STRING);
        let lowered = b.add_u64_field("lowered", FAST);
        let date = b.add_i64_field("date", INDEXED | STORED | FAST);
        let date_text = b.add_text_field("date_text", STORED);
        let repo = b.add_text_field("repo", STRING | STORED);
        let front = b.add_text_field("front", STORED);
        let metric_count = b.add_u64_field("metric_count", INDEXED | FAST);
        Self {
            schema: b.build(),
            path,
            id,
            title,
            body,
            words,
            tag,
            tag_exact,
            provider,
            pattern,
            kind,
            confidence,
            story,
            author,
            agent,
            supersedes,
            lowered,
            date,
            date_text,
            repo,
            front,
            metric_count,
        }
    }

    /// Returns the document of an entry stored at `rel_path`.
    pub fn document(&self, rel_path: &str, entry: &Entry) -> TantivyDocument {
        let mut d = doc!(
            self.path => rel_path,
            self.id => entry.id.as_str(),
            self.title => entry.title.as_str(),
            self.body => entry.body.as_str(),
            self.words => entry.title.as_str(),
            self.words => entry.body.as_str(),
            self.date => entry.date.timestamp(),
            self.date_text => entry.date_string(),
            self.front => front_matter(entry),
            self.metric_count => entry.metrics.len() as u64,
        );
        for (key, value) in &entry.tags {
            d.add_text(self.tag, format!("{key}={value}"));
            d.add_text(self.words, format!("{key}={value}"));
            d.add_text(self.tag_exact, format!("{key}={value}"));
        }
        for v in &entry.provider {
            d.add_text(self.provider, v);
        }
        for v in &entry.pattern {
            d.add_text(self.pattern, v);
        }
        for v in &entry.supersedes {
            d.add_text(self.supersedes, v);
        }
        let single = [
            (self.kind, entry.kind.as_deref()),
            (
                self.confidence,
                entry.confidence.map(journal_entry::Confidence::as_str),
            ),
            (self.story, entry.story.as_deref()),
            (self.author, entry.author.as_deref()),
            (self.agent, entry.agent.as_deref()),
        ];
        for (field, value) in single {
            if let Some(value) = value {
                d.add_text(field, value);
            }
        }
        d
    }
}

/// Returns the front matter of `entry` as its file holds it (`---` lines included, no body).
fn front_matter(entry: &Entry) -> String {
    let mut text = entry.to_file_string();
    let body_at = text.len() - entry.body.len();
    text.truncate(body_at);
    text
}
