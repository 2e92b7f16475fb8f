//! The confidence table: the level the newest assessment of each pattern (× provider)
//! states, with its rationale, checked against the story's definitions.
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

use rustc_hash::{FxHashMap, FxHashSet};

use journal_entry::{Confidence, Entry, Evidence};

use crate::config::Thresholds;
use crate::view::ConfidenceRow;

/// An entry as the assessment sees it.
pub(crate) struct Observation<'a> {
    /// The entry.
    pub entry: &'a Entry,
    /// Its verified evidence commits: one reference per commit (the same commit cited by
    /// two entries is the same reference), so that a row counts them by address.
    pub verified: Vec<&'a Evidence>,
    /// Link to its file, for an assessment (the row's rationale links to it).
    pub link: Option<String>,
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

    fn is_assessment(&self) -> bool {
        self.entry.kind.as_deref() == Some(journal_entry::ASSESSMENT)
    }

    fn troubled(&self) -> bool {
        matches!(self.entry.kind.as_deref(), Some("hard" | "surprise"))
    }
}

/// The observations on one pattern, by date: all, and those naming each provider.
#[derive(Default)]
struct OnPattern<'o, 'e> {
    all: Vec<&'o Observation<'e>>,
    by_provider: FxHashMap<&'e str, Vec<&'o Observation<'e>>>,
}

