//! `journal`: capture infrastructure observations as Markdown entries committed to git.
//!
//! This crate is the only code that knows clap, the terminal, the environment and
//! journal.toml: it turns arguments and configuration into typed options, calls the library
//! crates, and prints through one [`ui::Ui`]. One file per command lives in `commands/`.

// Doc comments on clap structs are help texts written for the terminal, not rustdoc links.
#![allow(rustdoc::broken_intra_doc_links)]

mod capture;
mod cli;
mod commands;
mod complete;
mod config;
mod context;
mod demo;
mod editor;
mod error;
mod freshness;
mod render;
mod service;
mod ui;
mod when;

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
    let cli = cli::Cli::parse();
    let mut ui = ui::Ui::new();
    match commands::run(cli, &mut ui) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            ui.error(&err);
            ExitCode::from(err.exit_code)
        }
    }
}
