//! Changing entries that exist: `edit` (a new text for an entry, checked like a new one)
//! and `remove` (the file deleted, the removal committed).

use journal_entry::parse_entry;
use journal_store::EntryFile;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::fields::guard_secrets;
use crate::journal::Journal;

/// What [`Journal::replace`] or [`Journal::remove`] did.
#[derive(Debug, Clone, Serialize)]
pub struct Changed {
    /// The entry's file, relative to the working tree.
    pub path: String,
    /// The commit, if one was made.
    pub commit: Option<String>,
    /// What else the operation noticed (a credential kept, entries that still refer to a
    /// removed one, the index not updated).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Journal {
    /// Returns the entry file whose id is `prefix` or starts with it.
    pub fn find(&self, prefix: &str) -> Result<EntryFile> {
        Ok(self.store.find(prefix)?)
    }

    /// Returns the text of `file` as it is on disk (a link outside the repository is not
    /// followed).
    pub fn read_text(&self, file: &EntryFile) -> Result<String> {
        Ok(self.store.read_text(file)?)
    }

    /// Replaces the text of `file` with `text` after the same checks as a new entry (the
    /// format, the vocabulary, the secret guard), and commits the change unless
    /// `options.no_commit`. A refusal changes nothing.
    pub fn replace(
        &self,
        file: &EntryFile,
        text: &str,
        options: crate::edit::ChangeOptions,
    ) -> Result<Changed> {
        let crate::edit::ChangeOptions {
            no_commit,
            allow_secret,
        } = options;
        let rel = file.rel_path.to_string_lossy().into_owned();
        let invalid = |problems: Vec<String>| Error::Refused {
            message: format!("{rel}: the edited entry is not valid; the entry is unchanged"),
            hints: problems.into_iter().map(crate::Hint::text).collect(),
        };
        let parsed = parse_entry(text, Some(&file.id))
            .map_err(|err| invalid(err.problems.iter().map(ToString::to_string).collect()))?;
        let problems = self.config.vocabulary.problems(&parsed);
        if !problems.is_empty() {
            return Err(invalid(problems.iter().map(ToString::to_string).collect()));
        }
        crate::add::check_limits(&parsed.entry.title, &parsed.entry.body, self.config.limits)
            .map_err(|e| invalid(vec![e.message()]))?;
        let mut warnings = guard_secrets(text, "the edited entry", allow_secret)?;
        let (commit, index_error) =
            self.store
                .replace(file, text, &parsed.entry.title, self.commits(no_commit))?;
        warnings.extend(index_error.map(index_warning));
        warnings.extend(self.after_write());
        Ok(Changed {
            path: rel,
            commit,
            warnings,
        })
    }

    /// Deletes the entry's file and commits the removal unless `no_commit` (it stays in git
    /// history). Entries that name it in `supersedes` are warned about.
    pub fn remove(&self, file: &EntryFile, no_commit: bool) -> Result<Changed> {
        let title = match &file.entry {
            Ok(parsed) => parsed.entry.title.clone(),
            Err(_) => file.id.clone(),
        };
        let referring: Vec<String> = self
            .store
            .scan()?
            .into_iter()
            .filter_map(|f| f.entry.ok())
            .filter(|p| p.entry.supersedes.contains(&file.id))
            .map(|p| p.entry.id)
            .collect();
        let commit = self.store.remove(file, &title, self.commits(no_commit))?;
        let mut warnings: Vec<String> = self.after_write().into_iter().collect();
        warnings.extend(referring.iter().map(|id| {
            format!("{id} supersedes the removed entry; `journal check` will report it")
        }));
        Ok(Changed {
            path: file.rel_path.to_string_lossy().into_owned(),
            commit,
            warnings,
        })
    }

    /// Returns the ids of the entry files that start with `prefix`, newest first: what a
    /// shell completes. Reads folder listings only.
    pub fn ids(&self, prefix: &str) -> Result<Vec<String>> {
        let mut ids: Vec<String> = self
            .store
            .stat_entries(None)?
            .into_iter()
            .map(|s| s.id)
            .filter(|id| id.starts_with(prefix))
            .collect();
        ids.sort_unstable_by(|a, b| b.cmp(a));
        Ok(ids)
    }
}

/// The warning for a commit made while git's index could not follow: the entry is recorded,
/// and the next command updates the index.
pub(crate) fn index_warning(reason: String) -> String {
    format!(
        "the commit is made, but git's index could not be updated ({reason}); the next \
         journal command updates it (or run `journal doctor`)"
    )
}
