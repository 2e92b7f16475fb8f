//! `journal add`: capture an observation in one command.

use std::io::Read as _;
use std::path::Path;

use clap::Args;
use journal_lib::EntryText;
use journal_lib::when::{Bound, parse_when};

use super::record::{EntryArgs, report_added};
use crate::context;
use crate::editor::{self, SCISSORS};
use crate::error::CommandError;
use crate::ui::Ui;

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
    let journal = context::open(journal)?;
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
    // Refusals that need no text come first: the editor is not opened for nothing.
    let draft = journal.prepare(entry.into_fields())?;
    let text = read_text(
        ui,
        &text,
        title.as_deref(),
        journal.store().repo().git_dir(),
    )?;
    let text = EntryText::Joined { text, title };
    let added = journal.add(draft, text, date, now, context::short_host())?;
    if json {
        ui.json(&added)?;
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
