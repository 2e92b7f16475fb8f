//! Entries as JSON objects and as text for people.

use std::path::Path;

use journal_entry::Entry;
use serde_json::{Value, json};

/// Returns the JSON object of an entry, as `list --json` and `show --json` print it.
pub fn entry_json(entry: &Entry, rel_path: &Path) -> Value {
    json!({
        "id": entry.id,
        "date": entry.date_string(),
        "title": entry.title,
        "author": entry.author,
        "host": entry.host,
        "provider": entry.provider,
        "pattern": entry.pattern,
        "confidence": entry.confidence.map(journal_entry::Confidence::as_str),
        "kind": entry.kind,
        "story": entry.story,
        "commits": entry.commits.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "supersedes": entry.supersedes,
        "head": entry.head,
        "tags": entry.tags,
        "metrics": entry.metrics,
        "path": rel_path.to_string_lossy(),
        "body": entry.body,
    })
}

/// Returns one line summing up an entry: id, local date and time, kind/confidence, title,
/// providers and patterns.
pub fn entry_line(entry: &Entry) -> String {
    let mut line = format!("{}  {}", entry.id, entry.date.format("%Y-%m-%d %H:%M"));
    let label: Vec<&str> = entry
        .kind
        .as_deref()
        .into_iter()
        .chain(entry.confidence.map(journal_entry::Confidence::as_str))
        .collect();
    if !label.is_empty() {
        line.push_str(&format!("  [{}]", label.join(", ")));
    }
    line.push_str("  ");
    line.push_str(&entry.title);
    let scope: Vec<&str> = entry
        .provider
        .iter()
        .chain(entry.pattern.iter())
        .map(String::as_str)
        .collect();
    if !scope.is_empty() {
        line.push_str(&format!("  ({})", scope.join(", ")));
    }
    line
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

/// Returns an entry for reading in a terminal: title, fields, then the body.
pub fn entry_text(entry: &Entry, rel_path: &Path) -> String {
    let mut out = format!("{}\n", entry.title);
    let path = ("path", rel_path.display().to_string());
    for (name, value) in entry_fields(entry).into_iter().chain([path]) {
        out.push_str(&format!("{:<11} {value}\n", format!("{name}:")));
    }
    if !entry.body.trim().is_empty() {
        out.push('\n');
        out.push_str(entry.body.trim_end());
        out.push('\n');
    }
    out
}
