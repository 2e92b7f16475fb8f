//! Entries as text for people (their JSON is `journal_lib::EntryRecord`).

use std::path::Path;

use journal_entry::Entry;
use journal_lib::entry_fields;

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
