//! `journal assess`: the operator's verdict on a pattern (for one provider or all): the
//! confidence level and why, recorded as an entry the confidence table states.

use std::path::Path;

use clap::Args;
use journal_entry::{Confidence, VocabularyField};
use journal_lib::when::{Bound, parse_when};
use journal_lib::{Assessment, parse_confidence};

use super::record::report_added;
use crate::complete;
use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Record an assessment: a pattern's confidence level (for one provider, or all), with the
/// rationale. The newest assessment of a pattern × provider is what the compiled confidence
/// table states, checked against the evidence.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The pattern assessed, from journal.toml's patterns.
    #[arg(value_name = "PATTERN", add = complete::vocabulary(VocabularyField::Pattern))]
    pattern: String,
    /// The provider it is assessed for; without it, every provider that has no assessment of
    /// its own.
    #[arg(long, value_name = "P", add = complete::vocabulary(VocabularyField::Provider))]
    provider: Option<String>,
    /// The level: proven, needs-testing or uncertain.
    #[arg(long, value_name = "C", value_parser = parse_confidence, add = complete::confidence())]
    confidence: Confidence,
    /// Why this level, in Markdown: what was tried, what held, what is still open. `-` reads
    /// it from stdin.
    #[arg(long, value_name = "TEXT")]
    rationale: String,
    /// An evidence commit: any revision git understands, or NAME:REV for a repository listed
    /// in journal.toml's [repos] (repeatable).
    #[arg(long = "commit", value_name = "[REPO:]REV")]
    commits: Vec<String>,
    /// Story, such as 1.11.
    #[arg(long, value_name = "S")]
    story: Option<String>,
    /// When it was assessed (as `add --at`). Default: now.
    #[arg(long, value_name = "WHEN")]
    at: Option<String>,
    /// Write the file only; do not commit it.
    #[arg(long)]
    no_commit: bool,
    /// Write the text even if it looks like it holds a credential.
    #[arg(long)]
    allow_secret: bool,
    /// Print {"id", "path", "date", "commit"} as JSON.
    #[arg(long)]
    json: bool,
}

pub fn cmd_assess(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: AssessArgs,
) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let now = context::now()?;
    let date = match &args.at {
        Some(at) => parse_when(at, now, Bound::At).map_err(CommandError::user)?,
        None => now,
    };
    let rationale = if args.rationale == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| {
            CommandError::user(format!("cannot read the rationale from stdin: {e}"))
        })?;
        text
    } else {
        args.rationale
    };
    let assessment = Assessment {
        pattern: args.pattern,
        provider: args.provider,
        confidence: args.confidence,
        rationale,
        commits: args.commits,
        story: args.story,
        no_commit: args.no_commit,
        allow_secret: args.allow_secret,
        agent: None,
    };
    let added = journal.assess(assessment, date, now, context::short_host())?;
    if args.json {
        ui.json(&added)?;
    } else {
        ui.data(&added.id)?;
    }
    report_added(ui, &added);
    Ok(())
}
