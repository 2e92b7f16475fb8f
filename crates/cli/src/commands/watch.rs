//! `journal watch`: the background watcher, run in the foreground by a terminal or a service
//! manager.

use std::path::Path;

use clap::{ArgAction, Args};

use crate::context;
use crate::error::CommandError;
use crate::service::{self, ServiceManager};
use crate::ui::Ui;

/// Keep the index fresh in the background, and record new commits as evidence.
///
/// Watches the entry files, journal.toml and the git directories of the journal's repository
/// and of each [repos.NAME]. While it runs, reading commands answer from the index at once;
/// without it they check the files themselves, so it is never needed for correctness. One
/// watcher per journal; SIGINT or SIGTERM stop it after the batch in progress. Logs go to
/// stderr.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// Log more: -v each sync and event, -vv everything.
    #[arg(short, long, action = ArgAction::Count)]
    verbose: u8,

    /// Print a service definition that runs this watcher (a systemd user unit or a launchd
    /// agent), and exit.
    #[arg(long, value_enum, value_name = "MANAGER")]
    print_service: Option<ServiceManager>,
}

pub fn cmd_watch(
    ui: &mut Ui,
    journal: Option<&Path>,
    args: &WatchArgs,
) -> Result<(), CommandError> {
    let opened = context::open(journal)?;
    let exe = std::env::current_exe()?;
    if let Some(manager) = args.print_service {
        let files = opened.watch_files();
        return ui.data_raw(&service::definition(
            manager,
            &exe,
            opened.root(),
            &files.dir,
        ));
    }
    init_logging(match args.verbose {
        0 => tracing::Level::INFO,
        1 => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    });
    let build_command = vec![
        exe.into_os_string(),
        "--journal".into(),
        opened.root().as_os_str().to_owned(),
        "reindex".into(),
    ];
    Ok(opened.watch(context::identity(), build_command)?)
}

/// Logs on stderr at `level` (stdout is the command's: the MCP protocol for `journal mcp`).
pub fn init_logging(level: tracing::Level) {
    use std::io::IsTerminal as _;
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_max_level(level)
        .with_target(false)
        .try_init();
}
