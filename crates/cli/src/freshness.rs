//! Opening the index for a reading command: fresh first, bad files reported once.
//!
//! With a healthy watcher (`journal watch`: lock held, first sync done, heartbeat younger than
//! [`STUCK_AFTER`]) the index is as fresh as the watcher's last batch, and the command reads it
//! at once. Otherwise the command syncs by itself, waiting at most [`STUCK_AFTER`] for another
//! process's sync before it reads what that process last committed.

use journal_daemon::{STUCK_AFTER, WatchFiles, WatcherHealth, probe, wall_clock};
use journal_index::{JournalIndex, SyncReport};

use crate::config::Journal;
use crate::error::CommandError;
use crate::ui::Ui;

/// Opens the journal's index, fresh. Each bad file is reported on stderr as
/// `warning: path:line: …`.
pub fn fresh_index(ui: &Ui, journal: &Journal) -> Result<(JournalIndex, SyncReport), CommandError> {
    let (index, report) = synced_index(ui, journal)?;
    report_bad(ui, &report);
    Ok((index, report))
}

/// Opens the journal's index, fresh, leaving the bad files to the caller to report.
pub fn synced_index(
    ui: &Ui,
    journal: &Journal,
) -> Result<(JournalIndex, SyncReport), CommandError> {
    let mut index = JournalIndex::open_within(&journal.index_dir(), STUCK_AFTER)?;
    if watcher_vouches(journal) && index.has_synced()? {
        let report = index.recorded_report()?;
        return Ok((index, report));
    }
    let options = journal.sync_options();
    match index.try_sync(&journal.store, &options, &mut |_| {}, STUCK_AFTER)? {
        Some(report) => Ok((index, report)),
        None => {
            ui.warning(&format!(
                "another process has been updating the index for {} s: showing what it last \
                 committed",
                STUCK_AFTER.as_secs()
            ));
            let report = index.recorded_report()?;
            Ok((index, report))
        }
    }
}

/// After a command wrote entry files: with a healthy watcher, readers will not look at the
/// files themselves, so the writer brings the index up to date at once rather than leave a
/// window until the watcher's next batch. Without one, the next reader does it.
pub fn after_write(ui: &Ui, journal: &Journal) {
    if !watcher_vouches(journal) {
        return;
    }
    let result = JournalIndex::open_within(&journal.index_dir(), STUCK_AFTER).and_then(|mut i| {
        i.try_sync(
            &journal.store,
            &journal.sync_options(),
            &mut |_| {},
            STUCK_AFTER,
        )
    });
    if let Err(err) = result {
        ui.warning(&format!(
            "the entry is saved, but the index was not updated: {}",
            crate::error::chain(&err)
        ));
    }
}

/// Returns whether a healthy watcher keeps this journal's index fresh.
fn watcher_vouches(journal: &Journal) -> bool {
    let files = WatchFiles::in_git_dir(journal.store.repo().git_dir());
    match probe(&files, wall_clock()) {
        WatcherHealth::Healthy(heartbeat) => heartbeat.index_dir == journal.index_dir(),
        _ => false,
    }
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
