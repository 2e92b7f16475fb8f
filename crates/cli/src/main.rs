//! `journal`: capture infrastructure observations as Markdown entries committed to git.
//!
//! A thin front end over `journal-lib`: the only code that knows clap, the terminal and the
//! environment. Each command turns its arguments into the library's typed options, makes
//! one library call and renders the report (text, or `--json` from the report's own
//! `Serialize`) through one [`ui::Ui`]. One file per command lives in `commands/`; process
//! concerns (the editor, the terminal, `journal run`'s signals and capture) live beside them.

// Doc comments on clap structs are help texts written for the terminal, not rustdoc links.
#![allow(rustdoc::broken_intra_doc_links)]

mod capture;
mod cli;
mod commands;
mod complete;
mod context;
mod demo_data;
mod editor;
mod error;
mod memory;
mod render;
mod service;
mod ui;

use std::process::ExitCode;

use clap::Parser as _;

/// mimalloc rather than the system allocator: it gives freed memory back to the system, so a
/// watcher that rebuilt a 100,000-entry index (hundreds of MB at the peak) goes back to a few
/// MB when idle, and tantivy's indexing threads allocate faster with it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // A completion request from the shell (see `journal completions`) answers and exits here.
    clap_complete::CompleteEnv::with_factory(<cli::Cli as clap::CommandFactory>::command)
        .var(complete::VAR)
        .bin("journal")
        .complete();
    // A panic is a bug: say so, ask for a report, and exit 255 rather than 101.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal error: {info}");
        eprintln!("hint: {}", error::REPORT);
        std::process::exit(i32::from(error::EXIT_INTERNAL));
    }));
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        // clap quotes a value it cannot parse: one that looks like a credential is redacted
        // (help and version go to stdout as clap prints them).
        Err(err) if err.use_stderr() => {
            let text = journal_lib::redacted(err.render().to_string());
            eprint!("{text}");
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
        Err(err) => err.exit(),
    };
    context::arm_faults();
    let mut ui = ui::Ui::new();
    match commands::run(cli, &mut ui) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            ui.error(&err);
            ExitCode::from(err.exit_code)
        }
    }
}
