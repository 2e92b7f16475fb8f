//! Recording an entry: the fields checked against the journal before anything is written
//! ([`Journal::prepare`] gives a [`Draft`]), then the file written and committed
//! ([`Journal::record`]). `add` does both at once; `run` runs its command in between.

use chrono::{DateTime, FixedOffset, Timelike as _};
use journal_entry::{Confidence, Entry, Evidence, VocabularyField};
use journal_store::Identity;
use serde::Serialize;

use crate::config::{Limits, TITLE_CHARS};
use crate::error::{Error, Param, Result};
use crate::fields::{check_metric_name, check_vocabulary, guard_secrets};
use crate::journal::Journal;

/// The fields of a new entry, as a front end was given them.
#[derive(Debug, Clone, Default)]
pub struct EntryFields {
    /// Providers, from the vocabulary.
    pub provider: Vec<String>,
    /// Patterns, from the vocabulary.
    pub pattern: Vec<String>,
    /// Confidence.
    pub confidence: Option<Confidence>,
    /// Kind, from the vocabulary.
    pub kind: Option<String>,
    /// Story, such as 1.11.
    pub story: Option<String>,
    /// Free tags.
    pub tags: Vec<(String, String)>,
    /// Measured numbers.
    pub metrics: Vec<(String, f64)>,
    /// Evidence revisions: anything git understands, or `NAME:REV` for a `[repos]` entry.
    pub commits: Vec<String>,
    /// Ids (or unique prefixes) of the entries this one replaces.
    pub supersedes: Vec<String>,
    /// Write the file only.
    pub no_commit: bool,
    /// Keep text that looks like a credential.
    pub allow_secret: bool,
    /// Who recorded it, when an agent did (`<name> <version>` of an MCP client).
    pub agent: Option<String>,
}

/// What the observer saw: the date, the text and what a command measured.
#[derive(Debug, Clone)]
pub struct Observed {
    /// When it was observed.
    pub date: DateTime<FixedOffset>,
    /// The title.
    pub title: String,
    /// The Markdown body (may be empty).
    pub body: String,
    /// The kind when the fields give none.
    pub kind: Option<String>,
    /// Metrics measured by the command; they win over the fields' metrics of the same name.
    pub metrics: Vec<(String, f64)>,
    /// Tags set by the command, after the fields' tags.
    pub tags: Vec<(String, String)>,
    /// The short host name of the machine it was observed on.
    pub host: Option<String>,
}

/// The fields, checked against the journal and resolved: every way the entry could be
/// refused has been tried.
#[derive(Debug)]
pub struct Draft {
    fields: EntryFields,
    commits: Vec<Evidence>,
    supersedes: Vec<String>,
    identity: Option<Identity>,
    commit: bool,
    /// What resolving the fields noticed (a journal commit skipped as evidence).
    notes: Vec<String>,
}

/// Where a recorded entry went.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AddReport {
    /// The entry's id.
    pub id: String,
    /// Its file, relative to the working tree.
    pub path: String,
    /// Its date, RFC 3339.
    pub date: String,
    /// The commit that recorded it, if one was made.
    pub commit: Option<String>,
    /// What the operation noticed (a credential kept, evidence made after the entry's
    /// date, the index not updated). Absent when there is nothing.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Draft {
    /// Returns whether credentials in the text are kept.
    pub fn allow_secret(&self) -> bool {
        self.fields.allow_secret
    }
}

