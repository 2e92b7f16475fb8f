//! The journal as an application: every operation a front end offers (the CLI, the MCP
//! server, the web page), behind one handle, with typed reports. Front ends translate their
//! input into the options here and render the reports; every rule of the domain (what is
//! valid, what is late evidence, which entries a confidence claim rests on, how a number
//! reads) is decided here or below, once.
//!
//! # Opening
//! [`Journal::open`] finds and opens a journal from explicit inputs ([`OpenOptions`]: the
//! start folder, the journal folder given, the git identity); nothing here reads the
//! environment, prints or prompts, and the moment of a call is the caller's (`now`). A
//! long-running front end keeps one [`KeptJournal`]: the journal and its index opened once,
//! reused while journal.toml is unchanged, repaired after a killed writer before each call.
//!
//! # Operations
//! Each operation is one method. Writing: [`Journal::add`] (or [`Journal::prepare`] then
//! [`Journal::record`]; [`Journal::add_advised`] also returns similar entries),
//! [`Journal::record_run`], [`Journal::assess`], [`Journal::start_edit`] / [`Journal::finish_edit`],
//! [`Journal::replace`], [`Journal::remove`], [`Journal::import`], [`Journal::sync`],
//! [`init()`]. Reading: [`Journal::select`], [`Journal::search`], [`Journal::show`],
//! [`Journal::review`], [`Journal::tags`], [`Journal::vocabulary`], [`Journal::metrics`]
//! (and [`Journal::charts`]), [`Journal::confidence`], [`Journal::coverage`],
//! [`Journal::export`], [`Journal::check`], [`Journal::status`], [`Journal::doctor`].
//! Documents: [`Journal::compile`] gives a [`Compiled`] (the template context, the Markdown
//! [`Document`]s and the SVG [`Chart`]s apart). The index: [`Journal::reindex`],
//! [`Journal::watch`]. Reports are `Serialize`: the CLI's `--json` output and the MCP
//! server's structured results are theirs.
//!
//! # Errors
//! One [`Error`] type: a variant per kind of failure, carrying its data (the credential's
//! line and rule in [`Error::Secret`], the store's and the index's own errors, a stopped
//! sync). [`Error::message`] says what went wrong; [`Error::hints`] what to do, where a hint
//! that names a parameter ([`Param`]) is worded by the front end ([`ParamNames`]: the CLI's
//! `--at`, the MCP argument `at`) or left out by one that has no such parameter.
//!
//! # Files that cannot be read
//! Reading operations share one rule for a file they cannot read: it is skipped, listed in
//! the report's `skipped` ([`SkippedFile`]: its path and typed [`Problem`]s, each with its
//! line and field), and the answer comes from the other files.
//!
//! ```no_run
//! use journal_lib::{Filters, Journal, OpenOptions};
//!
//! let journal = Journal::open(&OpenOptions {
//!     start: "/srv/infra".into(),
//!     ..OpenOptions::default()
//! })?;
//! let selection = journal.select(&Filters::default(), Some(10))?;
//! for (entry, path) in &selection.entries {
//!     println!("{} {}", entry.id, path.display());
//! }
//! # Ok::<(), journal_lib::Error>(())
//! ```
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod add;
mod advised;
mod assess;
mod change;
mod check;
mod compile;
mod confidence;
pub mod config;
mod coverage;
pub mod demo;
mod doctor;
mod edit;
mod error;
mod fields;
mod fronts;
mod init;
mod interchange;
mod journal;
mod kept;
mod memo;
mod metrics;
mod paths;
mod read;
mod record;
mod reindex;
mod review;
mod run;
mod search;
mod since_review;
mod status;
mod sync;
#[cfg(test)]
mod tests;
mod watch;
pub mod when;

pub use add::{AddReport, Draft, EntryFields, EntryText, Observed, split_text};
pub use advised::Advised;
pub use assess::Assessment;
pub use change::Changed;
pub use check::CheckReport;
pub use compile::{CompileOptions, Compiled, DocumentsWritten, resolve};
pub use confidence::{ConfidenceObservation, ConfidenceReport, ConfidenceView, OBSERVATIONS};
pub use coverage::{
    CoverageCounts, CoverageProblem, CoverageReport, EmptySection, EvidenceGap, NotAssessed,
    UncoveredTask, UnfiledEntry, UnsupportedClaim,
};
pub use doctor::{DoctorReport, Finding};
pub use edit::{ChangeOptions, EditDraft, EditOutcome};
pub use error::{Error, ErrorKind, Hint, Param, ParamNames, Result, SecretFound, chain, redacted};
pub use fields::{
    FilterText, Filters, check_metric_name, confidence_field, guard_secrets, parse_confidence,
    parse_metric, parse_scope, parse_sort, parse_tag,
};
pub use init::{InitReport, init};
pub use interchange::{ExportFormat, ExportReport, ImportReport, ImportSource};
pub use journal::{GitEnv, Journal, OpenOptions, SkippedFile};
pub use journal_entry::Problem;
pub use kept::{Clock, KeptJournal};
pub use metrics::{ChartsReport, MetricChart, MetricsReport};
pub use read::{Selection, ShowReport, TagsReport, VocabularyReport};
pub use record::{EntryRecord, entry_fields};
pub use reindex::ReindexReport;
pub use review::{EntryRef, EvidenceState, ReviewReport};
pub use run::{RunRecord, TAIL_LINES, signal_name};
pub use search::{
    CommitHit, DidYouMean, EntryHit, HitRecord, SearchOptions, SearchReport, Similar,
};
pub use since_review::{ReviewMarked, SinceReview};
pub use status::{IndexStatus, RepoStatus, StatusReport, WatcherStatus};
pub use sync::{RETRIES, ReceivedFile, Synced};
pub use watch::{BackgroundWatcher, ChangeProbe, RebuildCommand, WatchOptions};

pub use journal_compile::{
    Chart, CompileProblem, ConfidenceRow, Document, ProblemKind, Severity, chart_file,
};
pub use journal_entry::metrics::{Group, MetricRow, Summary};
pub use journal_index::{Progress, Scope, Sort};
/// Fault points of the write path, for the fault-matrix tests (see `journal_store::faults`).
pub use journal_store::faults;
pub use journal_store::{IdentityOverrides, LockHolder, Repair, is_file_id};
