//! Filing: which entries each section of each document picks, which sections are empty,
//! which evidence problems each document lists and which entries no section takes. What both
//! the documents and the checks (`journal coverage`) are made from, so that both warn of the
//! same.
//!
//! Entries are matched against a section by their facets (kind, providers, patterns, story),
//! numbered once for all sections: a section's filters become sets of numbers, and each
//! entry is matched by a few lookups rather than by comparing strings. (Entries that share
//! their facets cannot be matched once per set instead: in a journal of 100,000 entries with
//! pairs of patterns and a hundred stories, 77,681 sets are distinct.)

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use crate::SourceEntry;
use crate::assemble::Problems;
use crate::config::{CompileConfig, Content, DocumentConfig, SectionConfig};
use crate::view::{ConfidenceRow, EvidenceProblem, ProblemKind};

/// Whether `have` holds one of `wanted` (an empty list wants any).
pub(crate) fn any_of(wanted: &[String], have: &[String]) -> bool {
    wanted.is_empty() || have.iter().any(|h| wanted.contains(h))
}

/// Whether the one value `have` is among `wanted` (an empty list wants any).
pub(crate) fn one_of(wanted: &[String], have: Option<&String>) -> bool {
    wanted.is_empty() || have.is_some_and(|h| wanted.contains(h))
}

/// The values of one facet (kinds, providers, patterns or stories), numbered as met.
#[derive(Default)]
struct Values<'a>(FxHashMap<&'a str, u32>);

impl<'a> Values<'a> {
    fn number(&mut self, value: &'a str) -> u32 {
        let next = u32::try_from(self.0.len()).unwrap_or(u32::MAX);
        *self.0.entry(value).or_insert(next)
    }

    /// The numbers `wanted` names, as a set; `None` (any) for an empty list, as the
    /// section's filter means.
    fn wanted(&self, wanted: &[String]) -> Option<Vec<bool>> {
        if wanted.is_empty() {
            return None;
        }
        let mut set = vec![false; self.0.len()];
        for value in wanted {
            if let Some(&n) = self.0.get(value.as_str()) {
                set[n as usize] = true;
            }
        }
        Some(set)
    }
}

/// An entry's facets as numbers; its providers and patterns are ranges of
/// [`Numbered::lists`].
#[derive(Clone, Copy)]
struct Row {
    kind: Option<u32>,
    story: Option<u32>,
    providers: (usize, usize),
    patterns: (usize, usize),
}

/// Every entry's facets, numbered: what the sections are matched against.
#[derive(Default)]
struct Numbered<'a> {
    kinds: Values<'a>,
    providers: Values<'a>,
    patterns: Values<'a>,
    stories: Values<'a>,
    /// One per entry, in order.
    rows: Vec<Row>,
    lists: Vec<u32>,
}

impl<'a> Numbered<'a> {
    fn of(current: &[&'a SourceEntry]) -> Self {
        let mut n = Self::default();
        for s in current {
            let e = &s.entry;
            let start = n.lists.len();
            for p in &e.provider {
                let number = n.providers.number(p);
                n.lists.push(number);
            }
            let middle = n.lists.len();
            for p in &e.pattern {
                let number = n.patterns.number(p);
                n.lists.push(number);
            }
            let row = Row {
                kind: e.kind.as_deref().map(|k| n.kinds.number(k)),
                story: e.story.as_deref().map(|k| n.stories.number(k)),
                providers: (start, middle),
                patterns: (middle, n.lists.len()),
            };
            n.rows.push(row);
        }
        n
    }

    fn kind(&self, kind: &str) -> Option<u32> {
        self.kinds.0.get(kind).copied()
    }
}

/// A section's filters as sets of numbers (`None`: any).
struct Matcher {
    content: Content,
    kind: Option<Vec<bool>>,
    provider: Option<Vec<bool>>,
    pattern: Option<Vec<bool>>,
    story: Option<Vec<bool>>,
    asks_for_assessments: bool,
    assessment: Option<u32>,
    decision: Option<u32>,
}

impl Matcher {
    fn new(section: &SectionConfig, numbered: &Numbered<'_>) -> Self {
        Self {
            content: section.content,
            kind: numbered.kinds.wanted(&section.kind),
            provider: numbered.providers.wanted(&section.provider),
            pattern: numbered.patterns.wanted(&section.pattern),
            story: numbered.stories.wanted(&section.story),
            asks_for_assessments: section.kind.iter().any(|k| k == journal_entry::ASSESSMENT),
            assessment: numbered.kind(journal_entry::ASSESSMENT),
            decision: numbered.kind("decision"),
        }
    }

