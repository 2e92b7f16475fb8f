//! `doctor`: what a killed journal or an interrupted git command left, on demand. Every
//! command already repairs a killed journal write when it opens the journal; doctor also
//! looks at git's locks, temporary files, git's index for the entry files, and the search
//! index, repairing what is the journal's own and naming the command for the rest.

use journal_daemon::STUCK_AFTER;
use journal_index::JournalIndex;
use serde::Serialize;

use crate::error::Result;
use crate::journal::Journal;

/// One thing doctor found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Finding {
    /// The path concerned (relative to the working tree, or absolute for git's own files).
    pub path: String,
    /// What was found, and what was done.
    pub what: String,
    /// Whether doctor (or the opening of the journal) repaired it.
    pub repaired: bool,
    /// The command that clears it, when it is left to the user.
    pub fix: Option<String>,
}

/// What [`Journal::doctor`] found.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DoctorReport {
    /// Everything found, repaired or not.
    pub findings: Vec<Finding>,
    /// How many are left to the user.
    pub left: usize,
}

impl Journal {
    /// Runs every check of a journal's integrity (see the module's overview).
    pub fn doctor(&self) -> Result<DoctorReport> {
        let out = self.store.repo().workdir().join(&self.config.compile.out);
        let mut findings: Vec<Finding> = self
            .store
            .inspect(&[out])?
            .into_iter()
            .map(|r| Finding {
                path: r.path.to_string_lossy().into_owned(),
                repaired: r.repaired(),
                what: r.what,
                fix: r.fix,
            })
            .collect();
        let index_dir = self.index_dir();
        let index = JournalIndex::open_within(&index_dir, STUCK_AFTER)?;
        if index.rebuilt() {
            findings.push(Finding {
                path: index_dir.to_string_lossy().into_owned(),
                what: "the search index was missing or incomplete: rebuilt from the entry files"
                    .to_owned(),
                repaired: true,
                fix: None,
            });
        }
        drop(index);
        let fresh = self.fresh()?;
        for warning in fresh.warnings {
            findings.push(Finding {
                path: index_dir.to_string_lossy().into_owned(),
                what: warning,
                repaired: false,
                fix: Some("journal reindex   # once the index folder can be written".to_owned()),
            });
        }
        for file in fresh.skipped {
            findings.push(Finding {
                what: file.lines().collect::<Vec<_>>().join("; "),
                path: file.path,
                repaired: false,
                fix: Some("journal check".to_owned()),
            });
        }
        let left = findings.iter().filter(|f| !f.repaired).count();
        Ok(DoctorReport { findings, left })
    }
}
