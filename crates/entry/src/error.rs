//! Problems found in an entry, each with the line and field it concerns.

use std::fmt;

/// One problem in an entry file: where it is, which field, what is wrong and how to fix it.
/// Serialised as `{"line", "field", "message"}` (line and field absent when unknown).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Problem {
    /// 1-based line in the file, when the problem has a place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The front-matter field concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong, lowercase, without a final period.
    pub message: String,
}

impl Problem {
    /// Returns a problem of the whole file (no line, no field).
    pub fn of_file(message: impl Into<String>) -> Self {
        Self {
            line: None,
            field: None,
            message: message.into(),
        }
    }

    /// Returns a problem about `field` at `line`.
    pub fn at(line: usize, field: &str, message: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }
}

impl Problem {
    /// Returns the problem as it reads everywhere (every command, the watcher's log):
    /// `path:line: field `f`: message`, the line and field only when known.
    pub fn located<'a>(&'a self, path: &'a str) -> Located<'a> {
        Located {
            path,
            problem: self,
        }
    }

    /// Returns the problem on one line, as the index keeps it: `LINE\tFIELD\tMESSAGE` (empty
    /// when unknown; line breaks in the message become spaces). [`Problem::decode`] reads it.
    pub fn encode(&self) -> String {
        let message = self.message.replace(['\n', '\r', '\t'], " ");
        format!(
            "{}\t{}\t{message}",
            self.line.map(|l| l.to_string()).unwrap_or_default(),
            self.field.as_deref().unwrap_or_default()
        )
    }

    /// Reads a line written by [`Problem::encode`]; any other text is kept as the message.
    pub fn decode(line: &str) -> Self {
        let mut parts = line.splitn(3, '\t');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(number), Some(field), Some(message)) => Self {
                line: number.parse().ok(),
                field: Some(field.to_owned()).filter(|f| !f.is_empty()),
                message: message.to_owned(),
            },
            _ => Self {
                line: None,
                field: None,
                message: line.to_owned(),
            },
        }
    }
}

/// A [`Problem`] with the path of its file: the one way a bad file is reported.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a> {
    path: &'a str,
    problem: &'a Problem,
}

impl fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path)?;
        if let Some(line) = self.problem.line {
            write!(f, ":{line}")?;
        }
        f.write_str(": ")?;
        if let Some(field) = &self.problem.field {
            write!(f, "field `{field}`: ")?;
        }
        f.write_str(&self.problem.message)
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
    /// The fields that did parse, so that checks past the first problem (vocabulary,
    /// evidence) can report every problem of a file at once.
    pub partial: Partial,
}

/// The fields of a file that did parse, when its front matter could be split into fields:
/// an entry whose missing id, date or title are placeholders. Never equal-compared: the
/// problems say what the error is.
#[derive(Debug, Clone, Default)]
pub struct Partial(pub Option<Box<crate::ParsedEntry>>);

impl PartialEq for Partial {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Partial {}

impl EntryError {
    /// Returns an error holding a single problem.
    pub fn single(problem: Problem) -> Self {
        Self {
            problems: vec![problem],
            partial: Partial::default(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_reads_the_same_everywhere_and_survives_the_index() {
        let p = Problem::at(4, "provider", "unknown provider `aws`");
        assert_eq!(
            p.located("journal/2026/10/x.md").to_string(),
            "journal/2026/10/x.md:4: field `provider`: unknown provider `aws`"
        );
        let bare = Problem {
            line: None,
            field: None,
            message: "cannot read the file:\nEIO".to_owned(),
        };
        assert_eq!(
            bare.located("a.md").to_string(),
            "a.md: cannot read the file:\nEIO"
        );
        for problem in [p, bare] {
            let decoded = Problem::decode(&problem.encode());
            assert_eq!(decoded.line, problem.line);
            assert_eq!(decoded.field, problem.field);
            assert_eq!(decoded.message, problem.message.replace('\n', " "));
        }
    }
}
