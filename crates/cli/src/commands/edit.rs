//! `journal edit`: change an entry in the editor, check it again, commit the change.

use std::path::Path;

use clap::Args;

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
    let file = journal.find(&args.id)?;
    let original = journal.read_text(&file)?;
    // Edit a copy so that the entry stays valid whatever happens in the editor. A copy left
    // by an edit that did not pass the checks is opened again, so no work is lost.
    let draft = journal
        .store()
        .repo()
        .git_dir()
        .join(format!("JOURNAL_EDIT-{}.md", file.id));
    if draft.exists() {
        ui.status(&format!(
            "Resuming the earlier edit kept in {} (delete it to start over).",
            draft.display()
        ));
    } else {
        std::fs::write(&draft, &original)
            .map_err(|e| CommandError::user(format!("cannot write {}: {e}", draft.display())))?;
    }
    editor::edit_file(&draft, ui.stdin_is_terminal())?;
    let edited = std::fs::read_to_string(&draft)
        .map_err(|e| CommandError::user(format!("cannot read {}: {e}", draft.display())))?;
    if edited == original {
        let _ = std::fs::remove_file(&draft);
        if let Some(warning) = journal.touched() {
            ui.warning(&warning);
        }
        ui.status("No change; nothing committed.");
        return Ok(());
    }

    let kept = format!(
        "your edit is kept in {}: `journal edit {}` opens it again",
        draft.display(),
        file.id
    );
    let changed = journal
        .replace(&file, &edited, args.no_commit, args.allow_secret)
        .map_err(|e| CommandError::from(e).hint(kept))?;
    let _ = std::fs::remove_file(&draft);
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
    Ok(())
}
