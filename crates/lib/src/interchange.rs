//! `export` and `import`: the entries as JSON, JSON Lines ([`EntryRecord`]s) or one Markdown
//! document, and entries read back from `export`'s JSON or from jrnl's JSON export.

use std::collections::HashSet;
use std::path::PathBuf;

use chrono::{Local, NaiveDate, NaiveTime, TimeZone as _};
use journal_entry::{Entry, Vocabulary, entry_id, parse_entry, secret};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fields::Filters;
use crate::journal::{Journal, SkippedFile};
use crate::record::{EntryRecord, entry_fields};

/// The formats of [`Journal::export`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One JSON array of [`EntryRecord`]s.
    Json,
    /// One [`EntryRecord`] per line.
    Jsonl,
    /// One Markdown document.
    Markdown,
}

/// What [`Journal::export`] wrote.
#[derive(Debug, Clone)]
pub struct ExportReport {
    /// The text, oldest entry first.
    pub text: String,
    /// How many entries it holds.
    pub entries: usize,
    /// Files that could not be read.
    pub skipped: Vec<SkippedFile>,
    /// What else the operation noticed.
    pub warnings: Vec<String>,
}

/// Where [`Journal::import`]'s text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportSource {
    /// `jrnl --export json`.
    Jrnl,
    /// `journal export --format json` or `jsonl`.
    Journal,
}

/// What [`Journal::import`] did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// Entries in the text.
    pub total: usize,
    /// The ids written.
    pub written: Vec<String>,
    /// The ids already in the journal, left as they were.
    pub existing: Vec<String>,
    /// Entries that could not be imported: `place: why`.
    pub skipped: Vec<String>,
    /// The commit that recorded them, if one was made.
    pub commit: Option<String>,
    /// What else the operation noticed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Journal {
    /// Exports the entries `filters` picks, oldest first.
    pub fn export(&self, filters: &Filters, format: ExportFormat) -> Result<ExportReport> {
        let mut selection = self.select(filters, None)?;
        selection.entries.reverse();
        let records = || {
            selection
                .entries
                .iter()
                .map(|(e, p)| EntryRecord::new(e, p))
        };
        let text = match format {
            ExportFormat::Json => {
                let all: Vec<EntryRecord> = records().collect();
                let mut text = serde_json::to_string_pretty(&all)
                    .map_err(|e| Error::Internal(format!("cannot write JSON: {e}")))?;
                text.push('\n');
                text
            }
            ExportFormat::Jsonl => {
                let mut text = String::new();
                for record in records() {
                    let line = serde_json::to_string(&record)
                        .map_err(|e| Error::Internal(format!("cannot write JSON: {e}")))?;
                    text.push_str(&line);
                    text.push('\n');
                }
                text
            }
            ExportFormat::Markdown => markdown(&selection.entries),
        };
        Ok(ExportReport {
            text,
            entries: selection.entries.len(),
            skipped: selection.skipped,
            warnings: selection.warnings,
        })
    }

    /// Imports the entries of `text` in one commit (unless `no_commit`). jrnl: each entry's
    /// date and time (local time), title and body are kept; a tag naming a provider or
    /// pattern of the vocabulary goes to that field, any other becomes a tag; starred entries
    /// get starred=true; every entry gets source=jrnl. journal: ids kept. An entry already in
    /// the journal is left as it is; one that cannot be imported (outside the vocabulary, a
    /// credential) is skipped and named.
    pub fn import(
        &self,
        source: ImportSource,
        text: &str,
        no_commit: bool,
        allow_secret: bool,
    ) -> Result<ImportReport> {
        let commit = self.commits(no_commit);
        let author = match self.store.author() {
            Ok(identity) => Some(identity.to_string()),
            Err(e) if commit => return Err(e.into()),
            Err(_) => None,
        };
        let vocabulary = &self.config.vocabulary;
        let candidates: Vec<Candidate> = match source {
            ImportSource::Jrnl => from_jrnl(text, vocabulary, author.as_deref())?,
            ImportSource::Journal => from_journal(text)?,
        };
        let total = candidates.len();
        let mut entries = Vec::with_capacity(total);
        let mut skipped = Vec::new();
        for (place, candidate) in candidates {
            match candidate
                .and_then(|entry| check(&entry, vocabulary, allow_secret).map(|()| entry))
            {
                Ok(entry) => entries.push(entry),
                Err(problem) => skipped.push(format!("{place}: {problem}")),
            }
        }
        let what = match source {
            ImportSource::Jrnl => "jrnl",
            ImportSource::Journal => "a journal export",
        };
        let n = entries.len();
        let message = format!(
            "journal: import {n} {} from {what}\n",
            if n == 1 { "entry" } else { "entries" }
        );
        let imported = self.store.import(entries, commit, &message)?;
        Ok(ImportReport {
            total,
            written: imported.written.into_iter().map(|(id, _)| id).collect(),
            existing: imported.existing,
            skipped,
            commit: imported.commit,
            warnings: imported
                .index_error
                .map(crate::change::index_warning)
                .into_iter()
                .chain(self.after_write())
                .collect(),
        })
    }
}

