//! `journal status`: the watcher, the index, uncommitted entry files and evidence repositories.

use std::path::Path;

use clap::Args;
use journal_daemon::{STUCK_AFTER, WatchFiles, WatcherHealth, probe, wall_clock};
use journal_index::JournalIndex;
use serde_json::{Value, json};

use crate::config::{self, Journal};
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

/// What a reading command does, depending on the watcher.
const WITH_WATCHER: &str = "reading commands answer from the index at once";
const WITHOUT_WATCHER: &str = "without a watcher, each reading command first checks every \
                               entry file (one stat each) and the repositories' heads itself";

pub fn cmd_status(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &StatusArgs,
) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    let now = wall_clock();
    let files = WatchFiles::in_git_dir(journal.store.repo().git_dir());
    let health = probe(&files, now);
    let heartbeat = health.heartbeat();
    let (state, running, pid) = match &health {
        WatcherHealth::NotRunning => ("not running", false, None),
        WatcherHealth::Starting { pid, .. } => ("starting", true, Some(pid.clone())),
        WatcherHealth::Stuck { pid, .. } => ("stuck", true, Some(pid.clone())),
        WatcherHealth::Healthy(h) => ("running", true, Some(h.pid.to_string())),
    };
    let uptime = heartbeat
        .filter(|_| running)
        .map(|h| (now - h.started).num_seconds().max(0));

    let index = JournalIndex::open_within(&journal.index_dir(), STUCK_AFTER)?;
    let recorded = index.recorded_report()?;
    let entries = recorded.files.saturating_sub(recorded.bad.len());
    let commits = index.commit_count()?;
    let fresh = index.is_fresh(&journal.store)?;
    let uncommitted = journal.store.uncommitted()?;
    let repos = repos(&journal, &index)?;
    let healthy = matches!(health, WatcherHealth::Healthy(_));

    if args.json {
        let object = json!({
            "watcher": {
                "running": running,
                "state": state,
                "pid": pid.as_deref().and_then(|p| p.parse::<u32>().ok()),
                "uptime_s": uptime,
                "last_sync": heartbeat.and_then(|h| h.last_sync).map(|t| t.to_rfc3339()),
                "last_sync_ms": heartbeat.and_then(|h| h.last_sync_ms),
                "lag_ms": heartbeat.and_then(|h| h.lag_ms),
                "last_error": heartbeat.and_then(|h| h.last_error.clone()),
            },
            "index": {
                "dir": journal.index_dir().to_string_lossy(),
                "entries": entries,
                "bad": recorded.bad.len(),
                "commits": commits,
                "fresh": fresh,
            },
            "uncommitted": uncommitted,
            "repos": repos,
            "reading": if healthy { WITH_WATCHER } else { WITHOUT_WATCHER },
        });
        return ui.data(&object.to_string());
    }

    let watcher = match (&health, heartbeat) {
        (WatcherHealth::NotRunning, _) => "not running".to_owned(),
        (_, Some(h)) => {
            let mut line = format!(
                "{state} (pid {}, up {})",
                h.pid,
                duration(uptime.unwrap_or_default())
            );
            if let Some(last) = h.last_sync {
                line.push_str(&format!(
                    ", last sync {} ago",
                    duration((now - last).num_seconds().max(0))
                ));
            }
            if let Some(lag) = h.lag_ms {
                line.push_str(&format!(", lag {lag} ms"));
            }
            if let Some(err) = &h.last_error {
                line.push_str(&format!(", last error: {err}"));
            }
            line
        }
        (_, None) => format!("{state} (pid {})", pid.unwrap_or_default()),
    };
    ui.data(&format!("watcher:  {watcher}"))?;
    ui.data(&format!(
        "index:    {entries} entries, {} bad, {commits} commits, {} ({})",
        recorded.bad.len(),
        if fresh {
            "fresh"
        } else {
            "stale until the next command"
        },
        journal.index_dir().display()
    ))?;
    ui.data(&format!("uncommitted entry files: {}", uncommitted.len()))?;
    for path in &uncommitted {
        ui.data(&format!("  {path}"))?;
    }
    ui.data("repositories:")?;
    if let Value::Object(repos) = &repos {
        for (name, repo) in repos {
            let state = match repo["head"].as_str() {
                None if repo["exists"] == json!(false) => "missing".to_owned(),
                None => "no commits".to_owned(),
                Some(head) => format!(
                    "head {}, {}",
                    &head[..head.len().min(10)],
                    if repo["indexed"] == json!(true) {
                        "indexed"
                    } else {
                        "not indexed yet"
                    }
                ),
            };
            ui.data(&format!(
                "  {name:<10} {}  {state}",
                repo["path"].as_str().unwrap_or_default()
            ))?;
        }
    }
    ui.data(if healthy {
        WITH_WATCHER
    } else {
        WITHOUT_WATCHER
    })
}

/// The journal's repository (as `.`) and each `[repos.NAME]`: path, whether it exists, its
/// head, and whether the index has its commits up to that head.
fn repos(journal: &Journal, index: &JournalIndex) -> Result<Value, CommandError> {
    let mut repos = serde_json::Map::new();
    let own = journal.store.repo();
    let head = own.head()?;
    repos.insert(
        ".".into(),
        json!({
            "path": own.workdir().to_string_lossy(),
            "exists": true,
            "head": head,
            "indexed": head.is_none() || index.commit_tip(None)? == head,
        }),
    );
    for name in journal.store.repo_names() {
        let path = journal.store.repo_path(&name).unwrap_or_default();
        let repo = journal.store.named_repo(&name).ok().flatten();
        let head = match &repo {
            Some(repo) => repo.head()?,
            None => None,
        };
        let tip = index.commit_tip(Some(&name))?;
        repos.insert(
            name,
            json!({
                "path": path.to_string_lossy(),
                "exists": repo.is_some(),
                "head": head,
                "indexed": head.is_none() || tip == head,
            }),
        );
    }
    Ok(Value::Object(repos))
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
