//! The typed entry and its canonical file form.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::{Deserialize, Serialize};

use crate::evidence::Evidence;
use crate::yaml::{Context, write_scalar};

/// How sure the operator is of a pattern; the scale is fixed so that documents never drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// Worked in a real deployment, with evidence.
    Proven,
    /// Worked once or in part; needs another run before relying on it.
    NeedsTesting,
    /// Not known to work.
    Uncertain,
}

impl Confidence {
    /// All levels, strongest first.
    pub const ALL: [Self; 3] = [Self::Proven, Self::NeedsTesting, Self::Uncertain];

    /// Returns the level as written in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proven => "proven",
            Self::NeedsTesting => "needs-testing",
            Self::Uncertain => "uncertain",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Confidence {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|c| c.as_str() == s).ok_or(())
    }
}

/// A front-matter key this version does not know, kept verbatim so that nothing is lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraField {
    /// The key.
    pub key: String,
    /// The key's lines exactly as found, the key line included, each ending in `\n`.
    pub raw: String,
}

/// An entry's tags, by name: a map sorted by key kept in one vector. An entry has a few
/// tags at most, and a journal holds 100,000 entries: a `BTreeMap` would take a node of some
/// 550 bytes for a single tag.
pub type Tags = litemap::LiteMap<String, String>;

/// An entry's metrics, by name, sorted as [`Tags`] are.
pub type Metrics = litemap::LiteMap<String, f64>;

/// One observation: the front matter fields and the Markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Unique id, `YYYYMMDDTHHMMSSZ-<slug>`, sorting by time.
    pub id: String,
    /// When it was observed, in the local time of the operator with its UTC offset.
    pub date: DateTime<FixedOffset>,
    /// One-line summary.
    pub title: String,
    /// The git identity, `Name <email>`.
    pub author: Option<String>,
    /// Short host name of the machine it was captured on.
    pub host: Option<String>,
    /// The agent that recorded it (`claude-code 1.2`, from an MCP client's name and version).
    pub agent: Option<String>,
    /// Cloud providers concerned (vocabulary `providers`).
    pub provider: Vec<String>,
    /// Patterns concerned (vocabulary `patterns`).
    pub pattern: Vec<String>,
    /// How sure the operator is.
    pub confidence: Option<Confidence>,
    /// What sort of observation this is (vocabulary `kinds`).
    pub kind: Option<String>,
    /// The story it belongs to, such as `1.11`.
    pub story: Option<String>,
    /// Evidence commits.
    pub commits: Vec<Evidence>,
    /// Ids of earlier entries this one replaces: what they said no longer holds.
    pub supersedes: Vec<String>,
    /// Full SHA of the journal repository's HEAD when captured.
    pub head: Option<String>,
    /// Free key/value tags.
    pub tags: Tags,
    /// Measured numbers, unit in the name by convention (`latency_ms`).
    pub metrics: Metrics,
    /// Unknown front-matter keys, kept verbatim in file order.
    pub extra: Vec<ExtraField>,
    /// The Markdown body, byte for byte.
    pub body: String,
}

impl Entry {
    /// Returns an entry with the required fields set and everything else empty.
    pub fn new(
        id: impl Into<String>,
        date: DateTime<FixedOffset>,
        title: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            date,
            title: title.into(),
            author: None,
            host: None,
            agent: None,
            provider: Vec::new(),
            pattern: Vec::new(),
            confidence: None,
            kind: None,
            story: None,
            commits: Vec::new(),
            supersedes: Vec::new(),
            head: None,
            tags: Tags::new(),
            metrics: Metrics::new(),
            extra: Vec::new(),
            body: String::new(),
        }
    }

    /// Returns the date as written in files: RFC 3339 with seconds and the UTC offset.
    pub fn date_string(&self) -> String {
        self.date.to_rfc3339_opts(SecondsFormat::AutoSi, false)
    }

    /// Returns the canonical file text: `---`, the front matter in a fixed key order, `---`,
    /// then the body unchanged. Parsing this text gives back an equal entry.
    pub fn to_file_string(&self) -> String {
        let mut out = String::with_capacity(512 + self.body.len());
        out.push_str("---\n");
        field(&mut out, "id", |o| {
            write_scalar(o, &self.id, Context::Block);
        });
        field(&mut out, "date", |o| o.push_str(&self.date_string()));
        field(&mut out, "title", |o| {
            write_scalar(o, &self.title, Context::Block);
        });
        optional(&mut out, "author", self.author.as_deref());
        optional(&mut out, "host", self.host.as_deref());
        optional(&mut out, "agent", self.agent.as_deref());
        list(
            &mut out,
            "provider",
            self.provider.iter().map(String::as_str),
        );
        list(&mut out, "pattern", self.pattern.iter().map(String::as_str));
        optional(
            &mut out,
            "confidence",
            self.confidence.map(Confidence::as_str),
        );
        optional(&mut out, "kind", self.kind.as_deref());
        optional(&mut out, "story", self.story.as_deref());
        let commits: Vec<String> = self.commits.iter().map(Evidence::to_string).collect();
        list(&mut out, "commits", commits.iter().map(String::as_str));
        list(
            &mut out,
            "supersedes",
            self.supersedes.iter().map(String::as_str),
        );
        optional(&mut out, "head", self.head.as_deref());
        map(&mut out, "tags", self.tags.iter(), |o, v| {
            write_scalar(o, v, Context::Flow);
        });
        map(&mut out, "metrics", self.metrics.iter(), |o, v| {
            let _ = write!(o, "{v}");
        });
        for extra in &self.extra {
            out.push_str(&extra.raw);
        }
        out.push_str("---\n");
        out.push_str(&self.body);
        out
    }
}

fn field(out: &mut String, key: &str, value: impl FnOnce(&mut String)) {
    out.push_str(key);
    out.push_str(": ");
    value(out);
    out.push('\n');
}

fn optional(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        field(out, key, |o| write_scalar(o, value, Context::Block));
    }
}

fn list<'a>(out: &mut String, key: &str, items: impl ExactSizeIterator<Item = &'a str>) {
    if items.len() == 0 {
        return;
    }
    field(out, key, |o| {
        o.push('[');
        for (i, item) in items.enumerate() {
            if i > 0 {
                o.push_str(", ");
            }
            write_scalar(o, item, Context::Flow);
        }
        o.push(']');
    });
}

fn map<'a, V: 'a>(
    out: &mut String,
    key: &str,
    items: impl ExactSizeIterator<Item = (&'a String, &'a V)>,
    mut value: impl FnMut(&mut String, &V),
) {
    if items.len() == 0 {
        return;
    }
    field(out, key, |o| {
        o.push('{');
        for (i, (k, v)) in items.enumerate() {
            if i > 0 {
                o.push_str(", ");
            }
            write_scalar(o, k, Context::Flow);
            o.push_str(": ");
            value(o, v);
        }
        o.push('}');
    });
}
