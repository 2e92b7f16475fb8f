//! `journal status`: the watcher, the index, uncommitted entry files and evidence repositories.

use std::path::Path;

use clap::Args;
use journal_lib::StatusReport;

use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Show whether the watcher runs, how fresh the index is, and what is not committed.
///
/// Reads only: unlike search or list, status does not bring the index up to date, so it
/// shows whether it is.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print one JSON object: {"watcher": {…}, "index": {…}, "uncommitted": […], "repos": {…}}.
    #[arg(long)]
    json: bool,
}

pub fn cmd_status(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &StatusArgs,
) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let status = journal.status()?;
    if args.json {
        return ui.json(&status);
    }
    print(ui, &status)
}

fn print(ui: &mut Ui, status: &StatusReport) -> Result<(), CommandError> {
    let w = &status.watcher;
    let watcher = match (w.running, w.pid) {
        (false, _) => "not running".to_owned(),
        (true, Some(pid)) => {
            let mut line = format!(
                "{} (pid {pid}, up {})",
                w.state,
                duration(w.uptime_s.unwrap_or_default())
            );
            if let Some(ago) = w.last_sync_ago_s {
                line.push_str(&format!(", last sync {} ago", duration(ago)));
            }
            if let Some(lag) = w.lag_ms {
                line.push_str(&format!(", lag {lag} ms"));
            }
            if let Some(err) = &w.last_error {
                line.push_str(&format!(", last error: {err}"));
            }
            line
        }
        (true, None) => format!("{} (pid unknown)", w.state),
    };
    ui.data(&format!("watcher:  {watcher}"))?;
    let index = &status.index;
    ui.data(&format!(
        "index:    {} entries, {} bad, {} commits, {} ({})",
        index.entries,
        index.bad,
        index.commits,
        if index.fresh {
            "fresh"
        } else {
            "stale until the next command"
        },
        index.dir
    ))?;
    if let Some(problem) = &index.problem {
        ui.data(&format!("          the index: {problem}"))?;
    }
    ui.data(&format!(
        "uncommitted entry files: {}",
        status.uncommitted.len()
    ))?;
    for path in &status.uncommitted {
        ui.data(&format!("  {path}"))?;
    }
    ui.data("repositories:")?;
    for (name, repo) in &status.repos {
        let state = match &repo.head {
            None if !repo.exists => "missing".to_owned(),
            None => "no commits".to_owned(),
            Some(head) => format!(
                "head {}, {}",
                &head[..head.len().min(10)],
                if repo.indexed {
                    "indexed"
                } else {
                    "not indexed yet"
                }
            ),
        };
        ui.data(&format!("  {name:<10} {}  {state}", repo.path))?;
    }
    ui.data(status.reading)
}

/// Returns seconds as `45s`, `3m 5s`, `2h 4m` or `3d 2h`.
fn duration(seconds: i64) -> String {
    match seconds {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m {}s", s / 60, s % 60),
        s if s < 86_400 => format!("{}h {}m", s / 3600, (s % 3600) / 60),
        s => format!("{}d {}h", s / 86_400, (s % 86_400) / 3600),
    }
}
