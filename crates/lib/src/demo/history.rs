//! The infrastructure history of the demo repository, as data: `history/history.toml` lists
//! the commits (date, message, and which file of `history/` each path gets), and the crate's
//! build.rs
//! embeds the folder in the binary. Identity, dates and contents are pinned, so every commit
//! id is the same on every machine, and the sample journal cites them.

use serde::Deserialize;

use crate::error::{Error, Result};

include!(concat!(env!("OUT_DIR"), "/demo_history.rs"));

/// One commit: its date (RFC 3339, local offset of the operator), message, and the whole new
/// content of each file it touches.
#[derive(Debug)]
pub struct InfraCommit {
    /// When, RFC 3339.
    pub date: String,
    /// The subject.
    pub message: String,
    /// Each path and its whole new content.
    pub files: Vec<(String, &'static str)>,
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

/// Returns the commits, oldest first.
pub fn load() -> Result<Vec<InfraCommit>> {
    let bug = |what: String| Error::Internal(format!("demo history: {what}"));
    let parsed: HistoryFile = toml::from_str(HISTORY_TOML).map_err(|e| bug(e.to_string()))?;
    parsed
        .commit
        .into_iter()
        .map(|c| {
            let files = c
                .files
                .into_iter()
                .map(|(path, name)| {
                    HISTORY_FILES
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_history_reads_and_every_file_is_used() {
        assert_eq!(super::load().unwrap().len(), 20);
        for (name, _) in super::HISTORY_FILES {
            let cited = format!("\"{name}\"]");
            assert!(
                super::HISTORY_TOML.contains(&cited),
                "history/{name} is not used"
            );
        }
    }
}
