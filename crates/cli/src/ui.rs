//! `Ui`: the one way out. Data goes to stdout, status and errors to stderr.

use std::io::{self, IsTerminal as _, Write as _};

use journal_lib::SkippedFile;

use crate::error::CommandError;

/// Returns `n` and the noun that goes with it: `count(1, "entry", "entries")` is "1 entry".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Returns the words as a command line a shell takes back as they are: a word is quoted only
/// when it holds something other than letters, digits and `-_.,:/+=@%^`.
pub fn shell_line(words: &[String]) -> String {
    let quoted: Vec<String> = words
        .iter()
        .map(|w| {
            if !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.,:/+=@%^".contains(c))
            {
                w.clone()
            } else {
                format!("'{}'", w.replace('\'', r"'\''"))
            }
        })
        .collect();
    quoted.join(" ")
}

/// The terminal, as commands see it.
#[derive(Debug)]
pub struct Ui {
    stdout: io::Stdout,
}

impl Ui {
    pub fn new() -> Self {
        Self {
            stdout: io::stdout(),
        }
    }

    /// Prints one line of data on stdout. A closed pipe ends the command quietly.
    pub fn data(&mut self, line: &str) -> Result<(), CommandError> {
        let mut out = self.stdout.lock();
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        Ok(())
    }

    /// Prints data as is (no newline added).
    pub fn data_raw(&mut self, text: &str) -> Result<(), CommandError> {
        self.stdout.lock().write_all(text.as_bytes())?;
        Ok(())
    }

    /// Prints a status sentence on stderr.
    pub fn status(&self, message: &str) {
        let _ = writeln!(io::stderr().lock(), "{message}");
    }

    /// Prints `warning: <message>` on stderr.
    pub fn warning(&self, message: &str) {
        let message = journal_lib::redacted(message.to_owned());
        let _ = writeln!(io::stderr().lock(), "warning: {message}");
    }

    /// Prints an error and its hints on stderr.
    pub fn error(&self, err: &CommandError) {
        if err.message.is_empty() {
            return;
        }
        // A credential in a value the user gave is never printed back (the library's
        // messages are redacted already; this covers the CLI's own).
        let mut stderr = io::stderr().lock();
        let _ = writeln!(
            stderr,
            "error: {}",
            journal_lib::redacted(err.message.clone())
        );
        for hint in &err.hints {
            let _ = writeln!(stderr, "hint: {}", journal_lib::redacted(hint.clone()));
        }
    }

    /// Prints the warnings of an operation, then each problem of each file it skipped, as
    /// `warning: path:line: field `f`: message`: the same lines from every command.
    pub fn reading(&self, skipped: &[SkippedFile], warnings: &[String]) {
        for warning in warnings {
            self.warning(warning);
        }
        for file in skipped {
            for line in file.lines() {
                self.warning(&line);
            }
        }
    }

    /// The rule of every reading command: after answering from the good files, it exits 1
    /// when it skipped any, so a script notices that the answer is partial.
    pub fn finish_reading(&self, skipped: &[SkippedFile]) -> Result<(), CommandError> {
        let n = skipped.len();
        if n == 0 {
            return Ok(());
        }
        Err(CommandError::user(format!(
            "{} could not be read and {} skipped",
            count(n, "entry file", "entry files"),
            if n == 1 { "was" } else { "were" }
        ))
        .hint("`journal check` lists every problem of every file"))
    }

    /// Prints a value as one line of JSON on stdout.
    pub fn json(&mut self, value: &impl serde::Serialize) -> Result<(), CommandError> {
        let text = serde_json::to_string(value)
            .map_err(|e| CommandError::internal(format!("cannot write JSON: {e}")))?;
        self.data(&text)
    }

    /// Returns whether stdin is a terminal (a person could answer).
    pub fn stdin_is_terminal(&self) -> bool {
        io::stdin().is_terminal()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_survive_any_text() {
        let words = ["terraform", "apply", "-var", "name=a b", "it's"].map(String::from);
        assert_eq!(
            shell_line(&words),
            r"terraform apply -var 'name=a b' 'it'\''s'"
        );
        assert_eq!(count(1, "entry", "entries"), "1 entry");
        assert_eq!(count(3, "entry", "entries"), "3 entries");
    }
}
