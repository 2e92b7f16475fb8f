//! `journal demo`'s repository: an infrastructure history with pinned ids (`history`), and
//! the sample journal of Phase 0 (the repository's `journal/` folder, embedded at build time)
//! whose entries cite those ids.

mod history;

use std::path::Path;

use chrono::DateTime;
use journal_store::{GitRepo, Identity, PinnedCommit};

use crate::config;
use crate::error::{Error, Result};

include!(concat!(env!("OUT_DIR"), "/sample_journal.rs"));

/// The remote the demo repository claims to be published at: a GitHub URL, so the compiled
/// documents show real commit links.
pub const REMOTE_URL: &str = "https://github.com/example-ops/phase0-infra.git";

/// When the sample journal is committed: the end of Phase 0.
const JOURNAL_COMMIT_DATE: &str = "2026-10-24T18:00:00+02:00";

/// The operator of the demo history.
pub fn operator() -> Identity {
    Identity {
        name: "Ops".to_owned(),
        email: "ops@example.org".to_owned(),
    }
}

/// What [`create`] made.
#[derive(Debug)]
pub struct DemoRepo {
    /// The infrastructure commits, oldest first: (SHA, subject).
    pub infra: Vec<(String, String)>,
    /// The number of sample entries committed.
    pub entries: usize,
}

/// Creates the demo repository in `dir` (existing and empty, or missing): the infrastructure
/// history, then journal.toml and the sample entries in one commit, everything marked as
/// pushed to [`REMOTE_URL`].
pub fn create(dir: &Path) -> Result<DemoRepo> {
    let repo = GitRepo::init(dir, "main")?;
    let who = operator();
    let history = history::load()?;
    let mut infra = Vec::with_capacity(history.len());
    for commit in history {
        let files: Vec<(&str, &[u8])> = commit
            .files
            .iter()
            .map(|(path, text)| (path.as_str(), text.as_bytes()))
            .collect();
        let sha = repo.commit_pinned(
            &who,
            &PinnedCommit {
                when: pinned_date(&commit.date)?,
                message: &format!("{}\n", commit.message),
                files: &files,
            },
        )?;
        infra.push((sha, commit.message));
    }

    let toml = config::initial_toml();
    let mut files: Vec<(String, &[u8])> = vec![(config::FILE_NAME.to_owned(), toml.as_bytes())];
    for (rel, text) in SAMPLE_ENTRIES {
        files.push((format!("journal/{rel}"), text.as_bytes()));
    }
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    let message = format!(
        "journal: Phase 0 notes ({} entries)\n",
        SAMPLE_ENTRIES.len()
    );
    repo.commit_pinned(
        &who,
        &PinnedCommit {
            when: pinned_date(JOURNAL_COMMIT_DATE)?,
            message: &message,
            files: &files,
        },
    )?;
    repo.set_config("user.name", &who.name)?;
    repo.set_config("user.email", &who.email)?;
    repo.add_published_remote("origin", REMOTE_URL, "main")?;
    Ok(DemoRepo {
        infra,
        entries: SAMPLE_ENTRIES.len(),
    })
}

fn pinned_date(text: &str) -> Result<DateTime<chrono::FixedOffset>> {
    DateTime::parse_from_rfc3339(text)
        .map_err(|e| Error::Internal(format!("demo history: bad date `{text}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_entry_parses_and_cites_only_demo_commits() {
        let dir = tempfile::tempdir().expect("tempdir");
        let made = create(&dir.path().join("demo")).expect("demo repository");
        let shas: Vec<&str> = made.infra.iter().map(|(sha, _)| sha.as_str()).collect();
        assert!(SAMPLE_ENTRIES.len() >= 60, "{}", SAMPLE_ENTRIES.len());
        for (rel, text) in SAMPLE_ENTRIES {
            let stem = rel.rsplit('/').next().and_then(|n| n.strip_suffix(".md"));
            let entry = journal_entry::parse_entry(text, stem)
                .unwrap_or_else(|e| panic!("journal/{rel}: {e}"))
                .entry;
            for cited in &entry.commits {
                assert!(
                    shas.contains(&cited.sha.as_str()),
                    "journal/{rel} cites {}, not a demo commit",
                    cited.sha
                );
            }
        }
    }
}
