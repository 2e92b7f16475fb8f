//! `journal watch`: the background watcher, run in the foreground by a terminal or a service
//! manager.

use std::path::Path;

use clap::{ArgAction, Args};
use journal_lib::{RebuildCommand, WatchOptions};

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
    crate::memory::give_back_at_once();
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
    let options = watch_options(exe, opened.root());
    Ok(opened.watch(options)?)
}

/// The watcher's options: this process's identity, and `journal --journal ROOT reindex` for
/// a full build in a process of its own.
fn watch_options(exe: std::path::PathBuf, root: &Path) -> WatchOptions {
    WatchOptions {
        identity: context::identity(),
        rebuild: Some(RebuildCommand {
            program: exe,
            args: vec![
                "--journal".into(),
                root.as_os_str().to_owned(),
                "reindex".into(),
            ],
        }),
    }
}

/// Starts the watcher a server (`journal mcp`, `journal serve`) runs inside itself while it
/// serves; `None` with `--no-watch`.
pub fn start_inside(
    journal: Option<&Path>,
    no_watch: bool,
) -> Result<Option<journal_lib::BackgroundWatcher>, CommandError> {
    if no_watch {
        return Ok(None);
    }
    let opened = context::open(journal)?;
    let options = watch_options(std::env::current_exe()?, opened.root());
    Ok(Some(opened.watch_in_background(options)?))
}

/// Stops the watcher of [`start_inside`]; returns why it ended early, unless another watcher
/// held the lock (the server then used that one).
pub fn stop_inside(watcher: Option<journal_lib::BackgroundWatcher>) -> Option<String> {
    match watcher?.stop() {
        Ok(()) => None,
        Err(err) if err.is_already_watched() => {
            tracing::info!("{}: the server used that watcher", err.message());
            None
        }
        Err(err) => Some(err.message()),
    }
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
