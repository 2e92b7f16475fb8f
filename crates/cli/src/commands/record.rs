//! The flags that describe a new entry, shared by `add` and `run`, and how a recorded entry
//! is reported.

use clap::Args;
use journal_lib::{AddReport, EntryFields, parse_metric, parse_tag};

use super::fields::FieldArgs;
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

impl EntryArgs {
    /// Returns the library's entry fields.
    pub fn into_fields(self) -> EntryFields {
        let f = self.fields;
        EntryFields {
            provider: f.provider,
            pattern: f.pattern,
            confidence: f.confidence,
            kind: f.kind,
            story: f.story,
            tags: self.tags,
            metrics: self.metrics,
            commits: self.commits,
            supersedes: self.supersedes,
            no_commit: self.no_commit,
            allow_secret: self.allow_secret,
            agent: None,
        }
    }
}

/// Prints the warnings and where the entry went, on stderr.
pub fn report_added(ui: &Ui, added: &AddReport) {
    for warning in &added.warnings {
        ui.warning(warning);
    }
    match &added.commit {
        Some(sha) => ui.status(&format!(
            "Recorded {} in commit {}.",
            added.path,
            &sha[..sha.len().min(10)]
        )),
        None => ui.status(&format!("Wrote {} (not committed).", added.path)),
    }
}
