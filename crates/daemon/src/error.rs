//! The watcher's errors. All of them are critical: the watcher stops with the message and a
//! non-zero exit. Runtime problems (a failed sync, a path that vanished) are logged instead.

use std::path::PathBuf;

/// Why the watcher cannot start or go on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Another watcher holds the lock.
    #[error("already watched by pid {pid}")]
    AlreadyWatched {
        /// The other watcher's pid, as its lock file says.
        pid: String,
    },
    /// A file operation failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The file system notification backend failed.
    #[error("cannot watch files: {0}")]
    Notify(#[from] notify::Error),
    /// The journal cannot be loaded (journal.toml, the repository).
    #[error("{0}")]
    Setup(String),
    /// A file of the watcher's own (the heartbeat) cannot be written.
    #[error(transparent)]
    Store(#[from] journal_store::Error),
    /// The index cannot be opened or written at all.
    #[error(transparent)]
    Index(#[from] journal_index::Error),
}

/// The watcher's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }
}
