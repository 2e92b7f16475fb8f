//! Fault points: named places in the write path where a test can have the process killed,
//! to check that whatever a killed journal leaves, the next command puts right.
//!
//! Disarmed (the default) a point costs one relaxed atomic load. [`arm`] makes the process
//! kill itself with SIGKILL (no destructor, no flush: what a power cut or `kill -9` does to
//! the process) when it crosses the `n`-th point. The binary arms it from
//! `JOURNAL_TEST_KILL_AT`, as git's own `GIT_TEST_*` variables work: a test runs a command
//! with n = 1, 2, … until it ends on its own, and so reaches every point without depending
//! on timing.

use std::sync::atomic::{AtomicU32, Ordering};

/// 0: disarmed; otherwise the number of the point to die at.
static KILL_AT: AtomicU32 = AtomicU32::new(0);
/// Points crossed so far by this process.
static CROSSED: AtomicU32 = AtomicU32::new(0);

/// Makes the process kill itself at the `n`-th fault point it crosses (1-based); 0 disarms.
pub fn arm(n: u32) {
    CROSSED.store(0, Ordering::SeqCst);
    KILL_AT.store(n, Ordering::SeqCst);
}

/// Returns how many fault points this process crossed since it was armed.
pub fn crossed() -> u32 {
    CROSSED.load(Ordering::SeqCst)
}

/// A place in the write path where the process may be killed; `name` says where, for the
/// reader of the code and of a debugger.
#[inline]
pub(crate) fn point(name: &'static str) {
    if STALL.get().is_some() {
        stall(name);
    }
    let at = KILL_AT.load(Ordering::Relaxed);
    if at == 0 {
        return;
    }
    let n = CROSSED.fetch_add(1, Ordering::SeqCst) + 1;
    if n == at {
        let _ = name;
        let _ =
            rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
        // SIGKILL cannot be caught; this is never reached.
        std::process::abort();
    }
}

/// The point to stall at and the gate file to wait for (see [`stall_at`]).
static STALL: std::sync::OnceLock<(String, std::path::PathBuf)> = std::sync::OnceLock::new();

/// Makes the process stop at the fault point `name` until the file `gate` exists (at most
/// two minutes), after creating `<gate>.waiting` to say it got there: a test can then act
/// in the middle of a write (cancel the call) without depending on timing. Set once.
pub fn stall_at(name: &str, gate: std::path::PathBuf) {
    let _ = STALL.set((name.to_owned(), gate));
}

fn stall(name: &str) {
    let Some((at, gate)) = STALL.get() else {
        return;
    };
    if at != name {
        return;
    }
    let mut waiting = gate.clone().into_os_string();
    waiting.push(".waiting");
    let _ = std::fs::write(&waiting, name);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !gate.exists() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
