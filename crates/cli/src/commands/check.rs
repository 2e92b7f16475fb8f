//! `journal check`: validate every entry file, its vocabulary, ids and evidence.

use std::path::Path;

use clap::Args;

use crate::context;
use crate::error::CommandError;
use crate::ui::{self, Ui};

/// Check every entry: format, vocabulary, duplicate ids, missing evidence and superseded ids.
///
/// Prints each problem as `path:line: field `f`: message` and exits 1 if there is any.
/// Hand-written files may give a date without offset (taken as local time) and short commit
/// ids (expanded); `--fix` rewrites such files in the canonical form, committed like `edit`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Rewrite files with a date without offset or short commit ids in the canonical form.
    #[arg(long)]
    fix: bool,
    /// With --fix: write the files only; do not commit them.
    #[arg(long, requires = "fix")]
    no_commit: bool,
}

pub fn cmd_check(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &CheckArgs,
) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let report = if args.fix {
        journal.fix(args.no_commit, crate::context::now()?)?
    } else {
        journal.check(crate::context::now()?)?
    };
    for (path, sha) in &report.fixed {
        match sha {
            Some(sha) => ui.status(&format!(
                "Fixed {path} in commit {}.",
                &sha[..sha.len().min(10)]
            )),
            None => ui.status(&format!("Fixed {path} (not committed).")),
        }
    }
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
    ui.status(&format!(
        "Checked {}: no problems.",
        ui::count(report.files, "entry", "entries")
    ));
    Ok(())
}
