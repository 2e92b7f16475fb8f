//! The index's one error type.

use std::path::PathBuf;

/// Returned by every fallible index operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The full-text index failed.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The state database failed.
    #[error("index state database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Reading the entry files failed.
    #[error(transparent)]
    Store(#[from] journal_store::Error),
    /// Reading a fast field failed.
    #[error("search index: {0}")]
    FastField(#[from] std::io::Error),
    /// A file operation on the index folder failed.
    #[error("{action} {}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The index was written by another schema version (it is then rebuilt).
    #[error("the index was written by schema version {0}")]
    OtherVersion(String),
    /// The index folder is missing a part (it is then rebuilt).
    #[error("the index is incomplete: {0}")]
    Incomplete(String),
    /// The index cannot be written: it was opened read-only.
    #[error("the index cannot be written: {0}")]
    ReadOnly(String),
    /// A `[[rules]]` glob is not valid.
    #[error("invalid path glob in [[rules]]: {0}")]
    Rules(String),
    /// The search query cannot be parsed.
    #[error("cannot parse the query: {0}")]
    Query(String),
}

/// The index's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }
}

impl Error {
    /// Returns whether this says the index folder cannot be written (a full disk, a
    /// read-only file system, no permission), rather than that the index is damaged: such
    /// an index is kept, never wiped.
    pub fn is_unwritable(&self) -> bool {
        match self {
            Self::Io { source, .. } | Self::FastField(source) => unwritable_io(source),
            Self::Store(journal_store::Error::Io { source, .. }) => unwritable_io(source),
            Self::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DiskFull
                    | rusqlite::ErrorCode::ReadOnly
                    | rusqlite::ErrorCode::CannotOpen
                    | rusqlite::ErrorCode::PermissionDenied
                    | rusqlite::ErrorCode::SystemIoFailure
            ),
            Self::ReadOnly(_) => true,
            Self::Tantivy(e) => unwritable_tantivy(e),
            _ => false,
        }
    }
}

fn unwritable_tantivy(e: &tantivy::TantivyError) -> bool {
    use tantivy::TantivyError as T;
    use tantivy::directory::error::{LockError, OpenDirectoryError, OpenWriteError};
    match e {
        T::IoError(io) => unwritable_io(io),
        T::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => unwritable_io(io_error),
        T::OpenDirectoryError(OpenDirectoryError::IoError { io_error, .. }) => {
            unwritable_io(io_error)
        }
        T::LockFailure(LockError::IoError(io), _) => unwritable_io(io),
        _ => false,
    }
}

/// A full disk or quota, a read-only file system, no permission.
fn unwritable_io(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    matches!(
        e.kind(),
        K::StorageFull | K::ReadOnlyFilesystem | K::PermissionDenied | K::QuotaExceeded
    ) || matches!(e.raw_os_error(), Some(1 | 13 | 28 | 30 | 122))
}

pub(crate) use journal_store::chain;
