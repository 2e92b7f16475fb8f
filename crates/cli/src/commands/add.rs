//! `journal add`: capture an observation in one command.

use std::io::Read as _;
use std::path::Path;

use chrono::Timelike as _;
use clap::Args;
use serde_json::json;

use super::guard_secrets;
use super::record::{EntryArgs, Observed, report_added};
use crate::config;
use crate::context;
use crate::editor::{self, SCISSORS};
use crate::error::CommandError;
use crate::ui::Ui;
use crate::when::{Bound, parse_when};

/// Record an observation: a Markdown entry committed to the journal's repository.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The text; several words are joined with spaces. The first line is the title, the rest
    /// the body. `-` reads the text from stdin; no text opens $VISUAL / $EDITOR.
    #[arg(value_name = "TEXT")]
    text: Vec<String>,
    /// The title; the text then is all body.
    #[arg(long, value_name = "T")]
    title: Option<String>,
    #[command(flatten)]
    entry: EntryArgs,
    /// When it was observed: RFC 3339, YYYY-MM-DD HH:MM (local time), or words such as
    /// "yesterday 15:00". Default: now.
    #[arg(long, value_name = "WHEN")]
    at: Option<String>,
    /// Print {"id", "path", "date", "commit"} as JSON.
    #[arg(long)]
    json: bool,
}

pub fn cmd_add(ui: &mut Ui, journal: Option<&Path>, args: AddArgs) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    let now = context::now()?;
    let date = match &args.at {
        Some(at) => parse_when(at, now, Bound::At).map_err(CommandError::user)?,
        None => now,
    };
    let AddArgs {
        text,
        title,
        entry,
        json,
        ..
    } = args;
    let draft = entry.prepare(&journal)?;
    let text = read_text(ui, &text, title.as_deref(), journal.store.repo().git_dir())?;
    if let Some(title) = &title {
        guard_secrets(title, "--title", draft.allow_secret(), ui)?;
    }
    guard_secrets(&text, "the text", draft.allow_secret(), ui)?;
    let (title, body) = split_text(&text, title.as_deref());
    if title.is_empty() {
        return Err(
            CommandError::user("the entry has no title: nothing was written")
                .hint("the first line of the text is the title; or pass --title"),
        );
    }
    let observed = Observed {
        date,
        title,
        body,
        kind: None,
        metrics: Vec::new(),
        tags: Vec::new(),
    };
    let added = draft.record(ui, &journal, observed)?;
    if json {
        let object = json!({
            "id": added.id,
            "path": added.rel_path.to_string_lossy(),
            "date": date.with_nanosecond(0).unwrap_or(date).to_rfc3339(),
            "commit": added.commit,
        });
        ui.data(&object.to_string())?;
    } else {
        ui.data(&added.id)?;
    }
    report_added(ui, &added);
    Ok(())
}

/// Returns the text from the arguments, stdin (`-`) or the editor.
fn read_text(
    ui: &Ui,
    words: &[String],
    title: Option<&str>,
    git_dir: &Path,
) -> Result<String, CommandError> {
    if words.len() == 1 && words[0] == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CommandError::user(format!("cannot read the text from stdin: {e}")))?;
        return Ok(text);
    }
    if !words.is_empty() || title.is_some() {
        return Ok(words.join(" "));
    }
    // One file per process: two adds may be open in editors at once.
    let path = git_dir.join(format!("JOURNAL_ENTRY-{}.md", std::process::id()));
    let template = format!(
        "\n\n{SCISSORS}\n# Write the title on the first line and the body below it, in Markdown.\n\
         # Everything from the scissors line down is ignored. An empty text aborts.\n"
    );
    std::fs::write(&path, template)
        .map_err(|e| CommandError::user(format!("cannot write {}: {e}", path.display())))?;
    let edited = editor::edit_file(&path, ui.stdin_is_terminal()).and_then(|()| {
        std::fs::read_to_string(&path)
            .map_err(|e| CommandError::user(format!("cannot read {}: {e}", path.display())))
    });
    let _ = std::fs::remove_file(&path);
    let text = editor::strip_template(&edited?).to_owned();
    if text.trim().is_empty() {
        return Err(CommandError::user(
            "empty text: aborted, nothing was written",
        ));
    }
    Ok(text)
}

/// Splits the text into title and body: the first non-blank line is the title (a Markdown
/// heading marker is dropped), unless `title` is given; the body keeps its Markdown, without
/// leading blank lines, ending in one newline.
fn split_text(text: &str, title: Option<&str>) -> (String, String) {
    let (title, rest) = match title {
        Some(title) => (title.trim().to_owned(), text),
        None => {
            let text = text.trim_start_matches(['\n', '\r', ' ', '\t']);
            let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
            let first = first.trim().trim_start_matches('#').trim();
            (first.to_owned(), rest)
        }
    };
    let body = rest.trim_start_matches(['\n', '\r']).trim_end();
    let body = if body.is_empty() {
        String::new()
    } else {
        format!("{body}\n")
    };
    (title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_is_the_title() {
        let (title, body) = split_text("\n# LUKS works\n\nIt *does*.\n\n", None);
        assert_eq!(
            (title.as_str(), body.as_str()),
            ("LUKS works", "It *does*.\n")
        );
        let (title, body) = split_text("all body", Some("Given"));
        assert_eq!((title.as_str(), body.as_str()), ("Given", "all body\n"));
        let (title, body) = split_text("only a title", None);
        assert_eq!((title.as_str(), body.as_str()), ("only a title", ""));
    }
}
