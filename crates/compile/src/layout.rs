//! Laying the entries out in the documents: which entry lands in which section (grouped by
//! kind, in full once per document and referred to after), the overview of decisions, the
//! confidence table's place, and the entries no section picks up.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use journal_entry::Entry;

use crate::SourceEntry;
use crate::assemble::Problems;
use crate::config::{CompileConfig, Content, DocumentConfig, SectionConfig};
use crate::metrics;
use crate::summary::SummaryView;
use crate::view::{
    ConfidenceRow, DocumentView, EvidenceProblem, GroupView, MetricRow, ProblemKind, SectionView,
    SharedEntry, TaggedView,
};

/// Kinds in the order sections show them, with their labels.
const KINDS: [(&str, &str); 13] = [
    ("decision", "Decisions"),
    ("finding", "Findings"),
    ("easy", "What was easy"),
    ("hard", "What was hard"),
    ("surprise", "Surprises"),
    ("measurement", "Measurements"),
    ("run", "Runs"),
    ("limitation", "Limitations"),
    ("recommendation", "Recommendations"),
    ("alternative", "Alternatives considered"),
    ("question", "Open questions"),
    ("assessment", "Assessments"),
    ("none", "Notes"),
];

pub(crate) fn kind_rank(kind: &str) -> usize {
    KINDS
        .iter()
        .position(|(k, _)| *k == kind)
        .unwrap_or(KINDS.len())
}

fn kind_label(kind: &str) -> String {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or_else(|| kind.to_owned(), |(_, label)| (*label).to_owned())
}

/// Whether `have` holds one of `wanted` (an empty list wants any).
pub(crate) fn any_of(wanted: &[String], have: &[String]) -> bool {
    wanted.is_empty() || have.iter().any(|h| wanted.contains(h))
}

/// Whether the one value `have` is among `wanted` (an empty list wants any).
pub(crate) fn one_of(wanted: &[String], have: Option<&String>) -> bool {
    wanted.is_empty() || have.is_some_and(|h| wanted.contains(h))
}

fn matches(section: &SectionConfig, entry: &Entry) -> bool {
    // An assessment is the confidence table's (its level and rationale are a row there): a
    // section shows it only when it asks for the kind by name.
    let kind_ok = if entry.kind.as_deref() == Some(journal_entry::ASSESSMENT) {
        section.kind.iter().any(|k| k == journal_entry::ASSESSMENT)
    } else {
        one_of(&section.kind, entry.kind.as_ref())
    };
    any_of(&section.provider, &entry.provider)
        && any_of(&section.pattern, &entry.pattern)
        && kind_ok
        && one_of(&section.story, entry.story.as_ref())
}

/// The documents laid out, and the entries no section took.
pub(crate) struct LaidOut {
    pub documents: Vec<DocumentView>,
    pub unfiled: Vec<SharedEntry>,
}

/// A section, the entries it picked and whether it is empty.
pub(crate) struct Filed<'a> {
    pub section: SectionConfig,
    pub picked: Vec<&'a SourceEntry>,
    pub empty: bool,
}

/// Which entries each section of each document picks, whether it is empty, and the
/// entries no section files: what both the documents and the checks (`journal coverage`)
/// are made from, so that both warn of the same.
pub(crate) struct Filing<'a> {
    /// Each document with its sections, each with the entries it picked and whether it is
    /// empty.
    pub documents: Vec<(DocumentConfig, Vec<Filed<'a>>)>,
    /// The entries no section of entries picks (assessments aside: they are the confidence
    /// table's).
    pub unfiled: Vec<&'a SourceEntry>,
}

