//! From entries and evidence checks to the template context: which entry lands in which
//! section, what each one replaced, which evidence fails, what no section picked up.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use journal_entry::{Entry, Evidence};

use crate::confidence::{Observation, assess};
use crate::config::{CompileConfig, Content, SectionConfig};
use crate::forge::CommitLinks;
use crate::view::{
    Context, DocumentView, EntryView, EvidenceProblem, EvidenceView, GroupView, Problem,
    ReplacedView, SectionView, Severity, SharedEntry,
};
use crate::{Input, markdown, metrics};

/// Kinds in the order sections show them, with their labels.
const KINDS: [(&str, &str); 12] = [
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
    ("none", "Notes"),
];

fn kind_rank(kind: &str) -> usize {
    KINDS
        .iter()
        .position(|(k, _)| *k == kind)
        .unwrap_or(KINDS.len())
}

/// How a repository is named in messages.
/// Seconds a commit may be newer than the entry citing it (clocks of two machines).
const CLOCK_SKEW_S: i64 = 300;

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn repo_name(label: Option<&str>) -> String {
    label.map_or_else(
        || "the journal's repository".to_owned(),
        |n| format!("repository `{n}`"),
    )
}

fn kind_label(kind: &str) -> String {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or_else(|| kind.to_owned(), |(_, label)| (*label).to_owned())
}

fn matches(section: &SectionConfig, entry: &Entry) -> bool {
    let any = |wanted: &[String], have: &[String]| {
        wanted.is_empty() || have.iter().any(|h| wanted.contains(h))
    };
    let one = |wanted: &[String], have: Option<&String>| {
        wanted.is_empty() || have.is_some_and(|h| wanted.contains(h))
    };
    any(&section.provider, &entry.provider)
        && any(&section.pattern, &entry.pattern)
        && one(&section.kind, entry.kind.as_ref())
        && one(&section.story, entry.story.as_ref())
}

