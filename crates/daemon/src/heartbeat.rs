//! The heartbeat: what the running watcher says about itself, and how a reader judges it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::WatchFiles;
use crate::error::Result;
use crate::lock::lock_holder;

/// How often the watcher rewrites its heartbeat when idle.
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(1);

/// A heartbeat older than this means the watcher is stuck (or busy with a long sync): readers
/// stop trusting it and check the files themselves. It is also the longest a reading command
/// waits for the index's write lock before reading what was last committed.
pub const STUCK_AFTER: Duration = Duration::from_secs(5);

/// What the watcher writes to its heartbeat file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heartbeat {
    /// The watcher's process id.
    pub pid: u32,
    /// When it started.
    pub started: DateTime<Utc>,
    /// When it last wrote this file.
    pub beat: DateTime<Utc>,
    /// Whether its first sync is done: before that, the index may be incomplete.
    pub ready: bool,
    /// The index folder it keeps fresh.
    pub index_dir: PathBuf,
    /// When the last sync ended.
    pub last_sync: Option<DateTime<Utc>>,
    /// How long the last sync took, in milliseconds.
    pub last_sync_ms: Option<u64>,
    /// From the first event of the last batch to the end of its sync, in milliseconds: how
    /// long a change took to become searchable.
    pub lag_ms: Option<u64>,
    /// Entries and commits indexed after the last sync.
    pub entries: usize,
    /// Evidence commits indexed after the last sync.
    pub commits: usize,
    /// The last runtime error, if the last sync failed.
    pub last_error: Option<String>,
}

impl Heartbeat {
    /// Returns the heartbeat of a watcher started at `now`, before its first sync.
    pub fn starting(pid: u32, now: DateTime<Utc>, index_dir: PathBuf) -> Self {
        Self {
            pid,
            started: now,
            beat: now,
            ready: false,
            index_dir,
            last_sync: None,
            last_sync_ms: None,
            lag_ms: None,
            entries: 0,
            commits: 0,
            last_error: None,
        }
    }

    /// Writes the heartbeat to `path`, replacing the old one in one rename so that a reader
    /// never sees half a file. Not synced to disk: it only matters while the system runs.
    pub fn write(&self, path: &Path) -> Result<()> {
        let text = serde_json::to_vec_pretty(self).unwrap_or_default();
        journal_store::write_atomic_with(path, &text, journal_store::Durability::Unsynced)?;
        Ok(())
    }

    /// Reads the heartbeat at `path`, if there is a readable one.
    pub fn read(path: &Path) -> Option<Self> {
        let text = std::fs::read(path).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Returns how long ago the watcher last wrote its heartbeat.
    pub fn age(&self, now: DateTime<Utc>) -> Duration {
        (now - self.beat).to_std().unwrap_or_default()
    }
}

/// What a reading command may assume about the watcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatcherHealth {
    /// No watcher holds the lock.
    NotRunning,
    /// A watcher holds the lock but has not finished its first sync (or not written its
    /// heartbeat yet).
    Starting {
        /// The watcher's pid.
        pid: String,
        /// Its heartbeat, if written.
        heartbeat: Option<Heartbeat>,
    },
    /// A watcher holds the lock but its heartbeat is older than [`STUCK_AFTER`].
    Stuck {
        /// The watcher's pid.
        pid: String,
        /// Its last heartbeat.
        heartbeat: Heartbeat,
    },
    /// A watcher runs, its first sync is done and its heartbeat is recent: the index is as
    /// fresh as its last batch.
    Healthy(Heartbeat),
}

impl WatcherHealth {
    /// Returns the heartbeat, whatever the health.
    pub fn heartbeat(&self) -> Option<&Heartbeat> {
        match self {
            Self::NotRunning => None,
            Self::Starting { heartbeat, .. } => heartbeat.as_ref(),
            Self::Stuck { heartbeat, .. } | Self::Healthy(heartbeat) => Some(heartbeat),
        }
    }
}

/// Looks at the watcher of the journal whose watch files are `files`, at time `now`. Never
/// waits: one shared `flock` attempt and one small file read.
pub fn probe(files: &WatchFiles, now: DateTime<Utc>) -> WatcherHealth {
    let Some(pid) = lock_holder(&files.lock) else {
        return WatcherHealth::NotRunning;
    };
    let heartbeat = Heartbeat::read(&files.heartbeat).filter(|h| h.pid.to_string() == pid);
    match heartbeat {
        Some(heartbeat) if heartbeat.age(now) > STUCK_AFTER => {
            WatcherHealth::Stuck { pid, heartbeat }
        }
        Some(heartbeat) if heartbeat.ready => WatcherHealth::Healthy(heartbeat),
        heartbeat => WatcherHealth::Starting { pid, heartbeat },
    }
}

/// Returns the real time now. Heartbeats are about the running system, so unlike entry dates
/// this is never pinned (`JOURNAL_TIMESTAMP` does not apply).
#[allow(clippy::disallowed_methods)] // the daemon's one clock
pub fn wall_clock() -> DateTime<Utc> {
    Utc::now()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WatchLock;

    fn beat(pid: u32, at: DateTime<Utc>, ready: bool) -> Heartbeat {
        Heartbeat {
            ready,
            ..Heartbeat::starting(pid, at, PathBuf::from("/x"))
        }
    }

    #[test]
    fn health_follows_the_lock_the_heartbeat_and_its_age() {
        let dir = tempfile::tempdir().unwrap();
        let files = WatchFiles::in_git_dir(dir.path());
        let now = wall_clock();
        let own = std::process::id();
        assert_eq!(probe(&files, now), WatcherHealth::NotRunning);

        let lock = WatchLock::acquire(&files.lock).unwrap();
        assert!(matches!(
            probe(&files, now),
            WatcherHealth::Starting {
                heartbeat: None,
                ..
            }
        ));
        beat(own, now, false).write(&files.heartbeat).unwrap();
        assert!(matches!(probe(&files, now), WatcherHealth::Starting { .. }));
        beat(own, now, true).write(&files.heartbeat).unwrap();
        assert!(matches!(probe(&files, now), WatcherHealth::Healthy(_)));
        let later = now + chrono::Duration::seconds(6);
        assert!(matches!(probe(&files, later), WatcherHealth::Stuck { .. }));
        beat(own + 1, now, true).write(&files.heartbeat).unwrap();
        assert!(
            matches!(probe(&files, now), WatcherHealth::Starting { .. }),
            "another process's heartbeat is not this watcher's"
        );

        drop(lock);
        beat(own, now, true).write(&files.heartbeat).unwrap();
        assert_eq!(
            probe(&files, now),
            WatcherHealth::NotRunning,
            "a heartbeat without a lock holder is a dead watcher's"
        );
    }
}
