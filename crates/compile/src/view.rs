//! The context the templates receive (`journal compile --context` prints it as JSON). Every
//! value is ready to print: dates as text, numbers formatted, links resolved.

use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::Arc;

use journal_entry::Entry;
use serde::Serialize;

use crate::config::Content;

/// The day of `date` as `YYYY-MM-DD` (as `%Y-%m-%d` prints it, without parsing that format
/// for each of the hundreds of thousands of dates a document prints).
pub(crate) fn day(date: &chrono::DateTime<chrono::FixedOffset>) -> String {
    use chrono::Datelike as _;
    let d = date.date_naive();
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Everything the templates see.
#[derive(Debug, Clone, Serialize)]
pub struct Context {
    /// `--date`, printed in each document's header; `None` prints no date.
    pub date: Option<String>,
    /// `--story`, when the entries were limited to one story.
    pub story: Option<String>,
    /// How many entries were read, and how many of them were superseded.
    pub entries: usize,
    /// Of those, replaced by a later entry.
    pub superseded: usize,
    /// The confidence table, one row per pattern (or per provider × pattern).
    pub confidence: Vec<ConfidenceRow>,
    /// The documents, in order.
    pub documents: Vec<DocumentView>,
    /// Entries no section picks up.
    pub unfiled: Vec<SharedEntry>,
    /// Errors and warnings found while compiling.
    pub problems: ProblemList,
    /// The story's tasks, each with the entries that cover it.
    pub checklist: Vec<crate::tasks::TaskView>,
    /// Each metric's values over time per set of providers, over the current entries: the
    /// charts written beside the documents (`charts/<metric>.svg`).
    pub charts: Vec<journal_entry::metrics::MetricSeries>,
}

/// The problems of a compile, shared: templates see them as a list whose items become
/// template values only when read (a 100,000-entry journal with a rewritten history has
/// over 130,000; turning them all into values for every document was a quarter of the
/// render's memory, for templates that do not print them).
#[derive(Debug, Clone, Default)]
pub struct ProblemList(Arc<Vec<CompileProblem>>);

impl ProblemList {
    /// Shares `problems`.
    pub fn new(problems: Vec<CompileProblem>) -> Self {
        Self(Arc::new(problems))
    }
}

impl Deref for ProblemList {
    type Target = Vec<CompileProblem>;

    fn deref(&self) -> &Vec<CompileProblem> {
        &self.0
    }
}

impl Serialize for ProblemList {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if minijinja::value::serializing_for_value() {
            minijinja::Value::from_object(self.clone()).serialize(serializer)
        } else {
            self.0.serialize(serializer)
        }
    }
}

impl minijinja::value::Object for ProblemList {
    fn repr(self: &Arc<Self>) -> minijinja::value::ObjectRepr {
        minijinja::value::ObjectRepr::Seq
    }

    fn get_value(self: &Arc<Self>, key: &minijinja::Value) -> Option<minijinja::Value> {
        let problem = self.0.get(key.as_usize()?)?;
        Some(minijinja::Value::from(minijinja::value::Serde(problem)))
    }

    fn enumerate(self: &Arc<Self>) -> minijinja::value::Enumerator {
        minijinja::value::Enumerator::Seq(self.0.len())
    }
}

/// One document.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    /// Name, without `.md`.
    pub name: String,
    /// File name.
    pub file: String,
    /// Title.
    pub title: String,
    /// Paragraph under the title.
    pub intro: Option<String>,
    /// Sections in order.
    pub sections: Vec<SectionView>,
    /// Evidence of this document's entries that links would not reach.
    pub evidence_problems: Vec<EvidenceProblem>,
    /// Whether this document lists the unfiled entries (the first one does).
    pub lists_unfiled: bool,
}

/// One section.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// Identifier from the configuration.
    pub id: String,
    /// Heading.
    pub title: String,
    /// Paragraph under the heading.
    pub intro: Option<String>,
    /// Required by the configuration.
    pub required: bool,
    /// What it shows.
    pub content: Content,
    /// Nothing to show.
    pub empty: bool,
    /// Entries grouped by kind (content `entries`).
    pub groups: Vec<GroupView>,
    /// Metric tables of the section's entries.
    pub metrics: Vec<MetricTable>,
    /// Confidence rows (content `confidence`).
    pub confidence: Vec<ConfidenceRow>,
    /// The section's entries tagged `timeline` (an estimate), for the timeline table.
    pub timeline: Vec<TaggedView>,
    /// The section's entries tagged `risk` (a level), with their `mitigation` tag.
    pub risks: Vec<TaggedView>,
    /// The summary in prose (content `confidence`: the executive summary).
    pub summary: Option<crate::summary::SummaryView>,
    /// Decisions (content `overview`).
    pub decisions: Vec<SharedEntry>,
}

