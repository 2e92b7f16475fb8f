//! Log messages to the client (`notifications/message`): the one thing a server can still
//! tell about a call the client cancelled, whose result rmcp does not send.
//!
//! MCP's logging is deprecated by SEP-2577 in favour of what is yet to come, but it is what
//! the clients of protocol 2025-06-18 read; the server declares it, and keeps the level the
//! client sets (`logging/setLevel`).
#![allow(deprecated)]

use std::sync::atomic::{AtomicU8, Ordering};

use journal_lib::AddReport;
use rmcp::RoleServer;
use rmcp::model::{LoggingLevel, LoggingMessageNotificationParam};
use rmcp::service::RequestContext;
use serde_json::json;

/// The level a session starts with: warnings.
pub(crate) const DEFAULT_LEVEL: u8 = 3;

fn rank(level: LoggingLevel) -> u8 {
    match level {
        LoggingLevel::Debug => 0,
        LoggingLevel::Info => 1,
        LoggingLevel::Notice => 2,
        LoggingLevel::Warning => 3,
        LoggingLevel::Error => 4,
        LoggingLevel::Critical => 5,
        LoggingLevel::Alert => 6,
        LoggingLevel::Emergency => 7,
    }
}

/// Keeps the level the client asked for in `slot`.
pub(crate) fn set_level(slot: &AtomicU8, level: LoggingLevel) {
    slot.store(rank(level), Ordering::Relaxed);
}

/// Tells the client that its cancelled `journal_add` recorded the entry all the same (the
/// cancellation came once the write had begun). Also in the server's log.
pub(crate) async fn recorded_after_cancel(
    context: &RequestContext<RoleServer>,
    level: &AtomicU8,
    added: &AddReport,
) {
    let commit = added
        .commit
        .as_deref()
        .map(|c| format!(" in commit {c}"))
        .unwrap_or_default();
    let message = format!(
        "journal_add (request {}) was cancelled after its write began: the entry {} was \
         recorded all the same ({}{commit}); journal_show it, or supersede it",
        context.id, added.id, added.path
    );
    tracing::warn!("{message}");
    if rank(LoggingLevel::Warning) < level.load(Ordering::Relaxed) {
        return;
    }
    let data = json!({
        "message": message,
        "request": context.id,
        "tool": "journal_add",
        "recorded": added,
    });
    let param =
        LoggingMessageNotificationParam::new(LoggingLevel::Warning, data).with_logger("journal");
    let _ = context.peer.notify_logging_message(param).await;
}
