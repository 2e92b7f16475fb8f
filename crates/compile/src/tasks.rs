//! The story checklist: the story's tasks (journal.toml's `[[story.tasks]]`), each with the
//! entries that cover it. An entry covers a task when it carries the tag `task=<id>`, or
//! when it matches every filter the task gives (a provider, a pattern, a kind of those
//! listed); a task without filters is covered by its tag only. A task no entry covers is a
//! warning: the documents cannot speak to it yet.

use serde::{Deserialize, Serialize};

use crate::SourceEntry;
use crate::view::RelatedView;

/// How many covering entries a task names (the newest); the count says how many there are.
const NAMED: usize = 5;

/// One task of a story, as journal.toml's `[[story.tasks]]` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Short id, for the `task=<id>` tag.
    pub id: String,
    /// What the story asks, as it says it.
    pub title: String,
    /// The story it belongs to; a compile of another story leaves it out.
    #[serde(default)]
    pub story: Option<String>,
    /// Entries naming one of these providers.
    #[serde(default)]
    pub provider: Vec<String>,
    /// Entries naming one of these patterns.
    #[serde(default)]
    pub pattern: Vec<String>,
    /// Entries of one of these kinds.
    #[serde(default)]
    pub kind: Vec<String>,
}

impl Task {
    /// Whether `entry` covers the task.
    pub fn covered_by(&self, entry: &journal_entry::Entry) -> bool {
        if entry.tags.get("task").is_some_and(|t| *t == self.id) {
            return true;
        }
        if self.provider.is_empty() && self.pattern.is_empty() && self.kind.is_empty() {
            return false;
        }
        use crate::filing::{any_of, one_of};
        any_of(&self.provider, &entry.provider)
            && any_of(&self.pattern, &entry.pattern)
            && one_of(&self.kind, entry.kind.as_ref())
    }
}

/// A task and what covers it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskView {
    /// The task's id.
    pub id: String,
    /// The task.
    pub title: String,
    /// How many entries cover it.
    pub count: usize,
    /// The newest of them.
    pub entries: Vec<RelatedView>,
}

/// The checklist of `tasks` (those of `story`, or all) over `current` (by date).
pub(crate) fn checklist(
    tasks: &[Task],
    story: Option<&str>,
    current: &[&SourceEntry],
    link_prefix: &std::sync::Arc<str>,
) -> Vec<TaskView> {
    tasks
        .iter()
        .filter(|t| story.is_none() || t.story.is_none() || t.story.as_deref() == story)
        .map(|task| {
            let covering: Vec<&&SourceEntry> = current
                .iter()
                .filter(|s| task.covered_by(&s.entry))
                .collect();
            TaskView {
                id: task.id.clone(),
                title: task.title.clone(),
                count: covering.len(),
                entries: covering
                    .iter()
                    .rev()
                    .take(NAMED)
                    .map(|s| RelatedView::new(s, link_prefix))
                    .collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use journal_entry::Entry;

    use super::*;

    fn entry(provider: &str, kind: &str) -> Entry {
        let date = DateTime::parse_from_rfc3339("2026-10-01T10:00:00+02:00").unwrap();
        let mut e = Entry::new("e".to_owned(), date, "t".to_owned());
        e.provider = vec![provider.to_owned()];
        e.kind = Some(kind.to_owned());
        e
    }

    #[test]
    fn a_task_is_covered_by_its_tag_or_by_every_filter_it_gives() {
        let task = Task {
            id: "hetzner".into(),
            title: "Document Hetzner deployment experience".into(),
            story: None,
            provider: vec!["hetzner".into()],
            pattern: Vec::new(),
            kind: vec!["easy".into(), "hard".into()],
        };
        assert!(task.covered_by(&entry("hetzner", "hard")));
        assert!(!task.covered_by(&entry("hetzner", "finding")));
        assert!(!task.covered_by(&entry("gcp", "hard")));
        let mut tagged = entry("gcp", "finding");
        tagged.tags.insert("task".into(), "hetzner".into());
        assert!(task.covered_by(&tagged));
        // No filter: only the tag covers it.
        let bare = Task {
            provider: Vec::new(),
            kind: Vec::new(),
            ..task
        };
        assert!(!bare.covered_by(&entry("hetzner", "hard")));
        assert!(bare.covered_by(&tagged));
    }
}