/// An entry with the value of one of its tags (`timeline`, `risk`), for a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaggedView {
    /// Its title.
    pub title: String,
    /// Link to its file.
    pub link: String,
    /// Its day.
    pub date: String,
    /// The tag's value (the estimate, the risk).
    pub value: String,
    /// Its `mitigation` tag, for a risk.
    pub mitigation: Option<String>,
}

/// Entries of one kind within a section.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    /// The kind (`none` for entries without one).
    pub kind: String,
    /// How the kind reads as a label ("What was hard").
    pub label: String,
    /// The entries, by date then id.
    pub entries: Vec<SharedEntry>,
    /// Entries printed in full in an earlier section of the document, by id, with that
    /// section's title: they are a one-line reference here.
    pub brief: Brief,
}

/// The entries of a group printed in full in an earlier section, by id, with that section's
/// title. Templates see it as a map (`e.id in g.brief`, `g.brief[e.id]`) that answers from
/// this one copy: a 100,000-entry findings document refers back some 80,000 times.
#[derive(Debug, Clone, Default)]
pub struct Brief(Arc<BTreeMap<String, String>>);

impl Brief {
    /// The map `by_id`.
    pub(crate) fn new(by_id: BTreeMap<String, String>) -> Self {
        Self(Arc::new(by_id))
    }
}

impl Deref for Brief {
    type Target = BTreeMap<String, String>;

    fn deref(&self) -> &BTreeMap<String, String> {
        &self.0
    }
}

impl Serialize for Brief {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if minijinja::value::serializing_for_value() {
            minijinja::Value::from_dyn_object(self.0.clone()).serialize(serializer)
        } else {
            self.0.serialize(serializer)
        }
    }
}

/// One entry, ready to print. What the entry itself says (id, title, providers, body, ...)
/// is read from the shared entry when asked, formatted then: a view holds only what the
/// compile adds (links, verdicts, evidence, ADR parts). At 100,000 entries copying every
/// field into every view was a quarter of a compile's peak memory.
#[derive(Debug, Clone)]
pub struct EntryView {
    source: crate::SourceEntry,
    /// Prepended to the entry's path to link it (`../`), shared by every view.
    link_prefix: Arc<str>,
    /// Why the confidence table does not support the level this entry claims, when it does
    /// not (the same check as the table's).
    pub confidence_check: Option<String>,
    /// For a `run` entry, the label of its captured output ("Output", "Last 50 lines of
    /// output (…)"), which `output` holds: printed in a collapsed block, not in the prose.
    pub output_label: Option<String>,
    /// The captured output (a fenced block).
    pub output: Option<String>,
    /// Evidence commits.
    pub evidence: Vec<Arc<EvidenceView>>,
    /// Earlier entries this one replaces.
    pub replaces: Vec<ReplacedView>,
    /// For a decision, its ADR parts (boxed: most entries are not decisions, and every
    /// view would otherwise carry the room for four lists).
    pub adr: Option<Box<AdrView>>,
}

impl EntryView {
    /// The view of `source`, linked with `link_prefix`, with nothing the compile adds yet.
    pub(crate) fn new(source: &crate::SourceEntry, link_prefix: Arc<str>) -> Self {
        Self {
            source: source.clone(),
            link_prefix,
            confidence_check: None,
            output_label: None,
            output: None,
            evidence: Vec::new(),
            replaces: Vec::new(),
            adr: None,
        }
    }

    /// The entry shown.
    pub fn entry(&self) -> &Entry {
        &self.source.entry
    }

    /// Id.
    pub fn id(&self) -> &str {
        &self.source.entry.id
    }

    /// Day, `YYYY-MM-DD` as the operator lived it.
    pub fn date(&self) -> String {
        day(&self.source.entry.date)
    }

    /// Date and time as written.
    pub fn datetime(&self) -> String {
        self.source.entry.date_string()
    }

    /// Title, plain text.
    pub fn title(&self) -> &str {
        &self.source.entry.title
    }

