//! Opening the index for a reading command: bring it up to date first, report bad files once.

use journal_index::{JournalIndex, SyncReport};

use crate::config::Journal;
use crate::error::CommandError;
use crate::ui::Ui;

/// Opens the journal's index and syncs it with the entry files, so that what the command reads
/// is never stale. Each bad file is reported on stderr as `warning: path:line: …`.
pub fn fresh_index(ui: &Ui, journal: &Journal) -> Result<(JournalIndex, SyncReport), CommandError> {
    let (index, report) = synced_index(journal)?;
    report_bad(ui, &report);
    Ok((index, report))
}

/// Opens the journal's index and syncs it, leaving the bad files to the caller to report.
pub fn synced_index(journal: &Journal) -> Result<(JournalIndex, SyncReport), CommandError> {
    let mut index = JournalIndex::open(&journal.index_dir())?;
    let report = index.sync(&journal.store, &journal.sync_options(), &mut |_| {})?;
    Ok((index, report))
}

/// Prints the bad files of a sync, one line per problem.
pub fn report_bad(ui: &Ui, report: &SyncReport) {
    for bad in &report.bad {
        for line in bad.error.lines() {
            ui.warning(&format!("{}:{line}", bad.path));
        }
    }
}

impl From<journal_index::Error> for CommandError {
    fn from(err: journal_index::Error) -> Self {
        let query = matches!(err, journal_index::Error::Query(_));
        let error = Self::user(crate::error::chain(&err));
        if query {
            error.hint(
                "queries use tantivy's syntax: words, \"a phrase\", AND / OR / NOT, \
                 field:value (title, body, tag, provider, pattern, kind, confidence, story, \
                 author) and prefix*",
            )
        } else {
            error
        }
    }
}
