//! The infrastructure history of the demo repository, as data: [`DemoData::history_toml`]
//! lists the commits (date, message, and which file of `history_files` each path gets; the
//! binary embeds `crates/cli/demo-history/`). Identity, dates and contents are pinned, so
//! every commit id is the same on every machine, and the sample journal cites them.

use serde::Deserialize;

use super::DemoData;
use crate::error::{Error, Result};

/// One commit: its date (RFC 3339, local offset of the operator), message, and the whole new
/// content of each file it touches.
#[derive(Debug)]
pub struct InfraCommit<'a> {
    /// When, RFC 3339.
    pub date: String,
    /// The subject.
    pub message: String,
    /// Each path and its whole new content.
    pub files: Vec<(String, &'a str)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HistoryFile {
    commit: Vec<CommitEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommitEntry {
    date: String,
    message: String,
    /// `[path in the repository, file in history/]`.
    files: Vec<(String, String)>,
}

/// Returns the commits of `data`'s history, oldest first.
pub fn load<'a>(data: &DemoData<'a>) -> Result<Vec<InfraCommit<'a>>> {
    let bug = |what: String| Error::Internal(format!("demo history: {what}"));
    let parsed: HistoryFile = toml::from_str(data.history_toml).map_err(|e| bug(e.to_string()))?;
    parsed
        .commit
        .into_iter()
        .map(|c| {
            let files = c
                .files
                .into_iter()
                .map(|(path, name)| {
                    data.history_files
                        .iter()
                        .find(|(file, _)| *file == name)
                        .map(|(_, text)| (path, *text))
                        .ok_or_else(|| bug(format!("no file `{name}` in history/")))
                })
                .collect::<Result<_, _>>()?;
            Ok(InfraCommit {
                date: c.date,
                message: c.message,
                files,
            })
        })
        .collect()
}
