//! `journal compile`: the findings and decisions documents, from the entries, checked.

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use clap::Args;
use journal_compile::{
    CommitStatus, Context, Input, RepoStatus, Severity, SourceEntry, TEMPLATE_SUFFIX,
};

use super::problem_line;
use crate::config::{self, Journal};
use crate::error::CommandError;
use crate::ui::Ui;

/// Render INTEGRATION-FINDINGS.md and ARCHITECTURAL-DECISIONS.md from the entries.
///
/// Every cited commit is verified (missing: error; not pushed: warning), every confidence
/// claim is checked against the evidence, and nothing is dropped: empty required sections
/// and entries no section picks up are shown and warned about.
#[derive(Debug, Args)]
pub struct CompileArgs {
    /// Only the entries of this story.
    #[arg(long, value_name = "S")]
    story: Option<String>,
    /// Output folder (created if missing). Default: [compile] out in journal.toml, or docs/
    /// at the repository root.
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
}

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
    let journal = config::open(journal)?;
    let workdir = journal.store.repo().workdir().to_owned();
    let out = match &args.out {
        Some(dir) => std::env::current_dir()?.join(dir),
        None => workdir.join(&journal.config.compile.out),
    };
    let out = resolve(&out);
    let entries = read_entries(ui, &journal)?;
    let input = Input {
        link_prefix: relative(&out, &resolve(&workdir)),
        story: args.story.clone(),
        date: args.date.clone(),
        ..evidence_input(&journal, entries)?
    };
    let context = journal_compile::build_context(&input, &journal.config.compile);
    if args.context {
        let json = serde_json::to_string_pretty(&context)
            .map_err(|e| CommandError::user(format!("cannot print the context: {e}")))?;
        ui.data(&json)?;
        return report(ui, &context, args.strict, "");
    }
    let templates = read_templates(&journal)?;
    let documents = journal_compile::render(&context, &templates).map_err(|e| {
        CommandError::user(e.to_string()).hint(format!(
            "templates are read from {}",
            journal.store.entries_dir().join("templates").display()
        ))
    })?;

    if args.check {
        report(ui, &context, args.strict, "")?;
        let mut stale = Vec::new();
        for document in &documents {
            let path = out.join(&document.file);
            match std::fs::read_to_string(&path) {
                Ok(text) if text == document.text => {}
                Ok(text) => {
                    for change in journal_compile::changed_sections(&text, &document.text) {
                        stale.push(format!("{}: {change}", shown(&path)));
                    }
                }
                Err(_) => stale.push(format!("{}: missing", shown(&path))),
            }
        }
        if stale.is_empty() {
            ui.status(&format!("{} documents are current.", documents.len()));
            return Ok(());
        }
        for line in &stale {
            ui.data(line)?;
        }
        return Err(CommandError::user(format!(
            "the documents in {} are not current",
            shown(&out)
        ))
        .hint("run `journal compile` and commit the result"));
    }

    report(ui, &context, args.strict, "nothing was written")?;
    std::fs::create_dir_all(&out)
        .map_err(|e| CommandError::user(format!("cannot create {}: {e}", shown(&out))))?;
    for document in &documents {
        let path = out.join(&document.file);
        write_atomically(&path, &document.text)?;
        ui.data(&shown(&path))?;
    }
    let warnings = context.problems.len();
    ui.status(&format!(
        "Compiled {} entries into {} documents in {}{}.",
        context.entries,
        documents.len(),
        shown(&out),
        match warnings {
            0 => String::new(),
            1 => " (1 warning)".to_owned(),
            n => format!(" ({n} warnings)"),
        }
    ));
    Ok(())
}

