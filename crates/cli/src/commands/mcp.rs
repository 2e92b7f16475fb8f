//! `journal mcp`: the MCP server on stdio, for a coding agent beside the operator. The
//! server is `journal-mcp`'s; this command only hands it the environment (the journal, the
//! identity, the host, the clock) and the logging.

use std::path::Path;

use clap::{ArgAction, Args};
use journal_mcp::{JournalServer, ServerOptions};

use crate::context;
use crate::error::CommandError;
use crate::ui::Ui;

/// Serve the journal to an agent over the Model Context Protocol (stdio).
///
/// Register it with an MCP client as {"command": "journal", "args": ["mcp"]} (add
/// "--journal", "DIR" when the client does not start in the journal's repository). Tools:
/// journal_add, journal_search, journal_show, journal_list, journal_vocabulary,
/// journal_coverage; the compiled documents are resources. stdout carries the protocol only;
/// logs go to stderr.
///
/// Unless a watcher already runs (`journal watch`), the server runs one inside itself while
/// it serves, so that its calls (and the CLI's) answer from a fresh index at once.
#[derive(Debug, Args)]
pub struct McpArgs {
    /// Do not run a watcher inside the server: each call then checks the files itself.
    #[arg(long)]
    no_watch: bool,
    /// Log more on stderr: -v each call, -vv everything.
    #[arg(short, long, action = ArgAction::Count)]
    verbose: u8,
}

pub fn cmd_mcp(_ui: &mut Ui, journal: Option<&Path>, args: &McpArgs) -> Result<(), CommandError> {
    crate::memory::give_back_at_once();
    let server = JournalServer::new(ServerOptions {
        open: context::open_options(journal)?,
        host: context::short_host(),
        clock: journal_lib::Clock::new(context::clock()?),
    })?;
    init_logging(match args.verbose {
        0 => tracing::Level::WARN,
        1 => tracing::Level::INFO,
        _ => tracing::Level::TRACE,
    });
    let watcher = crate::commands::watch::start_inside(journal, args.no_watch)?;
    let served = journal_mcp::run_stdio(server).map_err(CommandError::user);
    if let Some(why) = crate::commands::watch::stop_inside(watcher) {
        tracing::warn!(
            "the watcher inside the server stopped: {why}; calls checked the files themselves"
        );
    }
    served
}

/// Logs on stderr at `level`, but rmcp's own log at most at info: at debug and trace it
/// writes every message whole, arguments included, and an argument may be a credential the
/// journal refused. The server's own lines (`call done`, tool, duration) never hold values.
fn init_logging(level: tracing::Level) {
    use std::io::IsTerminal as _;
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    // tracing orders levels by verbosity: TRACE > DEBUG > INFO > WARN.
    let rmcp = level.min(tracing::Level::INFO);
    let filter = tracing_subscriber::filter::Targets::new()
        .with_default(level)
        .with_target("rmcp", rmcp);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .with_filter(filter);
    let _ = tracing_subscriber::registry().with(layer).try_init();
}
