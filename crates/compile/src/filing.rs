//! Filing: which entries each section of each document picks, which sections are empty,
//! which evidence problems each document lists and which entries no section takes. What both
//! the documents and the checks (`journal coverage`) are made from, so that both warn of the
//! same.
//!
//! Entries are matched against a section by their facets (kind, providers, patterns, story).
//! A journal of 100,000 entries has a few hundred distinct facet sets, so each set is matched
//! once per section and each entry looked up by its set: the filing of 100,000 entries into
//! two dozen sections was a fifth of `journal coverage`'s time when every entry was matched
//! against every section.

use std::collections::HashMap;

use journal_entry::Entry;
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

/// What a section matches an entry by.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Facets<'a> {
    kind: Option<&'a String>,
    provider: &'a [String],
    pattern: &'a [String],
    story: Option<&'a String>,
}

impl<'a> Facets<'a> {
    fn of(entry: &'a Entry) -> Self {
        Facets {
            kind: entry.kind.as_ref(),
            provider: &entry.provider,
            pattern: &entry.pattern,
            story: entry.story.as_ref(),
        }
    }

    fn is_assessment(&self) -> bool {
        self.kind.map(String::as_str) == Some(journal_entry::ASSESSMENT)
    }
}

/// Whether `section` picks an entry with these facets: an overview its decisions, a
/// section of entries those it matches, the confidence table none (it shows rows).
fn picks(section: &SectionConfig, facets: &Facets<'_>) -> bool {
    // An assessment is the confidence table's (its level and rationale are a row there): a
    // section shows it only when it asks for the kind by name.
    let kind_ok = if facets.is_assessment() {
        section.kind.iter().any(|k| k == journal_entry::ASSESSMENT)
    } else {
        one_of(&section.kind, facets.kind)
    };
    let content_ok = match section.content {
        Content::Entries => true,
        Content::Overview => facets.kind.map(String::as_str) == Some("decision"),
        Content::Confidence => false,
    };
    content_ok
        && kind_ok
        && any_of(&section.provider, facets.provider)
        && any_of(&section.pattern, facets.pattern)
        && one_of(&section.story, facets.story)
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

/// The entries grouped by their facets: `of[i]` is the group of `current[i]`.
struct Grouped<'a> {
    groups: Vec<Facets<'a>>,
    of: Vec<usize>,
}

fn group<'a>(current: &[&'a SourceEntry]) -> Grouped<'a> {
    let mut index: FxHashMap<Facets<'a>, usize> = FxHashMap::default();
    let mut groups = Vec::new();
    let of = current
        .iter()
        .map(|s| {
            let facets = Facets::of(&s.entry);
            *index.entry(facets).or_insert_with(|| {
                groups.push(facets);
                groups.len() - 1
            })
        })
        .collect();
    Grouped { groups, of }
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
    let grouped = group(current);
    // Groups some section of entries files (an overview only lists decisions filed anyway).
    let mut filed = vec![false; grouped.groups.len()];
    let mut documents = Vec::new();
    for document in config.effective_documents() {
        // Groups some section of this document shows.
        let mut shown = vec![false; grouped.groups.len()];
        let mut sections = Vec::new();
        for section in &document.sections {
            let picking: Vec<bool> = grouped.groups.iter().map(|f| picks(section, f)).collect();
            let picked: Vec<&SourceEntry> = current
                .iter()
                .zip(&grouped.of)
                .filter(|(_, group)| picking[**group])
                .map(|(s, _)| *s)
                .collect();
            for (group, _) in picking.iter().enumerate().filter(|(_, p)| **p) {
                shown[group] = true;
                if section.content == Content::Entries {
                    filed[group] = true;
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
        let evidence_problems = evidence_problems(current, &grouped.of, &shown, unpushed);
        documents.push(FiledDocument {
            config: document,
            sections,
            evidence_problems,
        });
    }
    let unfiled: Vec<&SourceEntry> = current
        .iter()
        .zip(&grouped.of)
        .filter(|(_, group)| !filed[**group] && !grouped.groups[**group].is_assessment())
        .map(|(s, _)| *s)
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

/// The evidence problems of the entries a document shows (`shown` by group), by entry id.
fn evidence_problems(
    current: &[&SourceEntry],
    group_of: &[usize],
    shown: &[bool],
    unpushed: &HashMap<&str, Vec<EvidenceProblem>>,
) -> Vec<EvidenceProblem> {
    if unpushed.is_empty() {
        return Vec::new();
    }
    let mut listed: Vec<(&str, &Vec<EvidenceProblem>)> = current
        .iter()
        .zip(group_of)
        .filter(|(_, group)| shown[**group])
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
