//! [`EntryRecord`]: an entry as JSON, the one interchange form. `list --json`, `show --json`,
//! `export --format json|jsonl` and the other front ends write it; `import --from journal`
//! reads it back, so a round trip gives the same entries.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use journal_entry::{Confidence, Entry, Evidence, entry_id};
use serde::{Deserialize, Serialize};

/// An entry as an object: its fields, its file and its body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EntryRecord {
    /// The id (the file name); an import without one gets the id `add` would give.
    #[serde(default)]
    pub id: Option<String>,
    /// When it was observed, RFC 3339.
    pub date: String,
    /// The title.
    pub title: String,
    /// `Name <email>` of who recorded it.
    #[serde(default)]
    pub author: Option<String>,
    /// The short host name it was recorded on.
    #[serde(default)]
    pub host: Option<String>,
    /// The agent that recorded it, if one did.
    #[serde(default)]
    pub agent: Option<String>,
    /// Providers.
    #[serde(default)]
    pub provider: Vec<String>,
    /// Patterns.
    #[serde(default)]
    pub pattern: Vec<String>,
    /// Confidence level.
    #[serde(default)]
    pub confidence: Option<String>,
    /// Kind.
    #[serde(default)]
    pub kind: Option<String>,
    /// Story.
    #[serde(default)]
    pub story: Option<String>,
    /// Evidence commits (`SHA` or `NAME:SHA`).
    #[serde(default)]
    pub commits: Vec<String>,
    /// Ids of the entries it replaces.
    #[serde(default)]
    pub supersedes: Vec<String>,
    /// The repository's HEAD when it was recorded.
    #[serde(default)]
    pub head: Option<String>,
    /// Free tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Measured numbers.
    #[serde(default)]
    pub metrics: BTreeMap<String, f64>,
    /// Its file, relative to the working tree (ignored on import: the id decides).
    #[serde(default)]
    pub path: Option<String>,
    /// The Markdown body.
    #[serde(default)]
    pub body: String,
}

impl EntryRecord {
    /// Returns the record of `entry`, stored at `rel_path`.
    pub fn new(entry: &Entry, rel_path: &Path) -> Self {
        Self {
            id: Some(entry.id.clone()),
            date: entry.date_string(),
            title: entry.title.clone(),
            author: entry.author.clone(),
            host: entry.host.clone(),
            agent: entry.agent.clone(),
            provider: entry.provider.clone(),
            pattern: entry.pattern.clone(),
            confidence: entry.confidence.map(|c| c.as_str().to_owned()),
            kind: entry.kind.clone(),
            story: entry.story.clone(),
            commits: entry.commits.iter().map(ToString::to_string).collect(),
            supersedes: entry.supersedes.clone(),
            head: entry.head.clone(),
            tags: entry
                .tags
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            metrics: entry.metrics.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            path: Some(rel_path.to_string_lossy().into_owned()),
            body: entry.body.clone(),
        }
    }

    /// Returns the entry this record describes, or what is wrong with it.
    pub fn into_entry(self) -> Result<Entry, String> {
        let date: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(&self.date)
            .map_err(|_| format!("date `{}` is not RFC 3339", self.date))?;
        let mut entry = Entry::new(String::new(), date, self.title.trim().to_owned());
        entry.id = self.id.unwrap_or_else(|| entry_id(&date, &entry.title, 1));
        if !journal_store::is_file_id(&entry.id) {
            return Err(format!(
                "id `{}` cannot name a file (letters, digits, `-`, `_`, `.`)",
                entry.id
            ));
        }
        entry.body = self.body;
        entry.author = self.author;
        entry.host = self.host;
        entry.agent = self.agent;
        entry.provider = self.provider;
        entry.pattern = self.pattern;
        entry.confidence = self
            .confidence
            .map(|c| {
                c.parse::<Confidence>()
                    .map_err(|()| format!("confidence `{c}` is not a level"))
            })
            .transpose()?;
        entry.kind = self.kind;
        entry.story = self.story;
        entry.commits = self
            .commits
            .iter()
            .map(|c| {
                c.parse::<Evidence>()
                    .map_err(|_| format!("commit `{c}` is not a full SHA"))
            })
            .collect::<Result<_, _>>()?;
        entry.supersedes = self.supersedes;
        entry.head = self.head;
        entry.tags = self.tags.into_iter().collect();
        entry.metrics = self.metrics.into_iter().collect();
        Ok(entry)
    }
}

/// Returns the entry's fields that have a value, as `(name, text)`, in file order: what
/// `show` and `export --format md` list above the body.
pub fn entry_fields(entry: &Entry) -> Vec<(&'static str, String)> {
    let joined = |values: Vec<String>| values.join(", ");
    let pairs = |map: Vec<(String, String)>| {
        joined(map.into_iter().map(|(k, v)| format!("{k}={v}")).collect())
    };
    let fields = [
        ("id", entry.id.clone()),
        ("date", entry.date_string()),
        ("author", entry.author.clone().unwrap_or_default()),
        ("host", entry.host.clone().unwrap_or_default()),
        ("agent", entry.agent.clone().unwrap_or_default()),
        ("provider", entry.provider.join(", ")),
        ("pattern", entry.pattern.join(", ")),
        (
            "confidence",
            entry.confidence.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("kind", entry.kind.clone().unwrap_or_default()),
        ("story", entry.story.clone().unwrap_or_default()),
        (
            "commits",
            joined(entry.commits.iter().map(ToString::to_string).collect()),
        ),
        ("supersedes", entry.supersedes.join(", ")),
        ("head", entry.head.clone().unwrap_or_default()),
        (
            "tags",
            pairs(
                entry
                    .tags
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
        ),
        (
            "metrics",
            pairs(
                entry
                    .metrics
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_string()))
                    .collect(),
            ),
        ),
    ];
    fields.into_iter().filter(|(_, v)| !v.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_through_json_to_the_same_entry() {
        let text = "---\nid: 20261126T105903Z-luks-works\ndate: 2026-11-26T11:59:03+01:00\n\
                    title: LUKS works\nprovider: [hetzner]\nconfidence: proven\n\
                    commits: [0123456789abcdef0123456789abcdef01234567]\n\
                    tags: {region: fsn1}\nmetrics: {unlock_s: 4.5}\n---\nBody.\n";
        let entry = journal_entry::parse_entry(text, None).unwrap().entry;
        let record = EntryRecord::new(&entry, Path::new("journal/2026/11/x.md"));
        let json = serde_json::to_string(&record).unwrap();
        let back: EntryRecord = serde_json::from_str(&json).unwrap();
        assert_eq!(back, record);
        let again = back.into_entry().unwrap();
        assert_eq!(again.to_file_string(), text);
    }

    #[test]
    fn a_bad_record_says_what_is_wrong() {
        let mut record: EntryRecord =
            serde_json::from_str(r#"{"date": "2026-11-26T11:59:03+01:00", "title": "t"}"#).unwrap();
        record.confidence = Some("sure".into());
        assert_eq!(
            record.clone().into_entry().unwrap_err(),
            "confidence `sure` is not a level"
        );
        record.confidence = None;
        record.id = Some("../x".into());
        assert!(
            record
                .into_entry()
                .unwrap_err()
                .contains("cannot name a file")
        );
    }
}