    /// Confidence as stated.
    pub fn confidence(&self) -> Option<&'static str> {
        self.source
            .entry
            .confidence
            .map(journal_entry::Confidence::as_str)
    }

    /// Metrics, formatted.
    pub fn metrics(&self) -> BTreeMap<&str, String> {
        (self.source.entry.metrics.iter())
            .map(|(k, v)| (k.as_str(), journal_entry::metrics::number(*v)))
            .collect()
    }

    /// Link to the entry file, relative to the output folder.
    pub fn link(&self) -> String {
        format!("{}{}", self.link_prefix, self.source.path)
    }

    /// Body, normalised to lint-clean Markdown, headings turned into bold lines; for a `run`
    /// entry, without its captured output (`output`). Made each time it is asked (a template
    /// printing it, `--context` serialising it): no view holds a second copy of every body.
    pub fn body(&self) -> String {
        let entry = &self.source.entry;
        let body = crate::markdown::body(&entry.body);
        if entry.kind.as_deref() == Some("run") {
            crate::assemble::split_output(body).0
        } else {
            body
        }
    }
}

/// The fields as `--context` prints them (and templates read them: entry_object.rs).
impl Serialize for EntryView {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let e = &self.source.entry;
        let mut out = serializer.serialize_struct("EntryView", 19)?;
        out.serialize_field("id", self.id())?;
        out.serialize_field("date", &self.date())?;
        out.serialize_field("datetime", &self.datetime())?;
        out.serialize_field("title", self.title())?;
        out.serialize_field("kind", &e.kind)?;
        out.serialize_field("providers", &e.provider)?;
        out.serialize_field("patterns", &e.pattern)?;
        out.serialize_field("confidence", &self.confidence())?;
        out.serialize_field("confidence_check", &self.confidence_check)?;
        out.serialize_field("output_label", &self.output_label)?;
        out.serialize_field("output", &self.output)?;
        out.serialize_field("story", &e.story)?;
        out.serialize_field("tags", &e.tags)?;
        out.serialize_field("metrics", &self.metrics())?;
        out.serialize_field("link", &self.link())?;
        out.serialize_field("body", &self.body())?;
        out.serialize_field("evidence", &self.evidence)?;
        out.serialize_field("replaces", &self.replaces)?;
        out.serialize_field("adr", &self.adr)?;
        out.end()
    }
}

/// A decision in ADR form, around its text (the decision and its rationale as written):
/// entries sharing one of its patterns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdrView {
    /// The nearest observations before it: what it was decided in.
    pub context: Vec<RelatedView>,
    /// The `alternative` entries, the newest five.
    pub alternatives: Vec<RelatedView>,
    /// The nearest observations after it: what followed.
    pub consequences: Vec<RelatedView>,
    /// The assessments of its patterns.
    pub assessments: Vec<AssessedView>,
}

/// An entry another part of a document refers to (a decision's context, a task, the summary):
/// the shared entry, its fields (its link too) made from it when printed (a
/// 100,000-entry journal's decisions refer to some 165,000 entries).
#[derive(Debug, Clone, PartialEq)]
pub struct RelatedView {
    source: crate::SourceEntry,
    /// Prepended to its path to link it (`../`), shared.
    link_prefix: Arc<str>,
}

impl RelatedView {
    /// The view of `s`, linked from the documents' folder by `link_prefix`.
    pub(crate) fn new(s: &crate::SourceEntry, link_prefix: &Arc<str>) -> Self {
        Self {
            source: s.clone(),
            link_prefix: link_prefix.clone(),
        }
    }

    /// Its id.
    pub fn id(&self) -> &str {
        &self.source.entry.id
    }

    /// Its title.
    pub fn title(&self) -> &str {
        &self.source.entry.title
    }

    /// Its day.
    pub fn date(&self) -> String {
        day(&self.source.entry.date)
    }

    /// Its kind (empty without one).
    pub fn kind(&self) -> &str {
        self.source.entry.kind.as_deref().unwrap_or_default()
    }

    /// Link to its file.
    pub fn link(&self) -> String {
        format!("{}{}", self.link_prefix, self.source.path)
    }
}

impl Serialize for RelatedView {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut out = serializer.serialize_struct("RelatedView", 5)?;
        out.serialize_field("id", self.id())?;
        out.serialize_field("title", self.title())?;
        out.serialize_field("date", &self.date())?;
        out.serialize_field("kind", self.kind())?;
        out.serialize_field("link", &self.link())?;
        out.end()
    }
}

