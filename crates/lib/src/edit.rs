//! `edit`: changing an entry through a copy, so that the entry stays valid whatever happens
//! in the editor, and an edit that did not pass the checks is not lost: its copy is kept in
//! the git directory (`JOURNAL_EDIT-<id>.md`) and the next edit of that entry resumes it.

use std::path::PathBuf;

use journal_store::EntryFile;

use crate::change::Changed;
use crate::error::{Error, Result};
use crate::journal::Journal;

/// An edit in progress ([`Journal::start_edit`]): the copy to edit, and the entry it changes.
#[derive(Debug)]
pub struct EditDraft {
    /// The entry's file.
    pub file: EntryFile,
    /// The copy to open in the editor.
    pub path: PathBuf,
    /// Whether the copy is an earlier edit that did not pass the checks, opened again.
    pub resumed: bool,
    /// The entry's text when the edit started.
    original: String,
}

/// How a change is recorded.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChangeOptions {
    /// Write the file but make no commit.
    pub no_commit: bool,
    /// Keep text that looks like it holds a credential (a warning each).
    pub allow_secret: bool,
}

/// What [`Journal::finish_edit`] did.
#[derive(Debug)]
pub enum EditOutcome {
    /// The copy is as the entry was: nothing written; with a warning when the index could
    /// not be brought up to date.
    Unchanged(Option<String>),
    /// The entry was replaced by the copy.
    Replaced(Changed),
}

impl Journal {
    /// Starts an edit of the entry whose id is `prefix` or starts with it: makes the copy to
    /// edit, or takes the copy an earlier edit left.
    pub fn start_edit(&self, prefix: &str) -> Result<EditDraft> {
        let file = self.find(prefix)?;
        let original = self.read_text(&file)?;
        let path = self
            .store
            .repo()
            .git_dir()
            .join(format!("JOURNAL_EDIT-{}.md", file.id));
        let resumed = path.exists();
        if !resumed {
            std::fs::write(&path, &original)
                .map_err(|e| Error::refused(format!("cannot write {}: {e}", path.display())))?;
        }
        Ok(EditDraft {
            file,
            path,
            resumed,
            original,
        })
    }

    /// Ends an edit: the copy replaces the entry (after the checks of a new entry) and is
    /// removed; unchanged, it is removed and nothing is written. When the copy is refused,
    /// the entry is unchanged and the copy is kept for the next [`Journal::start_edit`].
    pub fn finish_edit(&self, draft: &EditDraft, options: ChangeOptions) -> Result<EditOutcome> {
        let edited = std::fs::read_to_string(&draft.path)
            .map_err(|e| Error::refused(format!("cannot read {}: {e}", draft.path.display())))?;
        if edited == draft.original {
            let _ = std::fs::remove_file(&draft.path);
            return Ok(EditOutcome::Unchanged(self.after_write()));
        }
        let changed = self.replace(&draft.file, &edited, options)?;
        let _ = std::fs::remove_file(&draft.path);
        Ok(EditOutcome::Replaced(changed))
    }
}

#[cfg(test)]
mod tests {
    use journal_testutils::{TestRepo, entry_text};

    use super::*;
    use crate::OpenOptions;

    #[test]
    fn a_refused_edit_is_kept_and_resumed_and_a_good_one_replaces_the_entry() {
        let repo = TestRepo::journal();
        let id = "20260201T100000Z-luks";
        let rel = format!("journal/2026/02/{id}.md");
        repo.write(
            &rel,
            &entry_text(id, "2026-02-01T10:00:00Z", "LUKS", &[], "Body.\n"),
        );
        let journal = Journal::open(&OpenOptions {
            start: repo.root.clone(),
            ..OpenOptions::default()
        })
        .unwrap();
        let options = ChangeOptions::default();

        let draft = journal.start_edit("20260201").unwrap();
        assert!(!draft.resumed);
        assert!(matches!(
            journal.finish_edit(&draft, options).unwrap(),
            EditOutcome::Unchanged(_)
        ));
        assert!(!draft.path.exists(), "an unchanged copy is removed");

        let draft = journal.start_edit(id).unwrap();
        std::fs::write(&draft.path, "---\ntitle: no date\n---\n").unwrap();
        assert!(journal.finish_edit(&draft, options).is_err());
        assert!(draft.path.exists(), "a refused copy is kept");
        let again = journal.start_edit(id).unwrap();
        assert!(again.resumed);
        assert_eq!(
            std::fs::read_to_string(&again.path).unwrap(),
            "---\ntitle: no date\n---\n"
        );

        let good = entry_text(id, "2026-02-01T10:00:00Z", "LUKS over SSH", &[], "Body.\n");
        std::fs::write(&again.path, &good).unwrap();
        let EditOutcome::Replaced(changed) = journal.finish_edit(&again, options).unwrap() else {
            panic!("replaced");
        };
        assert_eq!(changed.path, rel);
        assert!(changed.commit.is_some());
        assert!(!again.path.exists());
        assert_eq!(std::fs::read_to_string(repo.path(&rel)).unwrap(), good);
    }
}
