//! Test helpers: [`TestRepo`], a temporary git repository with a pinned identity and pinned
//! commit dates, holding a journal, so the library crates test their operations on real
//! files and real git without the binary.
//!
//! ```
//! let repo = journal_testutils::TestRepo::journal();
//! let sha = repo.commit("terranix: hcloud server", &[("infra/main.tf", "# tf\n")]);
//! assert_eq!(sha.len(), 40);
//! ```
#![deny(missing_docs)]
#![allow(clippy::missing_panics_doc)] // helpers for tests: a failure is the test's failure

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, FixedOffset};
use journal_store::{GitRepo, Identity, PinnedCommit};

/// The pinned moment of the first commit; each later commit is one hour after the one before.
pub const EPOCH: &str = "2026-10-05T09:00:00+02:00";

/// The journal.toml of [`TestRepo::journal`]: the built-in vocabulary, entries in `journal/`.
pub const JOURNAL_TOML: &str = "entries = \"journal\"\ncommit = true\n";

/// The identity of every commit.
pub fn operator() -> Identity {
    Identity {
        name: "Ops".to_owned(),
        email: "ops@example.org".to_owned(),
    }
}

/// A temporary git repository on branch `main`, deleted when dropped.
#[derive(Debug)]
pub struct TestRepo {
    _dir: tempfile::TempDir,
    /// The working tree (canonical path).
    pub root: PathBuf,
    repo: GitRepo,
    commits: std::cell::Cell<i64>,
}

impl TestRepo {
    /// Returns an empty repository whose own config names [`operator`] as user.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path().join("repo");
        let repo = GitRepo::init(&root, "main").expect("git init");
        let who = operator();
        repo.set_config("user.name", &who.name).expect("user.name");
        repo.set_config("user.email", &who.email)
            .expect("user.email");
        Self {
            root: root.canonicalize().expect("canonical path"),
            _dir: dir,
            repo,
            commits: std::cell::Cell::new(0),
        }
    }

    /// Returns a repository holding a journal: [`JOURNAL_TOML`] committed, `journal/` made.
    pub fn journal() -> Self {
        Self::journal_with(JOURNAL_TOML)
    }

    /// Returns a repository holding a journal with this journal.toml, committed.
    pub fn journal_with(toml: &str) -> Self {
        let repo = Self::new();
        repo.commit("journal: init", &[("journal.toml", toml)]);
        std::fs::create_dir_all(repo.root.join("journal")).expect("entries folder");
        repo
    }

    /// Returns the repository.
    pub fn git(&self) -> &GitRepo {
        &self.repo
    }

    /// Returns `rel` under the working tree.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes `text` to `rel` (folders created), without committing.
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).expect("folders");
        std::fs::write(&path, text).expect("write");
        path
    }

    /// Writes the files and commits them as [`operator`], one hour after the last pinned
    /// commit; returns the SHA.
    pub fn commit(&self, subject: &str, files: &[(&str, &str)]) -> String {
        let n = self.commits.get();
        self.commits.set(n + 1);
        let files: Vec<(&str, &[u8])> = files.iter().map(|(p, t)| (*p, t.as_bytes())).collect();
        self.repo
            .commit_pinned(
                &operator(),
                &PinnedCommit {
                    when: epoch() + Duration::hours(n),
                    message: &format!("{subject}\n"),
                    files: &files,
                },
            )
            .expect("commit")
    }
}

impl Default for TestRepo {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs the git command in `dir`, without the user's or the system's git configuration,
/// and returns its stdout, trimmed; panics when git fails.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// Returns [`EPOCH`] as a date.
pub fn epoch() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(EPOCH).expect("EPOCH is RFC 3339")
}

/// Returns the text of an entry file: the front matter lines given (`provider: [hetzner]`)
/// after `id`, `date` and `title`, then the body.
pub fn entry_text(id: &str, date: &str, title: &str, fields: &[&str], body: &str) -> String {
    let mut text = format!("---\nid: {id}\ndate: {date}\ntitle: {title}\n");
    for field in fields {
        text.push_str(field);
        text.push('\n');
    }
    text.push_str("---\n");
    text.push_str(body);
    text
}
