//! `journal sync`: pull (rebase) and push the journal's branch, so a team shares one journal.

use std::path::Path;

use clap::Args;
use journal_lib::Synced;

use crate::context;
use crate::error::CommandError;
use crate::ui::{Ui, count};

/// Share the journal through git: fetch, rebase onto the remote branch, push.
///
/// Entries are one file each, so operators adding at the same time never conflict. A push
/// that loses a race with another push is retried (fetch, rebase, push) up to three times. If
/// the same file was changed on both sides, the rebase is aborted, the branch is left exactly
/// as it was, and the files are named: nothing is lost. The search index follows the entries
/// that arrived. Uses the git command, with your credentials and ssh configuration.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The remote; default: the branch's upstream, else `origin`, else the only remote.
    #[arg(long, value_name = "NAME")]
    remote: Option<String>,
    /// Print {"remote", "branch", "pulled", "pushed", "retried", "received": [{"status",
    /// "path"}]} as JSON.
    #[arg(long)]
    json: bool,
}

pub fn cmd_sync(ui: &mut Ui, journal: Option<&Path>, args: &SyncArgs) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let synced = journal.sync(args.remote.clone())?;
    ui.reading(&synced.skipped, &synced.warnings);
    if args.json {
        ui.json(&synced)?;
    } else {
        for file in &synced.received {
            ui.status(&format!("  {:<8} {}", status_word(&file.status), file.path));
        }
        ui.status(&summary(&synced));
    }
    Ok(())
}

fn status_word(status: &str) -> &'static str {
    match status {
        "A" => "new",
        "D" => "removed",
        _ => "changed",
    }
}

fn summary(report: &Synced) -> String {
    let upstream = format!("{}/{}", report.remote, report.branch);
    let commits = |n: usize| count(n, "commit", "commits");
    let retried = match report.retried {
        0 => String::new(),
        n => format!(
            " (after {} lost to other pushes)",
            count(n, "attempt", "attempts")
        ),
    };
    let arrived = match report.received.len() {
        0 => String::new(),
        n => format!(" ({} arrived)", count(n, "entry file", "entry files")),
    };
    match (report.pulled, report.pushed) {
        (0, 0) => format!("Already in sync with {upstream}."),
        (pulled, 0) => format!(
            "Pulled {} from {upstream}{arrived}; nothing to push.",
            commits(pulled)
        ),
        (0, pushed) => format!("Pushed {} to {upstream}{retried}.", commits(pushed)),
        (pulled, pushed) => format!(
            "Pulled {} from {upstream}{arrived} and pushed {}{retried}.",
            commits(pulled),
            commits(pushed)
        ),
    }
}
