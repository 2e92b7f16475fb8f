//! Pins: what tells an index kept open between calls (by a server) whether its folder still
//! holds the same index, and whether another process committed to it since.
//!
//! The state database and tantivy's `meta.json` are held open. A file held open keeps its
//! inode, so a new file at the same path (the folder wiped and rebuilt by `journal reindex`
//! or another process's recovery) always has another inode: comparing the open file with
//! the path tells "the same" from "replaced" without reading either. tantivy replaces
//! `meta.json` (write and rename) at each commit, so the same comparison on it tells that
//! the reader must be reloaded.

use std::fs::File;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;

use crate::error::Result;
use crate::index::{Access, JournalIndex};

/// The files held open, and the paths they were opened at.
#[derive(Debug)]
pub(crate) struct Pins {
    state: File,
    meta: Option<File>,
}

impl Pins {
    /// Pins the state database and `meta.json` of the index in `dir` (`meta.json` only when
    /// there is one yet).
    pub(crate) fn take(dir: &Path) -> Option<Self> {
        let state = File::open(dir.join("state.sqlite")).ok()?;
        let meta = File::open(meta_path(dir)).ok();
        Some(Self { state, meta })
    }
}

fn meta_path(dir: &Path) -> std::path::PathBuf {
    dir.join("tantivy").join("meta.json")
}

/// Says whether `file` (open) is the file now at `path`.
fn is_at(file: &File, path: &Path) -> bool {
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(open), Ok(now)) => {
            open.nlink() > 0 && open.dev() == now.dev() && open.ino() == now.ino()
        }
        _ => false,
    }
}

impl JournalIndex {
    /// Makes an index kept open between calls current: `Ok(true)` when its folder still
    /// holds this index (the reader reloaded when another process committed since), and
    /// `Ok(false)` when it does not (wiped, rebuilt, removed; or an index that was not
    /// opened writable in its folder): the caller opens the folder again.
    pub fn refresh(&mut self) -> Result<bool> {
        if *self.access() != Access::Writable {
            return Ok(false);
        }
        let dir = self.dir.clone();
        let Some(pins) = &mut self.pins else {
            return Ok(false);
        };
        if !is_at(&pins.state, &dir.join("state.sqlite")) {
            return Ok(false);
        }
        let meta = meta_path(&dir);
        if !pins.meta.as_ref().is_some_and(|m| is_at(m, &meta)) {
            // Pinned before the reload: a commit in between is seen by the next refresh.
            pins.meta = File::open(&meta).ok();
            self.reader.reload()?;
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_index_sees_another_handles_commit_and_a_wipe() {
        let dir = tempfile::tempdir().unwrap();
        let mut kept = JournalIndex::open(dir.path()).unwrap();
        assert!(kept.refresh().unwrap(), "nothing changed");

        // Another handle (another process) commits: the kept reader is reloaded.
        let other = JournalIndex::open(dir.path()).unwrap();
        let mut writer: tantivy::IndexWriter = other.index.writer(15_000_000).unwrap();
        let mut doc = tantivy::TantivyDocument::default();
        doc.add_text(other.schema.id, "a1");
        writer.add_document(doc).unwrap();
        writer.commit().unwrap();
        drop(writer);
        assert_eq!(kept.len(), 0, "not reloaded yet");
        assert!(kept.refresh().unwrap());
        assert_eq!(kept.len(), 1, "reloaded after the other commit");
        drop(other);

        // The folder wiped and recreated (`journal reindex`): the kept one must be reopened.
        let fresh = JournalIndex::reset(dir.path()).unwrap();
        assert!(
            !kept.refresh().unwrap(),
            "another index is in the folder now"
        );
        drop(fresh);
    }
}
