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
