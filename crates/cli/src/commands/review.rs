//! `journal review`: mark "reviewed up to here" for the current git user, or show what
//! changed since the last review.

use std::path::Path;

use clap::Args;
use journal_lib::SinceReview;

use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Mark the journal reviewed up to HEAD for the current git user (kept in git under
/// refs/journal/reviews/, so it syncs), after printing what the review covers.
///
/// `journal list --since-review` lists the entries new or edited since; the web page's home
/// shows them too.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// Show what changed since the last review, and mark nothing.
    #[arg(long)]
    show: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn cmd_review(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &ReviewArgs,
) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    if args.show {
        let since = journal.since_review()?;
        if args.json {
            return ui.json(&since);
        }
        print_since(ui, &since)?;
        return Ok(());
    }
    let marked = journal.mark_review()?;
    if args.json {
        return ui.json(&marked);
    }
    print_since(ui, &marked.covered)?;
    ui.status(&format!(
        "Reviewed up to {} for {}.",
        &marked.commit[..marked.commit.len().min(10)],
        marked.covered.user
    ));
    Ok(())
}

/// Prints the entries one per line (`+` added, `~` edited, `-` removed), then the counts.
fn print_since(ui: &mut Ui, since: &SinceReview) -> Result<(), CommandError> {
    for e in &since.added {
        ui.data(&format!("+ {}  {}", e.id, e.title))?;
    }
    for e in &since.changed {
        ui.data(&format!("~ {}  {}", e.id, e.title))?;
    }
    for path in &since.removed {
        ui.data(&format!("- {path}"))?;
    }
    let when = match &since.reviewed_at {
        Some(at) => format!("since the review of {}", &at[..at.len().min(10)]),
        None => "never reviewed".to_owned(),
    };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut parts = vec![
        plural(since.added.len(), "new entry", "new entries"),
        plural(since.changed.len(), "edited", "edited"),
        plural(since.removed.len(), "removed", "removed"),
    ];
    if !since.assessments.is_empty() {
        parts.push(plural(since.assessments.len(), "assessment", "assessments"));
    }
    if !since.superseded.is_empty() {
        parts.push(plural(since.superseded.len(), "superseded", "superseded"));
    }
    if !since.became_pushed.is_empty() {
        parts.push(format!(
            "{} now pushed",
            plural(
                since.became_pushed.len(),
                "evidence commit",
                "evidence commits"
            )
        ));
    }
    if !since.became_missing.is_empty() {
        parts.push(format!(
            "{} now missing",
            plural(
                since.became_missing.len(),
                "evidence commit",
                "evidence commits"
            )
        ));
    }
    ui.status(&format!("{} ({when}).", parts.join(", ")));
    if !since.uncommitted.is_empty() {
        ui.warning(&format!(
            "{} not committed, not part of a review: {}",
            plural(since.uncommitted.len(), "entry file", "entry files"),
            since.uncommitted.join(", ")
        ));
    }
    Ok(())
}
