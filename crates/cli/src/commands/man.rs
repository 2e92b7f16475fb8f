//! `journal man`: the manual pages, generated from the same definitions as `--help`.

use std::path::PathBuf;

use clap::{Args, CommandFactory as _};

use crate::cli::Cli;
use crate::error::CommandError;
use crate::ui::Ui;

/// Print the journal(1) manual page, or write one page per command to a folder.
///
/// View it with `journal man | man -l -`; install the pages with
/// `journal man --out ~/.local/share/man/man1`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write journal.1 and a journal-COMMAND.1 for each command into DIR (created if missing).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub fn cmd_man(ui: &mut Ui, args: &ManArgs) -> Result<(), CommandError> {
    let command = Cli::command();
    match &args.out {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page)?;
            ui.data_raw(&String::from_utf8_lossy(&page))
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .map_err(|e| CommandError::user(format!("cannot create {}: {e}", dir.display())))?;
            clap_mangen::generate_to(command, dir).map_err(|e| {
                CommandError::user(format!("cannot write the pages in {}: {e}", dir.display()))
            })?;
            let mut pages: Vec<String> = std::fs::read_dir(dir)?
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("journal") && n.ends_with(".1"))
                .collect();
            pages.sort();
            ui.status(&format!(
                "Wrote {} pages in {}.",
                pages.len(),
                dir.display()
            ));
            Ok(())
        }
    }
}
