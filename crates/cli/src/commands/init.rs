//! `journal init`: create journal.toml and the entries folder (idempotent).

use std::path::Path;

use clap::Args;

use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Set up a journal: journal.toml and the entries folder.
///
/// Creates journal.toml (at the root of the git repository, or in --journal DIR) and the
/// entries folder, and commits journal.toml. Running it again changes nothing.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Write the files only; do not commit journal.toml.
    #[arg(long)]
    no_commit: bool,
}

pub fn cmd_init(ui: &mut Ui, journal: Option<&Path>, args: &InitArgs) -> Result<(), CommandError> {
    let cwd = std::env::current_dir()?;
    let report = journal_lib::init(&cwd, journal, context::identity(), args.no_commit)?;
    let (rel, entries) = (report.config.display(), report.entries.display());
    match (report.created, &report.commit) {
        (false, None) => ui.status(&format!(
            "Journal already set up in {rel} (entries in {entries}); nothing to do."
        )),
        (_, Some(sha)) => ui.status(&format!(
            "Set up the journal: {rel} (committed as {}), entries in {entries}.",
            &sha[..10.min(sha.len())],
        )),
        (true, None) => ui.status(&format!(
            "Set up the journal: {rel} (not committed), entries in {entries}."
        )),
    }
    Ok(())
}
