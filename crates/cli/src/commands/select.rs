//! Picking entries by their fields and dates, for the commands that read whole entries
//! (`list`, `metrics`, `export`): the index finds them, then the files themselves are read, so
//! that what is shown is exactly what is on disk.

use std::path::{Path, PathBuf};

use clap::Args;
use journal_entry::Entry;
use journal_index::SearchQuery;

use super::fields::{FieldArgs, parse_tag};
use crate::config::Journal;
use crate::context;
use crate::error::CommandError;
use crate::freshness::synced_index;
use crate::ui::{Ui, count};
use crate::when::{Bound, timestamp_option};

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
}

/// The entries picked, newest first, and how many files could not be read.
pub struct Selection {
    pub entries: Vec<(Entry, PathBuf)>,
    pub bad: usize,
}

impl SelectArgs {
    /// Returns at most `limit` entries (all with `None`), newest first. Files that cannot be
    /// read are reported as `error: path:line: …` on stderr and counted.
    pub fn select(
        &self,
        ui: &Ui,
        journal: &Journal,
        limit: Option<usize>,
    ) -> Result<Selection, CommandError> {
        self.fields.check(&journal.config.vocabulary)?;
        let now = context::now()?;
        let since = timestamp_option(self.since.as_deref(), now, Bound::At)?;
        let until = timestamp_option(self.until.as_deref(), now, Bound::Until)?;
        let (index, report) = synced_index(ui, journal)?;
        for bad in &report.bad {
            for line in bad.error.lines() {
                ui.status(&format!("error: {}:{line}", bad.path));
            }
        }
        let all = usize::try_from(index.len()).unwrap_or(usize::MAX);
        let query = SearchQuery {
            since,
            until,
            tags: self.tags.clone(),
            limit: limit.unwrap_or(all).min(all),
            ..self.fields.search_query()
        };
        let mut entries = Vec::new();
        for hit in index.search(&query, None)?.hits {
            let file = journal.store.load(Path::new(&hit.path))?;
            // A file changed since the sync a moment ago is shown as it is now, if still good.
            if let Ok(parsed) = file.entry {
                entries.push((parsed.entry, file.rel_path));
            }
        }
        entries.sort_by(|(a, _), (b, _)| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
        Ok(Selection {
            entries,
            bad: report.bad.len(),
        })
    }
}

impl Selection {
    /// Fails (exit 1) when some files could not be read, after the output was printed.
    pub fn finish(&self) -> Result<(), CommandError> {
        let bad = self.bad;
        if bad == 0 {
            return Ok(());
        }
        Err(CommandError::user(format!(
            "{} could not be read and {} skipped",
            count(bad, "entry", "entries"),
            if bad == 1 { "was" } else { "were" }
        )))
    }
}
