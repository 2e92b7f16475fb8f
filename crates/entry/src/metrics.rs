//! The one summary of measured values, behind `journal metrics`, the compiled documents and
//! every other front end: n, min, median, p95 and max per metric and group.
//!
//! Percentiles use the nearest-rank method: the `p`th percentile of `n` sorted values is the
//! value at rank ⌈p/100 × n⌉, so every figure is a value that was measured (the median of an
//! even count is the lower of the two middle values). A group is named by its values, sorted
//! and joined with `+` (`gcp+hetzner` for a measurement between the two clouds); entries
//! without a value are in [`NO_GROUP`].

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Entry;

/// The name of the group of entries that have no value for the field grouped by.
pub const NO_GROUP: &str = "(none)";

/// The name of the only group when entries are not grouped.
pub const ALL: &str = "all";

/// What entries are grouped by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Group {
    /// The set of providers an entry names.
    Provider,
    /// The set of patterns.
    Pattern,
    /// The kind.
    Kind,
    /// The story.
    Story,
    /// The value of one free tag.
    Tag(String),
}

impl Group {
    /// Parses `provider`, `pattern`, `kind`, `story` or `tag:KEY`.
    pub fn parse(value: &str) -> Result<Self, String> {
        match value {
            "provider" => Ok(Self::Provider),
            "pattern" => Ok(Self::Pattern),
            "kind" => Ok(Self::Kind),
            "story" => Ok(Self::Story),
            _ => match value.strip_prefix("tag:") {
                Some(key) if !key.is_empty() => Ok(Self::Tag(key.to_owned())),
                _ => Err("allowed: provider, pattern, kind, story, tag:KEY".to_owned()),
            },
        }
    }

    /// Returns the name of the group `entry` is in.
    pub fn of(&self, entry: &Entry) -> String {
        let values: Vec<&str> = match self {
            Self::Provider => entry.provider.iter().map(String::as_str).collect(),
            Self::Pattern => entry.pattern.iter().map(String::as_str).collect(),
            Self::Kind => entry.kind.as_deref().into_iter().collect(),
            Self::Story => entry.story.as_deref().into_iter().collect(),
            Self::Tag(key) => entry
                .tags
                .get(key)
                .map(String::as_str)
                .into_iter()
                .collect(),
        };
        group_name(values)
    }
}

/// Formats a measured value as the journal prints it everywhere (documents, CLI, page): at
/// most three decimals, no trailing zeros, never `-0`.
pub fn number(value: f64) -> String {
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// Returns the name of a group from its values: sorted, deduplicated, joined with `+`;
/// [`NO_GROUP`] when there are none.
pub fn group_name<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let mut values: Vec<&str> = values.into_iter().collect();
    values.sort_unstable();
    values.dedup();
    if values.is_empty() {
        NO_GROUP.to_owned()
    } else {
        values.join("+")
    }
}

/// The summary of one metric in one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// How many values.
    pub n: usize,
    /// The smallest.
    pub min: f64,
    /// The 50th percentile (nearest rank).
    pub median: f64,
    /// The 95th percentile (nearest rank).
    pub p95: f64,
    /// The largest.
    pub max: f64,
}

/// One row: a metric, a group and its summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricRow {
    /// The metric's name (`latency_ms`).
    pub metric: String,
    /// The group's name.
    pub group: String,
    /// The summary.
    #[serde(flatten)]
    pub summary: Summary,
}

/// Sums up `values`; `None` when there are none.
pub fn summarize(values: &mut [f64]) -> Option<Summary> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some(Summary {
        n: values.len(),
        min: values[0],
        median: nearest_rank(values, 50.0),
        p95: nearest_rank(values, 95.0),
        max: values[values.len() - 1],
    })
}

/// Which of an entry's metrics a summary or a chart takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    /// Every metric (`journal metrics`, the page's charts: what the entries record).
    All,
    /// Measurements only: a `run` entry's `duration_s` and `exit_code` are the record of the
    /// command, not something the operator measured (the documents' tables and charts).
    Measured,
}

impl Values {
    /// The metrics of `entry` this takes, by name.
    pub fn of(self, entry: &Entry) -> impl Iterator<Item = (&String, &f64)> {
        let run = entry.kind.as_deref() == Some("run");
        entry.metrics.iter().filter(move |(name, _)| {
            self == Self::All || !(run && matches!(name.as_str(), "duration_s" | "exit_code"))
        })
    }
}

/// Returns one row per metric and group, sorted by metric then group. `by` `None` puts every
/// entry in the group [`ALL`].
pub fn summarize_entries<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    by: Option<&Group>,
    values_of: Values,
) -> Vec<MetricRow> {
    let mut values: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for entry in entries {
        if entry.metrics.is_empty() {
            continue;
        }
        let group = by.map_or_else(|| ALL.to_owned(), |g| g.of(entry));
        for (name, value) in values_of.of(entry) {
            values
                .entry((name.clone(), group.clone()))
                .or_default()
                .push(*value);
        }
    }
    values
        .into_iter()
        .filter_map(|((metric, group), mut list)| {
            summarize(&mut list).map(|summary| MetricRow {
                metric,
                group,
                summary,
            })
        })
        .collect()
}