/// Files `current` (the entries not replaced) in the documents of `config`; warns of
/// required sections left empty and of entries no section picks up.
pub(crate) fn file<'a>(
    config: &CompileConfig,
    current: &[&'a SourceEntry],
    confidence: &[ConfidenceRow],
    problems: &mut Problems,
) -> Filing<'a> {
    let mut filed: rustc_hash::FxHashSet<&str> = rustc_hash::FxHashSet::default();
    let mut documents = Vec::new();
    for document in config.effective_documents() {
        let mut sections = Vec::new();
        for section in &document.sections {
            let picked = pick(section, current);
            if section.content == Content::Entries {
                filed.extend(picked.iter().map(|s| s.entry.id.as_str()));
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
        documents.push((document, sections));
    }
    let unfiled: Vec<&SourceEntry> = current
        .iter()
        .copied()
        .filter(|s| !filed.contains(s.entry.id.as_str()))
        .filter(|s| s.entry.kind.as_deref() != Some(journal_entry::ASSESSMENT))
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

/// The documents of `filing` with their sections' headings and whether each is empty, but
/// no entries, metric tables or summary: what the checks need.
pub(crate) fn sections_only(
    filing: &Filing<'_>,
    unpushed: &HashMap<&str, Vec<EvidenceProblem>>,
) -> Vec<DocumentView> {
    filing
        .documents
        .iter()
        .enumerate()
        .map(|(index, (document, sections))| {
            let views = sections
                .iter()
                .map(|filed| SectionView {
                    empty: filed.empty,
                    ..section_view(
                        &filed.section,
                        &[],
                        &HashMap::new(),
                        &[],
                        &mut HashMap::new(),
                    )
                })
                .collect();
            let shown: BTreeSet<&str> = sections
                .iter()
                .flat_map(|filed| filed.picked.iter().map(|s| s.entry.id.as_str()))
                .collect();
            document_view(
                document.clone(),
                views,
                evidence_problems(&shown, unpushed),
                index == 0,
            )
        })
        .collect()
}

/// The evidence problems of the entries a document shows, by entry.
fn evidence_problems(
    shown: &BTreeSet<&str>,
    unpushed: &HashMap<&str, Vec<EvidenceProblem>>,
) -> Vec<EvidenceProblem> {
    shown
        .iter()
        .filter_map(|id| unpushed.get(id))
        .flatten()
        .cloned()
        .collect()
}

/// Lays the filed entries out in the documents, with their views.
pub(crate) fn lay_out(
    filing: Filing<'_>,
    views: &HashMap<&str, SharedEntry>,
    confidence: &[ConfidenceRow],
    summary: &SummaryView,
    unpushed: &HashMap<&str, Vec<EvidenceProblem>>,
) -> LaidOut {
    let mut documents = Vec::new();
    for (index, (document, filed)) in filing.documents.into_iter().enumerate() {
        let mut shown: BTreeSet<&str> = BTreeSet::new();
        // Each entry in full once per document, in its first section; a reference after.
        let mut printed: HashMap<String, String> = HashMap::new();
        // Each metric table in full once per document too: metric → its tables so far, with
        // the section that printed each.
        let mut tables: HashMap<String, Vec<(Vec<MetricRow>, String)>> = HashMap::new();
        let mut sections = Vec::new();
        for Filed {
            section, picked, ..
        } in &filed
        {
            shown.extend(picked.iter().map(|s| s.entry.id.as_str()));
            let mut view = section_view(section, picked, views, confidence, &mut printed);
            if section.content == Content::Confidence {
                view.summary = Some(summary.clone());
            }
            for table in &mut view.metrics {
                let seen = tables.entry(table.metric.clone()).or_default();
                table.first = seen.is_empty();
                match seen.iter().find(|(rows, _)| *rows == table.rows) {
                    Some((_, title)) => table.same_as = Some(title.clone()),
                    None => seen.push((table.rows.clone(), section.title.clone())),
                }
            }
            sections.push(view);
        }
        documents.push(document_view(
            document,
            sections,
            evidence_problems(&shown, unpushed),
            index == 0,
        ));
    }
    let unfiled = filing
        .unfiled
        .iter()
        .map(|s| views[s.entry.id.as_str()].clone())
        .collect();
    LaidOut { documents, unfiled }
}

fn document_view(
    document: DocumentConfig,
    sections: Vec<SectionView>,
    evidence_problems: Vec<EvidenceProblem>,
    lists_unfiled: bool,
) -> DocumentView {
    DocumentView {
        file: format!("{}.md", document.name),
        name: document.name,
        title: document.title,
        intro: document.intro,
        sections,
        evidence_problems,
        lists_unfiled,
    }
}

/// The entries a section shows: those it matches (decisions only, for an overview; none
/// for the confidence table, which shows rows).
fn pick<'a>(section: &SectionConfig, current: &[&'a SourceEntry]) -> Vec<&'a SourceEntry> {
    match section.content {
        Content::Entries => current
            .iter()
            .copied()
            .filter(|s| matches(section, &s.entry))
            .collect(),
        Content::Overview => current
            .iter()
            .copied()
            .filter(|s| s.entry.kind.as_deref() == Some("decision") && matches(section, &s.entry))
            .collect(),
        Content::Confidence => Vec::new(),
    }
}

