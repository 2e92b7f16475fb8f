//! `journal export`: the entries as JSON, JSON Lines or one Markdown document.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use journal_lib::ExportFormat;

use super::fields::SelectArgs;
use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Export entries, oldest first: JSON (one array), JSON Lines, or one Markdown document.
///
/// The JSON objects are those of `list --json`; `journal import --from journal` reads both
/// JSON forms back.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    select: SelectArgs,
    /// The format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Json,
    Jsonl,
    Md,
}

pub fn cmd_export(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &ExportArgs,
) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let format = match args.format {
        Format::Json => ExportFormat::Json,
        Format::Jsonl => ExportFormat::Jsonl,
        Format::Md => ExportFormat::Markdown,
    };
    let report = journal.export(&args.select.filters()?, format)?;
    ui.reading(&report.skipped, &report.warnings);
    match &args.out {
        None => ui.data_raw(&report.text)?,
        Some(path) => {
            std::fs::write(path, &report.text)
                .map_err(|e| CommandError::user(format!("cannot write {}: {e}", path.display())))?;
            ui.status(&format!(
                "Exported {} to {}.",
                crate::ui::count(report.entries, "entry", "entries"),
                path.display()
            ));
        }
    }
    ui.finish_reading(&report.skipped)
}
