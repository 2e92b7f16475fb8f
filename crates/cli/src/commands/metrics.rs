//! `journal metrics`: the numbers recorded in entries, summed up per metric and group.

use std::collections::BTreeMap;
use std::path::Path;

use clap::Args;
use journal_entry::Entry;
use serde_json::json;

use super::select::SelectArgs;
use crate::config;
use crate::error::CommandError;
use crate::ui::Ui;

/// Sum up the metrics of the entries: n, min, median, p95 and max per metric and group.
///
/// Percentiles use the nearest-rank method (the median is the 50th percentile: with an even
/// count, the lower of the two middle values). `--by provider` groups entries by their set of
/// providers (an entry on both clouds is in `gcp+hetzner`, counted once); entries without a
/// value are in `(none)`.
#[derive(Debug, Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// Group by provider, pattern, kind, story or tag:KEY (default: one group, `all`).
    #[arg(long, value_name = "FIELD", value_parser = parse_group)]
    by: Option<Group>,
    /// Print one JSON object per metric and group: {"metric", "group", "n", "min", "median",
    /// "p95", "max"}.
    #[arg(long)]
    json: bool,
}

/// What entries are grouped by.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Group {
    Provider,
    Pattern,
    Kind,
    Story,
    Tag(String),
}

fn parse_group(value: &str) -> Result<Group, String> {
    match value {
        "provider" => Ok(Group::Provider),
        "pattern" => Ok(Group::Pattern),
        "kind" => Ok(Group::Kind),
        "story" => Ok(Group::Story),
        _ => match value.strip_prefix("tag:") {
            Some(key) if !key.is_empty() => Ok(Group::Tag(key.to_owned())),
            _ => Err("allowed: provider, pattern, kind, story, tag:KEY".to_owned()),
        },
    }
}

impl Group {
    fn of(&self, entry: &Entry) -> String {
        let values: Vec<String> = match self {
            Self::Provider => sorted(&entry.provider),
            Self::Pattern => sorted(&entry.pattern),
            Self::Kind => entry.kind.iter().cloned().collect(),
            Self::Story => entry.story.iter().cloned().collect(),
            Self::Tag(key) => entry.tags.get(key).into_iter().cloned().collect(),
        };
        if values.is_empty() {
            "(none)".to_owned()
        } else {
            values.join("+")
        }
    }
}

fn sorted(values: &[String]) -> Vec<String> {
    let mut values = values.to_vec();
    values.sort();
    values.dedup();
    values
}

/// The summary of one metric in one group.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub n: usize,
    pub min: f64,
    pub median: f64,
    pub p95: f64,
    pub max: f64,
}

/// Sums up `values` (not empty).
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

/// The `p`th percentile of sorted `values` by the nearest-rank method: the value at rank
/// ⌈p/100 × n⌉ (1-based).
fn nearest_rank(values: &[f64], p: f64) -> f64 {
    let n = values.len() as f64;
    let rank = (p / 100.0 * n).ceil().max(1.0) as usize;
    values[rank.min(values.len()) - 1]
}

pub fn cmd_metrics(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &MetricsArgs,
) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    let selection = args.select.select(ui, &journal, None)?;
    let mut values: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for (entry, _) in &selection.entries {
        let group = args
            .by
            .as_ref()
            .map_or_else(|| "all".to_owned(), |g| g.of(entry));
        for (name, value) in &entry.metrics {
            values
                .entry((name.clone(), group.clone()))
                .or_default()
                .push(*value);
        }
    }
    let mut rows = Vec::new();
    for ((metric, group), mut list) in values {
        if let Some(summary) = summarize(&mut list) {
            rows.push((metric, group, summary));
        }
    }
    if args.json {
        for (metric, group, s) in &rows {
            let object = json!({
                "metric": metric, "group": group, "n": s.n, "min": s.min,
                "median": s.median, "p95": s.p95, "max": s.max,
            });
            ui.data(&object.to_string())?;
        }
    } else if rows.is_empty() {
        ui.status("no metrics in the entries selected");
    } else {
        print_table(ui, &rows)?;
    }
    selection.finish()
}

fn print_table(ui: &mut Ui, rows: &[(String, String, Summary)]) -> Result<(), CommandError> {
    let header = ["metric", "group", "n", "min", "median", "p95", "max"].map(str::to_owned);
    let mut table = vec![header.to_vec()];
    for (metric, group, s) in rows {
        table.push(vec![
            metric.clone(),
            group.clone(),
            s.n.to_string(),
            s.min.to_string(),
            s.median.to_string(),
            s.p95.to_string(),
            s.max.to_string(),
        ]);
    }
    let widths: Vec<usize> = (0..7)
        .map(|c| {
            table
                .iter()
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in &table {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                // Text left, numbers right.
                if c < 2 {
                    format!("{cell:<w$}", w = widths[c])
                } else {
                    format!("{cell:>w$}", w = widths[c])
                }
            })
            .collect();
        ui.data(cells.join("  ").trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles_by_hand() {
        let mut one_to_twenty: Vec<f64> = (1..=20).rev().map(f64::from).collect();
        let s = summarize(&mut one_to_twenty).unwrap();
        // median: rank ceil(0.5 * 20) = 10; p95: rank ceil(0.95 * 20) = 19.
        assert_eq!(
            s,
            Summary {
                n: 20,
                min: 1.0,
                median: 10.0,
                p95: 19.0,
                max: 20.0
            }
        );
        let mut odd = vec![8.4, 8.6, 8.5];
        let s = summarize(&mut odd).unwrap();
        // median: rank 2 = 8.5; p95: rank ceil(2.85) = 3 = 8.6.
        assert_eq!((s.median, s.p95), (8.5, 8.6));
        let mut single = vec![3.0];
        assert_eq!(summarize(&mut single).unwrap().p95, 3.0);
        assert_eq!(summarize(&mut []), None);
    }

    #[test]
    fn groups_are_named_by_their_values() {
        assert_eq!(
            parse_group("tag:region"),
            Ok(Group::Tag("region".to_owned()))
        );
        assert!(parse_group("tag:").is_err());
        assert!(parse_group("host").unwrap_err().contains("tag:KEY"));
    }
}
