//! `journal list`: entries, newest first, filtered.

use std::path::Path;

use clap::Args;
use journal_lib::EntryRecord;

use super::fields::SelectArgs;
use crate::context;
use crate::error::CommandError;
use crate::render::entry_line;
use crate::ui::Ui;

/// List entries, newest first.
///
/// --provider and --pattern keep the entries that have any of the values given; the other
/// filters must all match.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// At most N entries.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Only the entries new or edited since your last `journal review`.
    #[arg(long)]
    since_review: bool,
    /// Print one JSON object per line.
    #[arg(long)]
    json: bool,
}

pub fn cmd_list(ui: &mut Ui, journal: Option<&Path>, args: &ListArgs) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let since: Option<std::collections::HashSet<String>> = if args.since_review {
        let since = journal.since_review()?;
        Some(
            since
                .added
                .into_iter()
                .chain(since.changed)
                .map(|e| e.id)
                .collect(),
        )
    } else {
        None
    };
    // Filtered after the selection: the limit counts the entries kept.
    let limit = if since.is_some() { None } else { args.limit };
    let mut selection = journal.select(&args.select.filters()?, limit)?;
    if let Some(ids) = &since {
        selection.entries.retain(|(e, _)| ids.contains(&e.id));
        selection.entries.truncate(args.limit.unwrap_or(usize::MAX));
    }
    ui.reading(&selection.skipped, &selection.warnings);
    for (entry, rel_path) in &selection.entries {
        if args.json {
            ui.json(&EntryRecord::new(entry, rel_path))?;
        } else {
            ui.data(&entry_line(entry))?;
        }
    }
    ui.finish_reading(&selection.skipped)
}
