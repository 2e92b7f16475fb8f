//! The top-level arguments.

use std::path::PathBuf;

use clap::Parser;

use crate::commands::Command;

/// A git-backed knowledge journal for infrastructure work.
///
/// Capture what you learn while provisioning and deploying (what was easy or hard, what
/// surprised you, what you decided and how confident you are) as Markdown entries committed to
/// your git repository, with commits as evidence.
#[derive(Debug, Parser)]
#[command(
    name = "journal",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The journal folder (the one holding journal.toml); default: found by walking up from the
    /// current folder.
    #[arg(long, global = true, env = "JOURNAL_DIR", value_name = "DIR")]
    pub journal: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}
