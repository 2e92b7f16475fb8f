//! Entry files on disk and their history in git.
//!
//! A journal is a folder holding `journal.toml` inside a git working tree; its entries live in
//! `<entries>/YYYY/MM/<id>.md`. [`Store`] writes entries atomically (temporary file, fsync,
//! rename) and commits exactly the file it wrote, leaving whatever the user staged or modified
//! as it was. It is the only crate that uses git2 (behind [`GitRepo`]).
//!
//! ```no_run
//! use journal_store::{Store, StoreOptions};
//!
//! let store = Store::open("/srv/infra".as_ref(), StoreOptions::default())?;
//! for file in store.scan()? {
//!     println!("{}", file.rel_path.display());
//! }
//! # Ok::<(), journal_store::Error>(())
//! ```
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod commit;
mod error;
mod evidence_state;
pub mod faults;
mod fsutil;
mod history;
mod inspect;
mod locks;
mod pinned;
mod repo;
mod reviews;
mod scan;
mod store;
mod sync;
#[cfg(test)]
mod tests;
mod txn;
mod verify;

pub use error::{Error, GitError, Result, chain};
pub use evidence_state::EvidenceState;
pub use fsutil::{AtomicFile, Durability, WriteLock, write_atomic, write_atomic_with};
pub use history::{CommitInfo, CommitWalk, WalkPlan};
pub use locks::{LockHolder, holders};
pub use pinned::PinnedCommit;
pub use repo::{GitRepo, Identity, IdentityOverrides};
pub use reviews::{FileChange, REVIEWS_REF_PREFIX, ReviewMark, review_ref};
pub use scan::{EntryFile, EntryStat, Fingerprint, content_hash};
pub use store::{Imported, RepoOptions, Store, StoreOptions, Written, is_file_id};
pub use sync::{RemoteSyncOptions, RemoteSyncReport, SyncError};
pub use txn::Repair;
pub use verify::{CommitCheck, EvidenceReport, RepoCheck};
