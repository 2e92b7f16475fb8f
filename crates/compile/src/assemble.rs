//! From entries and evidence checks to the template context: which entry lands in which
//! section, what each one replaced, which evidence fails, what no section picked up.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use journal_entry::{Entry, Evidence};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::confidence::{Observation, assess};
use crate::config::CompileConfig;
use crate::filing::file;
use crate::forge::CommitLinks;
use crate::layout::lay_out;
use crate::view::{
    CompileProblem, ConfidenceRow, Context, EntryView, EvidenceProblem, EvidenceView, ProblemKind,
    ReplacedView, Severity, SharedEntry,
};
use crate::{Input, SourceEntry, markdown};

/// How a repository is named in messages.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn repo_name(label: Option<&str>) -> String {
    label.map_or_else(
        || "the journal's repository".to_owned(),
        |n| format!("repository `{n}`"),
    )
}

/// Collects the problems found on the way, sorted (errors first) and without repeats at
/// the end. A list sorted once, not an ordered set: at 100,000 entries whose evidence is gone
/// there are 150,000 of them, nearly in order already (made entry by entry, by date).
#[derive(Default)]
pub(crate) struct Problems {
    found: Vec<CompileProblem>,
}

impl Problems {
    pub(crate) fn warn(&mut self, kind: ProblemKind, message: String) {
        self.found.push(CompileProblem {
            severity: Severity::Warning,
            kind,
            message,
            evidence: None,
        });
    }

    /// An error about the evidence commit `evidence.1` cited by the entry `evidence.0`.
    fn evidence_error(&mut self, kind: ProblemKind, message: String, evidence: (String, String)) {
        self.found.push(CompileProblem {
            severity: Severity::Error,
            kind,
            message,
            evidence: Some(evidence),
        });
    }

    /// Errors first, then warnings, each by kind and message, once.
    pub(crate) fn into_list(mut self) -> Vec<CompileProblem> {
        self.found.sort();
        self.found.dedup();
        // (Grown by doubling: 139,000 problems can leave room for as many again.)
        self.found.shrink_to_fit();
        self.found
    }
}

/// The entries a compile takes (its story's), by date, and the ids they replace.
struct Gathered<'a> {
    entries: Vec<&'a SourceEntry>,
    by_id: FxHashMap<&'a str, &'a SourceEntry>,
    superseded: FxHashSet<&'a str>,
}

impl<'a> Gathered<'a> {
    /// The entries not replaced by another.
    fn current(&self) -> Vec<&'a SourceEntry> {
        self.entries
            .iter()
            .copied()
            .filter(|s| !self.superseded.contains(s.entry.id.as_str()))
            .collect()
    }
}

/// What every context starts from: the story's entries by date (and what they replace),
/// the evidence checked against the repositories, and the confidence table.
struct Assessed<'a> {
    gathered: Gathered<'a>,
    links: RepoLinks<'a>,
    checked: Checked<'a>,
    confidence: Vec<ConfidenceRow>,
}

fn assessed<'a>(input: &'a Input, config: &CompileConfig, problems: &mut Problems) -> Assessed<'a> {
    let gathered = gather(input, problems);
    let links = repo_links(input, &gathered.entries, problems);
    let checked = check_evidence(input, &gathered, &links, problems);
    let confidence = confidence_rows(input, config, &checked.observations, problems);
    Assessed {
        gathered,
        links,
        checked,
        confidence,
    }
}

