//! What the environment says about the moment of capture: the clock and the host.

use chrono::{DateTime, FixedOffset, Local};

use crate::error::CommandError;

/// Returns now in local time. `JOURNAL_TIMESTAMP` (RFC 3339) pins it, for tests and replays.
#[allow(clippy::disallowed_methods)] // the one place that reads the clock
pub fn now() -> Result<DateTime<FixedOffset>, CommandError> {
    match std::env::var("JOURNAL_TIMESTAMP") {
        Ok(pinned) if !pinned.is_empty() => DateTime::parse_from_rfc3339(&pinned).map_err(|_| {
            CommandError::user(format!(
                "JOURNAL_TIMESTAMP `{pinned}` is not an RFC 3339 date"
            ))
        }),
        _ => Ok(Local::now().fixed_offset()),
    }
}

/// Returns the short host name (up to the first dot), if it can be found.
pub fn short_host() -> Option<String> {
    let full = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| {
            let out = std::process::Command::new("hostname").output().ok()?;
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
        })?;
    let short = full.trim().split('.').next().unwrap_or_default();
    (!short.is_empty()).then(|| short.to_owned())
}
