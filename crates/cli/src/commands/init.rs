//! `journal init`: create journal.toml and the entries folder (idempotent).

use std::path::Path;

use clap::Args;
use journal_store::{GitRepo, Store};

use crate::config::{self, FILE_NAME};
use crate::error::CommandError;
use crate::ui::Ui;

/// Set up a journal: journal.toml and the entries folder.
///
/// Creates journal.toml (at the root of the git repository, or in --journal DIR) and the
/// entries folder, and commits journal.toml. Running it again changes nothing.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Write the files only; do not commit journal.toml.
    #[arg(long)]
    no_commit: bool,
}

pub fn cmd_init(ui: &mut Ui, journal: Option<&Path>, args: &InitArgs) -> Result<(), CommandError> {
    let cwd = std::env::current_dir()?;
    let root = match journal {
        Some(dir) => {
            let dir = cwd.join(dir);
            std::fs::create_dir_all(&dir)
                .map_err(|e| CommandError::user(format!("cannot create {}: {e}", dir.display())))?;
            dir
        }
        None => GitRepo::discover(&cwd)?.workdir().to_owned(),
    };
    let path = root.join(FILE_NAME);
    let created = !path.exists();
    if created {
        // Check for a repository before writing anything.
        GitRepo::discover(&root)?;
        std::fs::write(&path, config::initial_toml())
            .map_err(|e| CommandError::user(format!("cannot write {}: {e}", path.display())))?;
    }
    let config = config::load(&root)?;
    let store = Store::open(&root, config.store_options())?;
    let entries = store.entries_dir().to_owned();
    std::fs::create_dir_all(&entries)
        .map_err(|e| CommandError::user(format!("cannot create {}: {e}", entries.display())))?;

    let path = store.root().join(FILE_NAME);
    let rel = store.rel_path(&path);
    let committed = store.repo().is_committed(&rel)?;
    let commit = if !args.no_commit && !committed {
        Some(store.commit_path(&path, "journal: init\n")?)
    } else {
        None
    };
    let entries_rel = store.rel_path(&entries);
    match (created, &commit) {
        (false, None) => ui.status(&format!(
            "Journal already set up in {} (entries in {}); nothing to do.",
            rel.display(),
            entries_rel.display()
        )),
        (_, Some(sha)) => ui.status(&format!(
            "Set up the journal: {} (committed as {}), entries in {}.",
            rel.display(),
            &sha[..10.min(sha.len())],
            entries_rel.display()
        )),
        (true, None) => ui.status(&format!(
            "Set up the journal: {} (not committed), entries in {}.",
            rel.display(),
            entries_rel.display()
        )),
    }
    Ok(())
}