/// Builds the context; the problems found are in [`Context::problems`].
pub(crate) fn context(input: &Input, config: &CompileConfig) -> Context {
    let mut problems = Problems::default();
    let Assessed {
        gathered,
        links,
        checked,
        confidence,
    } = assessed(input, config, &mut problems);
    let current = gathered.current();
    let by_pattern = crate::adr::ByPattern::new(&current);
    let views: FxHashMap<&str, SharedEntry> = gathered
        .entries
        .iter()
        .map(|s| {
            let mut view = entry_view(input, &gathered, &links, s);
            // An entry shows the same verdict on its claim as the confidence table.
            view.confidence_check = claim_verdict(&s.entry, &confidence);
            view.adr = by_pattern.adr(s, &confidence, &links.prefix).map(Box::new);
            (s.entry.id.as_str(), SharedEntry::new(view))
        })
        .collect();
    let summary = crate::summary::summary(&current, &views, &confidence, &links.prefix);
    let checklist = checklist(input, &current, &links.prefix, &mut problems);
    let filing = file(
        config,
        &current,
        &confidence,
        &checked.unpushed,
        &mut problems,
    );
    let laid = lay_out(filing, &views, &confidence, &summary);
    let charts = journal_entry::metrics::series_of_entries(
        current.iter().map(|s| &*s.entry),
        Some(&journal_entry::metrics::Group::Provider),
        journal_entry::metrics::Values::Measured,
    );
    Context {
        charts,
        date: input.date.clone(),
        story: input.story.clone(),
        entries: gathered.entries.len(),
        superseded: gathered.superseded.len(),
        confidence,
        documents: laid.documents,
        unfiled: laid.unfiled,
        problems: crate::view::ProblemList::new(problems.into_list()),
        checklist,
    }
}

/// The story's tasks, each with the entries that cover it; warns of those with none.
fn checklist(
    input: &Input,
    current: &[&SourceEntry],
    link_prefix: &Arc<str>,
    problems: &mut Problems,
) -> Vec<crate::tasks::TaskView> {
    let checklist =
        crate::tasks::checklist(&input.tasks, input.story.as_deref(), current, link_prefix);
    for task in checklist.iter().filter(|t| t.count == 0) {
        problems.warn(
            ProblemKind::UncoveredTask,
            format!("task `{}` has no observation: {}", task.id, task.title),
        );
    }
    checklist
}

/// The context of [`context`] as the checks need it (`journal coverage`): every problem,
/// the confidence table, the checklist, each section's heading and whether it is empty, and
/// the unfiled entries, without the entries' views in the sections, their metric tables,
/// decisions in ADR form, summary or charts (at 100,000 entries, most of a compile's time
/// and memory).
pub(crate) fn checks(input: &Input, config: &CompileConfig) -> Context {
    let mut problems = Problems::default();
    let assessed = assessed(input, config, &mut problems);
    let current = assessed.gathered.current();
    let checklist = checklist(input, &current, &assessed.links.prefix, &mut problems);
    let filing = file(
        config,
        &current,
        &assessed.confidence,
        &assessed.checked.unpushed,
        &mut problems,
    );
    // Views of the unfiled entries only: the report names them.
    let unfiled = filing
        .unfiled
        .iter()
        .map(|s| SharedEntry::new(entry_view(input, &assessed.gathered, &assessed.links, s)))
        .collect();
    let documents = crate::layout::sections_only(filing);
    Context {
        charts: Vec::new(),
        date: input.date.clone(),
        story: input.story.clone(),
        entries: assessed.gathered.entries.len(),
        superseded: assessed.gathered.superseded.len(),
        confidence: assessed.confidence,
        documents,
        unfiled,
        problems: crate::view::ProblemList::new(problems.into_list()),
        checklist,
    }
}

/// The confidence table alone: the rows [`context`] would give, without the documents'
/// sections, views and evidence links (what the web page's /confidence needs).
pub(crate) fn confidence_table(input: &Input, config: &CompileConfig) -> Vec<ConfidenceRow> {
    let mut problems = Problems::default();
    let gathered = gather(input, &mut problems);
    let observations: Vec<Observation<'_>> = gathered
        .current()
        .into_iter()
        .map(|s| observation(input, s))
        .collect();
    confidence_rows(input, config, &observations, &mut problems)
}

