//! The entry fields as flags, shared by the commands that set them (`add`, `run`) and those
//! that filter on them (`list`, `search`, `metrics`, `export`): one definition, turned into
//! the library's typed options.

use clap::Args;
use journal_entry::{Confidence, VocabularyField};
use journal_lib::{FilterText, Filters, parse_confidence, parse_tag};

use crate::complete;
use crate::context;
use crate::error::CommandError;

/// `--provider`, `--pattern`, `--confidence`, `--kind`, `--story`.
#[derive(Debug, Args)]
pub struct FieldArgs {
    /// Cloud provider, from journal.toml's providers (repeatable, or comma-separated).
    #[arg(long, value_name = "P", value_delimiter = ',',
          add = complete::vocabulary(VocabularyField::Provider))]
    pub provider: Vec<String>,
    /// Pattern, from journal.toml's patterns (repeatable, or comma-separated).
    #[arg(long, value_name = "P", value_delimiter = ',',
          add = complete::vocabulary(VocabularyField::Pattern))]
    pub pattern: Vec<String>,
    /// Confidence: proven, needs-testing or uncertain.
    #[arg(long, value_name = "C", value_parser = parse_confidence, add = complete::confidence())]
    pub confidence: Option<Confidence>,
    /// Kind of observation: finding, decision, easy, hard, surprise, … (journal.toml's kinds).
    #[arg(long, value_name = "K", add = complete::vocabulary(VocabularyField::Kind))]
    pub kind: Option<String>,
    /// Story, such as 1.11.
    #[arg(long, value_name = "S")]
    pub story: Option<String>,
}

/// `--since`, `--until`, the field filters and `--tag`.
#[derive(Debug, Args)]
pub struct SelectArgs {
    /// Only entries observed at or after WHEN: RFC 3339, YYYY-MM-DD [HH:MM] (local time), or
    /// words such as "last monday" or "2 hours ago".
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,
    /// Only entries observed at or before WHEN (a date alone includes that whole day).
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,
    #[command(flatten)]
    pub fields: FieldArgs,
    /// Only entries with this tag (repeatable: all must match).
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
    pub tags: Vec<(String, String)>,
    /// Only entries recorded by this agent (its name: `claude-code` matches any version).
    #[arg(long, value_name = "NAME")]
    pub agent: Option<String>,
}

impl SelectArgs {
    /// Returns the flags as the library's one filter contract ([`FilterText`]), which it
    /// parses the same way for every front end.
    pub fn filter_text(&self) -> FilterText {
        FilterText {
            provider: self.fields.provider.clone(),
            pattern: self.fields.pattern.clone(),
            kind: self.fields.kind.clone(),
            confidence: self.fields.confidence.map(|c| c.as_str().to_owned()),
            story: self.fields.story.clone(),
            agent: self.agent.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            tags: self.tags.iter().map(|(k, v)| format!("{k}={v}")).collect(),
        }
    }

    /// Returns the filters, the dates read relative to now.
    pub fn filters(&self) -> Result<Filters, CommandError> {
        Ok(self.filter_text().parse(context::now()?)?)
    }
}
