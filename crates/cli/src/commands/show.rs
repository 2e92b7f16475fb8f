//! `journal show`: one entry, for reading or as JSON.

use std::path::Path;

use clap::Args;

use crate::context;
use crate::error::CommandError;
use crate::render::entry_text;
use crate::ui::Ui;

/// Show one entry.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The entry's id, or any unique prefix of it.
    #[arg(add = crate::complete::ids())]
    id: String,
    /// Print the entry as one JSON object (the same object as a line of `list --json`).
    #[arg(long)]
    json: bool,
}

pub fn cmd_show(ui: &mut Ui, journal: Option<&Path>, args: &ShowArgs) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let shown = journal.show(&args.id)?;
    ui.reading(&shown.skipped, &shown.warnings);
    let path = shown.rel_path.to_string_lossy();
    for problem in &shown.problems {
        ui.warning(&problem.located(&path).to_string());
    }
    if args.json {
        ui.json(&shown)?;
    } else {
        ui.data_raw(&entry_text(&shown.entry, &shown.rel_path))?;
    }
    ui.finish_reading(&shown.skipped)
}
