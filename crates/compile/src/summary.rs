//! The executive summary in prose: every sentence made from the entries and their counts
//! (what was done per provider, the assessments, the most cited and the newest findings,
//! the open limitations and questions), nothing invented.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use journal_entry::ASSESSMENT;
use serde::Serialize;

use crate::SourceEntry;
use crate::view::{ConfidenceRow, RelatedView, SharedEntry};

/// How many entries each list of the summary names.
const TOP: usize = 3;

/// The summary of the entries a compile takes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SummaryView {
    /// Observations (assessments left out).
    pub entries: usize,
    /// Day of the first and of the last.
    pub first: String,
    /// Day of the last.
    pub last: String,
    /// One per provider named, by name.
    pub providers: Vec<ProviderSummary>,
    /// The providers side by side: one row each, for the comparison table.
    pub comparison: Vec<ComparisonRow>,
    /// The assessed levels, each with its `pattern` or `pattern on provider` names.
    pub levels: Vec<LevelSummary>,
    /// Pattern (× provider) rows with observations and no assessment.
    pub not_assessed: Vec<String>,
    /// Assessments the evidence does not support.
    pub unsupported: Vec<String>,
    /// The findings citing the most verified evidence commits.
    pub most_cited: Vec<RelatedView>,
    /// The newest findings, easy, hard and surprising observations.
    pub newest: Vec<RelatedView>,
    /// The newest limitations, at most three.
    pub limitations: Vec<RelatedView>,
    /// How many limitations there are.
    pub limitation_count: usize,
    /// How many open questions there are.
    pub questions: usize,
}

/// What was done on one provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderSummary {
    /// The provider.
    pub name: String,
    /// Observations naming it.
    pub entries: usize,
    /// Of them, how many of each kind, in the documents' order ("3 findings", "1 hard").
    pub kinds: Vec<String>,
    /// The patterns they name, most named first.
    pub patterns: Vec<String>,
}

/// One provider in the comparison table: what its observations were, and how sure its
/// patterns are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ComparisonRow {
    /// The provider.
    pub provider: String,
    /// Observations naming it.
    pub entries: usize,
    /// Of them, easy ones.
    pub easy: usize,
    /// Hard ones.
    pub hard: usize,
    /// Surprises.
    pub surprise: usize,
    /// Limitations.
    pub limitation: usize,
    /// The patterns assessed for it (an assessment for all providers counts for each
    /// provider observed on the pattern), by level: proven, needs-testing, uncertain.
    pub proven: Vec<String>,
    /// Needs testing.
    pub needs_testing: Vec<String>,
    /// Uncertain.
    pub uncertain: Vec<String>,
    /// Patterns observed on it with no assessment that covers it.
    pub not_assessed: Vec<String>,
}

/// The patterns assessed at one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelSummary {
    /// The level.
    pub level: String,
    /// `pattern` or `pattern on provider`.
    pub rows: Vec<String>,
}

/// Per provider: observations, how many of each kind, how many naming each pattern.
type Tally<'a> = (usize, BTreeMap<String, usize>, BTreeMap<&'a str, usize>);

/// Summarises `current` (the entries not replaced, by date); `views` give each entry's
/// verified evidence, `link_prefix` links them.
pub(crate) fn summary(
    current: &[&SourceEntry],
    views: &FxHashMap<&str, SharedEntry>,
    confidence: &[ConfidenceRow],
    link_prefix: &std::sync::Arc<str>,
) -> SummaryView {
    let observed: Vec<&SourceEntry> = current
        .iter()
        .copied()
        .filter(|s| s.entry.kind.as_deref() != Some(ASSESSMENT))
        .collect();
    let related = |s: &SourceEntry| RelatedView::new(s, link_prefix);
    let tallies = tallies(&observed);
    let comparison = comparison(&tallies, confidence);
    let providers = provider_summaries(tallies);
    let name = row_name;
    let findings = |kinds: &[&str]| -> Vec<&SourceEntry> {
        observed
            .iter()
            .copied()
            .filter(|s| kinds.contains(&s.entry.kind.as_deref().unwrap_or_default()))
            .collect()
    };
    let cited = |s: &SourceEntry| {
        views
            .get(s.entry.id.as_str())
            .map_or(0, |v| v.evidence.len())
    };
    let mut most_cited: Vec<&SourceEntry> = findings(&["finding", "easy", "hard", "surprise"])
        .into_iter()
        .filter(|s| cited(s) > 0)
        .collect();
    // Stable: of equally cited findings, the newest first.
    most_cited.reverse();
    most_cited.sort_by_key(|s| std::cmp::Reverse(cited(s)));
    let newest: Vec<RelatedView> = findings(&["finding", "easy", "hard", "surprise"])
        .iter()
        .rev()
        .take(TOP)
        .map(|s| related(s))
        .collect();
    let limitations = findings(&["limitation"]);
    let seen: BTreeSet<&str> = observed.iter().map(|s| s.entry.id.as_str()).collect();
    SummaryView {
        entries: seen.len(),
        first: observed
            .first()
            .map(|s| related(s).date())
            .unwrap_or_default(),
        last: observed
            .last()
            .map(|s| related(s).date())
            .unwrap_or_default(),
        providers,
        comparison,
        levels: levels(confidence),
        not_assessed: confidence
            .iter()
            .filter(|r| !r.assessed && r.entries > 0)
            .map(name)
            .collect(),
        unsupported: confidence
            .iter()
            .filter(|r| r.assessed && !r.holds)
            .map(name)
            .collect(),
        most_cited: most_cited.iter().take(TOP).map(|s| related(s)).collect(),
        newest,
        limitation_count: limitations.len(),
        limitations: limitations
            .iter()
            .rev()
            .take(TOP)
            .map(|s| related(s))
            .collect(),
        questions: findings(&["question"]).len(),
    }
}

