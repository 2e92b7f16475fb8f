//! What the environment says: the journal to open (the current folder, `--journal` /
//! `JOURNAL_DIR`, git's identity variables), the clock and the host. The only code that reads
//! them; the library gets them as values.

use std::path::Path;

use chrono::{DateTime, FixedOffset, Local};
use journal_lib::{IdentityOverrides, Journal, OpenOptions};

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

/// Returns a clock for a long-running front end (`journal mcp`): `JOURNAL_TIMESTAMP`, read
/// and checked once, pins it as for [`now`]; else each call reads the local time.
#[allow(clippy::disallowed_methods)] // the clock itself
pub fn clock() -> Result<impl Fn() -> DateTime<FixedOffset> + Send + Sync + 'static, CommandError> {
    let pinned = match std::env::var("JOURNAL_TIMESTAMP") {
        Ok(text) if !text.is_empty() => Some(now()?),
        _ => None,
    };
    Ok(move || pinned.unwrap_or_else(|| Local::now().fixed_offset()))
}

/// Returns the identity overrides of git's own environment variables, which win over
/// user.name and user.email as for `git commit`.
pub fn identity() -> IdentityOverrides {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    IdentityOverrides {
        author_name: env("GIT_AUTHOR_NAME"),
        author_email: env("GIT_AUTHOR_EMAIL"),
        committer_name: env("GIT_COMMITTER_NAME"),
        committer_email: env("GIT_COMMITTER_EMAIL"),
    }
}

/// Returns the options that find the journal from the current folder.
pub fn open_options(journal: Option<&Path>) -> Result<OpenOptions, CommandError> {
    let start = std::env::current_dir()?;
    let absolute = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(|v| start.join(v))
    };
    Ok(OpenOptions {
        journal_dir: journal.map(Path::to_owned),
        identity: identity(),
        git_env: journal_lib::GitEnv {
            git_dir: absolute("GIT_DIR"),
            work_tree: absolute("GIT_WORK_TREE"),
        },
        start,
    })
}

/// Finds, reads and opens the journal, and says on stderr what it repaired of a journal
/// killed in the middle of a write (one line each), or found and left for the user.
pub fn open(journal: Option<&Path>) -> Result<Journal, CommandError> {
    let journal = Journal::open(&open_options(journal)?)?;
    report_repairs(&journal);
    Ok(journal)
}

/// Prints the repairs the journal made or found, one line each.
pub fn report_repairs(journal: &Journal) {
    for repair in journal.take_repairs() {
        if repair.repaired() {
            eprintln!("repaired: {repair}");
        } else {
            eprintln!("warning: {repair}");
        }
    }
}

/// Arms the write path's fault points from `JOURNAL_TEST_KILL_AT` (a number n: the process
/// kills itself with SIGKILL at the n-th point it crosses), as git's `GIT_TEST_*` variables
/// do; the fault-matrix tests use it. `JOURNAL_TEST_STALL_AT=POINT:GATE` stops the process
/// at the named point until the file GATE exists (a test acts in the middle of a write).
/// Unset, nothing changes.
pub fn arm_faults() {
    if let Some((point, gate)) = std::env::var("JOURNAL_TEST_STALL_AT")
        .ok()
        .as_deref()
        .and_then(|v| v.split_once(':'))
    {
        journal_lib::faults::stall_at(point, gate.into());
    }
    if let Some(n) = std::env::var("JOURNAL_TEST_KILL_AT")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
    {
        journal_lib::faults::arm(n);
    }
}

/// Returns the short host name (up to the first dot), if it can be found.
pub fn short_host() -> Option<String> {
    let full = gethostname::gethostname().into_string().ok()?;
    let short = full.trim().split('.').next().unwrap_or_default();
    (!short.is_empty()).then(|| short.to_owned())
}