/// Prints the problems; returns an error when one is an error, or a warning under `--strict`.
fn report(ui: &Ui, context: &Context, strict: bool, outcome: &str) -> Result<(), CommandError> {
    let mut fatal = 0;
    for problem in &context.problems {
        match problem.severity {
            Severity::Error => {
                fatal += 1;
                ui.status(&format!("error: {}", problem.message));
            }
            Severity::Warning => {
                fatal += usize::from(strict);
                ui.warning(&problem.message);
            }
        }
    }
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

/// Reads every entry file; a bad one is reported and skipped, a second file with an id
/// already seen too.
fn read_entries(ui: &Ui, journal: &Journal) -> Result<Vec<SourceEntry>, CommandError> {
    let mut entries = Vec::new();
    let mut seen = HashSet::new();
    for file in journal.store.scan()? {
        let parsed = match file.entry {
            Ok(parsed) => parsed,
            Err(err) => {
                for p in &err.problems {
                    ui.warning(&format!("{} (skipped)", problem_line(&file.rel_path, p)));
                }
                continue;
            }
        };
        let problems = journal.config.vocabulary.problems(&parsed);
        if !problems.is_empty() {
            for p in &problems {
                ui.warning(&format!("{} (skipped)", problem_line(&file.rel_path, p)));
            }
            continue;
        }
        if !seen.insert(parsed.entry.id.clone()) {
            ui.warning(&format!(
                "{}: duplicate id `{}` (skipped)",
                file.rel_path.display(),
                parsed.entry.id
            ));
            continue;
        }
        entries.push(SourceEntry {
            entry: parsed.entry,
            path: slashed(&file.rel_path),
        });
    }
    Ok(entries)
}

/// Asks git about every cited commit and each repository's web address.
fn evidence_input(journal: &Journal, entries: Vec<SourceEntry>) -> Result<Input, CommandError> {
    let report = journal
        .store
        .verify_evidence(entries.iter().flat_map(|s| &s.entry.commits))?;
    let evidence = report
        .commits
        .into_iter()
        .map(|(e, c)| {
            let status = CommitStatus {
                exists: c.exists,
                pushed: c.pushed,
                subject: c.subject,
            };
            (e, status)
        })
        .collect();
    let repos = report
        .repos
        .into_iter()
        .map(|(label, r)| {
            let configured = match &label {
                None => journal.config.compile.url.clone(),
                Some(name) => journal.config.repos.get(name).and_then(|c| c.url.clone()),
            };
            let status = RepoStatus {
                url: configured.or(r.remote_url),
                unavailable: r.unavailable,
            };
            (label, status)
        })
        .collect();
    Ok(Input {
        entries,
        evidence,
        repos,
        ..Input::default()
    })
}

/// Reads `<entries>/templates/*.md.j2` (and `_*.md.j2` partials): they replace the built-in
/// templates of the same name.
fn read_templates(journal: &Journal) -> Result<BTreeMap<String, String>, CommandError> {
    let dir = journal.store.entries_dir().join("templates");
    let mut templates = BTreeMap::new();
    let Ok(listing) = std::fs::read_dir(&dir) else {
        return Ok(templates);
    };
    for item in listing.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        if !name.ends_with(TEMPLATE_SUFFIX) {
            continue;
        }
        let text = std::fs::read_to_string(item.path()).map_err(|e| {
            CommandError::user(format!("cannot read {}: {e}", item.path().display()))
        })?;
        templates.insert(name, text);
    }
    Ok(templates)
}

fn write_atomically(path: &Path, text: &str) -> Result<(), CommandError> {
    let tmp = path.with_extension(format!("md.{}.tmp", std::process::id()));
    let failed =
        |e: std::io::Error| CommandError::user(format!("cannot write {}: {e}", shown(path)));
    std::fs::write(&tmp, text).map_err(failed)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        failed(e)
    })
}

/// Returns the path with its nearest existing ancestor resolved (symlinks, `..`), and the
/// rest appended: the output folder may not exist yet.
fn resolve(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if let Ok(real) = at.canonicalize() {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return out;
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                at = parent;
            }
            _ => return path.to_owned(),
        }
    }
}

/// Returns the prefix that leads from folder `from` to folder `to` (`../`, `../../infra/`),
/// for links written in `from`.
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<Component<'_>> = from.components().collect();
    let to: Vec<Component<'_>> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut prefix = "../".repeat(from.len() - common);
    for part in &to[common..] {
        prefix.push_str(&part.as_os_str().to_string_lossy());
        prefix.push('/');
    }
    prefix
}

fn slashed(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// A path as the user would type it: relative to the current folder when inside it.
fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir()
        .map(|d| resolve(&d))
        .unwrap_or_default();
    path.strip_prefix(&cwd)
        .map_or_else(|_| path.display().to_string(), |p| p.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_lead_from_the_output_folder_to_the_repository() {
        assert_eq!(relative(Path::new("/r/docs"), Path::new("/r")), "../");
        assert_eq!(relative(Path::new("/r/a/b"), Path::new("/r")), "../../");
        assert_eq!(relative(Path::new("/r"), Path::new("/r")), "");
        assert_eq!(
            relative(Path::new("/out"), Path::new("/r/infra")),
            "../r/infra/"
        );
    }
}
