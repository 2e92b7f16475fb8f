//! `status`: the watcher, the index, uncommitted entry files and evidence repositories. It
//! only reads: unlike the reading operations it does not bring the index up to date, so it
//! shows whether it is.

use std::collections::BTreeMap;

use journal_daemon::{STUCK_AFTER, WatcherHealth, wall_clock};
use journal_index::{Access, JournalIndex};
use serde::Serialize;

use crate::error::Result;
use crate::journal::Journal;

/// What a reading operation does with a healthy watcher.
pub const WITH_WATCHER: &str = "reading commands answer from the index at once";
/// What a reading operation does without one.
pub const WITHOUT_WATCHER: &str = "without a watcher, each reading command first checks every \
                                   entry file (one stat each) and the repositories' heads itself";

/// What [`Journal::status`] found.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    /// The watcher.
    pub watcher: WatcherStatus,
    /// The index.
    pub index: IndexStatus,
    /// Entry files not committed, relative to the working tree.
    pub uncommitted: Vec<String>,
    /// The journal's repository (`.`) and each `[repos.NAME]`.
    pub repos: BTreeMap<String, RepoStatus>,
    /// What reading commands do now: with a healthy watcher, or without one.
    pub reading: &'static str,
}

/// The watcher's state.
#[derive(Debug, Clone, Serialize)]
pub struct WatcherStatus {
    /// Whether a watcher holds the lock.
    pub running: bool,
    /// `not running`, `starting`, `stuck` or `running`.
    pub state: &'static str,
    /// Its pid.
    pub pid: Option<u32>,
    /// Seconds since it started.
    pub uptime_s: Option<i64>,
    /// When it last synced, RFC 3339.
    pub last_sync: Option<String>,
    /// How long that sync took.
    pub last_sync_ms: Option<u64>,
    /// How long from the event to the end of the sync.
    pub lag_ms: Option<u64>,
    /// The last runtime error it logged.
    pub last_error: Option<String>,
    /// Seconds since the last sync.
    #[serde(skip)]
    pub last_sync_ago_s: Option<i64>,
}

/// The index's state.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStatus {
    /// Its folder.
    pub dir: String,
    /// Good entries indexed.
    pub entries: usize,
    /// Bad entry files recorded.
    pub bad: usize,
    /// Evidence commits indexed.
    pub commits: usize,
    /// Whether it matches the files and heads on disk.
    pub fresh: bool,
    /// What is wrong with it, if anything: found missing or incomplete (emptied: the next
    /// reading command rebuilds it), or it cannot be written (read-only, full disk).
    pub problem: Option<String>,
}

/// An evidence repository's state.
#[derive(Debug, Clone, Serialize)]
pub struct RepoStatus {
    /// Its working tree.
    pub path: String,
    /// Whether it can be opened.
    pub exists: bool,
    /// Its HEAD.
    pub head: Option<String>,
    /// Whether the index has its commits up to HEAD.
    pub indexed: bool,
}

impl Journal {
    /// Returns the state of the watcher, the index, the entry files and the repositories.
    pub fn status(&self) -> Result<StatusReport> {
        let now = wall_clock();
        let (files, health) = self.watcher();
        let heartbeat = health.heartbeat();
        let (state, running, pid) = match &health {
            WatcherHealth::NotRunning => ("not running", false, None),
            WatcherHealth::Starting { pid, .. } => ("starting", true, Some(pid.clone())),
            WatcherHealth::Stuck { pid, .. } => ("stuck", true, Some(pid.clone())),
            WatcherHealth::Healthy(h) => ("running", true, Some(h.pid.to_string())),
        };
        let watcher = WatcherStatus {
            running,
            state,
            pid: pid.as_deref().and_then(|p| p.parse().ok()),
            // Before its first heartbeat a watcher's start is when it wrote its pid into the
            // lock file: a running watcher always has an uptime.
            uptime_s: running
                .then(|| {
                    let started = heartbeat.map(|h| h.started).or_else(|| {
                        let modified = std::fs::metadata(&files.lock).ok()?.modified().ok()?;
                        Some(chrono::DateTime::<chrono::Utc>::from(modified))
                    })?;
                    Some((now - started).num_seconds().max(0))
                })
                .flatten(),
            last_sync: heartbeat.and_then(|h| h.last_sync).map(|t| t.to_rfc3339()),
            last_sync_ms: heartbeat.and_then(|h| h.last_sync_ms),
            lag_ms: heartbeat.and_then(|h| h.lag_ms),
            last_error: heartbeat.and_then(|h| h.last_error.clone()),
            last_sync_ago_s: heartbeat
                .and_then(|h| h.last_sync)
                .map(|t| (now - t).num_seconds().max(0)),
        };
        let index = JournalIndex::open_within(&self.index_dir(), STUCK_AFTER)?;
        let recorded = index.recorded_report()?;
        let index_status = IndexStatus {
            dir: self.index_dir().to_string_lossy().into_owned(),
            entries: recorded.files.saturating_sub(recorded.bad.len()),
            bad: recorded.bad.len(),
            commits: index.commit_count()?,
            fresh: index.is_fresh(&self.store)?,
            problem: match index.access() {
                Access::ReadOnly(reason) => Some(format!(
                    "it cannot be written ({reason}): reading commands answer from it as last written"
                )),
                Access::InMemory(reason) => Some(format!(
                    "there is none and it cannot be written ({reason}): reading commands build one in memory each time"
                )),
                Access::Writable if index.rebuilt() => Some(
                    "it was missing or incomplete: emptied, and the next reading command rebuilds it from the entry files"
                        .to_owned(),
                ),
                Access::Writable => None,
            },
        };
        let healthy = matches!(health, WatcherHealth::Healthy(_));
        Ok(StatusReport {
            watcher,
            index: index_status,
            uncommitted: self.store.uncommitted()?,
            repos: self.repo_states(&index)?,
            reading: if healthy {
                WITH_WATCHER
            } else {
                WITHOUT_WATCHER
            },
        })
    }

    fn repo_states(&self, index: &JournalIndex) -> Result<BTreeMap<String, RepoStatus>> {
        let mut repos = BTreeMap::new();
        let own = self.store.repo();
        let head = own.head()?;
        repos.insert(
            ".".to_owned(),
            RepoStatus {
                path: own.workdir().to_string_lossy().into_owned(),
                exists: true,
                indexed: head.is_none() || index.commit_tip(None)? == own.tips_key()?,
                head,
            },
        );
        for name in self.store.repo_names() {
            let path = self.store.repo_path(&name).unwrap_or_default();
            let repo = self.store.named_repo(&name).ok().flatten();
            let (head, tips) = match &repo {
                Some(repo) => (repo.head()?, repo.tips_key()?),
                None => (None, None),
            };
            let tip = index.commit_tip(Some(&name))?;
            repos.insert(
                name,
                RepoStatus {
                    path: path.to_string_lossy().into_owned(),
                    exists: repo.is_some(),
                    indexed: head.is_none() || tip == tips,
                    head,
                },
            );
        }
        Ok(repos)
    }
}
