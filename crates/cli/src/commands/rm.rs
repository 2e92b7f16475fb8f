//! `journal rm`: remove an entry, with a commit.

use std::io::{BufRead as _, Write as _};
use std::path::Path;

use clap::Args;

use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Remove an entry: its file is deleted and the removal committed (it stays in git history).
///
/// Asks for confirmation on a terminal; scripts pass --yes. Without a terminal and without
/// --yes, nothing is removed.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// The entry's id, or any unique prefix of it.
    #[arg(add = crate::complete::ids())]
    id: String,
    /// Remove without asking.
    #[arg(long, short = 'y')]
    yes: bool,
    /// Delete the file only; do not commit the removal.
    #[arg(long)]
    no_commit: bool,
}

pub fn cmd_rm(ui: &mut Ui, journal: Option<&Path>, args: &RmArgs) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let file = journal.find(&args.id)?;
    let title = match &file.entry {
        Ok(parsed) => parsed.entry.title.clone(),
        Err(_) => file.id.clone(),
    };
    if !args.yes {
        if !ui.stdin_is_terminal() {
            return Err(CommandError::user(format!(
                "not removing {} without confirmation: stdin is not a terminal",
                file.rel_path.display()
            ))
            .hint("pass --yes to remove it without asking"));
        }
        if !confirm(&format!(
            "Remove {} \"{title}\" ({})? [y/N] ",
            file.id,
            file.rel_path.display()
        ))? {
            ui.status("Nothing was removed.");
            return Ok(());
        }
    }
    let removed = journal.remove(&file, args.no_commit)?;
    for warning in &removed.warnings {
        ui.warning(warning);
    }
    match removed.commit {
        Some(sha) => ui.status(&format!(
            "Removed {} in commit {}.",
            removed.path,
            &sha[..sha.len().min(10)]
        )),
        None => ui.status(&format!("Removed {} (not committed).", removed.path)),
    }
    Ok(())
}

/// Asks a yes/no question on the terminal; anything but y/yes is no.
fn confirm(question: &str) -> Result<bool, CommandError> {
    let mut stderr = std::io::stderr().lock();
    stderr.write_all(question.as_bytes())?;
    stderr.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}
