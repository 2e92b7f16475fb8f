//! `CommandError`: what a command failed with, the hints that help, and the exit code.
//!
//! Exit codes: 0 success, 1 a user or configuration error (or some files skipped), 2 a usage
//! error (clap's own), 255 an internal error (a bug: the message asks for a report). A
//! closed pipe (`journal list | head -1`) ends the command quietly with 0.

use journal_lib::{ErrorKind, Param};

/// Exit code for a user or configuration error.
pub const EXIT_ERROR: u8 = 1;
/// Exit code for a usage error (as clap exits on bad arguments).
pub const EXIT_USAGE: u8 = 2;
/// Exit code for a bug in journal.
pub const EXIT_INTERNAL: u8 = 255;

/// Where to report a bug.
pub const REPORT: &str = "this is a bug in journal: please report it with the command you ran \
                          (https://example.invalid/journal/issues)";

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

    /// Returns a usage error (exit 2): arguments that do not go together.
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            exit_code: EXIT_USAGE,
            ..Self::user(message)
        }
    }

    /// Returns an internal error (exit 255), with a line asking for a report.
    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            exit_code: EXIT_INTERNAL,
            ..Self::user(message)
        }
        .hint(REPORT)
    }

    /// Returns the quiet exit for a reader that went away (`journal list | head`).
    pub fn broken_pipe() -> Self {
        Self::silent(0)
    }

    /// Returns an error that prints nothing and exits with `code` (`journal run` passes on
    /// its command's status).
    pub fn silent(code: u8) -> Self {
        Self {
            message: String::new(),
            hints: Vec::new(),
            exit_code: code,
        }
    }

    /// Adds a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }
}

/// Returns the command-line flag a library hint names.
fn flag(param: Param) -> Option<&'static str> {
    Some(match param {
        Param::At => "--at",
        Param::Title => "--title",
        Param::Kind => "--kind",
        Param::Journal => "--journal DIR",
        Param::NoCommit => "--no-commit",
        Param::Remote => "--remote NAME",
        Param::AllowSecret => "--allow-secret",
        Param::Rationale => "--rationale",
        _ => return None,
    })
}

impl From<journal_lib::Error> for CommandError {
    fn from(err: journal_lib::Error) -> Self {
        let mut error = match err.kind() {
            ErrorKind::Internal => Self::internal(err.message()),
            // A search with nothing to search for is a usage error (exit 2), as clap's.
            _ if matches!(err, journal_lib::Error::NothingToSearch) => Self::usage(err.message()),
            _ => Self::user(err.message()),
        };
        let mut hints = err.hints(flag);
        if matches!(err, journal_lib::Error::NothingToSearch) {
            hints.push(
                "journal search \"firewall rule\" or journal search --pattern zerotier".to_owned(),
            );
        }
        hints.append(&mut error.hints);
        error.hints = hints;
        error
    }
}

impl From<std::io::Error> for CommandError {
    fn from(err: std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            Self::broken_pipe()
        } else {
            Self::user(journal_lib::chain(&err))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_errors_keep_their_kind_and_hints() {
        let bug: CommandError = journal_lib::Error::Internal("x".into()).into();
        assert_eq!(bug.exit_code, EXIT_INTERNAL);
        assert_eq!(bug.hints, [REPORT]);
        let user: CommandError = journal_lib::Error::refused("no").hint("try").into();
        assert_eq!(
            (user.exit_code, user.hints.as_slice()),
            (EXIT_ERROR, &["try".to_owned()][..])
        );
        let pipe: CommandError = std::io::Error::from(std::io::ErrorKind::BrokenPipe).into();
        assert_eq!((pipe.exit_code, pipe.message.as_str()), (0, ""));
    }
}