/// Takes the story's entries by date, warns of uncommitted files and of `supersedes` naming
/// no entry, and finds the replaced ones.
fn gather<'a>(input: &'a Input, problems: &mut Problems) -> Gathered<'a> {
    let mut entries: Vec<&SourceEntry> = input
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
    let by_id: FxHashMap<&str, &SourceEntry> =
        entries.iter().map(|s| (s.entry.id.as_str(), *s)).collect();
    for s in entries
        .iter()
        .filter(|s| input.uncommitted.contains(&*s.path))
    {
        problems.warn(
            ProblemKind::UncommittedEntry,
            format!(
                "{} ({}): the entry file has changes git has not committed: on the forge its link \
             would 404 or show another version (commit it)",
                s.entry.id, s.path
            ),
        );
    }
    // Replaced knowledge: shown through the entry that replaced it.
    let mut superseded: FxHashSet<&str> = FxHashSet::default();
    for s in &entries {
        for old in &s.entry.supersedes {
            if by_id.contains_key(old.as_str()) {
                superseded.insert(old.as_str());
            } else {
                problems.warn(
                    ProblemKind::UnknownSuperseded,
                    format!(
                        "{} ({}): supersedes `{old}`, which is not an entry{}",
                        s.entry.id,
                        s.path,
                        if input.story.is_some() {
                            " of this story"
                        } else {
                            ""
                        }
                    ),
                );
            }
        }
    }
    Gathered {
        entries,
        by_id,
        superseded,
    }
}

/// An entry as the assessment sees it: its evidence commits that exist.
fn observation<'a>(input: &'a Input, s: &'a SourceEntry) -> Observation<'a> {
    // The map's own key: one address per commit, which the table counts by.
    let verified = s
        .entry
        .commits
        .iter()
        .filter_map(|cited| input.evidence.get_key_value(cited))
        .filter(|(_, status)| status.exists)
        .map(|(key, _)| key)
        .collect();
    Observation {
        entry: &s.entry,
        verified,
        link: assessment_link(input, s),
    }
}

/// The link to an assessment's file (a confidence row's rationale links to it).
fn assessment_link(input: &Input, s: &SourceEntry) -> Option<String> {
    (s.entry.kind.as_deref() == Some(journal_entry::ASSESSMENT))
        .then(|| format!("{}{}", input.link_prefix, s.path))
}

/// The commit links of each repository, and the repositories without a remote; one warning
/// per repository that cannot be linked.
struct RepoLinks<'a> {
    /// `Input::link_prefix`, shared by every entry view.
    prefix: Arc<str>,
    /// The view of each commit shown, made once (150,000 citations of 300 commits at
    /// 100,000 entries).
    evidence: std::cell::RefCell<FxHashMap<Evidence, Arc<EvidenceView>>>,
    links: BTreeMap<Option<String>, Option<CommitLinks>>,
    no_remote: BTreeSet<&'a Option<String>>,
}

fn repo_links<'a>(
    input: &'a Input,
    entries: &[&SourceEntry],
    problems: &mut Problems,
) -> RepoLinks<'a> {
    let mut links = BTreeMap::new();
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
            let cited: FxHashSet<&str> = entries
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
            problems.warn(
                ProblemKind::NoRemote,
                format!(
                    "{name} has no remote: its {} {is} not pushed, and links to {them} would 404 \
                 (push it, or set `url` in journal.toml once it is published)",
                    count(cited.len(), "cited commit", "cited commits"),
                ),
            );
        } else if found.is_none() && repo.unavailable.is_none() {
            problems.warn(ProblemKind::NoWebAddress, match &repo.url {
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
    RepoLinks {
        prefix: input.link_prefix.as_str().into(),
        evidence: std::cell::RefCell::default(),
        links,
        no_remote,
    }
}

/// Each entry's evidence checked: the observations to assess, the commits not pushed by
/// entry.
struct Checked<'a> {
    observations: Vec<Observation<'a>>,
    unpushed: HashMap<&'a str, Vec<EvidenceProblem>>,
}

/// Checks the evidence of every entry: a missing commit is an error, one not pushed a
/// warning (unless its repository has no remote: said once), one made after the entry a
/// warning.
fn check_evidence<'a>(
    input: &'a Input,
    gathered: &Gathered<'a>,
    repos: &RepoLinks<'_>,
    problems: &mut Problems,
) -> Checked<'a> {
    let mut checked = Checked {
        observations: Vec::new(),
        unpushed: HashMap::new(),
    };
    // How each repository is named in a missing commit's message, with why it could not be
    // read: made once per repository, not once per commit (150,000 missing at 100,000).
    let mut places: FxHashMap<&Option<String>, String> = FxHashMap::default();
    for s in &gathered.entries {
        let mut verified = Vec::new();
        for cited in &s.entry.commits {
            // The map's own key: one address per commit, which the table counts by.
            match input.evidence.get_key_value(cited) {
                Some((key, status)) if status.exists => {
                    verified.push(key);
                    check_found(input, repos, s, (cited, status), &mut checked, problems);
                }
                _ => {
                    let place = places
                        .entry(&cited.repo)
                        .or_insert_with(|| place_of(input, cited.repo.as_ref()));
                    problems.evidence_error(
                        ProblemKind::MissingEvidence,
                        format!(
                            "{} ({}): evidence commit {cited} does not exist in {place}",
                            s.entry.id, s.path
                        ),
                        (s.entry.id.clone(), cited.to_string()),
                    );
                }
            }
        }
        if !gathered.superseded.contains(s.entry.id.as_str()) {
            checked.observations.push(Observation {
                entry: &s.entry,
                verified,
                link: assessment_link(input, s),
            });
        }
    }
    checked
}