/// Builds the context; the problems found are in [`Context::problems`].
pub(crate) fn context(input: &Input, config: &CompileConfig) -> Context {
    let mut problems: BTreeSet<Problem> = BTreeSet::new();
    let mut warn = |message: String| {
        problems.insert(Problem {
            severity: Severity::Warning,
            message,
        });
    };

    let mut entries: Vec<&crate::SourceEntry> = input
        .entries
        .iter()
        .filter(|s| input.story.is_none() || s.entry.story == input.story)
        .collect();
    entries.sort_by(|a, b| {
        a.entry
            .date
            .cmp(&b.entry.date)
            .then_with(|| a.entry.id.cmp(&b.entry.id))
    });
    let by_id: HashMap<&str, &crate::SourceEntry> =
        entries.iter().map(|s| (s.entry.id.as_str(), *s)).collect();
    for s in entries
        .iter()
        .filter(|s| input.uncommitted.contains(&s.path))
    {
        warn(format!(
            "{} ({}): the entry file has changes git has not committed: on the forge its link \
             would 404 or show another version (commit it)",
            s.entry.id, s.path
        ));
    }
    let link = |path: &str| format!("{}{}", input.link_prefix, path);

    // Replaced knowledge: shown through the entry that replaced it.
    let mut superseded: HashSet<&str> = HashSet::new();
    for s in &entries {
        for old in &s.entry.supersedes {
            match by_id.get(old.as_str()) {
                Some(_) => {
                    superseded.insert(old.as_str());
                }
                None => warn(format!(
                    "{} ({}): supersedes `{old}`, which is not an entry{}",
                    s.entry.id,
                    s.path,
                    if input.story.is_some() {
                        " of this story"
                    } else {
                        ""
                    }
                )),
            }
        }
    }

    // Evidence: missing commits are errors, unpushed ones warnings, unlinkable repos one
    // warning each.
    let mut links: BTreeMap<Option<String>, Option<CommitLinks>> = BTreeMap::new();
    // A repository without any remote gets one warning for all its commits, not one each.
    let no_remote: BTreeSet<&Option<String>> = input
        .repos
        .iter()
        .filter(|(_, r)| !r.has_remote && r.unavailable.is_none())
        .map(|(label, _)| label)
        .collect();
    for (label, repo) in &input.repos {
        let found = repo.url.as_deref().and_then(CommitLinks::from_url);
        let name = repo_name(label.as_deref());
        if no_remote.contains(label) {
            let cited: BTreeSet<&str> = entries
                .iter()
                .flat_map(|s| &s.entry.commits)
                .filter(|c| &c.repo == label)
                .map(|c| c.sha.as_str())
                .collect();
            let (is, them) = if cited.len() == 1 {
                ("is", "it")
            } else {
                ("are", "them")
            };
            warn(format!(
                "{name} has no remote: its {} {is} not pushed, and links to {them} would 404 \
                 (push it, or set `url` in journal.toml once it is published)",
                count(cited.len(), "cited commit", "cited commits"),
            ));
        } else if found.is_none() && repo.unavailable.is_none() {
            warn(match &repo.url {
                Some(url) => {
                    format!("{name}: remote `{url}` has no web address; its commits are not linked")
                }
                None => format!(
                    "{name} has no remote; its commits are not linked (set `url` in journal.toml)"
                ),
            });
        }
        links.insert(label.clone(), found);
    }
    let mut errors: BTreeSet<Problem> = BTreeSet::new();
    let mut unpushed: HashMap<&str, Vec<EvidenceProblem>> = HashMap::new();
    let mut views: HashMap<&str, SharedEntry> = HashMap::new();
    let mut pending = Vec::new();
    let mut observations = Vec::new();
    for s in &entries {
        let mut evidence = Vec::new();
        let mut verified = Vec::new();
        for cited in &s.entry.commits {
            let status = input.evidence.get(cited);
            let repo = input.repos.get(&cited.repo);
            let exists = status.is_some_and(|c| c.exists);
            if !exists {
                let place = repo_name(cited.repo.as_deref());
                let why = repo
                    .and_then(|r| r.unavailable.as_deref())
                    .map(|w| format!(" ({w})"))
                    .unwrap_or_default();
                errors.insert(Problem {
                    severity: Severity::Error,
                    message: format!(
                        "{} ({}): evidence commit {cited} does not exist in {place}{why}",
                        s.entry.id, s.path
                    ),
                });
                continue;
            }
            verified.push(cited.to_string());
            let pushed = status.is_some_and(|c| c.pushed);
            if !pushed {
                unpushed
                    .entry(s.entry.id.as_str())
                    .or_default()
                    .push(EvidenceProblem {
                        entry: s.entry.id.clone(),
                        entry_title: s.entry.title.clone(),
                        entry_link: link(&s.path),
                        evidence: cited.to_string(),
                        problem: "not pushed: the link would 404".to_owned(),
                    });
                if !no_remote.contains(&cited.repo) {
                    warn(format!(
                        "{} ({}): evidence commit {cited} is not pushed: the link would 404",
                        s.entry.id, s.path
                    ));
                }
            }
            // Evidence made after the observation it supports (beyond clock skew).
            if let Some(time) = status.and_then(|c| c.time)
                && time > s.entry.date.timestamp() + CLOCK_SKEW_S
            {
                let made = chrono::DateTime::from_timestamp(time, 0)
                    .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_default();
                warn(format!(
                    "{} ({}): evidence commit {cited} was made after the entry ({made}, the \
                     entry is dated {})",
                    s.entry.id,
                    s.path,
                    s.entry.date.format("%Y-%m-%d %H:%M %:z")
                ));
            }
            evidence.push(evidence_view(cited, status, &links, pushed));
        }
        let replaces = s
            .entry
            .supersedes
            .iter()
            .filter_map(|id| by_id.get(id.as_str()))
            .map(|old| ReplacedView {
                id: old.entry.id.clone(),
                title: old.entry.title.clone(),
                date: old.entry.date.format("%Y-%m-%d").to_string(),
                link: link(&old.path),
            })
            .collect();
        // The views are made once the confidence rows are known: an entry shows the same
        // verdict on its claim as the confidence table.
        pending.push((*s, evidence, replaces));
        if !superseded.contains(s.entry.id.as_str()) {
            observations.push(Observation {
                entry: &s.entry,
                verified,
                link: link(&s.path),
            });
        }
    }
    let confidence = assess(&observations, &config.confidence);
    for (s, evidence, replaces) in pending {
        let mut view = entry_view(s, &link(&s.path), evidence, replaces);
        view.confidence_check = claim_verdict(&s.entry, &confidence);
        views.insert(s.entry.id.as_str(), SharedEntry::new(view));
    }
    for row in &confidence {
        let name = match &row.provider {
            Some(p) => format!("{} on {p}", row.pattern),
            None => row.pattern.clone(),
        };
        match (&row.level, &row.reason) {
            (None, _) => warn(format!(
                "pattern {name}: no entry states a confidence level"
            )),
            (Some(level), Some(reason)) => {
                warn(format!(
                    "pattern {name}: claimed {level}, not supported: {reason}"
                ));
            }
            _ => {}
        }
    }

    let mut confidence = confidence;
    let observed: BTreeSet<String> = confidence.iter().map(|r| r.pattern.clone()).collect();
    for pattern in input.patterns.iter().filter(|p| !observed.contains(*p)) {
        confidence.push(crate::view::ConfidenceRow {
            pattern: pattern.clone(),
            provider: None,
            level: None,
            holds: false,
            reason: None,
            rationale: None,
            rationale_id: None,
            rationale_link: None,
            entries: 0,
            commits: 0,
            first: String::new(),
            last: String::new(),
            providers: Vec::new(),
        });
    }
    confidence.sort_by(|a, b| a.pattern.cmp(&b.pattern));
    let current: Vec<&crate::SourceEntry> = entries
        .iter()
        .copied()
        .filter(|s| !superseded.contains(s.entry.id.as_str()))
        .collect();
    let mut filed: HashSet<&str> = HashSet::new();
    let mut documents = Vec::new();
    for (index, document) in config.effective_documents().into_iter().enumerate() {
        let mut shown: BTreeSet<&str> = BTreeSet::new();
        // Each entry in full once per document, in its first section; a reference after.
        let mut printed: HashMap<String, String> = HashMap::new();
        let mut sections = Vec::new();
        for section in &document.sections {
            let picked: Vec<&crate::SourceEntry> = match section.content {
                Content::Entries => current
                    .iter()
                    .copied()
                    .filter(|s| matches(section, &s.entry))
                    .collect(),
                Content::Overview => current
                    .iter()
                    .copied()
                    .filter(|s| {
                        s.entry.kind.as_deref() == Some("decision") && matches(section, &s.entry)
                    })
                    .collect(),
                Content::Confidence => Vec::new(),
            };
            if section.content == Content::Entries {
                filed.extend(picked.iter().map(|s| s.entry.id.as_str()));
            }
            shown.extend(picked.iter().map(|s| s.entry.id.as_str()));
            let view = |s: &&crate::SourceEntry| views[s.entry.id.as_str()].clone();
            let mut groups: BTreeMap<(usize, String), Vec<SharedEntry>> = BTreeMap::new();
            if section.content == Content::Entries {
                for s in &picked {
                    let kind = s.entry.kind.clone().unwrap_or_else(|| "none".to_owned());
                    groups
                        .entry((kind_rank(&kind), kind))
                        .or_default()
                        .push(view(s));
                }
            }
            let rows = if section.content == Content::Confidence {
                confidence.clone()
            } else {
                Vec::new()
            };
            let empty = match section.content {
                Content::Confidence => rows.is_empty(),
                _ => picked.is_empty(),
            };
            if empty && section.required {
                warn(format!(
                    "{}: required section \"{}\" has no observations",
                    document.name, section.title
                ));
            }
            sections.push(SectionView {
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
                    metrics::tables(picked.iter().map(|s| &s.entry))
                } else {
                    Vec::new()
                },
                confidence: rows,
                decisions: if section.content == Content::Overview {
                    picked.iter().map(view).collect()
                } else {
                    Vec::new()
                },
            });
        }
        let evidence_problems = shown
            .iter()
            .filter_map(|id| unpushed.get(id))
            .flatten()
            .cloned()
            .collect();
        documents.push(DocumentView {
            file: format!("{}.md", document.name),
            name: document.name,
            title: document.title,
            intro: document.intro,
            sections,
            evidence_problems,
            lists_unfiled: index == 0,
        });
    }

    let unfiled: Vec<SharedEntry> = current
        .iter()
        .filter(|s| !filed.contains(s.entry.id.as_str()))
        .map(|s| views[s.entry.id.as_str()].clone())
        .collect();
    for e in &unfiled {
        warn(format!(
            "{}: no section picks up this entry (\"{}\"); listed under Unfiled observations",
            e.id, e.title
        ));
    }

    let mut all: Vec<Problem> = errors.into_iter().collect();
    all.extend(problems);
    let charts = journal_entry::metrics::series_of_entries(
        current.iter().map(|s| &s.entry),
        Some(&journal_entry::metrics::Group::Provider),
    );
    Context {
        charts,
        date: input.date.clone(),
        story: input.story.clone(),
        entries: entries.len(),
        superseded: superseded.len(),
        confidence,
        documents,
        unfiled,
        problems: all,
    }
}

