//! `metrics`: the numbers recorded in entries, summed up per metric and group with the
//! journal's one summary ([`journal_entry::metrics`], also behind the documents' tables).

use journal_entry::metrics::{Group, MetricRow, Values, summarize_entries};
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
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedFile>,
    /// What else the operation noticed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

impl Journal {
    /// Sums up the metrics of the entries `filters` picks, grouped by `by` (one group,
    /// `all`, without).
    pub fn metrics(&self, filters: &Filters, by: Option<&Group>) -> Result<MetricsReport> {
        // From the index: the entries that record a metric, without their bodies.
        let selection = self.fronts(filters, true)?;
        Ok(MetricsReport {
            rows: summarize_entries(selection.entries.iter().map(|(e, _)| e), by, Values::All),
            skipped: selection.skipped,
            warnings: selection.warnings,
        })
    }
}

/// Each metric's chart and summary rows, for the entries some filters pick
/// ([`Journal::charts`]).
#[derive(Debug, Clone, Serialize)]
pub struct ChartsReport {
    /// One chart per metric, by name.
    pub charts: Vec<MetricChart>,
    /// Files that could not be read.
    pub skipped: Vec<SkippedFile>,
}

/// One metric: its values over time as SVG (the renderer of the documents' charts) and its
/// summary per set of providers (the rows of `journal metrics --by provider`).
#[derive(Debug, Clone, Serialize)]
pub struct MetricChart {
    /// The metric's name.
    pub metric: String,
    /// The chart.
    pub svg: String,
    /// The values, per set of providers.
    pub series: journal_entry::metrics::MetricSeries,
    /// n, min, median, p95, max per set of providers.
    pub rows: Vec<MetricRow>,
}

impl Journal {
    /// Returns a chart and the summary rows of every metric of the entries `filters` picks,
    /// one series (and row) per set of providers; with `link`, each point links to its entry
    /// (the front end says where an entry's page is).
    pub fn charts(
        &self,
        filters: &Filters,
        link: Option<journal_compile::EntryLink<'_>>,
    ) -> Result<ChartsReport> {
        let selection = self.fronts(filters, true)?;
        let entries = || selection.entries.iter().map(|(e, _)| e);
        let mut rows = summarize_entries(entries(), Some(&Group::Provider), Values::All);
        let mut charts = Vec::new();
        for series in journal_entry::metrics::series_of_entries(
            entries(),
            Some(&Group::Provider),
            Values::All,
        ) {
            let svg = journal_compile::metric_svg(&series, link).map_err(crate::Error::Internal)?;
            let (own, rest): (Vec<MetricRow>, Vec<MetricRow>) =
                rows.into_iter().partition(|r| r.metric == series.metric);
            rows = rest;
            charts.push(MetricChart {
                metric: series.metric.clone(),
                svg,
                series,
                rows: own,
            });
        }
        Ok(ChartsReport {
            charts,
            skipped: selection.skipped,
        })
    }
}
