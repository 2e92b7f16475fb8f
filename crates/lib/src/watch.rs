//! `watch`: the background watcher of a journal ([`journal_daemon`]), loading journal.toml
//! again whenever it changes.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use journal_daemon::{Setup, WatchFiles};
use journal_store::IdentityOverrides;

use crate::config::FILE_NAME;
use crate::error::Result;
use crate::journal::Journal;

impl Journal {
    /// Returns the watcher's own files (lock, heartbeat, log folder).
    pub fn watch_files(&self) -> WatchFiles {
        WatchFiles::in_git_dir(self.store.repo().git_dir())
    }

    /// Runs the watcher until SIGINT or SIGTERM. `build_command` is the command that runs a
    /// full build in a separate process (`journal --journal ROOT reindex`), so the watcher
    /// never keeps a build's peak memory.
    pub fn watch(self, identity: IdentityOverrides, build_command: Vec<OsString>) -> Result<()> {
        let files = self.watch_files();
        let root: PathBuf = self.root().to_owned();
        let mut first = Some(self);
        let load = move || -> Result<Setup, String> {
            let journal = match first.take() {
                Some(journal) => journal,
                None => Self::open_root(&root, identity.clone()).map_err(|e| e.message())?,
            };
            Ok(setup(journal, &root, build_command.clone()))
        };
        journal_daemon::run(&files, load)?;
        Ok(())
    }
}

fn setup(journal: Journal, root: &Path, build_command: Vec<OsString>) -> Setup {
    Setup {
        index_dir: journal.index_dir(),
        options: journal.sync_options(),
        config_file: root.join(FILE_NAME),
        store: journal.store,
        build_command: Some(build_command),
    }
}