/// An assessment of one of a decision's patterns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssessedView {
    /// The pattern.
    pub pattern: String,
    /// The provider, when assessed for one.
    pub provider: Option<String>,
    /// The level.
    pub level: String,
    /// Whether the evidence supports it.
    pub holds: bool,
    /// Link to the assessment.
    pub link: String,
}

/// An entry view shared by every section that shows it. Templates see it as the entry itself,
/// through a minijinja object that reads its fields when asked
/// (the view is a minijinja object: entry_object.rs): serialising the context for a template copies
/// neither it into every section nor its body into a template value.
#[derive(Debug, Clone)]
pub struct SharedEntry(Arc<EntryView>);

impl SharedEntry {
    /// Shares `view`.
    pub fn new(view: EntryView) -> Self {
        Self(Arc::new(view))
    }

    /// The entry as a template value: the view itself, as a minijinja object
    /// (entry_object.rs).
    pub(crate) fn template_value(&self) -> minijinja::Value {
        minijinja::Value::from_dyn_object(self.0.clone())
    }
}

impl Deref for SharedEntry {
    type Target = EntryView;

    fn deref(&self) -> &EntryView {
        &self.0
    }
}

impl Serialize for SharedEntry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if minijinja::value::serializing_for_value() {
            self.template_value().serialize(serializer)
        } else {
            self.0.serialize(serializer)
        }
    }
}

/// An evidence commit.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    /// As cited: `[NAME:]<sha>`.
    pub id: String,
    /// `[repos]` name, `None` for the journal's own repository.
    pub repo: Option<String>,
    /// Full SHA.
    pub sha: String,
    /// First 7 characters.
    pub short: String,
    /// Web page, when the repository has a web remote.
    pub url: Option<String>,
    /// Subject line.
    pub subject: Option<String>,
    /// Reachable from a remote-tracking branch.
    pub pushed: bool,
}

/// An entry replaced by a later one.
#[derive(Debug, Clone, Serialize)]
pub struct ReplacedView {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its day.
    pub date: String,
    /// Link to its file.
    pub link: String,
}

/// A row of the confidence table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfidenceRow {
    /// Pattern.
    pub pattern: String,
    /// Provider, when this row is one provider × pattern pair.
    pub provider: Option<String>,
    /// Level stated by the newest assessment; none when not assessed.
    pub level: Option<String>,
    /// Whether an assessment states the level.
    pub assessed: bool,
    /// The level the newest observation (not an assessment) on the row states, if any: what
    /// the entries say while the row is not assessed.
    pub stated: Option<String>,
    /// Whether the evidence supports the level.
    pub holds: bool,
    /// Why it does not, when it does not.
    pub reason: Option<String>,
    /// The assessment's rationale (its body, on one line).
    pub rationale: Option<String>,
    /// The assessment's id.
    pub rationale_id: Option<String>,
    /// Link to the assessment.
    pub rationale_link: Option<String>,
    /// Observations on the row (assessments and superseded entries left out).
    pub entries: usize,
    /// Distinct verified evidence commits.
    pub commits: usize,
    /// Day of the first observation.
    pub first: String,
    /// Day of the last observation.
    pub last: String,
    /// Providers named by those entries.
    pub providers: Vec<String>,
}

/// Aggregates of one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricTable {
    /// Metric name (unit in the name by convention).
    pub metric: String,
    /// Its chart, relative to the documents' folder (`charts/<metric>.svg`).
    pub chart: String,
    /// One row per provider set.
    pub rows: Vec<MetricRow>,
    /// The title of an earlier section of the document that shows this very table: the
    /// table is not printed again, only a reference to it.
    pub same_as: Option<String>,
    /// Whether this is the document's first table of the metric: its chart (every entry of
    /// the metric, whatever the section) is shown there only.
    pub first: bool,
}

/// Aggregates of one metric over the entries naming one set of providers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricRow {
    /// The providers, as `journal metrics --by provider` names the group ("gcp+hetzner";
    /// "(none)" without one).
    pub providers: String,
    /// Number of values.
    pub n: usize,
    /// Smallest.
    pub min: String,
    /// Median (nearest rank: a measured value).
    pub median: String,
    /// 95th percentile (nearest rank).
    pub p95: String,
    /// Largest.
    pub max: String,
}

