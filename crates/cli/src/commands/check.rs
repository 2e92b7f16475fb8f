//! `journal check`: validate every entry file, its vocabulary, ids and evidence.

use std::path::Path;

use clap::Args;

use crate::context;
use crate::error::CommandError;
use crate::ui::{self, Ui};

/// Check every entry: format, vocabulary, duplicate ids, missing evidence and superseded ids.
///
/// Prints each problem as `path:line: field `f`: message` and exits 1 if there is any.
#[derive(Debug, Args)]
pub struct CheckArgs {}

pub fn cmd_check(
    ui: &mut Ui,
    journal: Option<&Path>,
    _args: &CheckArgs,
) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let report = journal.check()?;
    for warning in &report.warnings {
        ui.warning(warning);
    }
    for line in &report.problems {
        ui.data(line)?;
    }
    if !report.problems.is_empty() {
        return Err(CommandError::user(format!(
            "checked {}: {}",
            ui::count(report.files, "entry", "entries"),
            ui::count(report.problems.len(), "problem", "problems")
        )));
    }
    ui.status(&format!("Checked {} entries: no problems.", report.files));
    Ok(())
}
