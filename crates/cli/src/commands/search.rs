//! `journal search`: ranked, filtered full-text search with highlighted snippets.

use std::io::IsTerminal as _;
use std::path::Path;

use clap::{Args, ValueEnum};
use journal_index::{COMMIT_KIND, Hit, Scope, SearchQuery, Sort};
use serde_json::json;

use super::fields::{FieldArgs, parse_tag};
use crate::config;
use crate::context;
use crate::error::CommandError;
use crate::freshness::fresh_index;
use crate::ui::Ui;
use crate::when::{Bound, timestamp_option};

/// Search entries: ranked by relevance, filtered, with the matched words highlighted.
///
/// QUERY uses tantivy's syntax: words (stemmed: "deploying" finds "deployment"), "a phrase",
/// AND / OR / NOT, field:value (title, body, tag, provider, pattern, kind, confidence, story,
/// author) and prefix*. Words are all required unless joined by OR. QUERY may be left out
/// when a filter is given.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query; several words are joined with spaces.
    #[arg(value_name = "QUERY")]
    query: Vec<String>,
    #[command(flatten)]
    fields: FieldArgs,
    /// Only entries with this tag (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE", value_parser = parse_tag)]
    tags: Vec<(String, String)>,
    /// Only entries observed at or after WHEN.
    #[arg(long, value_name = "WHEN")]
    since: Option<String>,
    /// Only entries observed at or before WHEN (a date alone includes that whole day).
    #[arg(long, value_name = "WHEN")]
    until: Option<String>,
    /// At most N hits.
    #[arg(long, value_name = "N", default_value_t = 20)]
    limit: usize,
    /// Order: best match first, or newest first.
    #[arg(long, value_enum, default_value_t = SortArg::Score)]
    sort: SortArg,
    /// Search the evidence commits (of the journal's repository and each [repos.NAME]) instead
    /// of the entries.
    #[arg(long, conflicts_with = "all")]
    commits: bool,
    /// Search entries and evidence commits together.
    #[arg(long)]
    all: bool,
    /// Print one JSON object per hit.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SortArg {
    Score,
    Date,
}

pub fn cmd_search(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &SearchArgs,
) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    args.fields.check(&journal.config.vocabulary)?;
    let text = args.query.join(" ");
    let filtered =
        args.fields.any() || !args.tags.is_empty() || args.since.is_some() || args.until.is_some();
    if text.trim().is_empty() && !filtered {
        return Err(
            CommandError::user("nothing to search for: give a query or a filter")
                .hint("journal search \"firewall rule\" or journal search --pattern zerotier"),
        );
    }
    let now = context::now()?;
    let query = SearchQuery {
        text: Some(text).filter(|t| !t.trim().is_empty()),
        tags: args.tags.clone(),
        since: timestamp_option(args.since.as_deref(), now, Bound::At)?,
        until: timestamp_option(args.until.as_deref(), now, Bound::Until)?,
        limit: args.limit,
        sort: match args.sort {
            SortArg::Score => Sort::Score,
            SortArg::Date => Sort::Date,
        },
        scope: if args.commits {
            Scope::Commits
        } else if args.all {
            Scope::All
        } else {
            Scope::Entries
        },
        ..args.fields.search_query()
    };
    let (index, _) = fresh_index(ui, &journal)?;
    let results = index.search(&query, Some(&journal.store))?;
    if results.hits.is_empty() {
        ui.status("no matches");
        return Ok(());
    }
    let colour = std::io::stdout().is_terminal();
    for hit in &results.hits {
        if args.json {
            ui.data(&hit_json(hit).to_string())?;
        } else {
            ui.data(&hit_text(hit, colour))?;
        }
    }
    Ok(())
}

fn hit_json(hit: &Hit) -> serde_json::Value {
    let highlights: Vec<[usize; 2]> = hit
        .snippet
        .highlights
        .iter()
        .map(|r| [r.start, r.end])
        .collect();
    if hit.kind.as_deref() == Some(COMMIT_KIND) {
        return json!({
            "id": hit.id,
            "kind": COMMIT_KIND,
            "score": hit.score,
            "repo": hit.repo,
            "subject": hit.title,
            "date": hit.date,
            "author": hit.author,
            "provider": hit.provider,
            "pattern": hit.pattern,
            "snippet": hit.snippet.text,
            "highlights": highlights,
        });
    }
    json!({
        "id": hit.id,
        "score": hit.score,
        "date": hit.date,
        "title": hit.title,
        "provider": hit.provider,
        "pattern": hit.pattern,
        "confidence": hit.confidence,
        "kind": hit.kind,
        "story": hit.story,
        "tags": hit.tags,
        "path": hit.path,
        "snippet": hit.snippet.text,
        "highlights": highlights,
    })
}

/// Returns a hit for people: a header line, then the snippet indented, matched words in bold
/// red on a terminal.
fn hit_text(hit: &Hit, colour: bool) -> String {
    let mut header = format!(
        "{}  {}  {}",
        hit.id,
        &hit.date[..hit.date.len().min(10)],
        hit.title
    );
    let commit = hit.kind.as_deref().filter(|k| *k == COMMIT_KIND);
    let scope: Vec<&str> = commit
        .into_iter()
        .chain(hit.provider.iter().map(String::as_str))
        .chain(hit.pattern.iter().map(String::as_str))
        .chain(hit.tags.iter().map(String::as_str))
        .collect();
    if !scope.is_empty() {
        header.push_str(&format!("  ({})", scope.join(", ")));
    }
    let mut snippet = String::new();
    let mut at = 0;
    let text = &hit.snippet.text;
    for range in &hit.snippet.highlights {
        snippet.push_str(&text[at..range.start]);
        if colour {
            snippet.push_str("\x1b[1;31m");
            snippet.push_str(&text[range.clone()]);
            snippet.push_str("\x1b[0m");
        } else {
            snippet.push_str(&text[range.clone()]);
        }
        at = range.end;
    }
    snippet.push_str(&text[at..]);
    let snippet = snippet.split_whitespace().collect::<Vec<_>>().join(" ");
    if snippet.is_empty() {
        header
    } else {
        format!("{header}\n    {snippet}")
    }
}
