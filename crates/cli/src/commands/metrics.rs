//! `journal metrics`: the numbers recorded in entries, summed up per metric and group.

use std::path::Path;

use clap::Args;
use journal_entry::metrics::number;
use journal_lib::{Group, MetricRow};

use super::fields::SelectArgs;
use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Sum up the metrics of the entries: n, min, median, p95 and max per metric and group.
///
/// Percentiles use the nearest-rank method (the median is the 50th percentile: with an even
/// count, the lower of the two middle values), as in the compiled documents' tables. `--by
/// provider` groups entries by their set of providers (an entry on both clouds is in
/// `gcp+hetzner`, counted once, as in the documents); entries without a value are in `(none)`.
#[derive(Debug, Args)]
pub struct MetricsArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// Group by provider, pattern, kind, story or tag:KEY (default: one group, `all`).
    #[arg(long, value_name = "FIELD", value_parser = Group::parse)]
    by: Option<Group>,
    /// Print one JSON object per metric and group: {"metric", "group", "n", "min", "median",
    /// "p95", "max"}.
    #[arg(long)]
    json: bool,
}

pub fn cmd_metrics(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &MetricsArgs,
) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let report = journal.metrics(&args.select.filters()?, args.by.as_ref())?;
    ui.reading(&report.skipped, &report.warnings);
    if args.json {
        for row in &report.rows {
            ui.json(row)?;
        }
    } else if report.rows.is_empty() {
        ui.status("no metrics in the entries selected");
    } else {
        print_table(ui, &report.rows)?;
    }
    ui.finish_reading(&report.skipped)
}

fn print_table(ui: &mut Ui, rows: &[MetricRow]) -> Result<(), CommandError> {
    let header = ["metric", "group", "n", "min", "median", "p95", "max"].map(str::to_owned);
    let mut table = vec![header.to_vec()];
    for row in rows {
        let s = &row.summary;
        table.push(vec![
            row.metric.clone(),
            row.group.clone(),
            s.n.to_string(),
            number(s.min),
            number(s.median),
            number(s.p95),
            number(s.max),
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
