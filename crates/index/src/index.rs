//! `JournalIndex`: opening the index folder, rebuilding it when its version changed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use journal_store::WriteLock;
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::db::StateDb;
use crate::error::{Error, Result};
use crate::schema::{IndexSchema, schema_version};

/// How the index could be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// In its folder, and syncs write it.
    Writable,
    /// In its folder, which cannot be written (a read-only checkout, a full disk, no
    /// permission): it answers as last written. The reason is given.
    ReadOnly(String),
    /// The folder cannot be written and holds no readable index: built in memory from the
    /// entry files, for this process only. The reason is given.
    InMemory(String),
}

/// The index folder: tantivy, the state database and the write lock.
pub struct JournalIndex {
    pub(crate) dir: PathBuf,
    pub(crate) index: Index,
    pub(crate) schema: IndexSchema,
    pub(crate) db: StateDb,
    pub(crate) reader: IndexReader,
    access: Access,
    pub(crate) rebuilt: bool,
    /// The files that tell a kept index whether its folder changed (`pins.rs`); `None`
    /// unless opened writable in its folder.
    pub(crate) pins: Option<crate::pins::Pins>,
}

impl std::fmt::Debug for JournalIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalIndex")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl JournalIndex {
    /// Opens the index in `dir`, creating it when missing and starting afresh when it was
    /// written by another schema version or cannot be read: it is derived, so nothing is lost.
    pub fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(Error::io("cannot create", dir))?;
        let lock = WriteLock::acquire(dir.join("write.lock"))?;
        Self::open_locked(dir, &lock)
    }

    /// Opens (or wipes and recreates) the index while holding its write lock. An index that
    /// cannot be read (another version, a corrupt or missing part) is wiped; one that cannot
    /// be *written* (a full disk, a read-only folder) never is: the error is returned, and
    /// the old index stays for [`JournalIndex::open_within`] to read.
    fn open_locked(dir: &Path, _lock: &WriteLock) -> Result<Self> {
        match Self::open_unlocked(dir) {
            Ok(index) => Ok(index),
            Err(err) if err.is_unwritable() => Err(err),
            Err(_) => {
                Self::wipe(dir)?;
                let mut index = Self::open_unlocked(dir)?;
                index.rebuilt = true;
                Ok(index)
            }
        }
    }

    /// Opens the index in `dir` for reading, waiting at most `wait` for a process that holds
    /// the write lock (a sync, a rebuild). Past that, it opens what that process last
    /// committed, without the lock; only when even that cannot be read does it wait on.
    ///
    /// When the folder cannot be written, the index opens read-only ([`Access::ReadOnly`])
    /// or, if there is none to read, in memory ([`Access::InMemory`]): reading commands work
    /// on a read-only checkout and on a full disk.
    pub fn open_within(dir: &Path, wait: Duration) -> Result<Self> {
        let opened = std::fs::create_dir_all(dir)
            .map_err(Error::io("cannot create", dir))
            .and_then(|()| {
                WriteLock::acquire_within(dir.join("write.lock"), wait).map_err(Error::from)
            })
            .and_then(|lock| match lock {
                Some(lock) => Self::open_locked(dir, &lock),
                None => Self::open_unlocked(dir).or_else(|_| Self::open(dir)),
            });
        match opened {
            Err(err) if err.is_unwritable() => Self::open_degraded(dir, &err),
            other => other,
        }
    }

    /// Opens the index of a folder that cannot be written: read-only if one is there and
    /// has been synced, else an index in memory for the caller to sync.
    fn open_degraded(dir: &Path, cause: &Error) -> Result<Self> {
        let reason = crate::error::chain(cause);
        if let Ok(mut index) = crate::readonly::open(dir)
            && index.has_synced().unwrap_or(false)
        {
            index.access = Access::ReadOnly(reason);
            return Ok(index);
        }
        let db = StateDb::open_in_memory()?;
        db.set_meta("schema_version", schema_version())?;
        let schema = IndexSchema::new();
        let index = Index::create_in_ram(schema.schema.clone());
        let mut index = Self::assemble(dir, index, schema, db)?;
        index.access = Access::InMemory(reason);
        index.pins = None;
        Ok(index)
    }

    /// Puts an opened tantivy index and state database together.
    pub(crate) fn assemble(
        dir: &Path,
        index: Index,
        schema: IndexSchema,
        db: StateDb,
    ) -> Result<Self> {
        index
            .tokenizers()
            .register(crate::analyzer::ANALYZER, crate::analyzer::journal_en());
        index.tokenizers().register(
            crate::code_tokens::CODE_TOKENIZER,
            tantivy::tokenizer::TextAnalyzer::from(crate::code_tokens::CodeTokenizer::default()),
        );
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            dir: dir.to_owned(),
            index,
            schema,
            db,
            reader,
            access: Access::Writable,
            rebuilt: false,
            pins: None,
        })
    }

    /// Returns how the index was opened.
    pub fn access(&self) -> &Access {
        &self.access
    }

    /// Returns whether the index was found missing, incomplete or unreadable and emptied
    /// when opened: it must be synced before it answers anything.
    pub fn rebuilt(&self) -> bool {
        self.rebuilt
    }

    fn open_unlocked(dir: &Path) -> Result<Self> {
        let db = StateDb::open(&dir.join("state.sqlite"))?;
        db.probe()?;
        match db.meta("schema_version")? {
            Some(version) if version == schema_version() => {}
            None if db.file_count()? == 0 => db.set_meta("schema_version", schema_version())?,
            other => return Err(Error::OtherVersion(other.unwrap_or_default())),
        }
        let schema = IndexSchema::new();
        let tantivy_dir = dir.join("tantivy");
        std::fs::create_dir_all(&tantivy_dir).map_err(Error::io("cannot create", &tantivy_dir))?;
        // Deleted by hand (or lost): the state database would say every file is indexed
        // while tantivy holds nothing, and every search would answer "nothing".
        let had_meta = tantivy_dir.join("meta.json").exists();
        let directory = MmapDirectory::open(&tantivy_dir).map_err(tantivy::TantivyError::from)?;
        let index = Index::open_or_create(directory, schema.schema.clone())?;
        // Pinned before the reader is made: a commit in between is seen by the next refresh.
        let pins = crate::pins::Pins::take(dir);
        let mut opened = Self::assemble(dir, index, schema, db)?;
        opened.pins = pins;
        let synced = opened.has_synced()?;
        if synced && !had_meta {
            return Err(Error::Incomplete(
                "tantivy's meta.json is missing".to_owned(),
            ));
        }
        // Cheap on every open: the state database is asked only when tantivy holds nothing.
        if opened.reader.searcher().num_docs() == 0 && opened.db.has_good_file()? {
            return Err(Error::Incomplete(
                "the state database lists indexed entries, tantivy none".to_owned(),
            ));
        }
        Ok(opened)
    }

    /// Removes everything the index folder holds but the lock.
    fn wipe(dir: &Path) -> Result<()> {
        let tantivy_dir = dir.join("tantivy");
        if tantivy_dir.exists() {
            std::fs::remove_dir_all(&tantivy_dir)
                .map_err(Error::io("cannot remove", &tantivy_dir))?;
        }
        for name in ["state.sqlite", "state.sqlite-wal", "state.sqlite-shm"] {
            let path = dir.join(name);
            if path.exists() {
                std::fs::remove_file(&path).map_err(Error::io("cannot remove", &path))?;
            }
        }
        Ok(())
    }

    /// Deletes the index and opens an empty one; the next [`JournalIndex::sync`] fills it.
    pub fn reset(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(Error::io("cannot create", dir))?;
        {
            let _lock = WriteLock::acquire(dir.join("write.lock"))?;
            Self::wipe(dir)?;
        }
        Self::open(dir)
    }

    /// Returns the index folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Returns the number of entries indexed.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Returns whether no entry is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_schema_version_or_a_corrupt_database_starts_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let index = JournalIndex::open(dir.path()).unwrap();
        index.db.set_meta("schema_version", "0").unwrap();
        index.db.set_meta("marker", "old").unwrap();
        drop(index);
        let index = JournalIndex::open(dir.path()).unwrap();
        assert_eq!(
            index.db.meta("schema_version").unwrap().as_deref(),
            Some(schema_version())
        );
        assert_eq!(
            index.db.meta("marker").unwrap(),
            None,
            "the old state is gone"
        );
        drop(index);

        std::fs::write(dir.path().join("state.sqlite"), "not a database").unwrap();
        let index = JournalIndex::open(dir.path()).unwrap();
        assert_eq!(
            index.db.meta("schema_version").unwrap().as_deref(),
            Some(schema_version())
        );
        assert!(index.is_empty());
    }
}
