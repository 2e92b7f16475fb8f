//! `metrics`: the numbers recorded in entries, summed up per metric and group with the
//! journal's one summary ([`journal_entry::metrics`], also behind the documents' tables).

use journal_entry::metrics::{Group, MetricRow, summarize_entries};
use serde::Serialize;

use crate::error::Result;
use crate::fields::Filters;
use crate::journal::{Journal, SkippedFile};

/// The rows of [`Journal::metrics`].
#[derive(Debug, Clone, Serialize)]
pub struct MetricsReport {
    /// One row per metric and group, by metric then group.
    pub rows: Vec<MetricRow>,
    /// Files that could not be read.
    #[serde(skip)]
    pub skipped: Vec<SkippedFile>,
    /// What else the operation noticed.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

impl Journal {
    /// Sums up the metrics of the entries `filters` picks, grouped by `by` (one group,
    /// `all`, without).
    pub fn metrics(&self, filters: &Filters, by: Option<&Group>) -> Result<MetricsReport> {
        let selection = self.select(filters, None)?;
        Ok(MetricsReport {
            rows: summarize_entries(selection.entries.iter().map(|(e, _)| e), by),
            skipped: selection.skipped,
            warnings: selection.warnings,
        })
    }
}
