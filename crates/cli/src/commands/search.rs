//! `journal search`: ranked, filtered full-text search with highlighted snippets.

use std::io::IsTerminal as _;
use std::path::Path;

use clap::{Args, ValueEnum};
use journal_lib::{HitRecord, Scope, SearchOptions, Sort};

use super::fields::SelectArgs;
use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Search entries: ranked by relevance, filtered, with the matched words highlighted.
///
/// QUERY uses tantivy's syntax: words (stemmed: "deploying" finds "deployment"; and as written:
/// identifiers by their parts, `LUKS2` and `luksFormat` by `luks`), "a phrase", AND / OR / NOT,
/// field:value (title, body, tag, provider, pattern, kind, confidence, story, author),
/// prefix* (of the words as written) and word~ (within two typos). A word without a field
/// searches title, body, tags, provider, pattern and kind; an address or path (`fd00::1`,
/// `/etc/nixos`) is searched as written. Words are all required unless joined by OR. QUERY may
/// be left out when a filter is given. When nothing matches, the nearest indexed words are
/// suggested.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query; several words are joined with spaces.
    #[arg(value_name = "QUERY")]
    query: Vec<String>,
    #[command(flatten)]
    select: SelectArgs,
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
    /// Let every word match within an edit distance (two typos; one for words under five
    /// letters), as `word~` does for one word.
    #[arg(long)]
    fuzzy: bool,
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
    let journal = context::open(journal)?;
    let options = SearchOptions {
        text: args.query.join(" "),
        filters: args.select.filters()?,
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
        fuzzy: args.fuzzy,
    };
    let report = journal.search(&options)?;
    ui.reading(&report.skipped, &report.warnings);
    if report.hits.is_empty() {
        ui.status("no matches");
        for suggestion in &report.did_you_mean {
            ui.status(&format!(
                "did you mean {} (for `{}`)? `{}~` matches within two typos",
                suggestion
                    .nearest
                    .iter()
                    .map(|w| format!("`{w}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                suggestion.word,
                suggestion.word
            ));
        }
        if args.json && !report.did_you_mean.is_empty() {
            /// One object, in place of the hits: `{"did_you_mean":[{"word","nearest"}]}`.
            #[derive(serde::Serialize)]
            struct NoHits<'r> {
                did_you_mean: &'r [journal_lib::DidYouMean],
            }
            ui.json(&NoHits {
                did_you_mean: &report.did_you_mean,
            })?;
        }
        return ui.finish_reading(&report.skipped);
    }
    let colour = std::io::stdout().is_terminal();
    if report.total > report.hits.len() {
        // On stderr: stdout (and --json) holds the hits only.
        ui.status(&format!(
            "{} of {} (--limit N for more)",
            report.hits.len(),
            report.total
        ));
    }
    for hit in &report.hits {
        if args.json {
            ui.json(hit)?;
        } else {
            ui.data(&hit_text(hit, colour))?;
        }
    }
    ui.finish_reading(&report.skipped)
}

/// Returns a hit for people: a header line, then the snippet indented, matched words in bold
/// red on a terminal.
fn hit_text(hit: &HitRecord, colour: bool) -> String {
    let (id, date, title, scope, snippet, highlights) = match hit {
        HitRecord::Entry(e) => {
            let scope: Vec<&str> = e
                .provider
                .iter()
                .chain(&e.pattern)
                .chain(&e.tags)
                .map(String::as_str)
                .collect();
            (&e.id, &e.date, &e.title, scope, &e.snippet, &e.highlights)
        }
        HitRecord::Commit(c) => {
            let scope: Vec<&str> = [c.kind]
                .into_iter()
                .chain(c.provider.iter().chain(&c.pattern).map(String::as_str))
                .collect();
            (&c.id, &c.date, &c.subject, scope, &c.snippet, &c.highlights)
        }
    };
    let mut header = format!("{id}  {}  {title}", &date[..date.len().min(10)]);
    if !scope.is_empty() {
        header.push_str(&format!("  ({})", scope.join(", ")));
    }
    let mut text = String::new();
    let mut at = 0;
    for &[start, end] in highlights {
        text.push_str(&snippet[at..start]);
        if colour {
            text.push_str("\x1b[1;31m");
            text.push_str(&snippet[start..end]);
            text.push_str("\x1b[0m");
        } else {
            text.push_str(&snippet[start..end]);
        }
        at = end;
    }
    text.push_str(&snippet[at..]);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        header
    } else {
        format!("{header}\n    {text}")
    }
}
