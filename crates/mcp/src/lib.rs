//! The journal's MCP server: the agent interface, over stdio, on `journal-lib`.
//!
//! An agent beside the operator records what it learns while it works (`journal_add`) and
//! its verdict on a pattern (`journal_assess`), finds what was learned before
//! (`journal_search`, `journal_list`, `journal_show`), reads the allowed values
//! (`journal_vocabulary`), what the compiled documents still lack (`journal_coverage`) and
//! what changed since the operator's last review (`journal_review`); the two documents are
//! resources, rendered on read. Eight tools and no more: every one is a call of the library the CLI uses, returning the same objects as the
//! CLI's `--json`, so the CLI and the server cannot disagree.
//!
//! Protocol rules kept here: stdout carries JSON-RPC only (logs go to stderr, through the
//! binary's tracing subscriber); a refused call is a tool result with `isError: true` whose
//! text names the field, the value and the allowed values; arguments that do not fit the
//! schema (a wrong type, an unknown or missing argument) are an error result naming the field
//! too (rmcp's own); a protocol error is kept for a malformed request (an unknown tool, bad
//! JSON-RPC). The argument schemas are derived
//! from [`args`]' types and pinned by the `tools/list` snapshot in the tests.
//!
//! Nothing here reads the environment or the clock: the binary passes [`ServerOptions`].
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::print_stdout, clippy::print_stderr)]

pub mod args;
mod assess;
mod door;
mod notice;
mod page;
mod resources;
mod results;
mod schema;
mod server;
mod tools;

pub use results::{Added, Found, Listed};
pub use server::{Clock, INSTRUCTIONS, JournalServer, ServerOptions};

use rmcp::ServiceExt as _;

/// Serves MCP on stdin/stdout until the client closes its end, on a runtime of its own (the
/// tools' work runs on its blocking pool, so calls run in parallel).
pub fn run_stdio(server: JournalServer) -> Result<(), String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server's runtime: {e}"))?
        .block_on(serve_stdio(server))
}

/// Serves MCP on stdin/stdout until the client closes its end. Every line passes the front
/// door first (`door.rs`: malformed messages get their JSON-RPC error there).
pub async fn serve_stdio(server: JournalServer) -> Result<(), String> {
    serve_lines(server, tokio::io::stdin(), tokio::io::stdout()).await
}

/// Serves MCP on a line stream: `input` from the client, `output` to it.
pub async fn serve_lines(
    server: JournalServer,
    input: impl tokio::io::AsyncRead + Unpin + Send + 'static,
    output: impl tokio::io::AsyncWrite + Unpin + Send + 'static,
) -> Result<(), String> {
    const PIPE: usize = 1 << 20;
    let (rmcp_in, door_in) = tokio::io::duplex(PIPE);
    let (rmcp_out, door_out) = tokio::io::duplex(PIPE);
    let (answers, queue) = tokio::sync::mpsc::unbounded_channel();
    let client = tokio::spawn(door::read_client(input, door_in, answers.clone()));
    let replies = tokio::spawn(door::read_server(door_out, answers));
    let writer = tokio::spawn(door::write_answers(output, queue));
    let session = async {
        let running = server
            .serve((rmcp_in, rmcp_out))
            .await
            .map_err(|e| format!("the MCP session did not start: {e}"))?;
        running
            .waiting()
            .await
            .map_err(|e| format!("the MCP session failed: {e}"))?;
        Ok::<(), String>(())
    };
    let result = session.await;
    client.abort();
    let _ = replies.await;
    let _ = writer.await;
    result
}