/// The measured values of one metric over time, one series per group: what a chart draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricSeries {
    /// The metric's name.
    pub metric: String,
    /// One series per group, by group name.
    pub series: Vec<Series>,
}

/// The values of one group, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The group's name (`gcp+hetzner`).
    pub group: String,
    /// (seconds since the epoch, value), oldest first (ties by entry id).
    pub points: Vec<(i64, f64)>,
    /// The entry of each point, in the same order.
    pub ids: Vec<String>,
}

/// Returns the values of each metric of `entries` over time, grouped as
/// [`summarize_entries`] groups them: the chart of a metric table shows the same values.
pub fn series_of_entries<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    by: Option<&Group>,
    values_of: Values,
) -> Vec<MetricSeries> {
    // metric -> group -> (time, entry id, value)
    type Points<'e> = BTreeMap<String, BTreeMap<String, Vec<(i64, &'e str, f64)>>>;
    let mut points: Points<'a> = BTreeMap::new();
    for entry in entries {
        if entry.metrics.is_empty() {
            continue;
        }
        let group = by.map_or_else(|| ALL.to_owned(), |g| g.of(entry));
        for (name, value) in values_of.of(entry) {
            points
                .entry(name.clone())
                .or_default()
                .entry(group.clone())
                .or_default()
                .push((entry.date.timestamp(), entry.id.as_str(), *value));
        }
    }
    points
        .into_iter()
        .map(|(metric, groups)| MetricSeries {
            metric,
            series: groups
                .into_iter()
                .map(|(group, mut list)| {
                    list.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
                    Series {
                        group,
                        points: list.iter().map(|&(t, _, v)| (t, v)).collect(),
                        ids: list.iter().map(|&(_, id, _)| id.to_owned()).collect(),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The `p`th percentile of sorted `values` by the nearest-rank method.
fn nearest_rank(values: &[f64], p: f64) -> f64 {
    let n = values.len() as f64;
    let rank = (p / 100.0 * n).ceil().max(1.0) as usize;
    values[rank.min(values.len()) - 1]
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;

    #[test]
    fn nearest_rank_percentiles_by_hand() {
        let mut one_to_twenty: Vec<f64> = (1..=20).rev().map(f64::from).collect();
        let s = summarize(&mut one_to_twenty).unwrap();
        // median: rank ceil(0.5 * 20) = 10; p95: rank ceil(0.95 * 20) = 19.
        let expected = Summary {
            n: 20,
            min: 1.0,
            median: 10.0,
            p95: 19.0,
            max: 20.0,
        };
        assert_eq!(s, expected);
        let mut odd = vec![8.4, 8.6, 8.5];
        let s = summarize(&mut odd).unwrap();
        // median: rank 2 = 8.5; p95: rank ceil(2.85) = 3 = 8.6.
        assert_eq!((s.median, s.p95), (8.5, 8.6));
        assert_eq!(summarize(&mut [3.0]).unwrap().p95, 3.0);
        assert_eq!(summarize(&mut []), None);
    }

    fn measured(providers: &[&str], latency: f64) -> Entry {
        let date = DateTime::parse_from_rfc3339("2026-10-01T10:00:00Z").unwrap();
        let mut e = Entry::new("e", date, "ping");
        e.provider = providers.iter().map(|p| (*p).to_owned()).collect();
        e.metrics.insert("latency_ms".to_owned(), latency);
        e
    }

    #[test]
    fn groups_are_named_by_their_sorted_values() {
        let entries = [
            measured(&["hetzner", "gcp"], 23.4),
            measured(&["gcp", "hetzner"], 25.0),
            measured(&["gcp", "hetzner", "gcp"], 21.0),
            measured(&["gcp", "hetzner"], 30.5),
            measured(&[], 0.4),
        ];
        let rows = summarize_entries(&entries, Some(&Group::Provider), Values::All);
        let groups: Vec<(&str, usize, f64)> = rows
            .iter()
            .map(|r| (r.group.as_str(), r.summary.n, r.summary.median))
            .collect();
        assert_eq!(groups, [(NO_GROUP, 1, 0.4), ("gcp+hetzner", 4, 23.4)]);
        let all = summarize_entries(&entries, None, Values::All);
        assert_eq!((all[0].group.as_str(), all[0].summary.n), (ALL, 5));
        assert_eq!(Group::parse("tag:region"), Ok(Group::Tag("region".into())));
        assert!(Group::parse("tag:").is_err());
        assert!(Group::parse("host").unwrap_err().contains("tag:KEY"));
    }
}
