//! `journal show`: one entry, for reading or as JSON.

use std::path::Path;

use clap::Args;

use crate::config;
use crate::error::CommandError;
use crate::freshness::synced_index;
use crate::render::{entry_json, entry_text};
use crate::ui::Ui;

/// Show one entry.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The entry's id, or any unique prefix of it.
    #[arg(add = crate::complete::ids())]
    id: String,
    /// Print the entry as one JSON object (the same object as a line of `list --json`).
    #[arg(long)]
    json: bool,
}

pub fn cmd_show(ui: &mut Ui, journal: Option<&Path>, args: &ShowArgs) -> Result<(), CommandError> {
    let journal = config::open(journal)?;
    let (index, _) = synced_index(ui, &journal)?;
    let mut matches = index.find_ids(&args.id, 20)?;
    if let Some(i) = matches.iter().position(|(id, _)| *id == args.id) {
        matches = vec![matches.swap_remove(i)];
    }
    let path = match matches.as_slice() {
        [] => return Err(journal_store::Error::NotFound(args.id.clone()).into()),
        [(_, path)] => path.clone(),
        many => {
            return Err(journal_store::Error::Ambiguous {
                prefix: args.id.clone(),
                candidates: many
                    .iter()
                    .map(|(id, path)| candidate(id, path, many))
                    .collect(),
            }
            .into());
        }
    };
    // The index finds the file; the file itself is the truth that is shown.
    let file = journal.store.load(Path::new(&path))?;
    let parsed = file.entry.as_ref().map_err(|err| {
        let mut error = CommandError::user(format!(
            "{}: cannot read the entry",
            file.rel_path.display()
        ));
        error.hints = err.problems.iter().map(ToString::to_string).collect();
        error
    })?;
    for problem in journal.config.vocabulary.problems(parsed) {
        ui.warning(&format!("{}: {problem}", file.rel_path.display()));
    }
    if args.json {
        ui.data(&entry_json(&parsed.entry, &file.rel_path).to_string())
    } else {
        ui.data_raw(&entry_text(&parsed.entry, &file.rel_path))
    }
}

/// Names a candidate by its id, or by its path when another file has the same id.
fn candidate(id: &str, path: &str, all: &[(String, String)]) -> String {
    if all.iter().filter(|(other, _)| other == id).count() > 1 {
        path.to_owned()
    } else {
        id.to_owned()
    }
}
