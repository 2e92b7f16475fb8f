//! `check`: every entry file validated at once: its format, its vocabulary, duplicate ids,
//! missing evidence and superseded ids that name no entry.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use journal_entry::Problem;
use serde::Serialize;

use crate::error::Result;
use crate::journal::Journal;

/// What [`Journal::check`] found.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// Entry files checked.
    pub files: usize,
    /// Every problem, as `path:line: field `f`: message`, by file.
    pub problems: Vec<String>,
    /// What is odd but not wrong (evidence made after its entry, a date without offset, a
    /// short commit id), in the same form.
    pub warnings: Vec<String>,
    /// The files rewritten in canonical form by [`Journal::fix`], relative to the working
    /// tree, with the commit that recorded each (if one was made).
    pub fixed: Vec<(String, Option<String>)>,
}

impl Journal {
    /// Checks every entry file; `now` (the front end's clock) tells which are dated in the
    /// future (a machine with a wrong clock wrote them).
    pub fn check(&self, now: chrono::DateTime<chrono::FixedOffset>) -> Result<CheckReport> {
        let store = &self.store;
        let files = store.scan()?;
        let mut seen: HashMap<String, PathBuf> = HashMap::new();
        let ids: HashSet<&str> = files
            .iter()
            .filter_map(|f| f.entry.as_ref().ok())
            .map(|p| p.entry.id.as_str())
            .collect();
        let mut lines = Vec::new();
        let mut warnings = Vec::new();
        for file in &files {
            let mut problems: Vec<Problem> = Vec::new();
            // Every problem of a file at once: past a parse problem, the fields that did parse
            // are checked too (vocabulary, evidence, superseded ids).
            let (parsed, complete) = match &file.entry {
                Ok(parsed) => (Some(parsed), true),
                Err(err) => {
                    problems.extend(err.problems.iter().cloned());
                    (err.partial.0.as_deref(), false)
                }
            };
            if let Some(parsed) = parsed {
                problems.extend(self.config.vocabulary.problems(parsed));
                let rel = file.rel_path.to_string_lossy();
                warnings.extend(
                    parsed
                        .normalized
                        .iter()
                        .map(|p| p.located(&rel).to_string()),
                );
                let entry = &parsed.entry;
                warnings.extend(in_the_future(parsed, now).map(|p| p.located(&rel).to_string()));
                if complete
                    && let Some(other) = seen.insert(entry.id.clone(), file.rel_path.clone())
                {
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
                    if let Some(message) = self.missing_evidence(evidence) {
                        problems.push(Problem::at(parsed.line_of("commits"), "commits", message));
                    } else if complete && let Some(message) = newer_than(self, evidence, entry) {
                        let p = Problem::at(parsed.line_of("commits"), "commits", message);
                        warnings.push(p.located(&file.rel_path.to_string_lossy()).to_string());
                    }
                }
            }
            problems.sort_by_key(|p| p.line.unwrap_or(0));
            let rel = file.rel_path.to_string_lossy();
            lines.extend(problems.iter().map(|p| p.located(&rel).to_string()));
        }
        Ok(CheckReport {
            files: files.len(),
            problems: lines,
            warnings,
            fixed: Vec::new(),
        })
    }

    /// Checks every entry file, and rewrites those read in a form the tool does not write (a
    /// date without offset, a short commit id) in the canonical form, each committed as an
    /// edit unless `no_commit`. A file with problems is left alone.
    pub fn fix(
        &self,
        no_commit: bool,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<CheckReport> {
        let mut report = self.check(now)?;
        let commit = self.commits(no_commit);
        for file in self.store.scan()? {
            let Ok(parsed) = &file.entry else { continue };
            if parsed.normalized.is_empty() || !self.config.vocabulary.problems(parsed).is_empty() {
                continue;
            }
            let text = parsed.entry.to_file_string();
            let (sha, index_error) =
                self.store
                    .replace(&file, &text, &parsed.entry.title, commit)?;
            report
                .warnings
                .extend(index_error.map(crate::change::index_warning));
            report
                .fixed
                .push((file.rel_path.to_string_lossy().into_owned(), sha));
        }
        report.warnings.extend(self.after_write());
        Ok(report)
    }

    /// Returns why an evidence commit cannot be followed, if it cannot.
    fn missing_evidence(&self, evidence: &journal_entry::Evidence) -> Option<String> {
        let store = &self.store;
        match &evidence.repo {
            Some(name) if store.repo_path(name).is_none() => Some(format!(
                "`{evidence}` names repository `{name}`, which journal.toml's [repos] does not \
                 list"
            )),
            _ => match store.evidence_exists(evidence) {
                Ok(true) => None,
                Ok(false) => Some(format!(
                    "evidence commit `{evidence}` does not exist in {}",
                    evidence
                        .repo
                        .as_deref()
                        .map_or("the journal's repository".to_owned(), |n| format!(
                            "repository `{n}`"
                        ))
                )),
                Err(e) => Some(crate::error::chain(&e)),
            },
        }
    }
}

/// The warning for an entry dated more than [`journal_entry::CLOCK_SKEW_S`] after `now` (a
/// machine with a wrong clock wrote it).
fn in_the_future(
    parsed: &journal_entry::ParsedEntry,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> Option<Problem> {
    let date = parsed.entry.date;
    (date.timestamp() > now.timestamp() + journal_entry::CLOCK_SKEW_S).then(|| {
        Problem::at(
            parsed.line_of("date"),
            "date",
            format!(
                "{} is in the future (now {}): was the clock of the machine that wrote it wrong?",
                date.to_rfc3339(),
                now.to_rfc3339()
            ),
        )
    })
}

/// Returns a warning when `evidence` was committed after `entry`'s date, beyond clock skew
/// ([`journal_entry::made_after`]).
pub(crate) fn newer_than(
    journal: &Journal,
    evidence: &journal_entry::Evidence,
    entry: &journal_entry::Entry,
) -> Option<String> {
    let made = journal_entry::made_after(&entry.date, journal.store.evidence_time(evidence)?)?;
    Some(format!(
        "evidence commit `{evidence}` was made after the entry ({made}; the entry is dated {})",
        entry.date.format("%Y-%m-%d %H:%M %:z")
    ))
}