/// An entry to import, or why it cannot be, with its place in the file for messages.
type Candidate = (String, Result<Entry, String>);

/// jrnl's JSON export (`jrnl --export json`, jrnl 2 to 4).
#[derive(Debug, Deserialize)]
struct JrnlExport {
    entries: Vec<JrnlEntry>,
}

#[derive(Debug, Deserialize)]
struct JrnlEntry {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    date: String,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    starred: bool,
}

/// Maps jrnl entries; ids are those `journal add` would give, `-2`, `-3`, … for entries of
/// the same minute and title, in the file's order (so a second import maps them the same).
fn from_jrnl(text: &str, vocabulary: &Vocabulary, author: Option<&str>) -> Result<Vec<Candidate>> {
    let export: JrnlExport = serde_json::from_str(text).map_err(|e| {
        Error::refused(format!("not a jrnl JSON export: {e}"))
            .hint("make one with `jrnl --export json > FILE`")
    })?;
    let mut taken = HashSet::new();
    let mut out = Vec::with_capacity(export.entries.len());
    for (i, jrnl) in export.entries.into_iter().enumerate() {
        let place = format!("entry {} ({} {})", i + 1, jrnl.date, jrnl.title.trim());
        let entry = jrnl_entry(jrnl, vocabulary, author).map(|mut entry| {
            let mut attempt = 1;
            loop {
                let id = entry_id(&entry.date, &entry.title, attempt);
                if taken.insert(id.clone()) {
                    entry.id = id;
                    break entry;
                }
                attempt += 1;
            }
        });
        out.push((place, entry));
    }
    Ok(out)
}

fn jrnl_entry(
    jrnl: JrnlEntry,
    vocabulary: &Vocabulary,
    author: Option<&str>,
) -> Result<Entry, String> {
    let day = NaiveDate::parse_from_str(jrnl.date.trim(), "%Y-%m-%d")
        .map_err(|_| format!("date `{}` is not YYYY-MM-DD", jrnl.date))?;
    let time = match jrnl
        .time
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => NaiveTime::MIN,
        Some(t) => NaiveTime::parse_from_str(t, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
            .map_err(|_| format!("time `{t}` is not HH:MM"))?,
    };
    let date = Local
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|d| d.fixed_offset())
        .ok_or_else(|| format!("{} {time} does not exist in the local time zone", jrnl.date))?;
    let mut title = jrnl.title.trim().to_owned();
    let mut body = jrnl.body.trim().to_owned();
    if title.is_empty() {
        let (first, rest) = body.split_once('\n').unwrap_or((body.as_str(), ""));
        title = first.trim().to_owned();
        body = rest.trim().to_owned();
    }
    if title.is_empty() {
        return Err("no title and no body".to_owned());
    }
    let mut entry = Entry::new(String::new(), date, title);
    entry.body = if body.is_empty() {
        body
    } else {
        format!("{body}\n")
    };
    entry.author = author.map(str::to_owned);
    let is =
        |list: &[String], name: &str| list.iter().find(|v| v.eq_ignore_ascii_case(name)).cloned();
    for tag in jrnl.tags {
        let name = tag.trim_start_matches(['@', '#']).trim();
        if name.is_empty() {
            continue;
        }
        if let Some(provider) = is(&vocabulary.providers, name) {
            push_new(&mut entry.provider, provider);
        } else if let Some(pattern) = is(&vocabulary.patterns, name) {
            push_new(&mut entry.pattern, pattern);
        } else {
            entry.tags.insert(name.to_lowercase(), "true".to_owned());
        }
    }
    // jrnl keeps tags as a set: its export's order means nothing.
    entry.provider.sort();
    entry.pattern.sort();
    if jrnl.starred {
        entry.tags.insert("starred".to_owned(), "true".to_owned());
    }
    entry.tags.insert("source".to_owned(), "jrnl".to_owned());
    Ok(entry)
}

