//! `journal watch`: the background watcher, run in the foreground by a terminal or a service
//! manager.

use std::path::Path;

use clap::{ArgAction, Args};
use journal_daemon::{Setup, WatchFiles};

use crate::config;
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
    let cwd = std::env::current_dir()?;
    let root = config::locate(journal, &cwd)?;
    let opened = config::open(Some(&root))?;
    let files = WatchFiles::in_git_dir(opened.store.repo().git_dir());
    if let Some(manager) = args.print_service {
        let exe = std::env::current_exe()?;
        return ui.data_raw(&service::definition(
            manager,
            &exe,
            opened.store.root(),
            &files.dir,
        ));
    }
    init_logging(args.verbose);
    let exe = std::env::current_exe()?;
    let build_command = Some(vec![
        exe.into_os_string(),
        "--journal".into(),
        opened.store.root().as_os_str().to_owned(),
        "reindex".into(),
    ]);
    let mut first = Some(opened);
    let load = move || -> Result<Setup, String> {
        let journal = match first.take() {
            Some(journal) => journal,
            None => config::open(Some(&root)).map_err(|e| e.message)?,
        };
        Ok(Setup {
            index_dir: journal.index_dir(),
            options: journal.sync_options(),
            config_file: journal.store.root().join(config::FILE_NAME),
            store: journal.store,
            build_command: build_command.clone(),
        })
    };
    journal_daemon::run(&files, load).map_err(|err| match err {
        journal_daemon::Error::AlreadyWatched { pid } => {
            CommandError::user(format!("already watched by pid {pid}"))
                .hint("`journal status` shows that watcher; stop it first to start another")
        }
        other => CommandError::user(crate::error::chain(&other)),
    })
}

fn init_logging(verbose: u8) {
    use std::io::IsTerminal as _;
    let level = match verbose {
        0 => tracing::Level::INFO,
        1 => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_max_level(level)
        .with_target(false)
        .try_init();
}
