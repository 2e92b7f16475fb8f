//! The store's one error type.

use std::path::PathBuf;

/// Returned by every fallible store operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The journal folder is not inside a git working tree.
    #[error("{path} is not inside a git repository")]
    NotARepository {
        /// The folder searched from.
        path: PathBuf,
        /// What git2 said.
        #[source]
        source: GitError,
    },
    /// The repository uses an object format journal's git library cannot read (SHA-256).
    #[error("{} is in a git repository with {format} object ids, which journal's git library (libgit2) cannot read", path.display())]
    ObjectFormat {
        /// The folder searched from.
        path: PathBuf,
        /// The format (`sha256`).
        format: String,
    },
    /// The repository has no working tree.
    #[error("the git repository at {0} is bare: a journal needs a working tree")]
    BareRepository(PathBuf),
    /// user.name or user.email is not configured.
    #[error("author identity unknown: git user.name and user.email are not configured")]
    NoIdentity,
    /// A revision that does not name a commit.
    #[error("unknown revision `{rev}` in {repo}")]
    UnknownRevision {
        /// The revision as given.
        rev: String,
        /// The repository, described for the user.
        repo: String,
        /// What git2 said.
        #[source]
        source: GitError,
    },
    /// A configured evidence repository that cannot be opened.
    #[error("repository `{name}` ({}) cannot be opened", path.display())]
    RepoUnavailable {
        /// Its name in journal.toml.
        name: String,
        /// Its path as resolved.
        path: PathBuf,
        /// What git2 said.
        #[source]
        source: GitError,
    },
    /// A revision whose commit and every first-parent ancestor are the journal's own.
    #[error(
        "`{rev}` in {repo} is the journal's own commit, and so is every commit before it: there is no evidence to cite"
    )]
    OnlyJournalCommits {
        /// The revision as given.
        rev: String,
        /// The repository, described for the user.
        repo: String,
    },
    /// A revision other than `HEAD` that names one of the journal's own commits: a mistake
    /// (HEAD~3 counted across journal commits), refused rather than cited silently.
    #[error("`{rev}` in {repo} is the journal's own commit {commit}: not evidence")]
    JournalCommitCited {
        /// The revision as given.
        rev: String,
        /// The repository, described for the user.
        repo: String,
        /// The commit it names: short id and subject.
        commit: String,
        /// The nearest first-parent ancestor that is not the journal's: short id and subject.
        nearest_summary: String,
    },
    /// A review marked in a repository without a commit.
    #[error("nothing to review: the repository has no commit yet")]
    NothingToReview,
    /// `NAME:REV` names a repository that journal.toml's `[repos]` does not list.
    #[error("journal.toml has no [repos.{name}] table ({})", if configured.is_empty() { "no [repos] at all".to_owned() } else { format!("configured: {}", configured.join(", ")) })]
    UnknownRepo {
        /// The name given.
        name: String,
        /// The names journal.toml lists.
        configured: Vec<String>,
    },
    /// No entry has that id or id prefix.
    #[error("no entry matches `{0}`")]
    NotFound(String),
    /// Several entries start with that prefix.
    #[error("`{prefix}` matches {} entries: {}", candidates.len(), candidates.join(", "))]
    Ambiguous {
        /// The prefix given.
        prefix: String,
        /// The matching ids.
        candidates: Vec<String>,
    },
    /// A file or folder operation failed.
    #[error("{action} {}", path.display())]
    Io {
        /// What was being done, such as "cannot write".
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A path that git cannot store (outside the working tree or not UTF-8).
    #[error("{} cannot be committed: it is outside the working tree or not UTF-8", .0.display())]
    UnstorablePath(PathBuf),
    /// An entry path that is not read (a link outside the repository, a folder, a FIFO) or
    /// cannot be.
    #[error("{}: {reason}", path.display())]
    Unreadable {
        /// The path, relative to the working tree.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A lock file of git's exists: another git command is at work (or was interrupted).
    /// Nothing was written.
    #[error("{} exists: {}; nothing was written", path.display(), match holder.as_deref() {
        Some("no running process has it open") => "git's lock, which no running process has open (a git command was interrupted?)".to_owned(),
        Some(h) => format!("another git process holds it ({h})"),
        None => "another git process is using the repository".to_owned(),
    })]
    GitLocked {
        /// The lock file.
        path: PathBuf,
        /// Who has it open, as far as the system says.
        holder: Option<String>,
    },
    /// The caller gave up before anything was written.
    #[error("the call was cancelled before anything was written: nothing was written")]
    Cancelled,
    /// The commit was made, but git's index could not be brought in line with it.
    #[error("committed {commit} but could not update git's index for {}", path.display())]
    IndexNotUpdated {
        /// The commit that was made.
        commit: String,
        /// The committed path, relative to the working tree.
        path: PathBuf,
        /// Why the index could not be written.
        #[source]
        source: Box<Self>,
    },
    /// Another git operation failed.
    #[error("git: {action}")]
    Git {
        /// What was being done.
        action: &'static str,
        /// What git2 said.
        #[source]
        source: GitError,
    },
}

/// The store's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }

    /// Returns the error of a git command that listed part of the history, then failed.
    pub(crate) fn git_command(what: &str) -> Self {
        Self::Io {
            action: "git log (listing the evidence commits)",
            path: PathBuf::from(what),
            source: std::io::Error::other(what.to_owned()),
        }
    }

    pub(crate) fn git(action: &'static str) -> impl FnOnce(git2::Error) -> Self {
        move |source| Self::Git {
            action,
            source: GitError(source),
        }
    }
}

/// A git2 error shown by its message alone (git2's own text appends class and code numbers).
#[derive(Debug)]
pub struct GitError(pub git2::Error);

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.message())
    }
}

impl std::error::Error for GitError {}

impl From<git2::Error> for GitError {
    fn from(e: git2::Error) -> Self {
        Self(e)
    }
}

/// Returns the message of `err` followed by its causes, `: `-separated, each once (an empty
/// cause adds nothing).
pub fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let message = cause.to_string();
        if !message.is_empty() && !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = cause.source();
    }
    text
}
