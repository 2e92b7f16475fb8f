//! [`Memo`]: what a long-running front end (the MCP server, the web page) keeps between
//! calls, so that the operations over every entry (the confidence table, coverage, the
//! review's evidence) cost what changed since the last call rather than a read of every
//! entry and a question to git per cited commit (at 100,000 entries, 2 s a call).
//!
//! - **The entries without their bodies** (`fronts.rs`; an assessment keeps its body: the
//!   rationale), by path, each with the content hash the index recorded for its file. At
//!   each call the index is made fresh as usual; when its stamp of the file rows
//!   ([`journal_index::JournalIndex::files_stamp`]) is the one last seen, nothing changed;
//!   otherwise the month folders whose fingerprint changed (or that hold a racy file) are
//!   read again. The first call fills it from the front matter the index stores.
//! - **What git says of each cited commit** (`evidence.rs`), while
//!   [`journal_store::Store::evidence_state`] is unchanged (no reference moved, no remote
//!   changed, no pack fetched); when only local references moved (a commit), only the
//!   commits known missing and now reachable are asked again.
//! - **Answers made from those and git** (here): the review's evidence snapshot and the
//!   changes since a review, the entry files git has not committed, the last coverage report;
//!   each kept with a key of what it is made from, and made again when the key moves.
//! - All are kept for one journal.toml: a journal opened again after an edit of it starts
//!   afresh.
//!
//! A process that runs one operation (the CLI) keeps none: it reads as it always did. The
//! memo answers exactly what a fresh read would (`tests.rs` compares the two after each kind
//! of change).

mod evidence;
mod fronts;
#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex, MutexGuard};

use journal_store::EvidenceState;

use self::evidence::KnownEvidence;
use self::fronts::Fronts;
use crate::coverage::CoverageReport;
use crate::error::Result;
use crate::journal::{FileStamp, Journal};
use crate::since_review::EvidenceSnapshot;

/// What a long-running front end keeps between calls; see the module's overview. Shared by
/// the journals a [`crate::KeptJournal`] hands out.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    fronts: Mutex<Fronts>,
    evidence: Mutex<KnownEvidence>,
    /// The review's evidence snapshot, for what it was made from.
    snapshot: Kept<SnapshotKey, EvidenceSnapshot>,
    /// The entry files not committed, for what git's status of them depends on.
    status: Kept<StatusKey, Vec<String>>,
    /// The evidence pushed and missing since a review (its `evidence.json` blob), for what
    /// it was made from.
    changes: Kept<(String, SnapshotKey), EvidenceChanges>,
    /// The last coverage report, for what it was made from.
    coverage: Kept<CoverageKey, CoverageReport>,
}

/// What a coverage report is made from: journal.toml, the entries, the repositories (the
/// evidence, the remotes, HEAD), git's index (which entry files are committed), and what
/// was asked (the story, the lists' limit).
#[derive(Debug, PartialEq, Eq)]
struct CoverageKey {
    snapshot: SnapshotKey,
    staging: Option<Staging>,
    story: Option<String>,
    limit: usize,
}

/// git's index file as last written: staging or unstaging moves it.
type Staging = (u64, u64, std::time::SystemTime);

/// What git's status of the entry files depends on: the files (the index's stamp), HEAD,
/// and git's own index (staging): a file added, committed, reset or unstaged moves one.
#[derive(Debug, PartialEq, Eq)]
struct StatusKey {
    files: String,
    head: Option<String>,
    staging: Option<Staging>,
}

/// The evidence commits pushed since a review, and those missing since.
pub(crate) type EvidenceChanges = (Vec<String>, Vec<String>);

/// What an evidence snapshot is made from: journal.toml, the entries (the index's stamp)
/// and the repositories' state.
#[derive(Debug, PartialEq, Eq)]
struct SnapshotKey {
    config: Option<FileStamp>,
    files: String,
    evidence: EvidenceState,
}

fn lock<T: Default>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A call that panicked while holding it left it half-updated: start afresh.
    mutex.lock().unwrap_or_else(|poisoned| {
        let mut guard = poisoned.into_inner();
        *guard = T::default();
        guard
    })
}

