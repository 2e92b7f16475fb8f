//! Decisions in ADR form: for each `decision` entry, what came before it on its patterns
//! (the context), the `alternative` entries that name one of its patterns, what followed it
//! (the consequences) and the assessments of its patterns. All of it is made from entries:
//! links to them, nothing written here.

use std::collections::HashMap;

use journal_entry::ASSESSMENT;

use crate::SourceEntry;
use crate::view::{AdrView, AssessedView, ConfidenceRow, RelatedView};

/// How many entries the context and the consequences name at most (the nearest in time).
const NEAREST: usize = 3;
/// How many alternatives are named at most (the newest).
const ALTERNATIVES: usize = 5;

/// The entries not replaced, by pattern, oldest first: what the decisions are set among.
/// A decision looks up the entries nearest to it by binary search on each of its patterns,
/// so that a journal of many decisions on few patterns costs no more than its size.
pub(crate) struct ByPattern<'a> {
    on: HashMap<&'a str, Vec<&'a SourceEntry>>,
    alternatives: HashMap<&'a str, Vec<&'a SourceEntry>>,
}

/// Whether `s` is an observation: what a decision was made in, or what followed it.
fn is_observation(s: &SourceEntry) -> bool {
    !matches!(
        s.entry.kind.as_deref(),
        Some("alternative" | "decision" | ASSESSMENT)
    )
}

fn by_date(a: &&SourceEntry, b: &&SourceEntry) -> std::cmp::Ordering {
    (a.entry.date, &a.entry.id).cmp(&(b.entry.date, &b.entry.id))
}

impl<'a> ByPattern<'a> {
    /// Indexes `current` by each pattern it names.
    pub(crate) fn new(current: &[&'a SourceEntry]) -> Self {
        let mut on: HashMap<&'a str, Vec<&'a SourceEntry>> = HashMap::new();
        let mut alternatives: HashMap<&'a str, Vec<&'a SourceEntry>> = HashMap::new();
        for s in current {
            for pattern in &s.entry.pattern {
                if is_observation(s) {
                    on.entry(pattern.as_str()).or_default().push(s);
                } else if s.entry.kind.as_deref() == Some("alternative") {
                    alternatives.entry(pattern.as_str()).or_default().push(s);
                }
            }
        }
        for list in on.values_mut().chain(alternatives.values_mut()) {
            list.sort_by(by_date);
        }
        Self { on, alternatives }
    }

    /// The ADR parts of `decision`, or none when it is not a decision.
    pub(crate) fn adr(
        &self,
        decision: &SourceEntry,
        confidence: &[ConfidenceRow],
        link_prefix: &std::sync::Arc<str>,
    ) -> Option<AdrView> {
        let d = &decision.entry;
        if d.kind.as_deref() != Some("decision") {
            return None;
        }
        let view = |s: &&SourceEntry| RelatedView::new(s, link_prefix);
        // Of each pattern's list, the nearest before and after: enough to pick the nearest
        // of all of them.
        let mut before: Vec<&SourceEntry> = Vec::new();
        let mut after: Vec<&SourceEntry> = Vec::new();
        let mut alternatives: Vec<&SourceEntry> = Vec::new();
        for pattern in &d.pattern {
            if let Some(list) = self.on.get(pattern.as_str()) {
                let at = list.partition_point(|s| s.entry.date < d.date);
                before.extend(&list[at.saturating_sub(NEAREST)..at]);
                let past = list.partition_point(|s| s.entry.date <= d.date);
                after.extend(list[past..].iter().take(NEAREST));
            }
            if let Some(list) = self.alternatives.get(pattern.as_str()) {
                alternatives.extend(&list[list.len().saturating_sub(ALTERNATIVES)..]);
            }
        }
        let nearest = |mut list: Vec<&'a SourceEntry>, newest: bool, n: usize| {
            list.sort_by(by_date);
            list.dedup_by(|a, b| a.entry.id == b.entry.id);
            let list: Vec<&SourceEntry> = if newest {
                list[list.len().saturating_sub(n)..].to_vec()
            } else {
                list.into_iter().take(n).collect()
            };
            list.iter().map(view).collect::<Vec<RelatedView>>()
        };
        let assessments = confidence
            .iter()
            .filter(|r| r.assessed && d.pattern.contains(&r.pattern))
            .map(|r| AssessedView {
                pattern: r.pattern.clone(),
                provider: r.provider.clone(),
                level: r.level.clone().unwrap_or_default(),
                holds: r.holds,
                link: r.rationale_link.clone().unwrap_or_default(),
            })
            .collect();
        Some(AdrView {
            context: nearest(before, true, NEAREST),
            alternatives: nearest(alternatives, true, ALTERNATIVES),
            consequences: nearest(after, false, NEAREST),
            assessments,
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use journal_entry::Entry;

    use super::*;

    fn source(day: u32, kind: &str, pattern: &str) -> SourceEntry {
        let date =
            DateTime::parse_from_rfc3339(&format!("2026-10-{day:02}T10:00:00+02:00")).unwrap();
        let mut entry = Entry::new(format!("e{day:02}"), date, format!("day {day}"));
        entry.kind = Some(kind.to_owned());
        entry.pattern = vec![pattern.to_owned()];
        SourceEntry {
            entry: entry.into(),
            path: format!("e{day:02}.md").into(),
        }
    }

    #[test]
    fn the_nearest_observations_around_a_decision_and_its_alternatives() {
        let entries = [
            source(1, "finding", "luks"),
            source(2, "hard", "luks"),
            source(3, "finding", "luks"),
            source(4, "alternative", "luks"),
            source(5, "finding", "luks"),
            source(6, "finding", "zerotier"),
            source(7, "decision", "luks"),
            source(8, ASSESSMENT, "luks"),
            source(9, "surprise", "luks"),
            source(10, "finding", "luks"),
            source(11, "finding", "luks"),
            source(12, "finding", "luks"),
        ];
        let current: Vec<&SourceEntry> = entries.iter().collect();
        let by_pattern = ByPattern::new(&current);
        let link: std::sync::Arc<str> = "../".into();
        let ids = |list: &[RelatedView]| list.iter().map(|r| r.id().to_owned()).collect::<Vec<_>>();
        let adr = by_pattern.adr(&entries[6], &[], &link).unwrap();
        // Before: the three nearest observations (not the alternative, not another pattern).
        assert_eq!(ids(&adr.context), ["e02", "e03", "e05"]);
        assert_eq!(ids(&adr.alternatives), ["e04"]);
        // After: the three nearest, the assessment left out.
        assert_eq!(ids(&adr.consequences), ["e09", "e10", "e11"]);
        assert_eq!(adr.consequences[0].kind(), "surprise");
        assert_eq!(adr.context[0].link(), "../e02.md");
        // Not a decision: no ADR.
        assert!(by_pattern.adr(&entries[0], &[], &link).is_none());
    }
}
