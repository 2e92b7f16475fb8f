//! `journal tags`: how many entries carry each provider, pattern, kind, confidence, story, tag.

use std::path::Path;

use clap::Args;

use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Count the entries per provider, pattern, kind, confidence, story and free tag.
#[derive(Debug, Args)]
pub struct TagsArgs {
    /// Print one JSON object: {"provider": {"hetzner": 3, …}, "pattern": {…}, …, "tags": {…}}.
    #[arg(long)]
    json: bool,
}

pub fn cmd_tags(ui: &mut Ui, journal: Option<&Path>, args: &TagsArgs) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let report = journal.tags()?;
    ui.reading(&report.skipped, &report.warnings);
    if args.json {
        ui.json(&report)?;
        return ui.finish_reading(&report.skipped);
    }
    for (name, counts) in report.groups() {
        if counts.is_empty() {
            continue;
        }
        ui.data(&format!("{name}:"))?;
        // Most used first, then by name as people count (story 1.9 before 1.10).
        let mut sorted: Vec<(&String, &u64)> = counts.iter().collect();
        sorted.sort_by(|a, b| {
            b.1.cmp(a.1)
                .then_with(|| journal_entry::story_order(a.0, b.0))
        });
        for (value, count) in sorted {
            ui.data(&format!("  {count:>6}  {value}"))?;
        }
    }
    ui.finish_reading(&report.skipped)
}