    /// Whether the section picks the entry of `row`: an overview its decisions, a section
    /// of entries those it matches, the confidence table none (it shows rows).
    fn picks(&self, row: &Row, lists: &[u32]) -> bool {
        let is = |kind: Option<u32>| kind.is_some() && row.kind == kind;
        let content_ok = match self.content {
            Content::Entries => true,
            Content::Overview => is(self.decision),
            Content::Confidence => false,
        };
        // An assessment is the confidence table's (its level and rationale are a row
        // there): a section shows it only when it asks for the kind by name.
        let kind_ok = if is(self.assessment) {
            self.asks_for_assessments
        } else {
            one(self.kind.as_deref(), row.kind)
        };
        content_ok
            && kind_ok
            && any(
                self.provider.as_deref(),
                &lists[row.providers.0..row.providers.1],
            )
            && any(
                self.pattern.as_deref(),
                &lists[row.patterns.0..row.patterns.1],
            )
            && one(self.story.as_deref(), row.story)
    }
}

/// Whether the one value `have` is in `wanted` (`None`: any).
fn one(wanted: Option<&[bool]>, have: Option<u32>) -> bool {
    wanted.is_none_or(|set| have.is_some_and(|n| set[n as usize]))
}

/// Whether one of `have` is in `wanted` (`None`: any).
fn any(wanted: Option<&[bool]>, have: &[u32]) -> bool {
    wanted.is_none_or(|set| have.iter().any(|n| set[*n as usize]))
}

/// A section, the entries it picked and whether it is empty.
pub(crate) struct Filed<'a> {
    pub section: SectionConfig,
    pub picked: Vec<&'a SourceEntry>,
    pub empty: bool,
}

/// A document with its sections filed, and the evidence problems of the entries it shows
/// (commits not pushed), by entry.
pub(crate) struct FiledDocument<'a> {
    pub config: DocumentConfig,
    pub sections: Vec<Filed<'a>>,
    pub evidence_problems: Vec<EvidenceProblem>,
}

/// Which entries each section of each document picks, whether it is empty, and the
/// entries no section files.
pub(crate) struct Filing<'a> {
    /// Each document with its sections.
    pub documents: Vec<FiledDocument<'a>>,
    /// The entries no section of entries picks (assessments aside: they are the confidence
    /// table's).
    pub unfiled: Vec<&'a SourceEntry>,
}

/// Files `current` (the entries not replaced, by date) in the documents of `config`; warns
/// of required sections left empty and of entries no section picks up. `unpushed` are the
/// evidence problems by entry id.
pub(crate) fn file<'a>(
    config: &CompileConfig,
    current: &[&'a SourceEntry],
    confidence: &[ConfidenceRow],
    unpushed: &HashMap<&str, Vec<EvidenceProblem>>,
    problems: &mut Problems,
) -> Filing<'a> {
    let numbered = Numbered::of(current);
    // Entries some section of entries files (an overview only lists decisions filed anyway).
    let mut filed = vec![false; current.len()];
    let mut documents = Vec::new();
    for document in config.effective_documents() {
        // Entries some section of this document shows.
        let mut shown = vec![false; current.len()];
        let mut sections = Vec::new();
        for section in &document.sections {
            let matcher = Matcher::new(section, &numbered);
            let mut picked: Vec<&SourceEntry> = Vec::new();
            for (i, row) in numbered.rows.iter().enumerate() {
                if matcher.picks(row, &numbered.lists) {
                    picked.push(current[i]);
                    shown[i] = true;
                    filed[i] |= section.content == Content::Entries;
                }
            }
            let empty = match section.content {
                Content::Confidence => confidence.is_empty(),
                _ => picked.is_empty(),
            };
            if empty && section.required {
                problems.warn(
                    ProblemKind::EmptySection,
                    format!(
                        "{}: required section \"{}\" has no observations",
                        document.name, section.title
                    ),
                );
            }
            sections.push(Filed {
                section: section.clone(),
                picked,
                empty,
            });
        }
        let evidence_problems = evidence_problems(current, &shown, unpushed);
        documents.push(FiledDocument {
            config: document,
            sections,
            evidence_problems,
        });
    }
    let assessment = numbered.kind(journal_entry::ASSESSMENT);
    let is_assessment = |row: &Row| assessment.is_some() && row.kind == assessment;
    let unfiled: Vec<&SourceEntry> = current
        .iter()
        .zip(&numbered.rows)
        .zip(&filed)
        .filter(|((_, row), filed)| !**filed && !is_assessment(row))
        .map(|((s, _), _)| *s)
        .collect();
    for s in &unfiled {
        problems.warn(
            ProblemKind::Unfiled,
            format!(
                "{}: no section picks up this entry (\"{}\"); listed under Unfiled observations",
                s.entry.id, s.entry.title
            ),
        );
    }
    Filing { documents, unfiled }
}

