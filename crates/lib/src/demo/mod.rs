//! `journal demo`'s repository: an infrastructure history with pinned ids (`history`), and a
//! sample journal whose entries cite those ids. The data comes from the caller
//! ([`DemoData`]: the binary embeds the repository's `journal/` folder and its demo history),
//! so this crate carries none of it.

mod history;

use std::path::Path;

use chrono::DateTime;
use journal_store::{GitRepo, Identity, PinnedCommit};

use crate::config;
use crate::error::{Error, Result};

/// What the demo repository is made of.
#[derive(Debug, Clone, Copy)]
pub struct DemoData<'a> {
    /// The sample journal: each entry's path under the entries folder (`2026/10/<id>.md`),
    /// and its text.
    pub entries: &'a [(&'a str, &'a str)],
    /// The infrastructure history: `[[commit]]` tables of `date`, `message` and `files`
    /// (`[path in the repository, name in history_files]`).
    pub history_toml: &'a str,
    /// The file versions the commits write, by name.
    pub history_files: &'a [(&'a str, &'a str)],
}

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
pub fn create(dir: &Path, data: &DemoData<'_>) -> Result<DemoRepo> {
    let repo = GitRepo::init(dir, "main")?;
    let who = operator();
    let history = history::load(data)?;
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

    // The sample journal carries story 1.11's task list.
    let toml = config::initial_toml() + include_str!("story-tasks.toml");
    let mut files: Vec<(String, &[u8])> = vec![(config::FILE_NAME.to_owned(), toml.as_bytes())];
    for (rel, text) in data.entries {
        files.push((format!("journal/{rel}"), text.as_bytes()));
    }
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), *b)).collect();
    let message = format!("journal: Phase 0 notes ({} entries)\n", data.entries.len());
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
        entries: data.entries.len(),
    })
}

fn pinned_date(text: &str) -> Result<DateTime<chrono::FixedOffset>> {
    DateTime::parse_from_rfc3339(text)
        .map_err(|e| Error::Internal(format!("demo history: bad date `{text}`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A history of two commits and one entry citing the first.
    const HISTORY: &str = "\
[[commit]]
date = \"2026-10-01T10:00:00+02:00\"
message = \"terranix: first server\"
files = [[\"main.tf.nix\", \"main-v1\"]]

[[commit]]
date = \"2026-10-02T10:00:00+02:00\"
message = \"terranix: second server\"
files = [[\"main.tf.nix\", \"main-v2\"]]
";

    #[test]
    fn the_repository_holds_the_history_then_the_entries_and_ids_are_pinned() {
        let files = [("main-v1", "{ one = 1; }\n"), ("main-v2", "{ two = 2; }\n")];
        let make = |entry: &str| {
            let dir = tempfile::tempdir().expect("tempdir");
            let entries = [("2026/10/20261003T080000Z-first.md", entry)];
            let data = DemoData {
                entries: &entries,
                history_toml: HISTORY,
                history_files: &files,
            };
            let made = create(&dir.path().join("demo"), &data).expect("demo repository");
            (dir, made)
        };
        let (_dir, made) = make("---\ndate: 2026-10-03T10:00:00+02:00\ntitle: First\n---\n");
        assert_eq!(made.infra.len(), 2);
        assert_eq!(made.infra[0].1, "terranix: first server");
        assert_eq!(made.entries, 1);
        let (_again, again) = make("---\ndate: 2026-10-03T10:00:00+02:00\ntitle: First\n---\n");
        assert_eq!(made.infra, again.infra, "the same commit ids on every run");
    }

    #[test]
    fn a_history_naming_a_missing_file_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = DemoData {
            entries: &[],
            history_toml: HISTORY,
            history_files: &[("main-v1", "{ }\n")],
        };
        let err = create(&dir.path().join("demo"), &data).unwrap_err();
        assert!(
            err.message().contains("no file `main-v2`"),
            "{}",
            err.message()
        );
    }
}
