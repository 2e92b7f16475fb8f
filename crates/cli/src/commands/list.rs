//! `journal list`: entries, newest first, filtered.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use clap::Args;
use journal_entry::{Confidence, Entry, VocabularyField};

use super::add::parse_confidence;
use super::{check_vocabulary, report_if_bad};
use crate::config;
use crate::context;
use crate::error::CommandError;
use crate::render::{entry_json, entry_line};
use crate::ui::Ui;
use crate::when::{Bound, parse_when};

/// List entries, newest first.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only entries observed at or after WHEN.
    #[arg(long, value_name = "WHEN")]
    since: Option<String>,
    /// Only entries observed at or before WHEN (a date alone includes that whole day).
    #[arg(long, value_name = "WHEN")]
    until: Option<String>,
    /// Only entries about one of these providers (repeatable, or comma-separated).
    #[arg(long, value_name = "P", value_delimiter = ',')]
    provider: Vec<String>,
    /// Only entries about one of these patterns (repeatable, or comma-separated).
    #[arg(long, value_name = "P", value_delimiter = ',')]
    pattern: Vec<String>,
    /// Only entries with this confidence: proven, needs-testing or uncertain.
    #[arg(long, value_name = "C", value_parser = parse_confidence)]
    confidence: Option<Confidence>,
    /// Only entries of this kind.
    #[arg(long, value_name = "K")]
    kind: Option<String>,
    /// Only entries of this story.
    #[arg(long, value_name = "S")]
    story: Option<String>,
    /// At most N entries.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Print one JSON object per line.
    #[arg(long)]
    json: bool,
}

struct Filter<'a> {
    args: &'a ListArgs,
    since: Option<DateTime<FixedOffset>>,
    until: Option<DateTime<FixedOffset>>,
}

impl Filter<'_> {
    fn matches(&self, e: &Entry) -> bool {
        let any = |wanted: &[String], have: &[String]| {
            wanted.is_empty() || wanted.iter().any(|w| have.contains(w))
        };
        let same =
            |wanted: &Option<String>, have: &Option<String>| wanted.is_none() || wanted == have;
        self.since.is_none_or(|since| e.date >= since)
            && self.until.is_none_or(|until| e.date <= until)
            && any(&self.args.provider, &e.provider)
            && any(&self.args.pattern, &e.pattern)
            && self.args.confidence.is_none_or(|c| e.confidence == Some(c))
            && same(&self.args.kind, &e.kind)
            && same(&self.args.story, &e.story)
    }
}

pub fn cmd_list(ui: &mut Ui, journal: Option<&Path>, args: &ListArgs) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    let vocabulary = &journal.config.vocabulary;
    check_vocabulary(vocabulary, VocabularyField::Provider, &args.provider)?;
    check_vocabulary(vocabulary, VocabularyField::Pattern, &args.pattern)?;
    check_vocabulary(vocabulary, VocabularyField::Kind, &args.kind)?;
    let now = context::now()?;
    let when = |text: &Option<String>, bound| {
        text.as_deref()
            .map(|t| parse_when(t, now, bound))
            .transpose()
            .map_err(CommandError::user)
    };
    let filter = Filter {
        args,
        since: when(&args.since, Bound::At)?,
        until: when(&args.until, Bound::Until)?,
    };

    let mut bad = 0;
    let mut entries = Vec::new();
    for file in journal.store.scan()? {
        if report_if_bad(ui, &file, vocabulary) {
            bad += 1;
            continue;
        }
        if let Ok(parsed) = file.entry
            && filter.matches(&parsed.entry)
        {
            entries.push((parsed.entry, file.rel_path));
        }
    }
    entries.sort_by(|(a, _), (b, _)| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
    for (entry, rel_path) in entries.iter().take(args.limit.unwrap_or(usize::MAX)) {
        if args.json {
            ui.data(&entry_json(entry, rel_path).to_string())?;
        } else {
            ui.data(&entry_line(entry))?;
        }
    }
    if bad > 0 {
        return Err(CommandError::user(format!(
            "{bad} entr{} could not be read and {} skipped",
            if bad == 1 { "y" } else { "ies" },
            if bad == 1 { "was" } else { "were" }
        )));
    }
    Ok(())
}
