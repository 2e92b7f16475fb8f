//! `sync`: pull (rebase) and push the journal's branch, so a team shares one journal; the
//! index follows the entries that arrived.

use journal_store::{RemoteSyncOptions, RemoteSyncReport, SyncError};
use serde::Serialize;

use crate::error::{Error, Hint, Param, Result};
use crate::journal::{Journal, SkippedFile};

/// How many times a push that lost a race with another push is retried.
pub const RETRIES: usize = 3;

/// What [`Journal::sync`] did.
#[derive(Debug, Clone, Serialize)]
pub struct Synced {
    /// The remote.
    pub remote: String,
    /// The remote branch.
    pub branch: String,
    /// Commits pulled.
    pub pulled: usize,
    /// Commits pushed.
    pub pushed: usize,
    /// Pushes that lost a race and were retried.
    pub retried: usize,
    /// Entry files that arrived.
    pub received: Vec<ReceivedFile>,
    /// Entry files that arrived and cannot be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedFile>,
    /// What else the operation noticed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// An entry file that a sync brought.
#[derive(Debug, Clone, Serialize)]
pub struct ReceivedFile {
    /// `A` added, `M` changed, `D` removed.
    pub status: String,
    /// Its path, relative to the working tree.
    pub path: String,
}

impl Journal {
    /// Fetches, rebases onto the remote branch and pushes (`remote`: default the branch's
    /// upstream, else `origin`, else the only remote). A lost race is retried [`RETRIES`]
    /// times; a conflict aborts the rebase and leaves the branch as it was.
    pub fn sync(&self, remote: Option<String>) -> Result<Synced> {
        let store = &self.store;
        let options = RemoteSyncOptions {
            remote,
            retries: RETRIES,
            entries: store.rel_path(store.entries_dir()),
            reviewer: store.author().ok().map(|a| a.email),
        };
        let report: RemoteSyncReport = store.sync(&options).map_err(Error::Sync)?;
        let mut synced = Synced {
            received: report
                .received
                .into_iter()
                .map(|(status, path)| ReceivedFile {
                    status: status.to_string(),
                    path,
                })
                .collect(),
            remote: report.remote,
            branch: report.remote_branch,
            pulled: report.pulled,
            pushed: report.pushed,
            retried: report.retried,
            skipped: Vec::new(),
            warnings: report.reviews_problem.into_iter().collect(),
        };
        if !synced.received.is_empty() {
            // With a watcher, bring the index up to date at once; without one, now rather
            // than at the next search, so that bad files that arrived are reported here.
            synced.warnings.extend(self.after_write());
            let fresh = self.fresh()?;
            synced.skipped = fresh.skipped;
            synced.warnings.extend(fresh.warnings);
        }
        Ok(synced)
    }
}

/// Returns what to do after a stopped sync.
pub(crate) fn hints(err: &SyncError) -> Vec<Hint> {
    let hints: Vec<String> = match err {
        SyncError::Conflict { upstream, head, .. } => vec![
            format!(
                "nothing was lost: the rebase was aborted and the branch is back at {}, as \
                 before the sync; {upstream} keeps the other side",
                &head[..head.len().min(10)]
            ),
            "to merge by hand: git pull --rebase, edit each file named above, git add it, \
             git rebase --continue; then journal sync"
                .to_owned(),
        ],
        SyncError::Raced { upstream, .. } => vec![format!(
            "others are pushing to {upstream} right now; your commits are safe on this \
             branch: run journal sync again"
        )],
        SyncError::Dirty(_) => vec![
            "commit or stash them first (journal edit commits an entry; git commit or git \
             stash for other files)"
                .to_owned(),
        ],
        SyncError::Detached => vec!["switch to the journal's branch: git switch BRANCH".to_owned()],
        SyncError::NoRemote => vec![
            "add one: git remote add origin URL (a bare repository on a shared disk works)"
                .to_owned(),
        ],
        SyncError::AmbiguousRemote(_) | SyncError::UnknownRemote(_) => {
            return vec![Hint::naming(
                Param::Remote,
                "name one with {} (see git remote -v)",
            )];
        }
        SyncError::InProgress(what) => vec![format!(
            "finish or abort the {what} first (git status tells how)"
        )],
        SyncError::NoGit(_) => vec!["sync runs the git command: install git".to_owned()],
        _ => Vec::new(),
    };
    hints.into_iter().map(Hint::text).collect()
}
