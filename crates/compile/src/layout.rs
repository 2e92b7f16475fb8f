//! Laying the entries out in the documents: which entry lands in which section (grouped by
//! kind, in full once per document and referred to after), the overview of decisions, the
//! confidence table's place, and the entries no section picks up.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;

use crate::SourceEntry;
use crate::config::{Content, DocumentConfig, SectionConfig};
use crate::filing::{Filed, Filing};
use crate::metrics;
use crate::summary::SummaryView;
use crate::view::{
    ConfidenceRow, DocumentView, EvidenceProblem, GroupView, MetricRow, SectionView, SharedEntry,
    TaggedView,
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

/// The documents laid out, and the entries no section took.
pub(crate) struct LaidOut {
    pub documents: Vec<DocumentView>,
    pub unfiled: Vec<SharedEntry>,
}

/// The documents of `filing` with their sections' headings and whether each is empty, but
/// no entries, metric tables or summary: what the checks need.
pub(crate) fn sections_only(filing: Filing<'_>) -> Vec<DocumentView> {
    filing
        .documents
        .into_iter()
        .enumerate()
        .map(|(index, document)| {
            let views = document
                .sections
                .iter()
                .map(|filed| SectionView {
                    empty: filed.empty,
                    ..section_view(
                        &filed.section,
                        &[],
                        &FxHashMap::default(),
                        &[],
                        &mut FxHashMap::default(),
                    )
                })
                .collect();
            document_view(
                document.config,
                views,
                document.evidence_problems,
                index == 0,
            )
        })
        .collect()
}

/// Lays the filed entries out in the documents, with their views.
pub(crate) fn lay_out(
    filing: Filing<'_>,
    views: &FxHashMap<&str, SharedEntry>,
    confidence: &[ConfidenceRow],
    summary: &SummaryView,
) -> LaidOut {
    let mut documents = Vec::new();
    for (index, document) in filing.documents.into_iter().enumerate() {
        // Each entry in full once per document, in its first section; a reference after.
        let mut printed: FxHashMap<String, String> = FxHashMap::default();
        // Each metric table in full once per document too: metric → its tables so far, with
        // the section that printed each.
        let mut tables: HashMap<String, Vec<(Vec<MetricRow>, String)>> = HashMap::new();
        let mut sections = Vec::new();
        for Filed {
            section, picked, ..
        } in &document.sections
        {
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
            document.config,
            sections,
            document.evidence_problems,
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

/// The picked entries carrying the tag `key`, by date, in the section of entries that asks
/// for `kind` by name (the recommendations, the limitations): the table is shown there once,
/// not in every section that picks one of them.
fn tagged(
    section: &SectionConfig,
    picked: &[&SourceEntry],
    views: &FxHashMap<&str, SharedEntry>,
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
                link: view.link(),
                date: view.date(),
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
    views: &FxHashMap<&str, SharedEntry>,
    confidence: &[ConfidenceRow],
    printed: &mut FxHashMap<String, String>,
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
                    match printed.get(e.id()) {
                        Some(first) => {
                            brief.insert(e.id().to_owned(), first.clone());
                        }
                        None => {
                            printed.insert(e.id().to_owned(), section.title.clone());
                        }
                    }
                }
                GroupView {
                    label: kind_label(&kind),
                    kind,
                    entries,
                    brief: crate::view::Brief::new(brief),
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
