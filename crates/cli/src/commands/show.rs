//! `journal show`: one entry, for reading or as JSON.

use std::path::Path;

use clap::Args;

use crate::config;
use crate::error::CommandError;
use crate::render::{entry_json, entry_text};
use crate::ui::Ui;

/// Show one entry.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The entry's id, or any unique prefix of it.
    id: String,
    /// Print the entry as one JSON object (the same object as a line of `list --json`).
    #[arg(long)]
    json: bool,
}

pub fn cmd_show(ui: &mut Ui, journal: Option<&Path>, args: &ShowArgs) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    let file = journal.store.find(&args.id)?;
    let parsed = file.entry.as_ref().map_err(|err| {
        let mut error = CommandError::user(format!(
            "{}: cannot read the entry",
            file.rel_path.display()
        ));
        error.hints = err.problems.iter().map(ToString::to_string).collect();
        error
    })?;
    for problem in journal.config.vocabulary.problems(parsed) {
        ui.warning(&format!("{}: {problem}", file.rel_path.display()));
    }
    if args.json {
        ui.data(&entry_json(&parsed.entry, &file.rel_path).to_string())
    } else {
        ui.data_raw(&entry_text(&parsed.entry, &file.rel_path))
    }
}
