//! `init`: journal.toml and the entries folder, committed (idempotent).

use std::path::{Path, PathBuf};

use journal_store::{GitRepo, IdentityOverrides, Store};
use serde::Serialize;

use crate::config::{self, FILE_NAME};
use crate::error::{Error, Result};

/// What [`init`] did.
#[derive(Debug, Clone, Serialize)]
pub struct InitReport {
    /// journal.toml, relative to the working tree.
    pub config: PathBuf,
    /// The entries folder, relative to the working tree.
    pub entries: PathBuf,
    /// Whether journal.toml was written now.
    pub created: bool,
    /// The commit of journal.toml, if one was made now.
    pub commit: Option<String>,
}

/// Sets up a journal in `root` (given explicitly), or at the root of the git repository
/// holding `start`: writes journal.toml unless it exists, creates the entries folder and
/// commits journal.toml unless `no_commit` or already committed.
pub fn init(
    start: &Path,
    root: Option<&Path>,
    identity: IdentityOverrides,
    no_commit: bool,
) -> Result<InitReport> {
    let root = match root {
        Some(dir) => {
            let dir = start.join(dir);
            std::fs::create_dir_all(&dir)
                .map_err(|e| Error::refused(format!("cannot create {}: {e}", dir.display())))?;
            dir
        }
        None => GitRepo::discover(start)?.workdir().to_owned(),
    };
    let path = root.join(FILE_NAME);
    let created = !path.exists();
    if created {
        // Check for a repository before writing anything.
        GitRepo::discover(&root)?;
        journal_store::write_atomic(&path, config::initial_toml().as_bytes())?;
    }
    let config = config::load(&root)?;
    let store = Store::open(&root, config.store_options(identity))?;
    let entries = store.entries_dir().to_owned();
    std::fs::create_dir_all(&entries)
        .map_err(|e| Error::refused(format!("cannot create {}: {e}", entries.display())))?;
    let path = store.root().join(FILE_NAME);
    let rel = store.rel_path(&path);
    let committed = store.repo().is_committed(&rel)?;
    let commit = if !no_commit && !committed {
        Some(store.commit_path(&path, "journal: init\n")?)
    } else {
        None
    };
    Ok(InitReport {
        config: rel,
        entries: store.rel_path(&entries),
        created,
        commit,
    })
}