fn push_new(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

/// Reads `journal export` output: a JSON array, or one object per line.
fn from_journal(text: &str) -> Result<Vec<Candidate>> {
    let objects: Vec<(String, Result<EntryRecord, String>)> = if text.trim_start().starts_with('[')
    {
        let values: Vec<serde_json::Value> = serde_json::from_str(text)
            .map_err(|e| Error::refused(format!("not a journal export: {e}")))?;
        values
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                (
                    format!("entry {}", i + 1),
                    serde_json::from_value(v).map_err(|e| e.to_string()),
                )
            })
            .collect()
    } else {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| {
                (
                    format!("line {}", i + 1),
                    serde_json::from_str(l).map_err(|e| e.to_string()),
                )
            })
            .collect()
    };
    Ok(objects
        .into_iter()
        .map(|(place, object)| (place, object.and_then(EntryRecord::into_entry)))
        .collect())
}

/// Checks an entry as `journal check` would (format, vocabulary) and for credentials.
fn check(entry: &Entry, vocabulary: &Vocabulary, allow_secret: bool) -> Result<(), String> {
    let text = entry.to_file_string();
    let parsed = parse_entry(&text, Some(&entry.id)).map_err(|e| {
        e.problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    if let Some(problem) = vocabulary.problems(&parsed).first() {
        return Err(problem.to_string());
    }
    if !allow_secret
        && let Some(found) = secret::scan(&format!("{}\n{}", entry.title, entry.body)).first()
    {
        return Err(format!(
            "looks like it holds {} (rule `{}`); allowing secrets imports it anyway",
            found.description, found.rule
        ));
    }
    Ok(())
}

/// One document, oldest entry first: a section per entry with its fields as a list (those of
/// `journal show`).
fn markdown(entries: &[(Entry, PathBuf)]) -> String {
    let mut out = String::from("# Journal\n\n");
    match (entries.first(), entries.last()) {
        (Some((first, _)), Some((last, _))) => out.push_str(&format!(
            "{}, {} to {}.\n",
            if entries.len() == 1 {
                "1 entry".to_owned()
            } else {
                format!("{} entries", entries.len())
            },
            first.date.format("%Y-%m-%d"),
            last.date.format("%Y-%m-%d")
        )),
        _ => out.push_str("No entries.\n"),
    }
    for (entry, rel_path) in entries {
        out.push_str(&format!("\n## {}\n\n", entry.title.trim()));
        let path = ("path", rel_path.display().to_string());
        for (name, value) in entry_fields(entry).into_iter().chain([path]) {
            out.push_str(&format!("- {name}: {value}\n"));
        }
        let body = journal_compile::embeddable_body(
            entry.body.trim(),
            journal_compile::BodyHeadings::Demoted(2),
        );
        if !body.is_empty() {
            out.push('\n');
            out.push_str(&body);
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn body_headings_go_under_the_entry_heading_and_the_body_passes_markdownlint() {
        let body = "# Steps\n```sh\n# a comment\n```\n### Detail\n#hashtag\n```\nplain\n```\n\
                    see https://example.org/x.";
        let embedded =
            journal_compile::embeddable_body(body, journal_compile::BodyHeadings::Demoted(2));
        assert_eq!(
            embedded,
            "### Steps\n\n```sh\n# a comment\n```\n\n##### Detail\n\n#hashtag\n\n```text\nplain\n```\n\n\
             see <https://example.org/x>."
        );
    }
}
