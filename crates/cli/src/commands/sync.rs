//! `journal sync`: pull (rebase) and push the journal's branch, so a team shares one journal.

use std::path::Path;

use clap::Args;
use journal_store::{SyncError, SyncOptions, SyncReport};
use serde_json::json;

use crate::config;
use crate::error::CommandError;
use crate::freshness;
use crate::ui::{Ui, count};

/// How many times a push that lost a race with another push is retried.
const RETRIES: usize = 3;

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
    let journal = config::open(journal)?;
    let store = &journal.store;
    let options = SyncOptions {
        remote: args.remote.clone(),
        retries: RETRIES,
        entries: store.rel_path(store.entries_dir()),
    };
    let report = store.repo().sync(&options).map_err(sync_error)?;
    if !report.received.is_empty() {
        // With a watcher, bring the index up to date at once; without one, now rather than at
        // the next search, so that bad files that arrived are reported here.
        freshness::after_write(ui, &journal);
        freshness::fresh_index(ui, &journal)?;
    }
    if args.json {
        let received: Vec<_> = report
            .received
            .iter()
            .map(|(status, path)| json!({"status": status.to_string(), "path": path}))
            .collect();
        let object = json!({
            "remote": report.remote,
            "branch": report.remote_branch,
            "pulled": report.pulled,
            "pushed": report.pushed,
            "retried": report.retried,
            "received": received,
        });
        ui.data(&object.to_string())?;
    } else {
        for (status, path) in &report.received {
            ui.status(&format!("  {:<8} {path}", status_word(*status)));
        }
        ui.status(&summary(&report));
    }
    Ok(())
}

fn status_word(status: char) -> &'static str {
    match status {
        'A' => "new",
        'D' => "removed",
        _ => "changed",
    }
}

fn summary(report: &SyncReport) -> String {
    let upstream = format!("{}/{}", report.remote, report.remote_branch);
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

/// Turns a stopped sync into an error with what to do next.
fn sync_error(err: SyncError) -> CommandError {
    let message = format!("sync stopped: {err}");
    match err {
        SyncError::Conflict { upstream, head, .. } => CommandError::user(message)
            .hint(format!(
                "nothing was lost: the rebase was aborted and the branch is back at {}, as \
                 before the sync; {upstream} keeps the other side",
                &head[..head.len().min(10)]
            ))
            .hint(
                "to merge by hand: git pull --rebase, edit each file named above, git add it, \
                 git rebase --continue; then journal sync",
            ),
        SyncError::Raced { upstream, .. } => CommandError::user(message).hint(format!(
            "others are pushing to {upstream} right now; your commits are safe on this \
             branch: run journal sync again"
        )),
        SyncError::Dirty(_) => CommandError::user(message).hint(
            "commit or stash them first (journal edit commits an entry; git commit or git \
             stash for other files)",
        ),
        SyncError::Detached => {
            CommandError::user(message).hint("switch to the journal's branch: git switch BRANCH")
        }
        SyncError::NoRemote => CommandError::user(message)
            .hint("add one: git remote add origin URL (a bare repository on a shared disk works)"),
        SyncError::AmbiguousRemote(_) | SyncError::UnknownRemote(_) => {
            CommandError::user(message).hint("name one with --remote NAME (see git remote -v)")
        }
        SyncError::InProgress(what) => CommandError::user(message).hint(format!(
            "finish or abort the {what} first (git status tells how)"
        )),
        SyncError::NoGit(_) => {
            CommandError::user(message).hint("sync runs the git command: install git")
        }
        _ => CommandError::user(message),
    }
}