/// The evidence problems of the entries a document shows (`shown[i]` for `current[i]`), by
/// entry id.
fn evidence_problems(
    current: &[&SourceEntry],
    shown: &[bool],
    unpushed: &HashMap<&str, Vec<EvidenceProblem>>,
) -> Vec<EvidenceProblem> {
    if unpushed.is_empty() {
        return Vec::new();
    }
    let mut listed: Vec<(&str, &Vec<EvidenceProblem>)> = current
        .iter()
        .zip(shown)
        .filter(|(_, shown)| **shown)
        .filter_map(|(s, _)| {
            let id = s.entry.id.as_str();
            unpushed.get(id).map(|problems| (id, problems))
        })
        .collect();
    listed.sort_unstable_by_key(|(id, _)| *id);
    listed
        .into_iter()
        .flat_map(|(_, problems)| problems.iter().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Arc;

    use chrono::DateTime;
    use journal_entry::Entry;

    use super::file;
    use crate::SourceEntry;
    use crate::assemble::Problems;
    use crate::config::{CompileConfig, DocumentConfig};
    use crate::view::{EvidenceProblem, ProblemKind};

    /// An entry `id` of `kind` on `providers` and `patterns`, of `story`.
    fn entry(
        id: &str,
        kind: &str,
        providers: &[&str],
        patterns: &[&str],
        story: &str,
    ) -> SourceEntry {
        let date = DateTime::parse_from_rfc3339("2026-10-01T10:00:00Z").unwrap();
        let mut e = Entry::new(id, date, format!("Entry {id}"));
        e.kind = Some(kind.to_owned());
        e.provider = providers.iter().map(|p| (*p).to_owned()).collect();
        e.pattern = patterns.iter().map(|p| (*p).to_owned()).collect();
        e.story = (!story.is_empty()).then(|| story.to_owned());
        SourceEntry {
            entry: Arc::new(e),
            path: format!("journal/2026/10/{id}.md").into(),
        }
    }

    fn config() -> CompileConfig {
        let document: DocumentConfig = toml::from_str(
            r#"
            name = "TEST"
            title = "Test"
            [[sections]]
            id = "hetzner"
            title = "Hetzner"
            provider = ["hetzner"]
            [[sections]]
            id = "luks-hard"
            title = "LUKS, what was hard"
            pattern = ["luks"]
            kind = ["hard"]
            [[sections]]
            id = "overview"
            title = "Overview"
            content = "overview"
            [[sections]]
            id = "verdicts"
            title = "Verdicts"
            kind = ["assessment"]
            required = false
            [[sections]]
            id = "story"
            title = "Story 1.11"
            story = ["1.11"]
            kind = ["finding"]
            [[sections]]
            id = "empty"
            title = "Nothing here"
            provider = ["aws"]
            "#,
        )
        .unwrap();
        // The built-in documents, emptied: this one alone files the entries.
        let emptied = |name: &str| DocumentConfig {
            name: name.to_owned(),
            title: name.to_owned(),
            intro: None,
            sections: Vec::new(),
        };
        CompileConfig {
            documents: vec![
                emptied("INTEGRATION-FINDINGS"),
                emptied("ARCHITECTURAL-DECISIONS"),
                document,
            ],
            ..CompileConfig::default()
        }
    }

    fn ids<'a>(entries: impl IntoIterator<Item = &'a &'a SourceEntry>) -> Vec<&'a str> {
        entries.into_iter().map(|s| s.entry.id.as_str()).collect()
    }

    fn unpushed(id: &str) -> EvidenceProblem {
        EvidenceProblem {
            entry: id.to_owned(),
            entry_title: format!("Entry {id}"),
            entry_link: String::new(),
            evidence: "abc1234".to_owned(),
            problem: "not pushed".to_owned(),
        }
    }

    #[test]
    fn sections_pick_by_facets_and_the_rest_is_unfiled() {
        let entries = [
            entry("a", "hard", &["hetzner"], &["luks"], ""),
            // The same facets as `a`: one group, both picked.
            entry("b", "hard", &["hetzner"], &["luks"], ""),
            entry("c", "hard", &["gcp"], &["luks"], ""),
            entry("d", "decision", &["gcp"], &["zerotier"], ""),
            entry("e", "assessment", &["hetzner"], &["luks"], ""),
            entry("f", "finding", &["gcp"], &[], "1.11"),
            entry("g", "finding", &["gcp"], &[], "1.9"),
            entry("h", "assessment", &["gcp"], &["zerotier"], ""),
        ];
        let current: Vec<&SourceEntry> = entries.iter().collect();
        let mut problems = Problems::default();
        let filing = file(&config(), &current, &[], &HashMap::new(), &mut problems);
        let test = filing
            .documents
            .iter()
            .find(|d| d.config.name == "TEST")
            .unwrap();
        let picked: Vec<(&str, Vec<&str>, bool)> = test
            .sections
            .iter()
            .map(|f| (f.section.id.as_str(), ids(&f.picked), f.empty))
            .collect();
        assert_eq!(
            picked,
            [
                // An assessment only where its kind is asked for by name.
                ("hetzner", vec!["a", "b"], false),
                ("luks-hard", vec!["a", "b", "c"], false),
                ("overview", vec!["d"], false),
                ("verdicts", vec!["e", "h"], false),
                ("story", vec!["f"], false),
                ("empty", vec![], true),
            ]
        );
        // The overview lists decisions without filing them; assessments are the table's.
        assert_eq!(ids(&filing.unfiled), ["d", "g"]);
        let warnings: Vec<(ProblemKind, String)> = problems
            .into_list()
            .into_iter()
            .map(|p| (p.kind, p.message))
            .collect();
        assert!(warnings.contains(&(
            ProblemKind::EmptySection,
            "TEST: required section \"Nothing here\" has no observations".to_owned()
        )));
        for id in ["d", "g"] {
            assert!(
                warnings
                    .iter()
                    .any(|(kind, m)| *kind == ProblemKind::Unfiled && m.starts_with(id)),
                "{warnings:?}"
            );
        }
    }

    #[test]
    fn a_document_lists_the_unpushed_evidence_of_what_it_shows_by_entry() {
        let entries = [
            entry("20261003-c", "hard", &["hetzner"], &[], ""),
            entry("20261001-a", "hard", &["hetzner"], &[], ""),
            entry("20261002-b", "finding", &["vultr"], &[], ""),
        ];
        let current: Vec<&SourceEntry> = entries.iter().collect();
        let unpushed: HashMap<&str, Vec<EvidenceProblem>> =
            ["20261003-c", "20261001-a", "20261002-b"]
                .into_iter()
                .map(|id| (id, vec![unpushed(id)]))
                .collect();
        let filing = file(
            &config(),
            &current,
            &[],
            &unpushed,
            &mut Problems::default(),
        );
        let test = filing
            .documents
            .iter()
            .find(|d| d.config.name == "TEST")
            .unwrap();
        let listed: Vec<&str> = test
            .evidence_problems
            .iter()
            .map(|p| p.entry.as_str())
            .collect();
        // `b` is in no section of this document; the others by id, not by their order in
        // the list.
        assert_eq!(listed, ["20261001-a", "20261003-c"]);
    }
}