/// One answer kept with the key of what it was made from.
type Kept<K, V> = Mutex<Option<(K, Arc<V>)>>;

/// Returns the answer kept in `slot` when its key is `key`, else the one `make` makes (kept
/// with `key`; with no key, e.g. before the index has a stamp, nothing is kept).
fn kept_or_made<K: PartialEq, V>(
    slot: &Kept<K, V>,
    key: Option<K>,
    make: impl FnOnce() -> Result<V>,
) -> Result<Arc<V>> {
    if let Some(key) = &key
        && let Some((kept, value)) = &*lock(slot)
        && kept == key
    {
        return Ok(Arc::clone(value));
    }
    let value = Arc::new(make()?);
    if let Some(key) = key {
        *lock(slot) = Some((key, Arc::clone(&value)));
    }
    Ok(value)
}

impl Journal {
    /// Returns the review's evidence snapshot made by `make`, or the one a server kept when
    /// nothing it is made from changed since.
    pub(crate) fn remembered_snapshot(
        &self,
        make: impl FnOnce() -> Result<EvidenceSnapshot>,
    ) -> Result<Arc<EvidenceSnapshot>> {
        let Some(memo) = &self.memo else {
            return make().map(Arc::new);
        };
        kept_or_made(&memo.snapshot, self.snapshot_key()?, make)
    }

    /// Returns the evidence changes since the review whose `evidence.json` is `blob`, made
    /// by `make`, or those a server kept when nothing they are made from changed since (a
    /// page shows them on every visit).
    pub(crate) fn remembered_changes(
        &self,
        blob: &str,
        make: impl FnOnce() -> Result<EvidenceChanges>,
    ) -> Result<Arc<EvidenceChanges>> {
        let Some(memo) = &self.memo else {
            return make().map(Arc::new);
        };
        let key = self.snapshot_key()?.map(|key| (blob.to_owned(), key));
        kept_or_made(&memo.changes, key, make)
    }

    /// Returns the entry files git has not committed (new, changed, staged): a server keeps
    /// the list until the files, HEAD or git's index change (a status of every entry file
    /// costs 0.5 s at 100,000).
    pub(crate) fn uncommitted(&self) -> Result<Arc<Vec<String>>> {
        let Some(memo) = &self.memo else {
            return Ok(Arc::new(self.store.uncommitted()?));
        };
        let key = match self.fresh()?.index.files_stamp()? {
            Some(files) => Some(StatusKey {
                files,
                head: self.store.repo().head()?,
                staging: self.staging(),
            }),
            None => None,
        };
        kept_or_made(&memo.status, key, || Ok(self.store.uncommitted()?))
    }

    /// Returns the coverage report of `story` cut to `limit` made by `make`, or the one a
    /// server kept when nothing it is made from changed since (an agent asks for it after
    /// each step; at 100,000 entries it takes half a second to make).
    pub(crate) fn remembered_coverage(
        &self,
        story: Option<&str>,
        limit: usize,
        make: impl FnOnce() -> Result<CoverageReport>,
    ) -> Result<Arc<CoverageReport>> {
        let Some(memo) = &self.memo else {
            return make().map(Arc::new);
        };
        let key = self.snapshot_key()?.map(|snapshot| CoverageKey {
            snapshot,
            staging: self.staging(),
            story: story.map(str::to_owned),
            limit,
        });
        kept_or_made(&memo.coverage, key, make)
    }

    /// git's index file's identity, size and time.
    fn staging(&self) -> Option<Staging> {
        use std::os::unix::fs::MetadataExt as _;
        let m = std::fs::metadata(self.store.repo().git_dir().join("index")).ok()?;
        Some((m.ino(), m.len(), m.modified().ok()?))
    }

    /// What the evidence snapshot is made from; `None` before the index has a stamp.
    fn snapshot_key(&self) -> Result<Option<SnapshotKey>> {
        let Some(files) = self.fresh()?.index.files_stamp()? else {
            return Ok(None);
        };
        Ok(Some(SnapshotKey {
            config: self.config_stamp.clone(),
            files,
            evidence: self.store.evidence_state()?,
        }))
    }
}
