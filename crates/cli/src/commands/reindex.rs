//! `journal reindex`: rebuild the search index from the entry files.

use std::io::IsTerminal as _;
use std::path::Path;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Rebuild the search index from scratch (it is derived: nothing is lost).
///
/// Reading commands keep the index fresh by themselves; this is for a clean slate.
#[derive(Debug, Args)]
pub struct ReindexArgs {}

pub fn cmd_reindex(
    ui: &mut Ui,
    journal: Option<&Path>,
    _args: &ReindexArgs,
) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let started = Instant::now();
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} entries {elapsed}") {
            bar.set_style(style);
        }
        bar
    });
    let report = journal.reindex(&mut |p| {
        if let Some(bar) = &bar {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    ui.reading(&report.skipped, &[]);
    ui.status(&format!(
        "Indexed {} ({} bad) and {} in {:.1} s.",
        crate::ui::count(report.entries, "entry", "entries"),
        report.skipped.len(),
        crate::ui::count(report.commits, "evidence commit", "evidence commits"),
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}
