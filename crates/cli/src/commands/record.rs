//! What `add` and `run` share: the flags that describe an entry, their checks against the
//! journal (done before anything runs or is written), and recording the entry.

use chrono::{DateTime, FixedOffset, Timelike as _};
use clap::Args;
use journal_entry::{Entry, Evidence};
use journal_store::{Added, Identity};

use super::fields::{FieldArgs, parse_metric, parse_tag};
use crate::config::Journal;
use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// The fields of an entry, as flags.
#[derive(Debug, Args)]
pub struct EntryArgs {
    #[command(flatten)]
    pub fields: FieldArgs,
    /// A free tag (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
    pub tags: Vec<(String, String)>,
    /// A measured number: NAME=NUMBER, the unit in the name by convention (latency_ms=23.4);
    /// a unit after the number moves there (provision=185s is provision_s) (repeatable).
    #[arg(long = "metric", value_name = "NAME=NUMBER", value_parser = parse_metric)]
    pub metrics: Vec<(String, f64)>,
    /// An evidence commit: any revision git understands, or NAME:REV for a repository listed
    /// in journal.toml's [repos] (repeatable).
    #[arg(long = "commit", value_name = "[REPO:]REV")]
    pub commits: Vec<String>,
    /// The id (or a unique prefix of it) of an earlier entry this one replaces: compiled
    /// documents then show this entry and note what it replaced (repeatable).
    #[arg(long = "supersedes", value_name = "ID", add = crate::complete::ids())]
    pub supersedes: Vec<String>,
    /// Write the file only; do not commit it.
    #[arg(long)]
    pub no_commit: bool,
    /// Write the text even if it looks like it holds a credential.
    #[arg(long)]
    pub allow_secret: bool,
}

/// What the command itself observed: the entry's date, text, and what it measured.
pub struct Observed {
    pub date: DateTime<FixedOffset>,
    pub title: String,
    pub body: String,
    /// The kind when no `--kind` was given.
    pub kind: Option<&'static str>,
    /// Metrics measured by the command; they win over `--metric` flags of the same name.
    pub metrics: Vec<(&'static str, f64)>,
    /// Tags set by the command, after the `--tag` flags.
    pub tags: Vec<(String, String)>,
}

/// The flags, checked against the journal and resolved: what the entry will hold besides
/// its date, title and body.
pub struct Draft {
    args: EntryArgs,
    commits: Vec<Evidence>,
    supersedes: Vec<String>,
    identity: Option<Identity>,
    commit: bool,
}

impl EntryArgs {
    /// Checks the vocabulary, resolves the evidence revisions and superseded ids, and finds
    /// the git identity: every way the entry could be refused, before any work is done.
    pub fn prepare(self, journal: &Journal) -> Result<Draft, CommandError> {
        self.fields.check(&journal.config.vocabulary)?;
        for (i, (name, _)) in self.metrics.iter().enumerate() {
            if self.metrics[..i].iter().any(|(n, _)| n == name) {
                return Err(CommandError::user(format!(
                    "metric `{name}` is given twice: nothing was written"
                )));
            }
        }
        let store = &journal.store;
        let mut commits = Vec::with_capacity(self.commits.len());
        for spec in &self.commits {
            commits.push(store.resolve_evidence(spec)?);
        }
        let mut supersedes = Vec::with_capacity(self.supersedes.len());
        for prefix in &self.supersedes {
            supersedes.push(store.find(prefix)?.id);
        }
        let commit = journal.config.commit && !self.no_commit;
        let identity = match store.author() {
            Ok(identity) => Some(identity),
            Err(e) if commit => return Err(e.into()),
            Err(_) => None,
        };
        Ok(Draft {
            args: self,
            commits,
            supersedes,
            identity,
            commit,
        })
    }
}

impl Draft {
    /// Whether `--allow-secret` was given.
    pub fn allow_secret(&self) -> bool {
        self.args.allow_secret
    }

    /// Writes (and commits) the entry.
    pub fn record(
        self,
        ui: &Ui,
        journal: &Journal,
        observed: Observed,
    ) -> Result<Added, CommandError> {
        let store = &journal.store;
        let fields = self.args.fields;
        let date = observed.date;
        let mut entry = Entry::new(
            String::new(),
            date.with_nanosecond(0).unwrap_or(date),
            observed.title,
        );
        entry.body = observed.body;
        entry.author = self.identity.map(|i| i.to_string());
        entry.host = context::short_host();
        entry.provider = dedup(fields.provider);
        entry.pattern = dedup(fields.pattern);
        entry.confidence = fields.confidence;
        entry.kind = fields.kind.or_else(|| observed.kind.map(str::to_owned));
        entry.story = fields.story.filter(|s| !s.is_empty());
        entry.commits = dedup(self.commits);
        entry.supersedes = dedup(self.supersedes);
        entry.head = store.repo().head()?;
        entry.tags = self.args.tags.into_iter().chain(observed.tags).collect();
        entry.metrics = self.args.metrics.into_iter().collect();
        for (name, value) in observed.metrics {
            entry.metrics.insert(name.to_owned(), value);
        }
        let added = store.add(entry, self.commit)?;
        crate::freshness::after_write(ui, journal);
        Ok(added)
    }
}

/// Prints where the entry went, on stderr.
pub fn report_added(ui: &Ui, added: &Added) {
    match &added.commit {
        Some(sha) => ui.status(&format!(
            "Recorded {} in commit {}.",
            added.rel_path.display(),
            &sha[..sha.len().min(10)]
        )),
        None => ui.status(&format!(
            "Wrote {} (not committed).",
            added.rel_path.display()
        )),
    }
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
