//! Renders a journal's entries into INTEGRATION-FINDINGS.md and ARCHITECTURAL-DECISIONS.md.
//!
//! The caller (the CLI) reads the entries and asks git about each cited commit; this crate
//! never touches git or the file system. [`build_context`] decides which entry lands in which
//! section (sections are data: [`CompileConfig`]), what each entry replaced, which evidence
//! fails, and how confident each pattern may claim to be ([`confidence`]); [`render`] turns
//! that context into Markdown through minijinja templates, built in or supplied by the
//! journal. The same input gives byte-identical output: no clock, no hash order.
//!
//! ```
//! use journal_compile::{CompileConfig, Input, build_context, render};
//!
//! let context = build_context(&Input::default(), &CompileConfig::default());
//! let rendered = render(&context, &Default::default())?;
//! assert_eq!(rendered.documents[0].file, "INTEGRATION-FINDINGS.md");
//! # Ok::<(), journal_compile::Error>(())
//! ```
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod adr;
mod assemble;
mod charts;
pub mod confidence;
mod config;
mod entry_object;
mod filing;
mod forge;
mod layout;
mod markdown;
mod metrics;
mod render;
mod summary;
mod tasks;
mod tidy;
mod view;

use std::collections::BTreeMap;

use journal_entry::{Entry, Evidence};

pub use charts::{CHARTS_DIR, EntryLink, chart_file, metric_svg};
pub use config::{
    CompileConfig, Content, DECISIONS, DocumentConfig, FINDINGS, SectionConfig, Thresholds,
    builtin_documents,
};
pub use forge::CommitLinks;
pub use markdown::{BodyHeadings, embeddable_body};
pub use render::{
    Chart, Document, DocumentSink, Rendered, TEMPLATE_SUFFIX, changed_sections, render, render_to,
};
pub use summary::{ComparisonRow, LevelSummary, ProviderSummary, SummaryView};
pub use tasks::{Task, TaskView};
pub use view::{
    AdrView, AssessedView, Brief, CompileProblem, ConfidenceRow, Context, DocumentView, EntryView,
    EvidenceProblem, EvidenceView, GroupView, MetricRow, MetricTable, ProblemKind, ProblemList,
    RelatedView, ReplacedView, SectionView, Severity, SharedEntry, TaggedView,
};

/// A good entry and where its file is, relative to the repository root (`/`-separated).
#[derive(Debug, Clone, PartialEq)]
pub struct SourceEntry {
    /// The entry; shared, so that a caller keeping entries between compiles (a server's
    /// memo) hands them over without copying each.
    pub entry: std::sync::Arc<Entry>,
    /// Its file, relative to the repository root (shared by the views that link it).
    pub path: std::sync::Arc<str>,
}

/// What git says of a cited commit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitStatus {
    /// It exists in its repository.
    pub exists: bool,
    /// It is reachable from a remote-tracking branch.
    pub pushed: bool,
    /// Its subject line.
    pub subject: Option<String>,
    /// Its committer time, seconds since the epoch.
    pub time: Option<i64>,
}

/// What is known of a repository evidence is cited from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepoStatus {
    /// Configured web URL, else the remote's URL; `None` without either.
    pub url: Option<String>,
    /// Why it could not be opened.
    pub unavailable: Option<String>,
    /// Whether it has a remote at all (without one, nothing it holds is pushed).
    pub has_remote: bool,
}

/// Everything a compile reads.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// The good entries (bad files were reported and skipped by the caller).
    pub entries: Vec<SourceEntry>,
    /// Each cited commit.
    /// (Shared: a server keeps it between compiles. It may answer for commits no entry
    /// cites: look up, do not list.)
    pub evidence: std::sync::Arc<rustc_hash::FxHashMap<Evidence, CommitStatus>>,
    /// Each repository cited, keyed by `[repos]` name (`None`: the journal's own).
    pub repos: BTreeMap<Option<String>, RepoStatus>,
    /// Prepended to an entry's path to link it from the output folder (`../`).
    pub link_prefix: String,
    /// Only entries of this story.
    pub story: Option<String>,
    /// The compile date to print (`--date`); no clock is read.
    pub date: Option<String>,
    /// The vocabulary's patterns: each gets a confidence row, "no observations" when no entry
    /// names it (the story asks a level for every pattern).
    pub patterns: Vec<String>,
    /// Entry files (paths as in [`SourceEntry::path`]) that git has not committed: their
    /// links would not resolve on the forge.
    pub uncommitted: std::collections::BTreeSet<String>,
    /// The story's tasks (journal.toml's `[[story.tasks]]`): the findings end with them,
    /// each with the entries that cover it.
    pub tasks: Vec<Task>,
}

/// Errors of this crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A template does not parse or fails while rendering.
    #[error("template {name}: {message}")]
    Template {
        /// Template name.
        name: String,
        /// What minijinja says, with the line.
        message: String,
    },
    /// A document could not be written where it goes.
    #[error("cannot write {file}: {message}")]
    Write {
        /// The document's file name.
        file: String,
        /// What the system says.
        message: String,
    },
}

/// Builds the template context: sections filled, evidence checked, confidence assessed. The
/// problems (errors first) are in [`Context::problems`].
pub fn build_context(input: &Input, config: &CompileConfig) -> Context {
    assemble::context(input, config)
}

/// Returns the context [`build_context`] would give as the checks need it: every problem,
/// the confidence table, the checklist, each section's heading and whether it is empty, and
/// the unfiled entries (their views without the verdict or ADR the documents add), but no
/// entries in the sections, no metric tables, summary or charts. Rendering it gives empty
/// documents; what `journal coverage` reads is the same as from [`build_context`].
pub fn build_checks(input: &Input, config: &CompileConfig) -> Context {
    assemble::checks(input, config)
}

/// Returns the confidence table [`build_context`] would put in [`Context::confidence`],
/// without laying out the documents (no entry views, sections or links are made).
pub fn confidence_table(input: &Input, config: &CompileConfig) -> Vec<ConfidenceRow> {
    assemble::confidence_table(input, config)
}
