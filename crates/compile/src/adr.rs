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
pub(crate) struct ByPattern<'a> {
    on: HashMap<&'a str, Vec<&'a SourceEntry>>,
}

impl<'a> ByPattern<'a> {
    /// Indexes `current` (by date) by each pattern it names.
    pub(crate) fn new(current: &[&'a SourceEntry]) -> Self {
        let mut on: HashMap<&'a str, Vec<&'a SourceEntry>> = HashMap::new();
        for s in current {
            for pattern in &s.entry.pattern {
                on.entry(pattern.as_str()).or_default().push(s);
            }
        }
        Self { on }
    }

    /// The ADR parts of `decision`, or none when it is not a decision.
    pub(crate) fn adr(
        &self,
        decision: &SourceEntry,
        confidence: &[ConfidenceRow],
        link: &dyn Fn(&str) -> String,
    ) -> Option<AdrView> {
        let d = &decision.entry;
        if d.kind.as_deref() != Some("decision") {
            return None;
        }
        // Every entry sharing a pattern, once, by date then id.
        let mut related: Vec<&SourceEntry> = d
            .pattern
            .iter()
            .filter_map(|p| self.on.get(p.as_str()))
            .flatten()
            .copied()
            .filter(|s| s.entry.id != d.id)
            .collect();
        related.sort_by(|a, b| (a.entry.date, &a.entry.id).cmp(&(b.entry.date, &b.entry.id)));
        related.dedup_by(|a, b| a.entry.id == b.entry.id);
        let kind = |s: &&SourceEntry| s.entry.kind.as_deref().unwrap_or_default().to_owned();
        let view = |s: &&SourceEntry| RelatedView {
            id: s.entry.id.clone(),
            title: s.entry.title.clone(),
            date: s.entry.date.format("%Y-%m-%d").to_string(),
            kind: kind(s),
            link: link(&s.path),
        };
        let observation = |s: &&&SourceEntry| {
            !matches!(
                s.entry.kind.as_deref(),
                Some("alternative" | "decision" | ASSESSMENT)
            )
        };
        let before: Vec<&&SourceEntry> = related
            .iter()
            .filter(|s| s.entry.date < d.date)
            .filter(observation)
            .collect();
        let context = before[before.len().saturating_sub(NEAREST)..]
            .iter()
            .map(|s| view(s))
            .collect();
        let consequences = related
            .iter()
            .filter(|s| s.entry.date > d.date)
            .filter(observation)
            .take(NEAREST)
            .map(view)
            .collect();
        let alternatives: Vec<RelatedView> = related
            .iter()
            .filter(|s| s.entry.kind.as_deref() == Some("alternative"))
            .map(view)
            .collect();
        let alternatives = alternatives[alternatives.len().saturating_sub(ALTERNATIVES)..].to_vec();
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
            context,
            alternatives,
            consequences,
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
            entry,
            path: format!("e{day:02}.md"),
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
        let link = |path: &str| format!("../{path}");
        let ids = |list: &[RelatedView]| list.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        let adr = by_pattern.adr(&entries[6], &[], &link).unwrap();
        // Before: the three nearest observations (not the alternative, not another pattern).
        assert_eq!(ids(&adr.context), ["e02", "e03", "e05"]);
        assert_eq!(ids(&adr.alternatives), ["e04"]);
        // After: the three nearest, the assessment left out.
        assert_eq!(ids(&adr.consequences), ["e09", "e10", "e11"]);
        assert_eq!(adr.consequences[0].kind, "surprise");
        assert_eq!(adr.context[0].link, "../e02.md");
        // Not a decision: no ADR.
        assert!(by_pattern.adr(&entries[0], &[], &link).is_none());
    }
}
