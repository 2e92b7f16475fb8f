//! `journal list`: entries, newest first, filtered.

use std::path::Path;

use clap::Args;

use super::select::SelectArgs;
use crate::config;
use crate::error::CommandError;
use crate::render::{entry_json, entry_line};
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
    /// Print one JSON object per line.
    #[arg(long)]
    json: bool,
}

pub fn cmd_list(ui: &mut Ui, journal: Option<&Path>, args: &ListArgs) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    let selection = args.select.select(ui, &journal, args.limit)?;
    for (entry, rel_path) in &selection.entries {
        if args.json {
            ui.data(&entry_json(entry, rel_path).to_string())?;
        } else {
            ui.data(&entry_line(entry))?;
        }
    }
    selection.finish()
}
