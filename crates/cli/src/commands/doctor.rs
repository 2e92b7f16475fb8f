//! `journal doctor`: what a killed journal or an interrupted git command left.

use std::path::Path;

use clap::Args;

use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Find and repair what a killed journal or an interrupted git command left.
///
/// Every journal command already repairs a journal write that was killed (its stale locks,
/// an entry written but not committed, one committed but not in git's index). doctor also
/// looks at git's locks, temporary files, git's index for the entry files and the search
/// index: it repairs what is the journal's own and prints the command that clears the rest.
/// Exits 1 when something is left to do.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Print one JSON object: {"findings": [{"path", "what", "repaired", "fix"}], "left": N}.
    #[arg(long)]
    json: bool,
}

pub fn cmd_doctor(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &DoctorArgs,
) -> Result<(), CommandError> {
    let journal = journal_lib::Journal::open(&context::open_options(journal)?)?;
    let report = journal.doctor()?;
    if args.json {
        ui.json(&report)?;
    } else if report.findings.is_empty() {
        ui.status("Nothing to repair: no stale lock, no leftover file, git's index in line.");
    } else {
        for finding in &report.findings {
            let mark = if finding.repaired { "repaired" } else { "left" };
            ui.data(&format!("{mark}: {}: {}", finding.path, finding.what))?;
            if let Some(fix) = &finding.fix {
                ui.data(&format!("  fix: {fix}"))?;
            }
        }
    }
    if report.left > 0 {
        return Err(CommandError::silent(1));
    }
    Ok(())
}
