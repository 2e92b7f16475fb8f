//! Shell completion: the registration scripts (`journal completions SHELL`) and the values
//! that complete dynamically, read from the journal in the current folder (or `JOURNAL_DIR`):
//! entry ids, and journal.toml's providers, patterns and kinds.
//!
//! The shell calls `JOURNAL_COMPLETE=<shell> journal -- <words>` for each completion, so
//! values are always those of the journal at hand; nothing is cached.

use std::ffi::OsStr;
use std::path::PathBuf;

use clap_complete::engine::{ArgValueCandidates, ArgValueCompleter, CompletionCandidate};
use journal_entry::{Vocabulary, VocabularyField};

use journal_lib::Journal;

use crate::context;

/// The environment variable that turns a run into a completion request.
pub const VAR: &str = "JOURNAL_COMPLETE";

/// The journal the completion is for, if the current folder (or `JOURNAL_DIR`) is in one.
fn journal() -> Option<Journal> {
    let explicit = std::env::var_os("JOURNAL_DIR").map(PathBuf::from);
    context::open(explicit.as_deref()).ok()
}

/// Completes entry ids (for show, edit, rm and --supersedes), newest first.
pub fn ids() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let Some(current) = current.to_str() else {
            return Vec::new();
        };
        let Some(journal) = journal() else {
            return Vec::new();
        };
        let ids = journal.ids(current).unwrap_or_default();
        ids.into_iter().map(CompletionCandidate::new).collect()
    })
}

/// Completes a vocabulary field. (clap splits a comma-separated list itself and asks for
/// its last value.)
pub fn vocabulary(field: VocabularyField) -> ArgValueCompleter {
    ArgValueCompleter::new(move |current: &OsStr| {
        let Some(current) = current.to_str() else {
            return Vec::new();
        };
        let vocabulary =
            journal().map_or_else(Vocabulary::default, |j| j.config().vocabulary.clone());
        vocabulary
            .allowed(field)
            .iter()
            .filter(|v| v.starts_with(current))
            .map(CompletionCandidate::new)
            .collect()
    })
}

/// Completes the confidence levels.
pub fn confidence() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        journal_entry::confidence_levels()
            .iter()
            .map(|level| CompletionCandidate::new(*level))
            .collect::<Vec<_>>()
    })
}