/// Evidence a reader could not follow.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceProblem {
    /// The citing entry.
    pub entry: String,
    /// Its title.
    pub entry_title: String,
    /// Link to it.
    pub entry_link: String,
    /// The commit as cited.
    pub evidence: String,
    /// What is wrong.
    pub problem: String,
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// The documents are not written.
    Error,
    /// Shown, fatal with `--strict`.
    Warning,
}

/// What sort of problem: front ends group (and cap) the problems by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// A cited commit that does not exist.
    MissingEvidence,
    /// A cited commit on no remote-tracking branch: its link would 404.
    UnpushedEvidence,
    /// A cited commit made after the entry it supports.
    LateEvidence,
    /// A repository without a remote.
    NoRemote,
    /// A remote whose web address is unknown.
    NoWebAddress,
    /// An entry file with changes git has not committed.
    UncommittedEntry,
    /// An entry that supersedes an id no entry has.
    UnknownSuperseded,
    /// An assessment the evidence does not support.
    UnsupportedClaim,
    /// A pattern (× provider) without an assessment.
    NotAssessed,
    /// A required section without observations.
    EmptySection,
    /// An entry no section picks up.
    Unfiled,
    /// A task of the story that no entry covers.
    UncoveredTask,
}

impl ProblemKind {
    /// The problems of this kind, in a few words ("missing evidence commits").
    pub fn label(self) -> &'static str {
        match self {
            Self::MissingEvidence => "missing evidence commits",
            Self::UnpushedEvidence => "evidence commits not pushed",
            Self::LateEvidence => "evidence made after its entry",
            Self::NoRemote => "repositories without a remote",
            Self::NoWebAddress => "remotes without a web address",
            Self::UncommittedEntry => "entry files not committed",
            Self::UnknownSuperseded => "unknown superseded ids",
            Self::UnsupportedClaim => "unsupported confidence claims",
            Self::NotAssessed => "patterns not assessed",
            Self::EmptySection => "empty required sections",
            Self::Unfiled => "entries no section picks up",
            Self::UncoveredTask => "story tasks without observations",
        }
    }
}

/// A problem found while compiling.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CompileProblem {
    /// Error or warning.
    pub severity: Severity,
    /// What sort of problem.
    pub kind: ProblemKind,
    /// What is wrong, naming the entry, section or repository.
    pub message: String,
    /// For a missing evidence commit: the citing entry's id and the commit as cited (what
    /// a caller would otherwise read out of the message). Not serialised: the message says
    /// it.
    #[serde(skip)]
    pub evidence: Option<(String, String)>,
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use journal_entry::Entry;

    use crate::{CompileConfig, Input, SourceEntry, build_context};

    #[test]
    fn a_day_is_what_strftime_prints() {
        for text in [
            "2026-10-08T11:15:00+02:00",
            "2026-01-01T00:30:00+14:00",
            "0999-12-31T23:59:59-12:00",
            "2024-02-29T00:00:00Z",
        ] {
            let date = DateTime::parse_from_rfc3339(text).unwrap();
            assert_eq!(
                super::day(&date),
                date.format("%Y-%m-%d").to_string(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_shared_entry_serialises_as_its_view_for_json_and_for_templates() {
        let date = DateTime::parse_from_rfc3339("2026-10-08T11:15:00+02:00").unwrap();
        let mut entry = Entry::new("a-coffee", date, "Coffee <machine>");
        entry.kind = Some("run".to_owned());
        let input = Input {
            entries: vec![SourceEntry {
                entry: entry.into(),
                path: "journal/2026/10/a-coffee.md".into(),
            }],
            ..Input::default()
        };
        let context = build_context(&input, &CompileConfig::default());
        let shared = &context.unfiled[0];
        // `--context` (JSON) sees the view itself.
        assert_eq!(
            serde_json::to_value(shared).unwrap(),
            serde_json::to_value(&**shared).unwrap()
        );
        // A template sees the same fields, converted once and shared by every section.
        let mut env = minijinja::Environment::new();
        env.add_template("t", "{{ e.title }} {{ e.id }}").unwrap();
        let text = env
            .get_template("t")
            .unwrap()
            .render(minijinja::context! { e => minijinja::value::Value::from(minijinja::value::Serde(shared)) })
            .unwrap();
        assert_eq!(text, "Coffee <machine> a-coffee");
    }
}
