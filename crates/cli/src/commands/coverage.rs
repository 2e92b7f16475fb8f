//! `journal coverage`: what the documents still lack, with nothing written.

use std::path::Path;

use clap::Args;

use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Say what the documents still lack, writing nothing: the story's tasks no entry covers, the
/// patterns not assessed, the assessments the evidence does not support, evidence that is
/// missing or not pushed, empty required sections, entries no section picks up.
///
/// One line per item, `KIND: …`; exits 1 when `compile --strict` would refuse.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// Only the entries of this story.
    #[arg(long, value_name = "S")]
    story: Option<String>,
    /// At most N items of each kind (the counts say how many there are).
    #[arg(long, value_name = "N", default_value_t = 20)]
    limit: usize,
    /// Print the report as JSON (the object of MCP `journal_coverage`).
    #[arg(long)]
    json: bool,
}

pub fn cmd_coverage(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &CoverageArgs,
) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let report = journal.coverage(args.story.clone(), args.limit.max(1))?;
    ui.reading(&report.skipped, &[]);
    if args.json {
        ui.json(&report)?;
    } else {
        print_report(ui, &report)?;
    }
    if report.refused_strict {
        return Err(CommandError::silent(crate::error::EXIT_ERROR));
    }
    Ok(())
}

/// One line per item on stdout, the counts on stderr.
fn print_report(ui: &mut Ui, report: &journal_lib::CoverageReport) -> Result<(), CommandError> {
    {
        for task in &report.uncovered_tasks {
            ui.data(&format!("task not covered: {} ({})", task.title, task.id))?;
        }
        for row in &report.not_assessed {
            let on = row
                .provider
                .as_deref()
                .map(|p| format!(" on {p}"))
                .unwrap_or_default();
            let stated = row
                .stated
                .as_deref()
                .map(|s| format!("; the newest entry states {s}"))
                .unwrap_or_default();
            ui.data(&format!(
                "not assessed: {}{on} ({} {}{stated})",
                row.pattern,
                row.entries,
                if row.entries == 1 { "entry" } else { "entries" }
            ))?;
        }
        for claim in &report.unsupported_claims {
            let on = claim
                .provider
                .as_deref()
                .map(|p| format!(" on {p}"))
                .unwrap_or_default();
            ui.data(&format!(
                "not supported: {}{on} {}: {}",
                claim.pattern, claim.level, claim.reason
            ))?;
        }
        for gap in &report.evidence {
            ui.data(&format!(
                "evidence {}: {} cited by {}",
                gap.problem, gap.commit, gap.entry
            ))?;
        }
        for section in &report.empty_sections {
            ui.data(&format!(
                "empty section: {}: {}",
                section.document, section.title
            ))?;
        }
        for entry in &report.unfiled {
            ui.data(&format!("unfiled: {} ({})", entry.title, entry.id))?;
        }
        let c = &report.counts;
        let n = |count: usize, one: &str, many: &str| {
            format!("{count} {}", if count == 1 { one } else { many })
        };
        let parts = [
            n(c.uncovered_tasks, "uncovered task", "uncovered tasks"),
            n(
                c.not_assessed,
                "pattern not assessed",
                "patterns not assessed",
            ),
            n(
                c.unsupported_claims,
                "unsupported claim",
                "unsupported claims",
            ),
            n(c.evidence, "evidence problem", "evidence problems"),
            n(c.empty_sections, "empty section", "empty sections"),
            n(c.unfiled, "unfiled entry", "unfiled entries"),
        ];
        let verdict = if report.refused_strict {
            ": `compile --strict` would refuse"
        } else {
            ""
        };
        ui.status(&format!("{}{verdict}.", parts.join(", ")));
    }
    Ok(())
}
