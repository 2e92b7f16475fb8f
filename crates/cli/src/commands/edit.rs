//! `journal edit`: change an entry in the editor, check it again, commit the change.

use std::path::Path;

use clap::Args;
use journal_entry::parse_entry;

use super::guard_secrets;
use crate::config;
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
    let journal = config::open(journal)?;
    let store = &journal.store;
    let file = store.find(&args.id)?;
    let original = std::fs::read_to_string(&file.path)
        .map_err(|e| CommandError::user(format!("cannot read {}: {e}", file.rel_path.display())))?;
    // Edit a copy so that the entry stays valid whatever happens in the editor. A copy left
    // by an edit that did not pass the checks is opened again, so no work is lost.
    let draft = store
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
        crate::freshness::after_write(ui, &journal);
        ui.status("No change; nothing committed.");
        return Ok(());
    }

    let kept = || {
        format!(
            "your edit is kept in {}: `journal edit {}` opens it again",
            draft.display(),
            file.id
        )
    };
    let parsed = parse_entry(&edited, Some(&file.id)).map_err(|err| {
        let mut error = CommandError::user(format!(
            "{}: the edited entry is not valid; the entry is unchanged",
            file.rel_path.display()
        ));
        error.hints = err.problems.iter().map(ToString::to_string).collect();
        error.hint(kept())
    })?;
    let problems = journal.config.vocabulary.problems(&parsed);
    if !problems.is_empty() {
        let mut error = CommandError::user(format!(
            "{}: the edited entry is not valid; the entry is unchanged",
            file.rel_path.display()
        ));
        error.hints = problems.iter().map(ToString::to_string).collect();
        return Err(error.hint(kept()));
    }
    guard_secrets(&edited, "the edited entry", args.allow_secret, ui)
        .map_err(|e| e.hint(kept()))?;

    let commit = journal.config.commit && !args.no_commit;
    let sha = store.replace(&file, &edited, &parsed.entry.title, commit)?;
    let _ = std::fs::remove_file(&draft);
    crate::freshness::after_write(ui, &journal);
    match sha {
        Some(sha) => ui.status(&format!(
            "Updated {} in commit {}.",
            file.rel_path.display(),
            &sha[..10.min(sha.len())]
        )),
        None => ui.status(&format!(
            "Updated {} (not committed).",
            file.rel_path.display()
        )),
    }
    Ok(())
}
