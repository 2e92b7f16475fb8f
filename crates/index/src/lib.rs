//! The journal's search index: derived from the entry files, never a source of truth.
//!
//! [`JournalIndex`] keeps two things in one folder (by default `<git-dir>/journal/`):
//! a tantivy index with one document per good entry file ([`IndexSchema`]), and an SQLite
//! database (`state.sqlite`, WAL) recording, per file, the size, modification time and content
//! hash it had when indexed. [`JournalIndex::sync`] compares that with the files on disk and
//! indexes only what changed, so every reading command can afford to call it first: the index
//! is never stale, with or without a watcher. Deleting the folder loses nothing.
//!
//! ```no_run
//! use journal_index::{JournalIndex, SearchQuery, SyncOptions};
//! use journal_store::{Store, StoreOptions};
//!
//! let store = Store::open("/srv/infra".as_ref(), StoreOptions::default())?;
//! let mut index = JournalIndex::open("/srv/infra/.git/journal".as_ref())?;
//! index.sync(&store, &SyncOptions::default(), &mut |_| {})?;
//! let hits = index.search(&SearchQuery::text("firewall"), Some(&store))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod analyzer;
mod code_tokens;
mod commits;
mod db;
mod error;
mod facets;
mod fuzzy;
mod index;
mod pins;
mod query_ast;
mod query_text;
mod readonly;
mod schema;
mod search;
mod snippets;
mod state;
mod suggest;
mod sync;
#[cfg(test)]
mod tests;

pub use commits::{COMMIT_KIND, CommitRule, RuleEffect};
pub use error::{Error, Result};
pub use facets::Facets;
pub use index::{Access, JournalIndex};
pub use schema::{IndexSchema, SCHEMA_VERSION};
pub use search::{Hit, Scope, SearchQuery, SearchResults, Snippet, Sort};
pub use suggest::Suggestion;
pub use sync::{BadFile, Progress, SyncOptions, SyncReport};