/// The picked entries carrying the tag `key`, by date, in the section of entries that asks
/// for `kind` by name (the recommendations, the limitations): the table is shown there once,
/// not in every section that picks one of them.
fn tagged(
    section: &SectionConfig,
    picked: &[&SourceEntry],
    views: &HashMap<&str, SharedEntry>,
    (key, kind): (&str, &str),
) -> Vec<TaggedView> {
    if section.content != Content::Entries || !section.kind.iter().any(|k| k == kind) {
        return Vec::new();
    }
    picked
        .iter()
        .filter_map(|s| {
            let value = s.entry.tags.get(key)?;
            let view = &views[s.entry.id.as_str()];
            Some(TaggedView {
                title: s.entry.title.clone(),
                link: view.link.clone(),
                date: view.date.clone(),
                value: value.clone(),
                mitigation: s.entry.tags.get("mitigation").cloned(),
            })
        })
        .collect()
}

/// A section: its entries grouped by kind (each entry in full where `printed` has not seen
/// it yet in this document, else a reference to where it was), its metric tables, its rows.
fn section_view(
    section: &SectionConfig,
    picked: &[&SourceEntry],
    views: &HashMap<&str, SharedEntry>,
    confidence: &[ConfidenceRow],
    printed: &mut HashMap<String, String>,
) -> SectionView {
    let view = |s: &&SourceEntry| views[s.entry.id.as_str()].clone();
    let mut groups: BTreeMap<(usize, String), Vec<SharedEntry>> = BTreeMap::new();
    if section.content == Content::Entries {
        for s in picked {
            let kind = s.entry.kind.clone().unwrap_or_else(|| "none".to_owned());
            groups
                .entry((kind_rank(&kind), kind))
                .or_default()
                .push(view(s));
        }
    }
    let rows = if section.content == Content::Confidence {
        confidence.to_vec()
    } else {
        Vec::new()
    };
    let empty = match section.content {
        Content::Confidence => rows.is_empty(),
        _ => picked.is_empty(),
    };
    SectionView {
        id: section.id.clone(),
        title: section.title.clone(),
        intro: section.intro.clone(),
        required: section.required,
        content: section.content,
        empty,
        groups: groups
            .into_iter()
            .map(|((_, kind), entries)| {
                let mut brief = BTreeMap::new();
                for e in &entries {
                    match printed.get(&e.id) {
                        Some(first) => {
                            brief.insert(e.id.clone(), first.clone());
                        }
                        None => {
                            printed.insert(e.id.clone(), section.title.clone());
                        }
                    }
                }
                GroupView {
                    label: kind_label(&kind),
                    kind,
                    entries,
                    brief,
                }
            })
            .collect(),
        metrics: if section.metrics {
            metrics::tables(picked.iter().map(|s| &*s.entry))
        } else {
            Vec::new()
        },
        confidence: rows,
        timeline: tagged(section, picked, views, ("timeline", "recommendation")),
        risks: tagged(section, picked, views, ("risk", "limitation")),
        summary: None,
        decisions: if section.content == Content::Overview {
            picked.iter().map(view).collect()
        } else {
            Vec::new()
        },
    }
}
