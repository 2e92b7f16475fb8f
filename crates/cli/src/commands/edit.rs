//! `journal edit`: change an entry in the editor, check it again, commit the change.

use std::path::Path;

use clap::Args;

use journal_lib::{ChangeOptions, EditOutcome};

use crate::context;
use crate::editor;
use crate::error::CommandError;
use crate::ui::Ui;

/// Edit an entry in $VISUAL / $EDITOR; the result is checked and committed.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The entry's id, or any unique prefix of it.
    #[arg(add = crate::complete::ids())]
    id: String,
    /// Write the change only; do not commit it.
    #[arg(long)]
    no_commit: bool,
    /// Keep the text even if it looks like it holds a credential.
    #[arg(long)]
    allow_secret: bool,
}

pub fn cmd_edit(ui: &mut Ui, journal: Option<&Path>, args: &EditArgs) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let draft = journal.start_edit(&args.id)?;
    if draft.resumed {
        ui.status(&format!(
            "Resuming the earlier edit kept in {} (delete it to start over).",
            draft.path.display()
        ));
    }
    editor::edit_file(&draft.path, ui.stdin_is_terminal())?;
    let options = ChangeOptions {
        no_commit: args.no_commit,
        allow_secret: args.allow_secret,
    };
    let kept = format!(
        "your edit is kept in {}: `journal edit {}` opens it again",
        draft.path.display(),
        draft.file.id
    );
    match journal
        .finish_edit(&draft, options)
        .map_err(|e| CommandError::from(e).hint(kept))?
    {
        EditOutcome::Unchanged(warning) => {
            if let Some(warning) = warning {
                ui.warning(&warning);
            }
            ui.status("No change; nothing committed.");
        }
        EditOutcome::Replaced(changed) => {
            for warning in &changed.warnings {
                ui.warning(warning);
            }
            match changed.commit {
                Some(sha) => ui.status(&format!(
                    "Updated {} in commit {}.",
                    changed.path,
                    &sha[..10.min(sha.len())]
                )),
                None => ui.status(&format!("Updated {} (not committed).", changed.path)),
            }
        }
    }
    Ok(())
}
