//! An in-process client over an in-memory duplex, connected to a server on a test journal.
#![allow(dead_code)] // each test file uses a part

use chrono::DateTime;
use journal_lib::OpenOptions;
use journal_mcp::{JournalServer, ServerOptions};
use journal_testutils::TestRepo;
use rmcp::model::{
    CallToolRequestParams, CallToolResult, ClientCapabilities, ClientConfig, Implementation,
};
use rmcp::service::RunningService;
use rmcp::{RoleClient, ServiceExt as _};
use serde_json::Value;

/// The journal.toml of these tests: the vocabulary the refusals are checked against.
pub const TOML: &str = "entries = \"journal\"\ncommit = true\n\n[vocabulary]\nproviders = \
    [\"hetzner\", \"gcp\"]\npatterns = [\"luks\", \"zerotier\", \"clan-vars\"]\nkinds = \
    [\"finding\", \"decision\", \"easy\", \"hard\", \"surprise\"]\n";

/// A connected client, its journal and the server task.
pub struct Session {
    pub repo: TestRepo,
    pub client: RunningService<RoleClient, ClientConfig>,
}

/// The fixed moment of the tests' calls.
pub const NOW: &str = "2026-11-20T10:00:00+01:00";

impl Session {
    /// Starts a server on a new journal and connects a client named `test-agent 0.9`.
    pub async fn start() -> Self {
        let repo = TestRepo::journal_with(TOML);
        let server = JournalServer::new(ServerOptions {
            open: OpenOptions {
                start: repo.root.clone(),
                ..OpenOptions::default()
            },
            host: Some("testhost".into()),
            clock: journal_lib::Clock::new(|| DateTime::parse_from_rfc3339(NOW).expect("NOW")),
        })
        .expect("server");
        let (server_end, client_end) = tokio::io::duplex(1 << 16);
        tokio::spawn(async move {
            if let Ok(running) = server.serve(server_end).await {
                let _ = running.waiting().await;
            }
        });
        let info = ClientConfig::new(
            ClientCapabilities::default(),
            Implementation::new("test-agent", "0.9"),
        );
        let client = info.serve(client_end).await.expect("client connects");
        Self { repo, client }
    }

    /// Calls a tool; a protocol error panics.
    pub async fn call(&self, tool: &str, arguments: Value) -> CallToolResult {
        self.try_call(tool, arguments)
            .await
            .unwrap_or_else(|e| panic!("{tool}: protocol error {e}"))
    }

    /// Calls a tool.
    pub async fn try_call(
        &self,
        tool: &str,
        arguments: Value,
    ) -> Result<CallToolResult, rmcp::ServiceError> {
        let Value::Object(arguments) = arguments else {
            panic!("arguments are an object");
        };
        self.client
            .call_tool(CallToolRequestParams::new(tool.to_owned()).with_arguments(arguments))
            .await
    }

    /// Calls a tool that must succeed; returns its structured content.
    pub async fn ok(&self, tool: &str, arguments: Value) -> Value {
        let result = self.call(tool, arguments).await;
        assert_ne!(
            result.is_error,
            Some(true),
            "{tool} failed: {}",
            text(&result)
        );
        result.structured_content.expect("structured content")
    }

    /// Calls a tool that must be refused; returns the refusal's text.
    pub async fn refused(&self, tool: &str, arguments: Value) -> String {
        let result = self.call(tool, arguments).await;
        assert_eq!(result.is_error, Some(true), "{tool} was not refused");
        text(&result)
    }

    /// Returns the entry files on disk.
    pub fn entry_files(&self) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        let mut dirs = vec![self.repo.path("journal")];
        while let Some(dir) = dirs.pop() {
            for item in std::fs::read_dir(&dir).expect("read_dir").flatten() {
                let path = item.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "md") {
                    files.push(path);
                }
            }
        }
        files
    }
}

/// Returns the text of a result's first content block.
pub fn text(result: &CallToolResult) -> String {
    result
        .content
        .first()
        .and_then(|c| c.as_text())
        .map(|t| t.text.clone())
        .unwrap_or_default()
}