/// How a missing commit's repository is named: with why it could not be read, if so.
fn place_of(input: &Input, repo: Option<&String>) -> String {
    let label = repo.cloned();
    let why = input
        .repos
        .get(&label)
        .and_then(|r| r.unavailable.as_deref())
        .map(|w| format!(" ({w})"))
        .unwrap_or_default();
    format!("{}{why}", repo_name(repo.map(String::as_str)))
}

/// Checks a cited commit that exists: not pushed (a warning, and a problem of the
/// documents that show `s`), made after the entry (a warning).
fn check_found<'a>(
    input: &Input,
    repos: &RepoLinks<'_>,
    s: &'a SourceEntry,
    (cited, status): (&Evidence, &crate::CommitStatus),
    checked: &mut Checked<'a>,
    problems: &mut Problems,
) {
    if !status.pushed {
        checked
            .unpushed
            .entry(s.entry.id.as_str())
            .or_default()
            .push(EvidenceProblem {
                entry: s.entry.id.clone(),
                entry_title: s.entry.title.clone(),
                entry_link: format!("{}{}", input.link_prefix, s.path),
                evidence: cited.to_string(),
                problem: "not pushed: the link would 404".to_owned(),
            });
        if !repos.no_remote.contains(&cited.repo) {
            problems.warn(
                ProblemKind::UnpushedEvidence,
                format!(
                    "{} ({}): evidence commit {cited} is not pushed: the link would 404",
                    s.entry.id, s.path
                ),
            );
        }
    }
    if let Some(made) = late(s, Some(status)) {
        problems.warn(
            ProblemKind::LateEvidence,
            format!(
                "{} ({}): evidence commit {cited} was made after the entry ({made}, the entry \
                 is dated {})",
                s.entry.id,
                s.path,
                s.entry.date.format("%Y-%m-%d %H:%M %:z")
            ),
        );
    }
}

/// When evidence was made after the observation it supports (the one rule,
/// [`journal_entry::made_after`]): its time.
fn late(s: &SourceEntry, status: Option<&crate::CommitStatus>) -> Option<String> {
    journal_entry::made_after(&s.entry.date, status.and_then(|c| c.time)?)
}

