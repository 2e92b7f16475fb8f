//! `journal add`: capture an observation in one command.

use std::io::Read as _;
use std::path::Path;

use chrono::Timelike as _;
use clap::Args;
use journal_entry::Entry;
use serde_json::json;

use super::fields::{FieldArgs, parse_metric, parse_tag};
use super::guard_secrets;
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
    fields: FieldArgs,
    /// A free tag (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
    tags: Vec<(String, String)>,
    /// A measured number: NAME=NUMBER, the unit in the name by convention (latency_ms=23.4);
    /// a unit after the number moves there (provision=185s is provision_s) (repeatable).
    #[arg(long = "metric", value_name = "NAME=NUMBER", value_parser = parse_metric)]
    metrics: Vec<(String, f64)>,
    /// An evidence commit: any revision git understands, or NAME:REV for a repository listed
    /// in journal.toml's [repos] (repeatable).
    #[arg(long = "commit", value_name = "[REPO:]REV")]
    commits: Vec<String>,
    /// The id (or a unique prefix of it) of an earlier entry this one replaces: compiled
    /// documents then show this entry and note what it replaced (repeatable).
    #[arg(long = "supersedes", value_name = "ID")]
    supersedes: Vec<String>,
    /// When it was observed: RFC 3339, YYYY-MM-DD HH:MM (local time), or words such as
    /// "yesterday 15:00". Default: now.
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

pub fn cmd_add(ui: &mut Ui, journal: Option<&Path>, args: AddArgs) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    let vocabulary = &journal.config.vocabulary;
    args.fields.check(vocabulary)?;
    let now = context::now()?;
    let date = match &args.at {
        Some(at) => parse_when(at, now, Bound::At).map_err(CommandError::user)?,
        None => now,
    };
    let date = date.with_nanosecond(0).unwrap_or(date);
    let store = &journal.store;
    let mut commits = Vec::with_capacity(args.commits.len());
    for spec in &args.commits {
        commits.push(store.resolve_evidence(spec)?);
    }
    let mut supersedes = Vec::with_capacity(args.supersedes.len());
    for prefix in &args.supersedes {
        supersedes.push(store.find(prefix)?.id);
    }
    let commit = journal.config.commit && !args.no_commit;
    let identity = match store.author() {
        Ok(identity) => Some(identity),
        Err(e) if commit => return Err(e.into()),
        Err(_) => None,
    };

    let text = read_text(ui, &args, store.repo().git_dir())?;
    if let Some(title) = &args.title {
        guard_secrets(title, "--title", args.allow_secret, ui)?;
    }
    guard_secrets(&text, "the text", args.allow_secret, ui)?;
    let (title, body) = split_text(&text, args.title.as_deref());
    if title.is_empty() {
        return Err(
            CommandError::user("the entry has no title: nothing was written")
                .hint("the first line of the text is the title; or pass --title"),
        );
    }

    let mut entry = Entry::new(String::new(), date, title);
    entry.body = body;
    entry.author = identity.map(|i| i.to_string());
    entry.host = context::short_host();
    entry.provider = dedup(args.fields.provider);
    entry.pattern = dedup(args.fields.pattern);
    entry.confidence = args.fields.confidence;
    entry.kind = args.fields.kind;
    entry.story = args.fields.story.filter(|s| !s.is_empty());
    entry.commits = dedup(commits);
    entry.supersedes = dedup(supersedes);
    entry.head = store.repo().head()?;
    entry.tags = args.tags.into_iter().collect();
    for (name, value) in args.metrics {
        if entry.metrics.insert(name.clone(), value).is_some() {
            return Err(CommandError::user(format!(
                "metric `{name}` is given twice: nothing was written"
            )));
        }
    }
    let added = store.add(entry, commit)?;
    crate::freshness::after_write(ui, &journal);

    if args.json {
        let object = json!({
            "id": added.id,
            "path": added.rel_path.to_string_lossy(),
            "date": date.to_rfc3339(),
            "commit": added.commit,
        });
        ui.data(&object.to_string())?;
    } else {
        ui.data(&added.id)?;
    }
    match &added.commit {
        Some(sha) => ui.status(&format!(
            "Recorded {} in commit {}.",
            added.rel_path.display(),
            &sha[..sha.len().min(10)]
        )),
        None => ui.status(&format!(
            "Wrote {} (not committed).",
            added.rel_path.display()
        )),
    }
    Ok(())
}

/// Returns the text from the arguments, stdin (`-`) or the editor.
fn read_text(ui: &Ui, args: &AddArgs, git_dir: &Path) -> Result<String, CommandError> {
    if args.text.len() == 1 && args.text[0] == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| CommandError::user(format!("cannot read the text from stdin: {e}")))?;
        return Ok(text);
    }
    if !args.text.is_empty() || args.title.is_some() {
        return Ok(args.text.join(" "));
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

/// Drops repeated values, keeping the first of each (two revisions may name one commit).
fn dedup<T: PartialEq>(values: Vec<T>) -> Vec<T> {
    let mut seen = Vec::with_capacity(values.len());
    for v in values {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen
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
