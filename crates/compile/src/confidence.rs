//! The confidence table: the level each pattern's newest stating entry declares, checked
//! against the story's definitions.
//!
//! - **proven**: verified evidence commits (at least `proven_min_commits`), a first successful
//!   observation at least `proven_min_days` before the last successful one, and no `hard` or
//!   `surprise` entry after that last one;
//! - **needs-testing**: at least `needs_testing_min_observations` observations with verified
//!   evidence;
//! - **uncertain**: nothing to show.
//!
//! A successful observation has verified evidence and a kind other than hard, surprise or
//! limitation (a `run` counts only when it exited 0). Superseded entries take no part.

use std::collections::{BTreeMap, BTreeSet};

use journal_entry::{Confidence, Entry};

use crate::config::Thresholds;
use crate::view::ConfidenceRow;

/// An entry as the assessment sees it.
pub(crate) struct Observation<'a> {
    /// The entry.
    pub entry: &'a Entry,
    /// Its verified evidence commits, as cited.
    pub verified: Vec<String>,
    /// Link to its file.
    pub link: String,
}

impl Observation<'_> {
    fn successful(&self) -> bool {
        let kind_ok = !matches!(
            self.entry.kind.as_deref(),
            Some("hard" | "surprise" | "limitation")
        );
        let run_ok = self.entry.kind.as_deref() != Some("run")
            || self
                .entry
                .metrics
                .get("exit_code")
                .is_none_or(|c| *c == 0.0);
        kind_ok && run_ok && !self.verified.is_empty()
    }

    fn troubled(&self) -> bool {
        matches!(self.entry.kind.as_deref(), Some("hard" | "surprise"))
    }
}

/// Returns the rows: one per pattern, or one per provider × pattern where the entries on a
/// pattern state different levels for different providers. `observations` are by date.
pub(crate) fn assess(
    observations: &[Observation<'_>],
    thresholds: &Thresholds,
) -> Vec<ConfidenceRow> {
    let mut by_pattern: BTreeMap<&str, Vec<&Observation<'_>>> = BTreeMap::new();
    for o in observations {
        for pattern in &o.entry.pattern {
            by_pattern.entry(pattern).or_default().push(o);
        }
    }
    let mut rows = Vec::new();
    for (pattern, on_pattern) in by_pattern {
        let providers: BTreeSet<&str> = on_pattern
            .iter()
            .flat_map(|o| o.entry.provider.iter().map(String::as_str))
            .collect();
        let naming = |p: &str| -> Vec<&Observation<'_>> {
            on_pattern
                .iter()
                .copied()
                .filter(|o| o.entry.provider.iter().any(|x| x == p))
                .collect()
        };
        // A provider's level: what entries about it alone last stated, else what any entry
        // naming it did (an entry on both clouds speaks for both only when neither has its
        // own statement).
        let level_of = |p: &str| {
            let on = naming(p);
            let alone: Vec<&Observation<'_>> = on
                .iter()
                .copied()
                .filter(|o| o.entry.provider.len() == 1)
                .collect();
            stated(&alone).or_else(|| stated(&on))
        };
        let overall = stated(&on_pattern).and_then(|o| o.entry.confidence);
        let per_provider: BTreeMap<&str, Option<Confidence>> = providers
            .iter()
            .map(|p| (*p, level_of(p).and_then(|o| o.entry.confidence)))
            .collect();
        let levels: BTreeSet<Confidence> = per_provider.values().flatten().copied().collect();
        let differ = levels.len() > 1 || levels.iter().any(|l| Some(*l) != overall);
        if differ {
            for provider in providers {
                let on = naming(provider);
                rows.push(row(
                    pattern,
                    Some(provider),
                    &on,
                    level_of(provider),
                    thresholds,
                ));
            }
        } else {
            rows.push(row(
                pattern,
                None,
                &on_pattern,
                stated(&on_pattern),
                thresholds,
            ));
        }
    }
    rows
}

/// The newest observation stating a level (the list is by date, then id).
fn stated<'a, 'b>(on: &[&'b Observation<'a>]) -> Option<&'b Observation<'a>> {
    on.iter()
        .rev()
        .find(|o| o.entry.confidence.is_some())
        .copied()
}

