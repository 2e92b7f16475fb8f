//! Metric tables: the journal's one summary of measured values
//! ([`journal_entry::metrics`]), per metric and set of providers, as the documents print them.

use journal_entry::Entry;
use journal_entry::metrics::{Group, Values, summarize_entries};

use crate::view::{MetricRow, MetricTable};

/// Aggregates the metrics of `entries`, by metric name, then by the set of providers each
/// entry names: the same rows as `journal metrics --by provider`.
pub(crate) fn tables<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Vec<MetricTable> {
    let mut tables: Vec<MetricTable> = Vec::new();
    for row in summarize_entries(entries, Some(&Group::Provider), Values::Measured) {
        let s = &row.summary;
        let printed = MetricRow {
            providers: row.group,
            n: s.n,
            min: number(s.min),
            median: number(s.median),
            p95: number(s.p95),
            max: number(s.max),
        };
        match tables.last_mut() {
            Some(table) if table.metric == row.metric => table.rows.push(printed),
            _ => tables.push(MetricTable {
                chart: crate::charts::chart_file(&row.metric),
                metric: row.metric,
                rows: vec![printed],
                same_as: None,
                first: true,
            }),
        }
    }
    tables
}

pub(crate) use journal_entry::metrics::number;

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;

    fn measured(providers: &[&str], latency: f64) -> Entry {
        let date = DateTime::parse_from_rfc3339("2026-10-01T10:00:00Z").unwrap();
        let mut e = Entry::new("e", date, "ping");
        e.provider = providers.iter().map(|p| (*p).to_owned()).collect();
        e.metrics.insert("latency_ms".to_owned(), latency);
        e
    }

    #[test]
    fn groups_by_provider_set_with_hand_computed_values() {
        let entries = [
            measured(&["hetzner", "gcp"], 23.4),
            measured(&["gcp", "hetzner"], 25.0),
            measured(&["gcp", "hetzner"], 21.0),
            measured(&["gcp", "hetzner"], 30.5),
            measured(&["hetzner"], 0.4),
        ];
        let tables = tables(&entries);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].metric, "latency_ms");
        // Sorted: 21, 23.4, 25, 30.5; median rank ceil(2) = 23.4, p95 rank ceil(3.8) = 30.5.
        assert_eq!(
            tables[0].rows[0],
            MetricRow {
                providers: "gcp+hetzner".to_owned(),
                n: 4,
                min: "21".to_owned(),
                median: "23.4".to_owned(),
                p95: "30.5".to_owned(),
                max: "30.5".to_owned(),
            }
        );
        assert_eq!(tables[0].rows[1].providers, "hetzner");
        assert_eq!(tables[0].rows[1].median, "0.4");
    }

    #[test]
    fn numbers_lose_trailing_zeros() {
        assert_eq!(number(185.0), "185");
        assert_eq!(number(0.125_4), "0.125");
        assert_eq!(number(-0.0), "0");
    }
}
