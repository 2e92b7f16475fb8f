//! `journal import`: entries from jrnl's JSON export, or back from `journal export`.

use std::collections::{BTreeMap, HashSet};
use std::io::Read as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveTime, TimeZone as _};
use clap::{Args, ValueEnum};
use journal_entry::{Confidence, Entry, Evidence, Vocabulary, entry_id, parse_entry, secret};
use serde::Deserialize;

use crate::config::{self, Journal};
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

/// An entry to import, or why it cannot be, with its place in the file for messages.
type Candidate = (String, Result<Entry, String>);

/// jrnl's JSON export (`jrnl --export json`, jrnl 2 to 4).
#[derive(Debug, Deserialize)]
struct JrnlExport {
    entries: Vec<JrnlEntry>,
}

#[derive(Debug, Deserialize)]
struct JrnlEntry {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    date: String,
    #[serde(default)]
    time: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    starred: bool,
}

/// An object of `journal export`.
#[derive(Debug, Deserialize)]
struct ExportedEntry {
    #[serde(default)]
    id: Option<String>,
    date: String,
    title: String,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    host: Option<String>,
    #[serde(default)]
    provider: Vec<String>,
    #[serde(default)]
    pattern: Vec<String>,
    #[serde(default)]
    confidence: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    story: Option<String>,
    #[serde(default)]
    commits: Vec<String>,
    #[serde(default)]
    supersedes: Vec<String>,
    #[serde(default)]
    head: Option<String>,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    #[serde(default)]
    metrics: BTreeMap<String, f64>,
    #[serde(default)]
    body: String,
}

pub fn cmd_import(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &ImportArgs,
) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    let text = read_input(&args.file)?;
    let commit = journal.config.commit && !args.no_commit;
    let author = match journal.store.author() {
        Ok(identity) => Some(identity.to_string()),
        Err(e) if commit => return Err(e.into()),
        Err(_) => None,
    };
    let candidates: Vec<Candidate> = match args.from {
        Source::Jrnl => from_jrnl(&text, &journal.config.vocabulary, author.as_deref())?,
        Source::Journal => from_journal(&text)?,
    };
    let total = candidates.len();
    let mut entries = Vec::with_capacity(total);
    let mut skipped = 0;
    for (place, candidate) in candidates {
        match candidate.and_then(|entry| check(&entry, &journal, args.allow_secret).map(|()| entry))
        {
            Ok(entry) => entries.push(entry),
            Err(problem) => {
                skipped += 1;
                ui.warning(&format!("{place}: {problem}; skipped"));
            }
        }
    }
    let source = match args.from {
        Source::Jrnl => "jrnl",
        Source::Journal => "a journal export",
    };
    let message = format!(
        "journal: import {} from {source}\n",
        count(entries.len(), "entry", "entries")
    );
    let imported = journal.store.import(entries, commit, &message)?;
    // The commit message names what was really written.
    crate::freshness::after_write(ui, &journal);
    for (id, _) in &imported.written {
        ui.data(id)?;
    }
    let written = imported.written.len();
    let mut summary = format!(
        "Imported {written} of {} from {}",
        count(total, "entry", "entries"),
        args.file.display()
    );
    if !imported.existing.is_empty() {
        summary.push_str(&format!(
            "; {} already in the journal",
            imported.existing.len()
        ));
    }
    if skipped > 0 {
        summary.push_str(&format!("; {skipped} skipped"));
    }
    match &imported.commit {
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

/// Maps jrnl entries; ids are those `journal add` would give, `-2`, `-3`, … for entries of
/// the same minute and title, in the file's order (so a second import maps them the same).
fn from_jrnl(
    text: &str,
    vocabulary: &Vocabulary,
    author: Option<&str>,
) -> Result<Vec<Candidate>, CommandError> {
    let export: JrnlExport = serde_json::from_str(text).map_err(|e| {
        CommandError::user(format!("not a jrnl JSON export: {e}"))
            .hint("make one with `jrnl --export json > FILE`")
    })?;
    let mut taken = HashSet::new();
    let mut out = Vec::with_capacity(export.entries.len());
    for (i, jrnl) in export.entries.into_iter().enumerate() {
        let place = format!("entry {} ({} {})", i + 1, jrnl.date, jrnl.title.trim());
        let entry = jrnl_entry(jrnl, vocabulary, author).map(|mut entry| {
            let mut attempt = 1;
            loop {
                let id = entry_id(&entry.date, &entry.title, attempt);
                if taken.insert(id.clone()) {
                    entry.id = id;
                    break entry;
                }
                attempt += 1;
            }
        });
        out.push((place, entry));
    }
    Ok(out)
}

fn jrnl_entry(
    jrnl: JrnlEntry,
    vocabulary: &Vocabulary,
    author: Option<&str>,
) -> Result<Entry, String> {
    let day = NaiveDate::parse_from_str(jrnl.date.trim(), "%Y-%m-%d")
        .map_err(|_| format!("date `{}` is not YYYY-MM-DD", jrnl.date))?;
    let time = match jrnl
        .time
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        None => NaiveTime::MIN,
        Some(t) => NaiveTime::parse_from_str(t, "%H:%M")
            .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
            .map_err(|_| format!("time `{t}` is not HH:MM"))?,
    };
    let date = Local
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .map(|d| d.fixed_offset())
        .ok_or_else(|| format!("{} {time} does not exist in the local time zone", jrnl.date))?;
    let mut title = jrnl.title.trim().to_owned();
    let mut body = jrnl.body.trim().to_owned();
    if title.is_empty() {
        let (first, rest) = body.split_once('\n').unwrap_or((body.as_str(), ""));
        title = first.trim().to_owned();
        body = rest.trim().to_owned();
    }
    if title.is_empty() {
        return Err("no title and no body".to_owned());
    }
    let mut entry = Entry::new(String::new(), date, title);
    entry.body = if body.is_empty() {
        body
    } else {
        format!("{body}\n")
    };
    entry.author = author.map(str::to_owned);
    let is =
        |list: &[String], name: &str| list.iter().find(|v| v.eq_ignore_ascii_case(name)).cloned();
    for tag in jrnl.tags {
        let name = tag.trim_start_matches(['@', '#']).trim();
        if name.is_empty() {
            continue;
        }
        if let Some(provider) = is(&vocabulary.providers, name) {
            push_new(&mut entry.provider, provider);
        } else if let Some(pattern) = is(&vocabulary.patterns, name) {
            push_new(&mut entry.pattern, pattern);
        } else {
            entry.tags.insert(name.to_lowercase(), "true".to_owned());
        }
    }
    // jrnl keeps tags as a set: its export's order means nothing.
    entry.provider.sort();
    entry.pattern.sort();
    if jrnl.starred {
        entry.tags.insert("starred".to_owned(), "true".to_owned());
    }
    entry.tags.insert("source".to_owned(), "jrnl".to_owned());
    Ok(entry)
}

