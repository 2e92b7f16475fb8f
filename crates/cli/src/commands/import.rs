//! `journal import`: entries from jrnl's JSON export, or back from `journal export`.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use journal_lib::ImportSource;

use crate::context;
use crate::error::CommandError;
use crate::ui::{Ui, count};

/// Import entries in one commit: from jrnl's JSON export, or from `journal export`.
///
/// jrnl: each entry's date and time (local time), title and body are kept; a tag such as
/// @hetzner that names a provider or pattern of journal.toml goes to that field, any other
/// becomes a tag (`@firewall` is firewall=true); starred entries get starred=true; every
/// entry gets source=jrnl. journal: the JSON (array) or JSON Lines written by `journal
/// export`, ids kept.
///
/// Importing again adds nothing twice: an entry whose id (from its date and title) is
/// already in the journal is left as it is. An entry that cannot be imported (a field
/// outside the vocabulary, a credential) is reported and skipped.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The format of FILE.
    #[arg(long, value_enum)]
    from: Source,
    /// The file (`-`: stdin).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Write the files only; do not commit them.
    #[arg(long)]
    no_commit: bool,
    /// Import text even if it looks like it holds a credential.
    #[arg(long)]
    allow_secret: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Source {
    /// `jrnl --export json`
    Jrnl,
    /// `journal export --format json` or `jsonl`
    Journal,
}

pub fn cmd_import(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &ImportArgs,
) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let text = read_input(&args.file)?;
    let source = match args.from {
        Source::Jrnl => ImportSource::Jrnl,
        Source::Journal => ImportSource::Journal,
    };
    let report = journal.import(source, &text, args.no_commit, args.allow_secret)?;
    for problem in &report.skipped {
        ui.warning(&format!("{problem}; skipped"));
    }
    for warning in &report.warnings {
        ui.warning(warning);
    }
    for id in &report.written {
        ui.data(id)?;
    }
    let written = report.written.len();
    let mut summary = format!(
        "Imported {written} of {} from {}",
        count(report.total, "entry", "entries"),
        args.file.display()
    );
    if !report.existing.is_empty() {
        summary.push_str(&format!(
            "; {} already in the journal",
            report.existing.len()
        ));
    }
    let skipped = report.skipped.len();
    if skipped > 0 {
        summary.push_str(&format!("; {skipped} skipped"));
    }
    match &report.commit {
        Some(sha) => summary.push_str(&format!(" (commit {}).", &sha[..sha.len().min(10)])),
        None if written > 0 => summary.push_str(" (not committed)."),
        None => summary.push('.'),
    }
    ui.status(&summary);
    if skipped > 0 {
        return Err(CommandError::user(format!(
            "{} could not be imported",
            count(skipped, "entry", "entries")
        )));
    }
    Ok(())
}

fn read_input(file: &Path) -> Result<String, CommandError> {
    if file == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CommandError::user(format!("cannot read stdin: {e}")))?;
        return Ok(text);
    }
    std::fs::read_to_string(file)
        .map_err(|e| CommandError::user(format!("cannot read {}: {e}", file.display())))
}