impl Journal {
    /// Checks the vocabulary, the metric names, the evidence revisions, the superseded ids
    /// and the git identity: every way the entry could be refused, before any work is done.
    pub fn prepare(&self, fields: EntryFields) -> Result<Draft> {
        // A credential given as a name (a provider, a commit, …) is refused first, naming the
        // field and the kind of secret: the checks below would quote the value.
        let names = [
            ("provider", &fields.provider),
            ("pattern", &fields.pattern),
            ("commit", &fields.commits),
            ("supersedes", &fields.supersedes),
        ];
        for (field, values) in names {
            for value in values {
                guard_secrets(value, field, false)?;
            }
        }
        for (field, value) in [("kind", &fields.kind), ("agent", &fields.agent)] {
            if let Some(value) = value {
                guard_secrets(value, field, false)?;
            }
        }
        check_vocabulary(
            &self.config.vocabulary,
            &fields.provider,
            &fields.pattern,
            fields.kind.as_ref(),
        )?;
        for (i, (name, value)) in fields.metrics.iter().enumerate() {
            check_metric_name(name).map_err(Error::refused)?;
            if !value.is_finite() {
                return Err(Error::refused(format!(
                    "metric `{name}` is not a finite number: nothing was written"
                )));
            }
            if fields.metrics[..i].iter().any(|(n, _)| n == name) {
                return Err(Error::refused(format!(
                    "metric `{name}` is given twice: nothing was written"
                )));
            }
        }
        // The short texts go to git too: a token pasted as a tag value or a metric name is as
        // public as one in the body.
        let mut notes = Vec::new();
        for (name, _) in &fields.metrics {
            notes.extend(guard_secrets(name, "a metric name", fields.allow_secret)?);
        }
        for (key, value) in &fields.tags {
            let what = format!("tag `{key}`");
            notes.extend(guard_secrets(
                &format!("{key}={value}"),
                &what,
                fields.allow_secret,
            )?);
        }
        if let Some(story) = &fields.story {
            notes.extend(guard_secrets(story, "story", fields.allow_secret)?);
        }
        let store = &self.store;
        let mut commits = Vec::with_capacity(fields.commits.len());
        for spec in &fields.commits {
            let (evidence, note) = store.resolve_evidence(spec)?;
            commits.push(evidence);
            notes.extend(note);
        }
        let mut supersedes = Vec::with_capacity(fields.supersedes.len());
        for prefix in &fields.supersedes {
            supersedes.push(store.find(prefix)?.id);
        }
        let commit = self.commits(fields.no_commit);
        let identity = match store.author() {
            Ok(identity) => Some(identity),
            Err(e) if commit => return Err(e.into()),
            Err(_) => None,
        };
        Ok(Draft {
            fields,
            commits,
            supersedes,
            identity,
            commit,
            notes,
        })
    }

    /// As [`Journal::prepare`], for the entry of a command run: its kind is `run` unless the
    /// fields say otherwise, so `run` must be in the vocabulary.
    pub fn prepare_run(&self, fields: EntryFields) -> Result<Draft> {
        if fields.kind.is_none() {
            self.config
                .vocabulary
                .check(VocabularyField::Kind, "run")
                .map_err(|e| {
                    Error::refused(format!("{e}: the entry of a run has kind `run`"))
                        .hint("add `run` to `kinds` under [vocabulary] in journal.toml")
                        .hint_naming(Param::Kind, "or give the entry another kind with {}")
                })?;
        }
        self.prepare(fields)
    }

    /// Writes (and commits) the entry.
    pub fn record(&self, draft: Draft, observed: Observed) -> Result<AddReport> {
        let store = &self.store;
        let fields = draft.fields;
        let date = observed.date.with_nanosecond(0).unwrap_or(observed.date);
        let mut entry = Entry::new(String::new(), date, observed.title);
        entry.body = observed.body;
        entry.author = draft.identity.map(|i| i.to_string());
        entry.host = observed.host;
        entry.agent = fields.agent.filter(|a| !a.trim().is_empty());
        entry.provider = dedup(fields.provider);
        entry.pattern = dedup(fields.pattern);
        entry.confidence = fields.confidence;
        entry.kind = fields.kind.or(observed.kind);
        entry.story = fields.story.filter(|s| !s.is_empty());
        entry.commits = dedup(draft.commits);
        entry.supersedes = dedup(draft.supersedes);
        entry.head = store.repo().head()?;
        entry.tags = fields.tags.into_iter().chain(observed.tags).collect();
        entry.metrics = fields.metrics.into_iter().collect();
        entry.metrics.extend(observed.metrics);
        let added = store.add(entry, draft.commit)?;
        let mut warnings = draft.notes;
        warnings.extend(added.index_error.map(crate::change::index_warning));
        warnings.extend(self.after_write());
        Ok(AddReport {
            id: added.id,
            path: added.rel_path.to_string_lossy().into_owned(),
            date: date.to_rfc3339(),
            commit: added.commit,
            warnings,
        })
    }

