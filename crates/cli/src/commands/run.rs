//! `journal run`: run a command during a deployment and record what happened.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Args;
use journal_lib::{RunRecord, guard_secrets};

use super::record::{EntryArgs, report_added};
use crate::capture::OutputTail;
use crate::context;
use crate::error::CommandError;
use crate::ui::{Ui, shell_line};
/// Lines kept in memory and scanned for credentials (the entry keeps the last
/// `journal_lib::TAIL_LINES`), so that a secret whose first line scrolled just out of the
/// recorded tail is still recognised.
const SCAN_LINES: usize = 200;
/// How long output is still read after the command exited (a background process it started
/// may hold the pipes open for ever).
const DRAIN_PATIENCE: Duration = Duration::from_secs(2);

/// Run a command and record it as an entry of kind `run`.
///
/// The command's output is passed through as it comes (and captured); the entry holds the
/// command line, the folder, the start time, the duration (`metrics.duration_s`), the exit
/// status (`metrics.exit_code`, and `tags.signal` when a signal ended it) and the last 50
/// lines of output. Credentials in the command line or the output are redacted, and the entry
/// says what was. Ctrl-C goes to the command; the entry is still recorded, marked interrupted.
/// journal then exits with the command's own status (128+N for signal N); the entry's id goes
/// to stderr, since stdout belongs to the command.
#[derive(Debug, Args)]
#[command(
    after_help = "Example: journal run --provider hetzner --pattern terranix -- terraform apply"
)]
pub struct RunArgs {
    /// The title; default: the command line.
    #[arg(long, value_name = "T")]
    title: Option<String>,
    #[command(flatten)]
    entry: EntryArgs,
    /// Record the output without showing it.
    #[arg(long)]
    quiet_output: bool,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "CMD")]
    command: Vec<String>,
}

/// What the command did.
struct Outcome {
    status: ExitStatus,
    duration: Duration,
    interrupted: bool,
    lines: Vec<String>,
    earlier_lines: usize,
}

pub fn cmd_run(ui: &mut Ui, journal: Option<&Path>, args: RunArgs) -> Result<(), CommandError> {
    let journal = context::open(journal)?;
    let RunArgs {
        title,
        entry,
        quiet_output,
        command,
    } = args;
    // Everything that could refuse the entry is checked before the command runs.
    let draft = journal.prepare_run(entry.into_fields())?;
    if let Some(title) = &title {
        for warning in guard_secrets(title, "--title", draft.allow_secret())? {
            ui.warning(&warning);
        }
    }
    let started = context::now()?;
    let cwd = std::env::current_dir()?;

    let outcome = execute(&command, quiet_output)?;
    let code = exit_code(outcome.status);
    let record = RunRecord {
        command_line: shell_line(&command),
        cwd,
        started,
        duration: outcome.duration,
        exit_code: code,
        signal: std::os::unix::process::ExitStatusExt::signal(&outcome.status),
        interrupted: outcome.interrupted,
        lines: outcome.lines,
        earlier_lines: outcome.earlier_lines,
        host: context::short_host(),
    };
    match journal.record_run(draft, record, title) {
        Ok(added) => {
            ui.status(&format!("journal: {}", added.id));
            report_added(ui, &added);
        }
        Err(err) => {
            ui.error(&CommandError::from(err));
            // The command's status still wins: scripts rely on it.
            return Err(CommandError::silent(if code == 0 { 1 } else { code }));
        }
    }
    if code == 0 {
        Ok(())
    } else {
        Err(CommandError::silent(code))
    }
}

/// Runs the command with its output passed through and captured.
fn execute(command: &[String], quiet: bool) -> Result<Outcome, CommandError> {
    let interrupted = Arc::new(AtomicBool::new(false));
    let terminate = Arc::new(AtomicBool::new(false));
    let hangup = Arc::new(AtomicBool::new(false));
    // From here on SIGINT no longer kills journal: the terminal sends Ctrl-C to the whole
    // foreground group, the command decides what to do with it, and the entry is recorded.
    // SIGTERM and SIGHUP, sent to journal alone by a service manager or a closing terminal,
    // are passed on to the command.
    for (signal, flag) in [
        (signal_hook::consts::SIGINT, &interrupted),
        (signal_hook::consts::SIGTERM, &terminate),
        (signal_hook::consts::SIGHUP, &hangup),
    ] {
        signal_hook::flag::register(signal, Arc::clone(flag))
            .map_err(|e| CommandError::user(format!("cannot handle signals: {e}")))?;
    }

    let started = Instant::now();
    let mut child = Command::new(&command[0])
        .args(&command[1..])
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| spawn_error(&command[0], &e))?;
    let tail = Arc::new(Mutex::new(OutputTail::new(SCAN_LINES)));
    let mut readers = Vec::new();
    if let Some(out) = child.stdout.take() {
        readers.push(pump(out, std::io::stdout(), quiet, Arc::clone(&tail)));
    }
    if let Some(err) = child.stderr.take() {
        readers.push(pump(err, std::io::stderr(), quiet, Arc::clone(&tail)));
    }
    let pid = rustix::process::Pid::from_child(&child);
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        for (flag, signal) in [
            (&terminate, rustix::process::Signal::TERM),
            (&hangup, rustix::process::Signal::HUP),
        ] {
            if flag.swap(false, Ordering::SeqCst) {
                let _ = rustix::process::kill_process(pid, signal);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let duration = started.elapsed();
    let deadline = Instant::now() + DRAIN_PATIENCE;
    while readers.iter().any(|r| !r.is_finished()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    for reader in readers {
        if reader.is_finished() {
            let _ = reader.join();
        }
    }
    let tail = std::mem::replace(
        &mut *tail
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
        OutputTail::new(0),
    );
    let (lines, earlier_lines) = tail.finish();
    Ok(Outcome {
        status,
        duration,
        interrupted: interrupted.load(Ordering::SeqCst),
        lines,
        earlier_lines,
    })
}

/// Copies one of the command's streams to ours (unless quiet) and into the tail.
fn pump(
    mut from: impl Read + Send + 'static,
    mut to: impl Write + Send + 'static,
    quiet: bool,
    tail: Arc<Mutex<OutputTail>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            match from.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => {
                    if !quiet {
                        // A closed terminal must not stop the capture.
                        let _ = to.write_all(&buffer[..n]);
                        let _ = to.flush();
                    }
                    tail.lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(&buffer[..n]);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
    })
}

fn spawn_error(program: &str, e: &std::io::Error) -> CommandError {
    let (code, hint) = match e.kind() {
        std::io::ErrorKind::NotFound => (
            127,
            "is it installed and on PATH? (a shell builtin, alias or pipeline needs sh -c '…')",
        ),
        std::io::ErrorKind::PermissionDenied => (126, "is the file executable?"),
        _ => (126, "nothing was recorded"),
    };
    let mut err =
        CommandError::user(format!("cannot run `{program}`: {e}; nothing was recorded")).hint(hint);
    err.exit_code = code;
    err
}

/// The shell's convention: the exit code, or 128 + the signal that ended the command.
fn exit_code(status: ExitStatus) -> u8 {
    match (
        status.code(),
        std::os::unix::process::ExitStatusExt::signal(&status),
    ) {
        (Some(code), _) => u8::try_from(code & 0xff).unwrap_or(1),
        (None, Some(signal)) => u8::try_from(128 + signal).unwrap_or(255),
        (None, None) => 1,
    }
}
