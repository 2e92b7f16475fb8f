//! `journal watch`: a foreground service that keeps the index fresh while files and commits
//! change, so that reading commands can skip their own freshness check.
//!
//! The pieces, in the order a watcher uses them:
//! - [`WatchLock`]: one watcher per journal. An exclusive `flock` on
//!   `<git-dir>/journal-watch/lock`, which holds the watcher's pid. The kernel releases it when
//!   the process dies however it dies, so a killed watcher never blocks the next one.
//! - [`Targets`]: what to watch (the entries folder, journal.toml, the git directories of the
//!   journal's repository and of each `[repos.NAME]`) and which events matter. Paths that do
//!   not exist yet are watched through their nearest existing parent.
//! - [`run`]: the loop. The notify callback only forwards events into a channel; a batch,
//!   closed after a quiet period, does the work in one [`journal_index::JournalIndex::sync`].
//! - [`Heartbeat`]: `<git-dir>/journal-watch/heartbeat.json`, rewritten every
//!   [`HEARTBEAT_INTERVAL`] by the same loop that syncs, so a wedged watcher stops beating.
//!   [`probe`] tells a reading command whether it may trust the index as it is.
//!
//! The watcher is never needed for correctness: without a healthy one, reading commands sync
//! by themselves. The lock lives outside the index folder, so deleting the index never lets a
//! second watcher start.
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod error;
mod heartbeat;
mod lock;
mod targets;
mod watcher;

use std::path::{Path, PathBuf};

pub use error::{Error, Result};
pub use heartbeat::{HEARTBEAT_INTERVAL, Heartbeat, STUCK_AFTER, WatcherHealth, probe, wall_clock};
pub use lock::{WatchLock, lock_holder};
pub use targets::{Relevance, Targets};
pub use watcher::{Setup, Stop, run, run_until};

/// Where a journal's watcher keeps its lock and its heartbeat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchFiles {
    /// The folder holding both, inside the git directory and outside the index folder.
    pub dir: PathBuf,
    /// The lock file, holding the watcher's pid.
    pub lock: PathBuf,
    /// The heartbeat file (JSON).
    pub heartbeat: PathBuf,
}

impl WatchFiles {
    /// Returns the watch files of the journal whose repository has `git_dir`.
    pub fn in_git_dir(git_dir: &Path) -> Self {
        let dir = git_dir.join("journal-watch");
        Self {
            lock: dir.join("lock"),
            heartbeat: dir.join("heartbeat.json"),
            dir,
        }
    }
}
