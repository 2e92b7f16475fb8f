//! Opening an index folder that cannot be written: a read-only checkout, a full disk.
//!
//! tantivy's reader takes a lock file (`.tantivy-meta.lock`) to read the index's metadata
//! safely while a writer may delete files. A folder nobody can write has no writer, and the
//! lock cannot be created there, so this directory reads through `MmapDirectory` and hands
//! out a lock that holds nothing.

use std::path::Path;
use std::sync::Arc;

use tantivy::Index;
use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};

use crate::db::StateDb;
use crate::error::{Error, Result};
use crate::index::JournalIndex;
use crate::schema::{IndexSchema, schema_version};

/// Opens the index in `dir` for reading only.
pub(crate) fn open(dir: &Path) -> Result<JournalIndex> {
    let db = StateDb::open_read_only(&dir.join("state.sqlite"))?;
    db.probe()?;
    if db.meta("schema_version")?.as_deref() != Some(schema_version()) {
        return Err(Error::OtherVersion(
            db.meta("schema_version")?.unwrap_or_default(),
        ));
    }
    let tantivy_dir = dir.join("tantivy");
    if !tantivy_dir.join("meta.json").exists() {
        return Err(Error::Incomplete(
            "tantivy's meta.json is missing".to_owned(),
        ));
    }
    let directory =
        ReadOnlyDirectory(MmapDirectory::open(&tantivy_dir).map_err(tantivy::TantivyError::from)?);
    let schema = IndexSchema::new();
    let index = Index::open(directory)?;
    JournalIndex::assemble(dir, index, schema, db)
}

/// `MmapDirectory` whose locks hold nothing (see the module's overview).
#[derive(Debug, Clone)]
struct ReadOnlyDirectory(MmapDirectory);

impl Directory for ReadOnlyDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.0.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.0.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.0.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.0.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.0.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        Ok(())
    }

    fn acquire_lock(&self, _lock: &Lock) -> Result<DirectoryLock, LockError> {
        Ok(DirectoryLock::from(Box::new(())))
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.0.watch(watch_callback)
    }
}