fn evidence_view(
    cited: &Evidence,
    status: Option<&crate::CommitStatus>,
    links: &BTreeMap<Option<String>, Option<CommitLinks>>,
    pushed: bool,
) -> EvidenceView {
    EvidenceView {
        id: cited.to_string(),
        repo: cited.repo.clone(),
        sha: cited.sha.clone(),
        short: cited.sha.chars().take(7).collect(),
        url: links
            .get(&cited.repo)
            .and_then(Option::as_ref)
            .map(|l| l.commit(&cited.sha)),
        subject: status.and_then(|s| s.subject.clone()),
        pushed,
    }
}

fn entry_view(
    s: &crate::SourceEntry,
    link: &str,
    evidence: Vec<EvidenceView>,
    replaces: Vec<ReplacedView>,
) -> EntryView {
    let e = &s.entry;
    let (body, output_label, output) = if e.kind.as_deref() == Some("run") {
        split_output(markdown::body(&e.body))
    } else {
        (markdown::body(&e.body), None, None)
    };
    EntryView {
        id: e.id.clone(),
        date: e.date.format("%Y-%m-%d").to_string(),
        datetime: e.date_string(),
        title: e.title.clone(),
        kind: e.kind.clone(),
        providers: e.provider.clone(),
        patterns: e.pattern.clone(),
        confidence: e.confidence.map(|c| c.as_str().to_owned()),
        story: e.story.clone(),
        tags: e.tags.clone(),
        metrics: e
            .metrics
            .iter()
            .map(|(k, v)| (k.clone(), metrics::number(*v)))
            .collect(),
        link: link.to_owned(),
        body,
        evidence,
        replaces,
        confidence_check: None,
        output_label,
        output,
    }
}

