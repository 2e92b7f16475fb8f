//! Problems found in an entry, each with the line and field it concerns.

use std::fmt;

/// One problem in an entry file: where it is, which field, what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the file, when the problem has a place.
    pub line: Option<usize>,
    /// The front-matter field concerned, if any.
    pub field: Option<String>,
    /// What is wrong, lowercase, without a final period.
    pub message: String,
}

impl Problem {
    /// Returns a problem about `field` at `line`.
    pub fn at(line: usize, field: &str, message: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        if let Some(field) = &self.field {
            write!(f, "field `{field}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// An entry that cannot be read: one or more [`Problem`]s, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct EntryError {
    /// The problems, never empty.
    pub problems: Vec<Problem>,
}

impl EntryError {
    /// Returns an error holding a single problem.
    pub fn single(problem: Problem) -> Self {
        Self {
            problems: vec![problem],
        }
    }
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}