fn push_new(list: &mut Vec<String>, value: String) {
    if !list.contains(&value) {
        list.push(value);
    }
}

/// Reads `journal export` output: a JSON array, or one object per line.
fn from_journal(text: &str) -> Result<Vec<Candidate>, CommandError> {
    let objects: Vec<(String, Result<ExportedEntry, String>)> =
        if text.trim_start().starts_with('[') {
            let values: Vec<serde_json::Value> = serde_json::from_str(text)
                .map_err(|e| CommandError::user(format!("not a journal export: {e}")))?;
            values
                .into_iter()
                .enumerate()
                .map(|(i, v)| {
                    (
                        format!("entry {}", i + 1),
                        serde_json::from_value(v).map_err(|e| e.to_string()),
                    )
                })
                .collect()
        } else {
            text.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| {
                    (
                        format!("line {}", i + 1),
                        serde_json::from_str(l).map_err(|e| e.to_string()),
                    )
                })
                .collect()
        };
    Ok(objects
        .into_iter()
        .map(|(place, object)| (place, object.and_then(exported_entry)))
        .collect())
}

fn exported_entry(e: ExportedEntry) -> Result<Entry, String> {
    let date: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(&e.date)
        .map_err(|_| format!("date `{}` is not RFC 3339", e.date))?;
    let mut entry = Entry::new(String::new(), date, e.title.trim().to_owned());
    entry.id = e.id.unwrap_or_else(|| entry_id(&date, &entry.title, 1));
    if !journal_store::is_file_id(&entry.id) {
        return Err(format!(
            "id `{}` cannot name a file (letters, digits, `-`, `_`, `.`)",
            entry.id
        ));
    }
    entry.body = e.body;
    entry.author = e.author;
    entry.host = e.host;
    entry.provider = e.provider;
    entry.pattern = e.pattern;
    entry.confidence = e
        .confidence
        .map(|c| {
            c.parse::<Confidence>()
                .map_err(|()| format!("confidence `{c}` is not a level"))
        })
        .transpose()?;
    entry.kind = e.kind;
    entry.story = e.story;
    entry.commits = e
        .commits
        .iter()
        .map(|c| {
            c.parse::<Evidence>()
                .map_err(|_| format!("commit `{c}` is not a full SHA"))
        })
        .collect::<Result<_, _>>()?;
    entry.supersedes = e.supersedes;
    entry.head = e.head;
    entry.tags = e.tags;
    entry.metrics = e.metrics;
    Ok(entry)
}

/// Checks an entry as `journal check` would (format, vocabulary) and for credentials.
fn check(entry: &Entry, journal: &Journal, allow_secret: bool) -> Result<(), String> {
    let text = entry.to_file_string();
    let parsed = parse_entry(&text, Some(&entry.id)).map_err(|e| {
        e.problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    if let Some(problem) = journal.config.vocabulary.problems(&parsed).first() {
        return Err(problem.to_string());
    }
    if !allow_secret
        && let Some(found) = secret::scan(&format!("{}\n{}", entry.title, entry.body)).first()
    {
        return Err(format!(
            "looks like it holds {} (rule `{}`); --allow-secret imports it anyway",
            found.description, found.rule
        ));
    }
    Ok(())
}