    /// Records an observation from a draft ([`Journal::prepare`], done first so that a front
    /// end refuses bad fields before it asks for the text): the secret guard over every text,
    /// a title required. `date` and `host` are the moment and machine of the observation.
    pub fn add(
        &self,
        draft: Draft,
        text: EntryText,
        date: DateTime<FixedOffset>,
        now: DateTime<FixedOffset>,
        host: Option<String>,
    ) -> Result<AddReport> {
        if date.timestamp() > now.timestamp() + journal_entry::CLOCK_SKEW_S {
            return Err(Error::refused(format!(
                "the date {} is in the future: nothing was written",
                date.format("%Y-%m-%d %H:%M %:z")
            ))
            .hint("an entry records what was observed: give a moment that has come")
            .hint_naming(Param::At, "{} takes the moment"));
        }
        let allow = draft.allow_secret();
        let mut warnings = Vec::new();
        let (title, body) = match text {
            EntryText::Joined { text, title } => {
                if let Some(title) = &title {
                    warnings.extend(guard_secrets(title, "title", allow)?);
                }
                warnings.extend(guard_secrets(&text, "the text", allow)?);
                split_text(&text, title.as_deref())
            }
            EntryText::Split { title, body } => {
                warnings.extend(guard_secrets(&title, "title", allow)?);
                warnings.extend(guard_secrets(&body, "body", allow)?);
                split_text(&body, Some(&title))
            }
        };
        if title.is_empty() {
            return Err(
                Error::refused("the entry has no title: nothing was written")
                    .hint("the first line of the text is the title")
                    .hint_naming(Param::Title, "or give the title apart with {}"),
            );
        }
        check_limits(&title, &body, self.config.limits)?;
        let observed = Observed {
            date,
            title,
            body,
            kind: None,
            metrics: Vec::new(),
            tags: Vec::new(),
            host,
        };
        let entry_date = observed.date;
        let late: Vec<String> = draft
            .commits
            .iter()
            .filter(|c| {
                self.store
                    .evidence_time(c)
                    .and_then(|t| journal_entry::made_after(&entry_date, t))
                    .is_some()
            })
            .map(|c| format!("evidence commit {c} was made after the entry's date"))
            .collect();
        let mut report = self.record(draft, observed)?;
        warnings.extend(late);
        warnings.append(&mut report.warnings);
        report.warnings = warnings;
        Ok(report)
    }
}

/// Refuses a title of more than one line or [`TITLE_CHARS`] characters, and a body over
/// `[limits] body_bytes`, naming the limit.
pub(crate) fn check_limits(title: &str, body: &str, limits: Limits) -> Result<()> {
    let lines = title.lines().count();
    if lines > 1 || title.contains(['\n', '\r']) {
        return Err(Error::refused(format!(
            "the title is one line, this one has {}: nothing was written",
            lines.max(2)
        ))
        .hint("put the rest in the body"));
    }
    let chars = title.chars().count();
    if chars > TITLE_CHARS {
        return Err(Error::refused(format!(
            "the title has {chars} characters, more than {TITLE_CHARS}: nothing was written"
        ))
        .hint("a short title, the details in the body"));
    }
    if body.len() > limits.body_bytes {
        return Err(Error::refused(format!(
            "the body has {} bytes, more than the limit of {} (journal.toml [limits] \
             body_bytes): nothing was written",
            body.len(),
            limits.body_bytes
        ))
        .hint("keep large output in a file of the repository and cite it"));
    }
    Ok(())
}

/// The text of a new entry.
#[derive(Debug, Clone)]
pub enum EntryText {
    /// One text whose first line is the title (as typed on a command line or in an editor),
    /// or all body when a title is given apart (`--title`).
    Joined {
        /// The text.
        text: String,
        /// The title given apart.
        title: Option<String>,
    },
    /// A title and a Markdown body, given apart (an agent's call).
    Split {
        /// The title.
        title: String,
        /// The body.
        body: String,
    },
}

/// Splits a text into title and body: the first non-blank line is the title (a Markdown
/// heading marker is dropped), unless `title` is given; the body keeps its Markdown, without
/// leading blank lines, ending in one newline.
pub fn split_text(text: &str, title: Option<&str>) -> (String, String) {
    let (title, rest) = match title {
        Some(title) => (title.trim().to_owned(), text),
        None => {
            let text = text.trim_start_matches(['\n', '\r', ' ', '\t']);
            let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
            let first = first.trim().trim_start_matches('#').trim();
            (first.to_owned(), rest)
        }
    };
    let body = rest.trim_start_matches(['\n', '\r']).trim_end();
    let body = if body.is_empty() {
        String::new()
    } else {
        format!("{body}\n")
    };
    (title, body)
}

/// Drops repeated values, keeping the first of each (two revisions may name one commit).
fn dedup<T: PartialEq>(values: Vec<T>) -> Vec<T> {
    let mut seen = Vec::with_capacity(values.len());
    for v in values {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_is_the_title() {
        let (title, body) = split_text("\n# LUKS works\n\nIt *does*.\n\n", None);
        assert_eq!(
            (title.as_str(), body.as_str()),
            ("LUKS works", "It *does*.\n")
        );
        let (title, body) = split_text("all body", Some("Given"));
        assert_eq!((title.as_str(), body.as_str()), ("Given", "all body\n"));
        let (title, body) = split_text("only a title", None);
        assert_eq!((title.as_str(), body.as_str()), ("only a title", ""));
    }
}
