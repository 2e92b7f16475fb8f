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

/// Returns an entry for reading in a terminal: title, fields, then the body.
pub fn entry_text(entry: &Entry, rel_path: &Path) -> String {
    let mut out = format!("{}\n", entry.title);
    let mut field = |name: &str, value: String| {
        if !value.is_empty() {
            out.push_str(&format!("{:<11} {value}\n", format!("{name}:")));
        }
    };
    field("id", entry.id.clone());
    field("date", entry.date_string());
    field("author", entry.author.clone().unwrap_or_default());
    field("host", entry.host.clone().unwrap_or_default());
    field("provider", entry.provider.join(", "));
    field("pattern", entry.pattern.join(", "));
    field(
        "confidence",
        entry.confidence.map(|c| c.to_string()).unwrap_or_default(),
    );
    field("kind", entry.kind.clone().unwrap_or_default());
    field("story", entry.story.clone().unwrap_or_default());
    let commits: Vec<String> = entry.commits.iter().map(ToString::to_string).collect();
    field("commits", commits.join(", "));
    field("head", entry.head.clone().unwrap_or_default());
    let tags: Vec<String> = entry.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
    field("tags", tags.join(", "));
    let metrics: Vec<String> = entry
        .metrics
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    field("metrics", metrics.join(", "));
    field("path", rel_path.display().to_string());
    if !entry.body.trim().is_empty() {
        out.push('\n');
        out.push_str(entry.body.trim_end());
        out.push('\n');
    }
    out
}
