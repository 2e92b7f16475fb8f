//! [`JournalServer`]: the MCP handler. It keeps the journal open between calls
//! ([`journal_lib::KeptJournal`]: made current at each call, so journal.toml and the entry
//! files are read as they are at that moment), and calls run in parallel on the blocking
//! pool (the store's write lock orders the writers, as it does for CLI processes).

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use journal_lib::{Error, Journal, KeptJournal, OpenOptions, Param};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::model::{
    ErrorData, ListResourcesResult, PaginatedRequestParams, ReadResourceRequestParams,
    ReadResourceResponse, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{RoleServer, ServerHandler, tool_handler};

pub use journal_lib::Clock;

/// What the server needs from its environment, passed in by the binary.
#[derive(Clone, Debug)]
pub struct ServerOptions {
    /// Where the journal is and who commits (as for the CLI).
    pub open: OpenOptions,
    /// The short host name entries record.
    pub host: Option<String>,
    /// The clock.
    pub clock: Clock,
}

/// The journal's MCP server.
#[derive(Debug, Clone)]
pub struct JournalServer {
    pub(crate) options: Arc<ServerOptions>,
    /// The journal, kept open between calls.
    journal: Arc<KeptJournal>,
    /// The level of log messages the client asked for (`notice.rs`).
    pub(crate) log_level: Arc<std::sync::atomic::AtomicU8>,
    tool_router: ToolRouter<Self>,
}

/// What the server tells an agent when it connects: when to record, and how.
pub const INSTRUCTIONS: &str = "\
This is the operator's infrastructure journal: typed observations committed to git, later \
compiled into INTEGRATION-FINDINGS.md and ARCHITECTURAL-DECISIONS.md.

Record an observation with journal_add at the moment you learn it, not at the end: a finding, \
what was easy, hard or surprising, a decision and why, a measurement (as metrics, the unit in \
the name: latency_ms). Cite the commit that shows it (commits: [\"HEAD\"] after committing the \
fix) and say how sure the pattern is (confidence: proven only with evidence commits).

Call journal_vocabulary first: provider, pattern and kind must be among its values. Before \
recording, the `similar` list of journal_add's result (or journal_search) shows entries that \
look like the same observation: when one is, record the new one with supersedes: [its id] \
instead of a duplicate. Never put credentials in the text: they are refused. journal_coverage \
tells what the compiled documents still lack (patterns not assessed among it); when the \
operator settles how sure a pattern is, record it with journal_assess (the level and why). The \
documents themselves are resources.";

impl JournalServer {
    /// Returns a server for the journal `options` finds; fails when there is none, so that a
    /// misconfigured client sees the reason at once rather than on its first call.
    pub fn new(options: ServerOptions) -> Result<Self, Error> {
        let journal = KeptJournal::open(options.open.clone(), options.clock.clone())?;
        Ok(Self {
            journal: Arc::new(journal),
            log_level: Arc::new(crate::notice::DEFAULT_LEVEL.into()),
            options: Arc::new(options),
            tool_router: Self::tools(),
        })
    }

    /// Runs `work` on the journal, made current, on the blocking pool; a refusal or failure
    /// becomes the message of an `isError` tool result.
    pub(crate) async fn with_journal<T, F>(&self, work: F) -> Result<T, String>
    where
        T: Send + 'static,
        F: FnOnce(&Journal, DateTime<FixedOffset>) -> Result<T, Error> + Send + 'static,
    {
        // What a killed journal write left was repaired: say so in the log (stderr).
        let log = |repair: &journal_lib::Repair| tracing::warn!("{}", repair.log_line());
        match self.journal.call_blocking(log, work).await {
            Ok(result) => result.map_err(|e| refusal(&e)),
            Err(e) => Err(format!(
                "error: internal error: the call did not finish: {e}"
            )),
        }
    }
}

/// Returns the tool argument a library hint names; the server is bound to one journal,
/// always commits and cannot insist on a refused credential.
fn argument(param: Param) -> Option<&'static str> {
    match param {
        Param::At => Some("`at`"),
        Param::Title => Some("`title`"),
        Param::Kind => Some("`kind`"),
        Param::Rationale => Some("`rationale`"),
        _ => None,
    }
}

/// Returns a refusal as an agent reads it: `error: <what>`, then a `hint:` line each.
pub(crate) fn refusal(error: &Error) -> String {
    let mut text = format!("error: {}", error.message());
    // A refused credential comes with no way to insist: an agent has no `allow_secret`.
    let mut hints = error.hints(argument);
    if matches!(error, Error::NothingToSearch) {
        hints.push(
            "give `query` (words, \"a phrase\", field:value), or a filter such as `pattern` \
             or `provider`; journal_list lists without either"
                .to_owned(),
        );
    }
    for hint in hints {
        text.push_str("\nhint: ");
        text.push_str(&hint);
    }
    text
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for JournalServer {
    // Logging is declared for the message `notice.rs` sends (deprecated by SEP-2577).
    #[allow(deprecated)]
    fn get_info(&self) -> ServerConfig {
        let mut info = ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .enable_resources_list_changed()
                .enable_logging()
                .build(),
        )
        .with_instructions(INSTRUCTIONS);
        info.server_info.name = "journal".to_owned();
        info.server_info.version = env!("CARGO_PKG_VERSION").to_owned();
        info
    }

    /// Runs the tool, then: logs the call (tool, duration, outcome; never an argument value)
    /// at info (`journal mcp -v`), and redacts any credential from an error result, which
    /// may quote an argument (serde's message for a value of the wrong type does).
    async fn call_tool(
        &self,
        request: rmcp::model::CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<rmcp::model::CallToolResponse, ErrorData> {
        let tool = request.name.to_string();
        let arguments = serde_json::Value::Object(request.arguments.clone().unwrap_or_default());
        let started = std::time::Instant::now();
        let tcc = rmcp::handler::server::tool::ToolCallContext::new(self, request, context);
        let result = self.tool_router.call(tcc).await;
        let elapsed = started.elapsed();
        match &result {
            Ok(rmcp::model::CallToolResponse::Complete(r)) if r.is_error == Some(true) => {
                tracing::info!(tool, ms = elapsed.as_millis(), "call refused");
            }
            Ok(_) => tracing::info!(tool, ms = elapsed.as_millis(), "call done"),
            Err(e) => tracing::info!(
                tool,
                ms = elapsed.as_millis(),
                code = e.code.0,
                "call failed"
            ),
        }
        match result {
            Ok(rmcp::model::CallToolResponse::Complete(r)) if r.is_error == Some(true) => {
                // Arguments that do not fit: name the field (and the one meant) instead of
                // serde's bare message.
                let r = match crate::args::explain(&tool, &arguments) {
                    Some(why) if r.structured_content.is_none() => {
                        rmcp::model::CallToolResult::error(vec![rmcp::model::ContentBlock::text(
                            format!("error: the arguments do not fit {tool}: {why}"),
                        )])
                    }
                    _ => r,
                };
                Ok(rmcp::model::CallToolResponse::Complete(redact_result(r)))
            }
            Err(mut e) => {
                e.message = journal_lib::redacted(e.message.into_owned()).into();
                e.data = e.data.map(redact_value);
                Err(e)
            }
            other => other,
        }
    }

    /// Keeps the level of log messages the client asks for (`notice.rs`).
    #[allow(deprecated)]
    async fn set_level(
        &self,
        request: rmcp::model::SetLevelRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        crate::notice::set_level(&self.log_level, request.level);
        Ok(())
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        crate::resources::list(self).await
    }

    /// Starts telling the client when the resources change: after each sync of the journal's
    /// watcher (the server's own, or a `journal watch`), `notifications/resources/list_changed`
    /// (a document's content, the charts listed, the entries). Ends with the session.
    async fn on_initialized(&self, context: rmcp::service::NotificationContext<RoleServer>) {
        tracing::info!("client initialized");
        let options = Arc::clone(&self.options);
        let peer = context.peer;
        tokio::spawn(async move {
            let opened = tokio::task::spawn_blocking(move || {
                Journal::open(&options.open).map(|j| j.change_probe())
            })
            .await;
            let Ok(Ok(probe)) = opened else { return };
            let mut seen = last_sync(&probe).await;
            loop {
                tokio::time::sleep(CHANGE_POLL).await;
                let now = last_sync(&probe).await;
                if now.is_some() && now != seen {
                    seen = now;
                    if peer.notify_resource_list_changed().await.is_err() {
                        break; // the session is over
                    }
                }
            }
        });
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<rmcp::model::ListResourceTemplatesResult, ErrorData> {
        Ok(crate::resources::templates())
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        crate::resources::read(self, &request.uri)
            .await
            .map(Into::into)
    }
}

/// Returns `result` with every credential in its strings redacted.
fn redact_result(result: rmcp::model::CallToolResult) -> rmcp::model::CallToolResult {
    match serde_json::to_value(&result)
        .map(redact_value)
        .and_then(serde_json::from_value)
    {
        Ok(clean) => clean,
        Err(_) => rmcp::model::CallToolResult::error(vec![rmcp::model::ContentBlock::text(
            "error: the call was refused (its message could not be checked for credentials)",
        )]),
    }
}

/// Returns `value` with every credential in its strings redacted.
fn redact_value(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(text) => Value::String(journal_lib::redacted(text)),
        Value::Array(items) => Value::Array(items.into_iter().map(redact_value).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (journal_lib::redacted(k), redact_value(v)))
                .collect(),
        ),
        other => other,
    }
}

/// How often the watcher's heartbeat is read for `notifications/resources/list_changed`.
const CHANGE_POLL: std::time::Duration = std::time::Duration::from_millis(250);

/// The time of the watcher's last sync, read off the async threads.
async fn last_sync(probe: &journal_lib::ChangeProbe) -> Option<i64> {
    let probe = probe.clone();
    tokio::task::spawn_blocking(move || probe.last_sync())
        .await
        .ok()
        .flatten()
}
