//! The journal's entry model: one Markdown file with a YAML front matter per observation.
//!
//! This crate is pure: it reads and writes text, never files, git, the clock or the
//! environment. It knows:
//! - [`Entry`], the typed model, and its canonical file form ([`Entry::to_file_string`]);
//! - [`parse_entry`], which reads any hand-written file in the format, keeps unknown
//!   front-matter keys verbatim, and reports problems with their line and field;
//! - [`Vocabulary`], the allowed providers, patterns and kinds, with "did you mean" hints;
//! - [`secret`], the guard that spots credentials before they reach git history.
//!
//! ```
//! use journal_entry::{parse_entry, Confidence};
//!
//! let text = "---\nid: 20261126T105903Z-luks-works\ndate: 2026-11-26T11:59:03+01:00\n\
//!             title: LUKS works\nconfidence: proven\n---\nBody.\n";
//! let parsed = parse_entry(text, None).unwrap();
//! assert_eq!(parsed.entry.confidence, Some(Confidence::Proven));
//! assert_eq!(parsed.entry.to_file_string(), text);
//! ```
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

mod error;
mod evidence;
mod frontmatter;
mod id;
pub mod metrics;
mod model;
pub mod secret;
mod story;
mod vocabulary;
mod yaml;

#[cfg(test)]
mod tests;

pub use error::{EntryError, Located, Partial, Problem};
pub use evidence::{CLOCK_SKEW_S, Evidence, is_repo_name, made_after};
pub use frontmatter::{ParsedEntry, parse_entry};
pub use id::{entry_id, slug};
pub use model::{Confidence, Entry, ExtraField, Metrics, Tags};
pub use story::{story_folder, story_order};
pub use vocabulary::{
    ASSESSMENT, UnknownValue, Vocabulary, VocabularyField, assessment_problems, closest,
    confidence_levels,
};
