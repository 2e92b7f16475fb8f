//! `reindex`: the search index rebuilt from scratch (it is derived: nothing is lost).

use journal_index::{JournalIndex, Progress};

use crate::error::Result;
use crate::journal::{Journal, SkippedFile, skipped};

/// What [`Journal::reindex`] built.
#[derive(Debug, Clone)]
pub struct ReindexReport {
    /// Good entries indexed.
    pub entries: usize,
    /// Evidence commits indexed.
    pub commits: usize,
    /// Files that could not be read.
    pub skipped: Vec<SkippedFile>,
}

impl Journal {
    /// Wipes the index and builds it again; `progress` is told how far the build is.
    pub fn reindex(&self, progress: &mut dyn FnMut(Progress)) -> Result<ReindexReport> {
        self.forget_index();
        let mut index = JournalIndex::reset(&self.index_dir())?;
        let report = index.sync(&self.store, &self.sync_options(), progress)?;
        Ok(ReindexReport {
            entries: report.files - report.bad.len(),
            commits: report.commits,
            skipped: skipped(&report),
        })
    }
}