/// Returns the rows, by pattern: one per assessed pattern × provider (the newest assessment
/// of each wins; one without a provider speaks for every provider without its own), one
/// "not assessed" per provider observed on a pattern that is assessed for other providers
/// only, and one "not assessed" per pattern never assessed. `observations` are by date.
pub(crate) fn assess(
    observations: &[Observation<'_>],
    thresholds: &Thresholds,
) -> Vec<ConfidenceRow> {
    // Hash maps, sorted once at the end: at 100,000 observations the comparisons of ordered
    // maps were most of the table's cost.
    let mut by_pattern: FxHashMap<&str, OnPattern<'_, '_>> = FxHashMap::default();
    // By date: a later assessment of the same pair replaces an earlier one.
    let mut latest: FxHashMap<(&str, Option<&str>), &Observation<'_>> = FxHashMap::default();
    for o in observations {
        for pattern in &o.entry.pattern {
            let on = by_pattern.entry(pattern).or_default();
            on.all.push(o);
            for provider in &o.entry.provider {
                let naming = on.by_provider.entry(provider).or_default();
                // Once, if an entry names a provider twice.
                if naming.last().is_none_or(|last| !std::ptr::eq(*last, o)) {
                    naming.push(o);
                }
            }
        }
        if o.is_assessment()
            && let Some(pattern) = o.entry.pattern.first()
        {
            let provider = o.entry.provider.first().map(String::as_str);
            latest.insert((pattern, provider), o);
        }
    }
    let mut by_pattern: Vec<(&str, OnPattern<'_, '_>)> = by_pattern.into_iter().collect();
    by_pattern.sort_unstable_by_key(|(pattern, _)| *pattern);
    let mut rows = Vec::new();
    for (pattern, on) in by_pattern {
        let mut providers: Vec<(&str, Vec<&Observation<'_>>)> =
            on.by_provider.into_iter().collect();
        providers.sort_unstable_by_key(|(provider, _)| *provider);
        let for_all = latest.get(&(pattern, None)).copied();
        let own: FxHashSet<&str> = providers
            .iter()
            .map(|(p, _)| *p)
            .filter(|p| latest.contains_key(&(pattern, Some(*p))))
            .collect();
        if let Some(a) = for_all {
            // The entries on providers with their own assessment are theirs.
            let rest: Vec<&Observation<'_>> = on
                .all
                .iter()
                .copied()
                .filter(|o| !o.entry.provider.iter().any(|p| own.contains(p.as_str())))
                .collect();
            rows.push(row(pattern, None, &rest, Some(a), thresholds));
        } else if own.is_empty() {
            rows.push(row(pattern, None, &on.all, None, thresholds));
        }
        for (provider, naming) in providers {
            let assessed = latest.get(&(pattern, Some(provider))).copied();
            if assessed.is_some() || (for_all.is_none() && !own.is_empty()) {
                rows.push(row(pattern, Some(provider), &naming, assessed, thresholds));
            }
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

/// The row of `pattern` (× `provider`): `on` are the entries about it, assessments
/// included; `assessment` is the one that states its level, none when it is not assessed.
fn row(
    pattern: &str,
    provider: Option<&str>,
    on: &[&Observation<'_>],
    assessment: Option<&Observation<'_>>,
    thresholds: &Thresholds,
) -> ConfidenceRow {
    let level = assessment.and_then(|o| o.entry.confidence);
    // The assessment's own evidence counts; the assessments are not observations.
    // Distinct commits, by address (see `Observation::verified`): a row can hold 100,000.
    let commits: FxHashSet<*const Evidence> = on
        .iter()
        .copied()
        .chain(assessment)
        .flat_map(|o| o.verified.iter().map(|e| std::ptr::from_ref(*e)))
        .collect();
    let seen: Vec<&Observation<'_>> = on.iter().copied().filter(|o| !o.is_assessment()).collect();
    let providers: FxHashSet<&str> = seen
        .iter()
        .flat_map(|o| o.entry.provider.iter().map(String::as_str))
        .collect();
    let mut providers: Vec<&str> = providers.into_iter().collect();
    providers.sort_unstable();
    let reason = level.and_then(|level| check(level, &seen, commits.len(), thresholds));
    let day = |o: &&Observation<'_>| o.entry.date.format("%Y-%m-%d").to_string();
    ConfidenceRow {
        pattern: pattern.to_owned(),
        provider: provider.map(str::to_owned),
        level: level.map(|l| l.as_str().to_owned()),
        assessed: assessment.is_some(),
        stated: stated(&seen)
            .and_then(|o| o.entry.confidence)
            .map(|l| l.as_str().to_owned()),
        holds: level.is_some() && reason.is_none(),
        reason,
        rationale: assessment.map(|o| one_line(&o.entry.body)),
        rationale_id: assessment.map(|o| o.entry.id.clone()),
        rationale_link: assessment.and_then(|o| o.link.clone()),
        entries: seen.len(),
        commits: commits.len(),
        first: seen.first().map(day).unwrap_or_default(),
        last: seen.last().map(day).unwrap_or_default(),
        providers: providers.into_iter().map(str::to_owned).collect(),
    }
}

/// The rationale as one line of a table cell: its paragraphs joined, spaces collapsed.
fn one_line(body: &str) -> String {
    body.split_whitespace().collect::<Vec<_>>().join(" ")
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

    /// An assessment of luks on `provider` (all when empty) on `day`.
    fn verdict(day: u32, provider: &str, level: Confidence) -> Entry {
        let mut e = entry(day, journal_entry::ASSESSMENT, provider, Some(level));
        if provider.is_empty() {
            e.provider.clear();
        }
        e.body = format!("Because of day {day}.\n\nSecond paragraph.");
        e
    }

    fn observe(entries: &[Entry], with_evidence: &[usize]) -> Vec<ConfidenceRow> {
        let commits: Vec<Evidence> = (0..entries.len())
            .map(|i| Evidence::local(format!("{i:040}")))
            .collect();
        let observations: Vec<Observation<'_>> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| Observation {
                entry: e,
                verified: if with_evidence.contains(&i) {
                    vec![&commits[i]]
                } else {
                    Vec::new()
                },
                link: Some(format!("{}.md", e.id)),
            })
            .collect();
        assess(&observations, &Thresholds::default())
    }

    /// The entries, then an assessment for all providers at `level` on the 28th.
    fn judged(entries: &[Entry], level: Confidence, with_evidence: &[usize]) -> ConfidenceRow {
        let mut all = entries.to_vec();
        all.push(verdict(28, "", level));
        let rows = observe(&all, with_evidence);
        assert_eq!(rows.len(), 1, "{rows:?}");
        rows.into_iter().next().unwrap()
    }

    fn pairs(rows: &[ConfidenceRow]) -> Vec<(Option<&str>, Option<&str>, bool)> {
        rows.iter()
            .map(|r| (r.provider.as_deref(), r.level.as_deref(), r.assessed))
            .collect()
    }

    #[test]
    fn the_newest_assessment_of_a_pair_wins_and_one_for_all_covers_the_rest() {
        let entries = [
            entry(1, "finding", "hetzner", None),
            entry(2, "finding", "gcp", None),
            verdict(3, "", Confidence::NeedsTesting),
            verdict(4, "gcp", Confidence::Proven),
            verdict(5, "gcp", Confidence::Uncertain),
        ];
        let rows = observe(&entries, &[0, 1]);
        assert_eq!(
            pairs(&rows),
            [
                (None, Some("needs-testing"), true),
                (Some("gcp"), Some("uncertain"), true)
            ]
        );
        // The rationale is the assessment's body on one line; the row for all counts the
        // entries on providers without their own assessment.
        assert_eq!(
            rows[1].rationale.as_deref(),
            Some("Because of day 5. Second paragraph.")
        );
        assert_eq!(rows[1].rationale_id.as_deref(), Some("e05"));
        assert_eq!(
            (rows[0].entries, rows[0].providers.clone()),
            (1, vec!["hetzner".to_owned()])
        );
        assert_eq!(rows[1].entries, 1);
    }

    #[test]
    fn a_pattern_never_assessed_is_one_row_not_assessed_with_what_entries_state() {
        let entries = [
            entry(1, "finding", "hetzner", Some(Confidence::Proven)),
            entry(2, "hard", "gcp", Some(Confidence::Uncertain)),
        ];
        let rows = observe(&entries, &[0]);
        assert_eq!(pairs(&rows), [(None, None, false)]);
        assert_eq!(rows[0].stated.as_deref(), Some("uncertain"));
        assert!(!rows[0].holds);
        assert_eq!(rows[0].reason, None);
        // Assessed for one provider only: the other is listed as not assessed.
        let entries = [
            entry(1, "finding", "hetzner", None),
            entry(2, "finding", "gcp", None),
            verdict(3, "hetzner", Confidence::Uncertain),
        ];
        assert_eq!(
            pairs(&observe(&entries, &[])),
            [
                (Some("gcp"), None, false),
                (Some("hetzner"), Some("uncertain"), true)
            ]
        );
    }

    #[test]
    fn an_assessments_evidence_counts_but_it_is_no_observation() {
        let mut v = verdict(9, "", Confidence::NeedsTesting);
        v.commits = Vec::new();
        let entries = [entry(1, "finding", "hetzner", None), v];
        let rows = observe(&entries, &[1]);
        assert_eq!((rows[0].entries, rows[0].commits), (1, 1));
        // needs-testing counts observations with evidence: the assessment's is not one.
        assert!(!rows[0].holds, "{rows:?}");
    }

    #[test]
    fn proven_needs_a_week_of_successes_and_no_later_trouble() {
        let week = [
            entry(1, "finding", "hetzner", None),
            entry(9, "finding", "hetzner", None),
        ];
        let row = judged(&week, Confidence::Proven, &[0, 1]);
        assert!(row.holds, "{row:?}");
        assert_eq!((row.entries, row.commits), (2, 2));

        let three_days = [
            entry(1, "finding", "hetzner", None),
            entry(4, "finding", "hetzner", None),
        ];
        let row = judged(&three_days, Confidence::Proven, &[0, 1]);
        assert!(!row.holds);
        assert!(
            row.reason
                .as_deref()
                .unwrap()
                .contains("found 3 (2026-10-01 to 2026-10-04)")
        );

        let trouble_after = [
            entry(1, "finding", "hetzner", None),
            entry(9, "finding", "hetzner", None),
            entry(10, "hard", "hetzner", None),
        ];
        let row = judged(&trouble_after, Confidence::Proven, &[0, 1]);
        assert!(row.reason.as_deref().unwrap().starts_with("a hard entry"));

        let no_evidence = [entry(1, "finding", "hetzner", None)];
        assert!(!judged(&no_evidence, Confidence::Proven, &[]).holds);
    }

    #[test]
    fn a_run_counts_as_a_success_only_when_it_exited_zero() {
        let mut failed = entry(9, "run", "hetzner", None);
        failed.metrics.insert("exit_code".to_owned(), 1.0);
        let entries = [entry(1, "finding", "hetzner", None), failed];
        let row = judged(&entries, Confidence::Proven, &[0, 1]);
        assert!(
            row.reason.as_deref().unwrap().contains("found 0"),
            "{row:?}"
        );
        let mut passed = entries[1].clone();
        passed.metrics.insert("exit_code".to_owned(), 0.0);
        let entries = [entries[0].clone(), passed];
        assert!(judged(&entries, Confidence::Proven, &[0, 1]).holds);
    }

    #[test]
    fn needs_testing_needs_evidence_and_uncertain_nothing() {
        let e = [entry(1, "finding", "gcp", None)];
        assert!(!judged(&e, Confidence::NeedsTesting, &[]).holds);
        assert!(judged(&e, Confidence::NeedsTesting, &[0]).holds);
        let e = [entry(1, "hard", "gcp", None)];
        assert!(judged(&e, Confidence::Uncertain, &[]).holds);
    }
}
