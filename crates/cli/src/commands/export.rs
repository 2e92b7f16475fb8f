//! `journal export`: the entries as JSON, JSON Lines or one Markdown document.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use journal_entry::Entry;

use super::select::SelectArgs;
use crate::config;
use crate::error::CommandError;
use crate::render::{entry_fields, entry_json};
use crate::ui::{Ui, count};

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
    let journal = config::open(journal)?;
    let mut selection = args.select.select(ui, &journal, None)?;
    selection.entries.reverse();
    let text = match args.format {
        Format::Json => {
            let all: Vec<_> = selection
                .entries
                .iter()
                .map(|(e, p)| entry_json(e, p))
                .collect();
            let mut text = serde_json::to_string_pretty(&all)
                .map_err(|e| CommandError::user(format!("cannot write JSON: {e}")))?;
            text.push('\n');
            text
        }
        Format::Jsonl => selection
            .entries
            .iter()
            .map(|(e, p)| format!("{}\n", entry_json(e, p)))
            .collect(),
        Format::Md => markdown(&selection.entries),
    };
    match &args.out {
        None => ui.data_raw(&text)?,
        Some(path) => {
            let mut file = std::fs::File::create(path)
                .map_err(|e| CommandError::user(format!("cannot write {}: {e}", path.display())))?;
            file.write_all(text.as_bytes())
                .map_err(|e| CommandError::user(format!("cannot write {}: {e}", path.display())))?;
            ui.status(&format!(
                "Exported {} entries to {}.",
                selection.entries.len(),
                path.display()
            ));
        }
    }
    selection.finish()
}

/// One document, oldest entry first: a section per entry with its fields as a list (those of
/// `journal show`).
fn markdown(entries: &[(Entry, PathBuf)]) -> String {
    let mut out = String::from("# Journal\n\n");
    match (entries.first(), entries.last()) {
        (Some((first, _)), Some((last, _))) => out.push_str(&format!(
            "{}, {} to {}.\n",
            count(entries.len(), "entry", "entries"),
            first.date.format("%Y-%m-%d"),
            last.date.format("%Y-%m-%d")
        )),
        _ => out.push_str("No entries.\n"),
    }
    for (entry, rel_path) in entries {
        out.push_str(&format!("\n## {}\n\n", entry.title.trim()));
        let path = ("path", rel_path.display().to_string());
        for (name, value) in entry_fields(entry).into_iter().chain([path]) {
            out.push_str(&format!("- {name}: {value}\n"));
        }
        let body = demote_headings(entry.body.trim());
        if !body.is_empty() {
            out.push('\n');
            out.push_str(&body);
            out.push('\n');
        }
    }
    out
}

/// Moves the body's own headings two levels down (outside code fences), so that they sit
/// under the entry's `##` heading.
fn demote_headings(body: &str) -> String {
    let mut fence: Option<String> = None;
    let mut out = Vec::new();
    for line in body.lines() {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        if marker.len() >= 3
            && marker
                .chars()
                .all(|c| c == marker.chars().next().unwrap_or('`'))
        {
            match &fence {
                None => fence = Some(marker),
                Some(open) if marker.starts_with(open.as_str()) => fence = None,
                Some(_) => {}
            }
            out.push(line.to_owned());
            continue;
        }
        let level = line.chars().take_while(|c| *c == '#').count();
        if fence.is_none() && (1..=6).contains(&level) && line[level..].starts_with(' ') {
            out.push(format!(
                "{}{}",
                "#".repeat((level + 2).min(6)),
                &line[level..]
            ));
        } else {
            out.push(line.to_owned());
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_headings_go_under_the_entry_heading() {
        let body = "# Steps\n\n```sh\n# a comment\n```\n\n### Detail\n#hashtag";
        assert_eq!(
            demote_headings(body),
            "### Steps\n\n```sh\n# a comment\n```\n\n##### Detail\n#hashtag"
        );
    }
}
