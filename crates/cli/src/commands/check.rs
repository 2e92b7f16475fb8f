//! `journal check`: validate every entry file, its vocabulary, ids and evidence.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use clap::Args;
use journal_entry::Problem;

use super::problem_line;
use crate::config;
use crate::error::CommandError;
use crate::ui::{self, Ui};

/// Check every entry: format, vocabulary, duplicate ids, missing evidence and superseded ids.
///
/// Prints each problem as `path:line: message` and exits 1 if there is any.
#[derive(Debug, Args)]
pub struct CheckArgs {}

pub fn cmd_check(
    ui: &mut Ui,
    journal: Option<&Path>,
    _args: &CheckArgs,
) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    let store = &journal.store;
    let files = store.scan()?;
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let ids: HashSet<&str> = files
        .iter()
        .filter_map(|f| f.entry.as_ref().ok())
        .map(|p| p.entry.id.as_str())
        .collect();
    let mut count = 0;
    for file in &files {
        let mut problems: Vec<Problem> = Vec::new();
        match &file.entry {
            Err(err) => problems.extend(err.problems.iter().cloned()),
            Ok(parsed) => {
                problems.extend(journal.config.vocabulary.problems(parsed));
                let entry = &parsed.entry;
                if let Some(other) = seen.insert(entry.id.clone(), file.rel_path.clone()) {
                    problems.push(Problem::at(
                        parsed.line_of("id"),
                        "id",
                        format!("duplicate id `{}`, also in {}", entry.id, other.display()),
                    ));
                }
                for old in entry
                    .supersedes
                    .iter()
                    .filter(|id| !ids.contains(id.as_str()))
                {
                    problems.push(Problem::at(
                        parsed.line_of("supersedes"),
                        "supersedes",
                        format!("`{old}` is not the id of any entry"),
                    ));
                }
                for evidence in &entry.commits {
                    let missing = match &evidence.repo {
                        Some(name) if store.repo_path(name).is_none() => Some(format!(
                            "`{evidence}` names repository `{name}`, which journal.toml's [repos] \
                             does not list"
                        )),
                        _ => {
                            match store.evidence_exists(evidence) {
                                Ok(true) => None,
                                Ok(false) => Some(format!(
                                    "evidence commit `{evidence}` does not exist in {}",
                                    evidence.repo.as_deref().map_or(
                                        "the journal's repository".to_owned(),
                                        |n| format!("repository `{n}`")
                                    )
                                )),
                                Err(e) => Some(crate::error::chain(&e)),
                            }
                        }
                    };
                    if let Some(message) = missing {
                        problems.push(Problem::at(parsed.line_of("commits"), "commits", message));
                    }
                }
            }
        }
        for problem in &problems {
            ui.data(&problem_line(&file.rel_path, problem))?;
        }
        count += problems.len();
    }
    let summary = format!(
        "checked {}: {}",
        ui::count(files.len(), "entry", "entries"),
        ui::count(count, "problem", "problems")
    );
    if count > 0 {
        return Err(CommandError::user(summary));
    }
    ui.status(&format!("Checked {} entries: no problems.", files.len()));
    Ok(())
}