fn row(
    pattern: &str,
    provider: Option<&str>,
    on: &[&Observation<'_>],
    stating: Option<&Observation<'_>>,
    thresholds: &Thresholds,
) -> ConfidenceRow {
    let level = stating.and_then(|o| o.entry.confidence);
    let commits: BTreeSet<&str> = on
        .iter()
        .flat_map(|o| o.verified.iter().map(String::as_str))
        .collect();
    let providers: BTreeSet<&str> = on
        .iter()
        .flat_map(|o| o.entry.provider.iter().map(String::as_str))
        .collect();
    let reason = level.and_then(|level| check(level, on, commits.len(), thresholds));
    let day = |o: &&Observation<'_>| o.entry.date.format("%Y-%m-%d").to_string();
    ConfidenceRow {
        pattern: pattern.to_owned(),
        provider: provider.map(str::to_owned),
        level: level.map(|l| l.as_str().to_owned()),
        holds: level.is_some() && reason.is_none(),
        reason,
        rationale: stating.map(|o| o.entry.title.clone()),
        rationale_id: stating.map(|o| o.entry.id.clone()),
        rationale_link: stating.map(|o| o.link.clone()),
        entries: on.len(),
        commits: commits.len(),
        first: on.first().map(day).unwrap_or_default(),
        last: on.last().map(day).unwrap_or_default(),
        providers: providers.into_iter().map(str::to_owned).collect(),
    }
}

/// Returns why the evidence does not support `level`, or `None` when it does.
fn check(
    level: Confidence,
    on: &[&Observation<'_>],
    commits: usize,
    thresholds: &Thresholds,
) -> Option<String> {
    match level {
        Confidence::Uncertain => None,
        Confidence::NeedsTesting => {
            let with_evidence = on.iter().filter(|o| !o.verified.is_empty()).count();
            (with_evidence < thresholds.needs_testing_min_observations).then(|| {
                format!(
                    "needs-testing needs {} observation(s) with verified evidence; found {with_evidence}",
                    thresholds.needs_testing_min_observations
                )
            })
        }
        Confidence::Proven => {
            if commits < thresholds.proven_min_commits {
                return Some(format!(
                    "proven needs {} verified evidence commit(s); found {commits}",
                    thresholds.proven_min_commits
                ));
            }
            let successes: Vec<&&Observation<'_>> = on.iter().filter(|o| o.successful()).collect();
            let (Some(first), Some(last)) = (successes.first(), successes.last()) else {
                return Some(
                    "proven needs a successful observation with verified evidence; found none"
                        .to_owned(),
                );
            };
            let days = (last.entry.date - first.entry.date).num_days();
            if days < thresholds.proven_min_days {
                return Some(format!(
                    "proven needs {} days between the first and the last successful observation; \
                     found {days} ({} to {})",
                    thresholds.proven_min_days,
                    first.entry.date.format("%Y-%m-%d"),
                    last.entry.date.format("%Y-%m-%d"),
                ));
            }
            let after = on
                .iter()
                .find(|o| o.troubled() && o.entry.date > last.entry.date);
            after.map(|o| {
                format!(
                    "a {} entry after the last successful observation: {} ({})",
                    o.entry.kind.as_deref().unwrap_or_default(),
                    o.entry.title,
                    o.entry.id
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;

    fn entry(day: u32, kind: &str, provider: &str, level: Option<Confidence>) -> Entry {
        let date =
            DateTime::parse_from_rfc3339(&format!("2026-10-{day:02}T10:00:00+02:00")).unwrap();
        let mut e = Entry::new(format!("e{day:02}"), date, format!("day {day}"));
        e.kind = Some(kind.to_owned());
        e.provider = vec![provider.to_owned()];
        e.pattern = vec!["luks".to_owned()];
        e.confidence = level;
        e
    }

    fn observe(entries: &[Entry], with_evidence: &[usize]) -> Vec<ConfidenceRow> {
        let observations: Vec<Observation<'_>> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| Observation {
                entry: e,
                verified: if with_evidence.contains(&i) {
                    vec![format!("{i:040}")]
                } else {
                    Vec::new()
                },
                link: format!("{}.md", e.id),
            })
            .collect();
        assess(&observations, &Thresholds::default())
    }

    #[test]
    fn a_provider_whose_own_entries_state_another_level_gets_its_own_row() {
        let mut both = entry(10, "finding", "gcp", Some(Confidence::Proven));
        both.provider = vec!["gcp".to_owned(), "hetzner".to_owned()];
        let entries = [
            entry(1, "finding", "hetzner", Some(Confidence::NeedsTesting)),
            entry(2, "finding", "gcp", Some(Confidence::Proven)),
            both,
        ];
        let rows = observe(&entries, &[0, 1, 2]);
        let levels: Vec<(Option<&str>, Option<&str>)> = rows
            .iter()
            .map(|r| (r.provider.as_deref(), r.level.as_deref()))
            .collect();
        // Hetzner's own entries say needs-testing: not hidden under an "all: proven" row.
        assert_eq!(
            levels,
            [
                (Some("gcp"), Some("proven")),
                (Some("hetzner"), Some("needs-testing"))
            ]
        );
        // Entries on both clouds alone speak for both: one row.
        let mut shared = entry(3, "finding", "gcp", Some(Confidence::NeedsTesting));
        shared.provider = vec!["gcp".to_owned(), "hetzner".to_owned()];
        let rows = observe(&[shared], &[0]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].provider, None);
    }

    #[test]
    fn proven_needs_a_week_of_successes_and_no_later_trouble() {
        let week = [
            entry(1, "finding", "hetzner", None),
            entry(9, "finding", "hetzner", Some(Confidence::Proven)),
        ];
        let rows = observe(&week, &[0, 1]);
        assert!(rows[0].holds, "{rows:?}");
        assert_eq!((rows[0].entries, rows[0].commits), (2, 2));

        let three_days = [
            entry(1, "finding", "hetzner", None),
            entry(4, "finding", "hetzner", Some(Confidence::Proven)),
        ];
        let rows = observe(&three_days, &[0, 1]);
        assert!(!rows[0].holds);
        assert!(
            rows[0]
                .reason
                .as_deref()
                .unwrap()
                .contains("found 3 (2026-10-01 to 2026-10-04)")
        );

        let trouble_after = [
            entry(1, "finding", "hetzner", None),
            entry(9, "finding", "hetzner", Some(Confidence::Proven)),
            entry(10, "hard", "hetzner", None),
        ];
        let rows = observe(&trouble_after, &[0, 1]);
        assert!(
            rows[0]
                .reason
                .as_deref()
                .unwrap()
                .starts_with("a hard entry")
        );

        let no_evidence = [entry(1, "finding", "hetzner", Some(Confidence::Proven))];
        assert!(!observe(&no_evidence, &[])[0].holds);
    }

    #[test]
    fn a_run_counts_as_a_success_only_when_it_exited_zero() {
        let mut failed = entry(9, "run", "hetzner", Some(Confidence::Proven));
        failed.metrics.insert("exit_code".to_owned(), 1.0);
        let entries = [entry(1, "finding", "hetzner", None), failed];
        let rows = observe(&entries, &[0, 1]);
        assert!(
            rows[0].reason.as_deref().unwrap().contains("found 0"),
            "{rows:?}"
        );
        let mut passed = entries[1].clone();
        passed.metrics.insert("exit_code".to_owned(), 0.0);
        let entries = [entries[0].clone(), passed];
        assert!(observe(&entries, &[0, 1])[0].holds);
    }

    #[test]
    fn needs_testing_needs_evidence_and_uncertain_nothing() {
        let e = [entry(1, "finding", "gcp", Some(Confidence::NeedsTesting))];
        assert!(!observe(&e, &[])[0].holds);
        assert!(observe(&e, &[0])[0].holds);
        let e = [entry(1, "hard", "gcp", Some(Confidence::Uncertain))];
        assert!(observe(&e, &[])[0].holds);
    }

    #[test]
    fn different_levels_per_provider_split_the_row() {
        let e = [
            entry(1, "finding", "hetzner", Some(Confidence::Proven)),
            entry(2, "hard", "gcp", Some(Confidence::Uncertain)),
        ];
        let rows = observe(&e, &[0]);
        let pairs: Vec<(Option<&str>, Option<&str>)> = rows
            .iter()
            .map(|r| (r.provider.as_deref(), r.level.as_deref()))
            .collect();
        assert_eq!(
            pairs,
            [
                (Some("gcp"), Some("uncertain")),
                (Some("hetzner"), Some("proven"))
            ]
        );
        let same = [
            entry(1, "finding", "hetzner", Some(Confidence::Uncertain)),
            entry(2, "hard", "gcp", Some(Confidence::Uncertain)),
        ];
        assert_eq!(observe(&same, &[]).len(), 1);
    }
}
