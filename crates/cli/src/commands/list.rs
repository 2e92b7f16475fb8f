//! `journal list`: entries, newest first, filtered.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use clap::Args;
use journal_entry::Entry;

use super::fields::FieldArgs;
use super::report_if_bad;
use crate::config;
use crate::context;
use crate::error::CommandError;
use crate::render::{entry_json, entry_line};
use crate::ui::Ui;
use crate::when::{Bound, parse_when};

/// List entries, newest first.
///
/// --provider and --pattern keep the entries that have any of the values given; the other
/// filters must all match.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only entries observed at or after WHEN.
    #[arg(long, value_name = "WHEN")]
    since: Option<String>,
    /// Only entries observed at or before WHEN (a date alone includes that whole day).
    #[arg(long, value_name = "WHEN")]
    until: Option<String>,
    #[command(flatten)]
    fields: FieldArgs,
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
        self.since.is_none_or(|since| e.date >= since)
            && self.until.is_none_or(|until| e.date <= until)
            && self.args.fields.matches(e)
    }
}

pub fn cmd_list(ui: &mut Ui, journal: Option<&Path>, args: &ListArgs) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    let vocabulary = &journal.config.vocabulary;
    args.fields.check(vocabulary)?;
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
