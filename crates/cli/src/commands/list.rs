//! `journal list`: entries, newest first, filtered.

use std::path::Path;

use clap::Args;
use journal_index::SearchQuery;

use super::fields::FieldArgs;
use crate::config;
use crate::context;
use crate::error::CommandError;
use crate::freshness::synced_index;
use crate::render::{entry_json, entry_line};
use crate::ui::Ui;
use crate::when::{Bound, timestamp_option};

/// List entries, newest first.
///
/// --provider and --pattern keep the entries that have any of the values given; the other
/// filters must all match.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only entries observed at or after WHEN.
    #[arg(long, value_name = "WHEN")]
    since: Option<String>,
    /// Only entries observed at or before WHEN (a date alone includes that whole day).
    #[arg(long, value_name = "WHEN")]
    until: Option<String>,
    #[command(flatten)]
    fields: FieldArgs,
    /// At most N entries.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Print one JSON object per line.
    #[arg(long)]
    json: bool,
}

pub fn cmd_list(ui: &mut Ui, journal: Option<&Path>, args: &ListArgs) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    args.fields.check(&journal.config.vocabulary)?;
    let now = context::now()?;
    let since = timestamp_option(args.since.as_deref(), now, Bound::At)?;
    let until = timestamp_option(args.until.as_deref(), now, Bound::Until)?;

    // The index finds and orders the entries; the files themselves are then read, so that
    // what is printed is exactly what is on disk.
    let (index, report) = synced_index(ui, &journal)?;
    for bad in &report.bad {
        for line in bad.error.lines() {
            ui.status(&format!("error: {}:{line}", bad.path));
        }
    }
    let all = usize::try_from(index.len()).unwrap_or(usize::MAX);
    let query = SearchQuery {
        since,
        until,
        limit: args.limit.unwrap_or(all).min(all),
        ..args.fields.search_query()
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
    for (entry, rel_path) in &entries {
        if args.json {
            ui.data(&entry_json(entry, rel_path).to_string())?;
        } else {
            ui.data(&entry_line(entry))?;
        }
    }
    let bad = report.bad.len();
    if bad > 0 {
        return Err(CommandError::user(format!(
            "{bad} entr{} could not be read and {} skipped",
            if bad == 1 { "y" } else { "ies" },
            if bad == 1 { "was" } else { "were" }
        )));
    }
    Ok(())
}