/// Splits the captured output off a `run` entry's body: the line `Output:` or `Last N lines
/// of output (…):` and the fenced block after it.
fn split_output(body: String) -> (String, Option<String>, Option<String>) {
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let text = line.trim_end();
        let label = text.strip_suffix(':').filter(|l| {
            *l == "Output" || (l.starts_with("Last ") && l.contains(" lines of output"))
        });
        if let Some(label) = label {
            let output = body[at + line.len()..].trim().to_owned();
            if output.starts_with("```") || output.starts_with("~~~") {
                let prose = body[..at].trim_end().to_owned();
                let prose = if prose.is_empty() {
                    prose
                } else {
                    format!("{prose}\n")
                };
                return (prose, Some(label.to_owned()), Some(output));
            }
        }
        at += line.len();
    }
    (body, None, None)
}

/// Returns why an entry's confidence claim is not supported, when the confidence table says
/// so for one of its patterns (on its providers): the one check, shown wherever the entry is.
fn claim_verdict(entry: &Entry, rows: &[crate::view::ConfidenceRow]) -> Option<String> {
    let level = entry.confidence?.as_str();
    rows.iter()
        .filter(|r| entry.pattern.contains(&r.pattern))
        .filter(|r| {
            r.provider
                .as_ref()
                .is_none_or(|p| entry.provider.contains(p))
        })
        .filter(|r| r.level.as_deref() == Some(level) && !r.holds)
        .find_map(|r| r.reason.clone())
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use journal_entry::Entry;

    use crate::{CompileConfig, Input, SourceEntry, build_context};

    fn source(id: &str, title: &str, provider: &str, kind: &str) -> SourceEntry {
        let date = DateTime::parse_from_rfc3339("2026-10-08T11:15:00+02:00").unwrap();
        let mut entry = Entry::new(id, date, title);
        entry.provider = vec![provider.to_owned()];
        entry.kind = Some(kind.to_owned());
        SourceEntry {
            entry,
            path: format!("journal/2026/10/{id}.md"),
        }
    }

    #[test]
    fn entries_are_filed_superseded_ones_dropped_and_the_rest_unfiled() {
        let old = source("a-old", "Disko v1", "hetzner", "finding");
        let mut new = source("b-new", "Disko v2", "hetzner", "finding");
        new.entry.supersedes = vec!["a-old".to_owned()];
        // A kind no built-in section takes, on no provider section's cloud.
        let stray = source("c-stray", "Coffee machine", "gcp", "run");
        let input = Input {
            entries: vec![old, new, stray],
            ..Input::default()
        };
        let context = build_context(&input, &CompileConfig::default());
        assert_eq!((context.entries, context.superseded), (3, 1));
        let shown: Vec<String> = context
            .documents
            .iter()
            .flat_map(|d| &d.sections)
            .flat_map(|s| &s.groups)
            .flat_map(|g| &g.entries)
            .map(|e| e.title.clone())
            .collect();
        assert!(shown.iter().any(|t| t == "Disko v2"), "{shown:?}");
        assert!(!shown.iter().any(|t| t == "Disko v1"), "{shown:?}");
        // Nothing is dropped silently: each empty required section is a warning.
        let empty = context
            .documents
            .iter()
            .flat_map(|d| &d.sections)
            .filter(|s| s.required && s.empty)
            .count();
        assert!(empty > 0);
        assert!(context.problems.len() >= empty, "{:?}", context.problems);
    }
}