/// How a confidence row is named in a sentence: `pattern` or `pattern on provider`.
fn row_name(r: &ConfidenceRow) -> String {
    match &r.provider {
        Some(p) => format!("{} on {p}", r.pattern),
        None => r.pattern.clone(),
    }
}

/// Per provider named by `observed`: how many observations, of each kind, on each pattern.
fn tallies<'a>(observed: &[&'a SourceEntry]) -> BTreeMap<&'a str, Tally<'a>> {
    let mut providers: BTreeMap<&str, Tally<'_>> = BTreeMap::new();
    for s in observed {
        for p in &s.entry.provider {
            let (n, kinds, patterns) = providers.entry(p).or_default();
            *n += 1;
            if let Some(kind) = &s.entry.kind {
                *kinds.entry(kind.clone()).or_default() += 1;
            }
            for pattern in &s.entry.pattern {
                *patterns.entry(pattern).or_default() += 1;
            }
        }
    }
    providers
}

/// The tallies as sentences' parts: kinds in the documents' order, patterns most named first.
fn provider_summaries(tallies: BTreeMap<&str, Tally<'_>>) -> Vec<ProviderSummary> {
    tallies
        .into_iter()
        .map(|(name, (entries, kinds, patterns))| {
            let mut kinds: Vec<(String, usize)> = kinds.into_iter().collect();
            kinds.sort_by_key(|(k, _)| crate::layout::kind_rank(k));
            let kinds = kinds.into_iter().map(|(k, n)| counted(&k, n)).collect();
            let mut patterns: Vec<(&str, usize)> = patterns.into_iter().collect();
            patterns.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            ProviderSummary {
                name: name.to_owned(),
                entries,
                kinds,
                patterns: patterns.into_iter().map(|(p, _)| p.to_owned()).collect(),
            }
        })
        .collect()
}

/// The assessed rows by level: proven, needs-testing, uncertain.
fn levels(confidence: &[ConfidenceRow]) -> Vec<LevelSummary> {
    let mut levels: BTreeMap<usize, LevelSummary> = BTreeMap::new();
    for r in confidence.iter().filter(|r| r.assessed) {
        let level = r.level.clone().unwrap_or_default();
        let rank = ["proven", "needs-testing", "uncertain"]
            .iter()
            .position(|l| *l == level)
            .unwrap_or(3);
        levels
            .entry(rank)
            .or_insert_with(|| LevelSummary {
                level,
                rows: Vec::new(),
            })
            .rows
            .push(row_name(r));
    }
    levels.into_values().collect()
}

/// The comparison rows: per provider, its kinds and its patterns by assessed level. A row of
/// the confidence table speaks for a provider when it is the provider's own, or when it is
/// for all and the provider is among those its observations name.
fn comparison(
    providers: &BTreeMap<&str, Tally<'_>>,
    confidence: &[ConfidenceRow],
) -> Vec<ComparisonRow> {
    providers
        .iter()
        .map(|(name, (entries, kinds, patterns))| {
            let kind = |k: &str| kinds.get(k).copied().unwrap_or(0);
            let mut row = ComparisonRow {
                provider: (*name).to_owned(),
                entries: *entries,
                easy: kind("easy"),
                hard: kind("hard"),
                surprise: kind("surprise"),
                limitation: kind("limitation"),
                proven: Vec::new(),
                needs_testing: Vec::new(),
                uncertain: Vec::new(),
                not_assessed: Vec::new(),
            };
            for pattern in patterns.keys() {
                let own = confidence
                    .iter()
                    .find(|r| r.pattern == *pattern && r.provider.as_deref() == Some(*name));
                let all = confidence.iter().find(|r| {
                    r.pattern == *pattern
                        && r.provider.is_none()
                        && r.providers.iter().any(|p| p == name)
                });
                let level = own
                    .or(all)
                    .filter(|r| r.assessed)
                    .and_then(|r| r.level.as_deref());
                let list = match level {
                    Some("proven") => &mut row.proven,
                    Some("needs-testing") => &mut row.needs_testing,
                    Some("uncertain") => &mut row.uncertain,
                    _ => &mut row.not_assessed,
                };
                list.push((*pattern).to_owned());
            }
            row
        })
        .collect()
}

/// "1 finding", "3 findings", "2 hard": a count of entries of one kind.
fn counted(kind: &str, n: usize) -> String {
    let plural = match kind {
        "easy" | "hard" => kind.to_owned(),
        "surprise" | "finding" | "decision" | "measurement" | "run" | "limitation"
        | "recommendation" | "alternative" | "question" | "assessment" => format!("{kind}s"),
        other => format!("{other} entries"),
    };
    match (n, kind) {
        (1, "easy" | "hard") => format!("1 {kind}"),
        (1, k) if plural.ends_with(" entries") => format!("1 {k} entry"),
        (1, k) => format!("1 {k}"),
        (n, _) => format!("{n} {plural}"),
    }
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn counts_read_as_words() {
        assert_eq!(counted("finding", 1), "1 finding");
        assert_eq!(counted("finding", 3), "3 findings");
        assert_eq!(counted("hard", 2), "2 hard");
        assert_eq!(counted("surprise", 2), "2 surprises");
        assert_eq!(counted("custom", 1), "1 custom entry");
        assert_eq!(counted("custom", 2), "2 custom entries");
    }
}
