//! `CommandError`: what a command failed with, the hints that help, and the exit code.

use std::error::Error as StdError;

/// Exit code for a user or configuration error.
pub const EXIT_ERROR: u8 = 1;

/// A failed command: printed as `error: <message>` then `hint: …` lines on stderr.
#[derive(Debug)]
pub struct CommandError {
    pub message: String,
    pub hints: Vec<String>,
    pub exit_code: u8,
}

impl CommandError {
    /// Returns a user error (exit 1).
    pub fn user(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hints: Vec::new(),
            exit_code: EXIT_ERROR,
        }
    }

    /// Returns the quiet exit for a reader that went away (`journal list | head`).
    pub fn broken_pipe() -> Self {
        Self {
            message: String::new(),
            hints: Vec::new(),
            exit_code: 0,
        }
    }

    /// Adds a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

/// Returns the message of `err` followed by its causes, `: `-separated.
pub fn chain(err: &(dyn StdError + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        let message = cause.to_string();
        if !text.contains(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        source = cause.source();
    }
    text
}

impl From<journal_store::Error> for CommandError {
    fn from(err: journal_store::Error) -> Self {
        use journal_store::Error as E;
        let hints: Vec<String> = match &err {
            E::NoIdentity => vec![
                "tell git who you are:".to_owned(),
                "  git config user.name \"Your Name\"".to_owned(),
                "  git config user.email \"you@example.com\"".to_owned(),
                "or use --no-commit to write the file only".to_owned(),
            ],
            E::NotARepository { .. } => {
                vec!["a journal lives in a git repository: run `git init` first".to_owned()]
            }
            E::Ambiguous { .. } => vec!["give more characters of the id".to_owned()],
            E::NotFound(_) => vec!["`journal list` shows the ids".to_owned()],
            E::UnknownRevision { .. } => vec![
                "any revision git understands works: HEAD~2, a short SHA, a branch, a tag; \
                 NAME:REV for a repository in journal.toml's [repos]"
                    .to_owned(),
            ],
            E::IndexNotUpdated { path, .. } => vec![
                "the entry is committed; another git command probably held the index".to_owned(),
                format!(
                    "run `git reset -q -- {}` to bring the index in line",
                    path.display()
                ),
            ],
            E::RepoUnavailable { .. } => {
                vec!["check `path` of this repository in journal.toml's [repos]".to_owned()]
            }
            _ => Vec::new(),
        };
        let mut error = Self::user(chain(&err));
        error.hints = hints;
        error
    }
}

impl From<std::io::Error> for CommandError {
    fn from(err: std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            Self::broken_pipe()
        } else {
            Self::user(chain(&err))
        }
    }
}