/// The confidence table: the assessments checked against the observations, a warning per
/// pattern not assessed or assessed at a level the evidence does not support, and a row for each vocabulary pattern never
/// observed; by pattern.
fn confidence_rows(
    input: &Input,
    config: &CompileConfig,
    observations: &[Observation<'_>],
    problems: &mut Problems,
) -> Vec<ConfidenceRow> {
    let mut confidence = assess(observations, &config.confidence);
    for row in &confidence {
        let name = match &row.provider {
            Some(p) => format!("{} on {p}", row.pattern),
            None => row.pattern.clone(),
        };
        match (&row.level, &row.reason) {
            (None, _) => problems.warn(
                ProblemKind::NotAssessed,
                format!("pattern {name}: not assessed"),
            ),
            (Some(level), Some(reason)) => {
                problems.warn(
                    ProblemKind::UnsupportedClaim,
                    format!("pattern {name}: claimed {level}, not supported: {reason}"),
                );
            }
            _ => {}
        }
    }
    let observed: BTreeSet<String> = confidence.iter().map(|r| r.pattern.clone()).collect();
    for pattern in input.patterns.iter().filter(|p| !observed.contains(*p)) {
        confidence.push(ConfidenceRow {
            pattern: pattern.clone(),
            provider: None,
            level: None,
            assessed: false,
            stated: None,
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
    confidence
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

/// The view of `s`: its evidence that exists (with links), the entries
/// it replaces. Made only for what is shown: a document's entries, the unfiled ones.
fn entry_view(
    input: &Input,
    gathered: &Gathered<'_>,
    repos: &RepoLinks<'_>,
    s: &SourceEntry,
) -> EntryView {
    let link = |path: &str| format!("{}{}", input.link_prefix, path);
    // A missing commit is an error of the checks and not shown.
    let evidence = s
        .entry
        .commits
        .iter()
        .filter_map(|cited| {
            let status = input.evidence.get(cited).filter(|c| c.exists)?;
            // One view per commit, shared by every entry citing it.
            let mut shown = repos.evidence.borrow_mut();
            let view = shown.entry(cited.clone()).or_insert_with(|| {
                Arc::new(evidence_view(
                    cited,
                    Some(status),
                    &repos.links,
                    status.pushed,
                ))
            });
            Some(view.clone())
        })
        .collect();
    let replaces = s
        .entry
        .supersedes
        .iter()
        .filter_map(|id| gathered.by_id.get(id.as_str()))
        .map(|old| ReplacedView {
            id: old.entry.id.clone(),
            title: old.entry.title.clone(),
            date: crate::view::day(&old.entry.date),
            link: link(&old.path),
        })
        .collect();
    let e = &s.entry;
    let mut view = EntryView::new(s, repos.prefix.clone());
    // The body itself is made when printed; a run's output is kept apart here.
    if e.kind.as_deref() == Some("run") {
        let (_, label, output) = split_output(markdown::body(&e.body));
        view.output_label = label;
        view.output = output;
    }
    view.evidence = evidence;
    view.replaces = replaces;
    view
}

/// Splits the captured output off a `run` entry's body: the line `Output:` or `Last N lines
/// of output (…):` and the fenced block after it.
pub(crate) fn split_output(body: String) -> (String, Option<String>, Option<String>) {
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
            entry: entry.into(),
            path: format!("journal/2026/10/{id}.md").into(),
        }
    }

    #[test]
    fn entries_are_filed_superseded_ones_dropped_and_the_rest_unfiled() {
        let old = source("a-old", "Disko v1", "hetzner", "finding");
        let mut new = source("b-new", "Disko v2", "hetzner", "finding");
        std::sync::Arc::make_mut(&mut new.entry).supersedes = vec!["a-old".to_owned()];
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
            .map(|e| e.title().to_owned())
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

#[cfg(test)]
mod run_record_tests {
    use chrono::DateTime;
    use journal_entry::Entry;

    use crate::{CompileConfig, Input, SourceEntry, build_context};

    #[test]
    fn a_runs_duration_and_exit_code_are_its_record_not_charted_metrics() {
        let date = DateTime::parse_from_rfc3339("2026-10-08T11:15:00+02:00").unwrap();
        let mut run = Entry::new("a-run", date, "clan machines update");
        run.kind = Some("run".to_owned());
        run.metrics.insert("duration_s".to_owned(), 240.0);
        run.metrics.insert("exit_code".to_owned(), 0.0);
        run.metrics.insert("hosts".to_owned(), 2.0);
        let mut finding = Entry::new("b-finding", date, "unlock is quick");
        finding.kind = Some("finding".to_owned());
        finding.metrics.insert("duration_s".to_owned(), 4.0);
        let input = Input {
            entries: [run, finding]
                .into_iter()
                .map(|entry| SourceEntry {
                    path: format!("journal/2026/10/{}.md", entry.id).into(),
                    entry: entry.into(),
                })
                .collect(),
            ..Input::default()
        };
        let context = build_context(&input, &CompileConfig::default());
        let charted: Vec<(&str, usize)> = context
            .charts
            .iter()
            .map(|c| {
                let points = c.series.iter().map(|s| s.points.len()).sum();
                (c.metric.as_str(), points)
            })
            .collect();
        // A measured duration stays; the run's own duration and exit code are not charted.
        assert_eq!(charted, [("duration_s", 1), ("hosts", 1)]);
    }
}
