//! Metric tables: n, min, median and max of each metric, per set of providers.

use std::collections::BTreeMap;

use journal_entry::Entry;

use crate::view::{MetricRow, MetricTable};

/// Aggregates the metrics of `entries`, by metric name, then by the providers each entry
/// names ("gcp ↔ hetzner" for a measurement between the two).
pub(crate) fn tables<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Vec<MetricTable> {
    let mut values: BTreeMap<&str, BTreeMap<String, Vec<f64>>> = BTreeMap::new();
    for entry in entries {
        let mut providers: Vec<&str> = entry.provider.iter().map(String::as_str).collect();
        providers.sort_unstable();
        providers.dedup();
        let key = if providers.is_empty() {
            "any".to_owned()
        } else {
            providers.join(" ↔ ")
        };
        for (name, value) in &entry.metrics {
            values
                .entry(name)
                .or_default()
                .entry(key.clone())
                .or_default()
                .push(*value);
        }
    }
    values
        .into_iter()
        .map(|(metric, groups)| MetricTable {
            metric: metric.to_owned(),
            rows: groups
                .into_iter()
                .map(|(providers, mut v)| {
                    v.sort_by(f64::total_cmp);
                    let n = v.len();
                    let median = if n % 2 == 1 {
                        v[n / 2]
                    } else {
                        f64::midpoint(v[n / 2 - 1], v[n / 2])
                    };
                    MetricRow {
                        providers,
                        n,
                        min: number(v[0]),
                        median: number(median),
                        max: number(v[n - 1]),
                    }
                })
                .collect(),
        })
        .collect()
}

/// Formats a number with at most three decimals and no trailing zeros.
pub(crate) fn number(value: f64) -> String {
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

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
        assert_eq!(
            tables[0].rows[0],
            MetricRow {
                providers: "gcp ↔ hetzner".to_owned(),
                n: 4,
                min: "21".to_owned(),
                median: "24.2".to_owned(),
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
