//! `journal compile`: the findings and decisions documents, from the entries, checked.

use std::path::{Path, PathBuf};

use clap::Args;
use journal_lib::{CompileOptions, Compiled, Severity, resolve};

use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Render INTEGRATION-FINDINGS.md and ARCHITECTURAL-DECISIONS.md from the entries.
///
/// Every cited commit is verified (missing: error; not pushed: warning), every confidence
/// claim is checked against the evidence, and nothing is dropped: empty required sections
/// and entries no section picks up are shown and warned about.
#[derive(Debug, Args)]
pub struct CompileArgs {
    /// Only the entries of this story; its documents go to their own folder
    /// (docs/story-S/) unless --out names one, and never replace the full documents.
    #[arg(long, value_name = "S")]
    story: Option<String>,
    /// Output folder (created if missing). Default: [compile] out in journal.toml, or docs/
    /// at the repository root (with --story, its story-S/ folder).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write nothing; exit 1 if the documents on disk differ, naming the changed sections.
    #[arg(long)]
    check: bool,
    /// Treat warnings (unpushed evidence, unsupported confidence, empty required sections,
    /// unfiled entries) as errors.
    #[arg(long)]
    strict: bool,
    /// Print the JSON context the templates receive, and write no file.
    #[arg(long)]
    context: bool,
    /// The compile date printed in each document's header (no clock is read otherwise).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    date: Option<String>,
    /// Print every problem: by default each kind (missing evidence, unpushed evidence, …)
    /// shows its first five, then how many more there are.
    #[arg(long)]
    all_problems: bool,
}

/// How many problems of one kind are printed unless `--all-problems`.
const PER_KIND: usize = 5;

fn parse_date(text: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| format!("`{text}` is not a date as YYYY-MM-DD"))
}

pub fn cmd_compile(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &CompileArgs,
) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let options = CompileOptions {
        story: args.story.clone(),
        out: match &args.out {
            Some(dir) => Some(std::env::current_dir()?.join(dir)),
            None => None,
        },
        date: args.date.clone(),
    };
    if args.context {
        let compiled = journal.compile_context(&options)?;
        let json = serde_json::to_string_pretty(&compiled.context)
            .map_err(|e| CommandError::internal(format!("cannot print the context: {e}")))?;
        ui.data(&json)?;
        return report(ui, &compiled, args, "");
    }
    if args.check {
        let compiled = journal.compile(&options)?;
        report(ui, &compiled, args, "")?;
        let stale = compiled.stale();
        if stale.is_empty() {
            ui.status(&format!("{} are current.", outputs(&compiled)));
            return Ok(());
        }
        for (path, change) in &stale {
            ui.data(&format!("{}: {change}", shown(path)))?;
        }
        return Err(CommandError::user(format!(
            "the documents in {} are not current",
            shown(&compiled.out)
        ))
        .hint("run `journal compile` and commit the result"));
    }
    // The problems first: documents with errors are not even rendered. Then each document
    // is rendered straight into its file.
    let mut compiled = journal.compile_context(&options)?;
    report(ui, &compiled, args, "nothing was written")?;
    let written = journal.write_compiled(&mut compiled)?;
    for repair in &written.removed {
        ui.status(&format!("{}: {}", repair.path.display(), repair.what));
    }
    for path in &written.files {
        ui.data(&shown(path))?;
    }
    let warnings = compiled.context.problems.len() + compiled.skipped.len();
    ui.status(&format!(
        "Compiled {} into {} in {}{}.",
        crate::ui::count(compiled.context.entries, "entry", "entries"),
        outputs(&compiled),
        shown(&compiled.out),
        match warnings {
            0 => String::new(),
            1 => " (1 warning)".to_owned(),
            n => format!(" ({n} warnings)"),
        }
    ));
    Ok(())
}

/// Names what compile writes: "2 documents", or "2 documents and 9 charts".
fn outputs(compiled: &Compiled) -> String {
    let charts = compiled.charts.len();
    let documents = compiled.context.documents.len();
    match charts {
        0 => format!("{documents} documents"),
        1 => format!("{documents} documents and 1 chart"),
        n => format!("{documents} documents and {n} charts"),
    }
}

/// Prints the skipped files and the problems; returns an error when one is an error, or a
/// warning under `--strict`. The problems are printed by kind (they come sorted so), each
/// kind cut to its first [`PER_KIND`] unless `--all-problems`: a rewritten history can leave
/// every one of 100,000 entries citing a missing commit.
fn report(
    ui: &Ui,
    compiled: &Compiled,
    args: &CompileArgs,
    outcome: &str,
) -> Result<(), CommandError> {
    let strict = args.strict;
    ui.reading(&compiled.skipped, &[]);
    let problems = &compiled.context.problems;
    let mut start = 0;
    while start < problems.len() {
        let (severity, kind) = (problems[start].severity, problems[start].kind);
        let len = problems[start..]
            .iter()
            .take_while(|p| (p.severity, p.kind) == (severity, kind))
            .count();
        let shown = if args.all_problems {
            len
        } else {
            len.min(PER_KIND)
        };
        let say = |text: &str| match severity {
            Severity::Error => ui.status(&format!("error: {text}")),
            Severity::Warning => ui.warning(text),
        };
        for problem in &problems[start..start + shown] {
            say(&problem.message);
        }
        if shown < len {
            say(&format!(
                "… and {} more {} (--all-problems prints every one)",
                len - shown,
                kind.label()
            ));
        }
        start += len;
    }
    let fatal = compiled.fatal(strict);
    if fatal == 0 {
        return Ok(());
    }
    let what = if strict {
        "problem(s) (warnings are fatal with --strict)"
    } else {
        "error(s)"
    };
    let mut message = format!("{fatal} {what}");
    if !outcome.is_empty() {
        message = format!("{message}: {outcome}");
    }
    Err(CommandError::user(message))
}

/// A path as the user would type it: relative to the current folder when inside it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir()
        .map(|d| resolve(&d))
        .unwrap_or_default();
    path.strip_prefix(&cwd)
        .map_or_else(|_| path.display().to_string(), |p| p.display().to_string())
}
