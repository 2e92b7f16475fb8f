//! `journal run`: run a command during a deployment and record what happened.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Args;
use journal_entry::{VocabularyField, secret};

use super::guard_secrets;
use super::record::{EntryArgs, Observed, report_added};
use crate::capture::OutputTail;
use crate::config;
use crate::context;
use crate::error::CommandError;
use crate::ui::{Ui, count, shell_line};

/// Lines of output the entry keeps.
const TAIL_LINES: usize = 50;
/// Lines kept in memory and scanned for credentials, so that a secret whose first line
/// scrolled just out of the recorded tail is still recognised.
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
    let journal = config::open(journal)?;
    let RunArgs {
        title,
        entry,
        quiet_output,
        command,
    } = args;
    // Everything that could refuse the entry is checked before the command runs.
    if entry.fields.kind.is_none() {
        journal
            .config
            .vocabulary
            .check(VocabularyField::Kind, "run")
            .map_err(|e| {
                CommandError::user(format!("{e}: the entry of a run has kind `run`"))
                    .hint("add `run` to `kinds` under [vocabulary] in journal.toml, or pass --kind")
            })?;
    }
    let draft = entry.prepare(&journal)?;
    if let Some(title) = &title {
        guard_secrets(title, "--title", draft.allow_secret(), ui)?;
    }
    let started_at = context::now()?;
    let cwd = std::env::current_dir()?;

    let outcome = execute(&command, quiet_output)?;
    let code = exit_code(outcome.status);

    let keep = draft.allow_secret();
    let line = shell_line(&command);
    let (line, line_findings) = redact(&line, keep);
    let tail = outcome.lines.join("\n");
    let (tail, tail_findings) = redact(&tail, keep);
    let tail: Vec<&str> = tail.lines().collect();
    let shown = &tail[tail.len().saturating_sub(TAIL_LINES)..];
    let earlier = outcome.earlier_lines + (tail.len() - shown.len());

    let signal = std::os::unix::process::ExitStatusExt::signal(&outcome.status);
    let mut body = format!(
        "Ran {} in {}.\n\n- Started: {}\n- Duration: {}\n- Exit status: {}\n",
        code_span(&line),
        code_span(&cwd.display().to_string()),
        started_at.format("%Y-%m-%d %H:%M:%S %:z"),
        human_duration(outcome.duration),
        match signal {
            Some(n) => format!("{code} (killed by {})", signal_name(n)),
            None => code.to_string(),
        },
    );
    if outcome.interrupted {
        body.push_str("- Interrupted: Ctrl-C (SIGINT) while it ran\n");
    }
    let redacted = describe_redactions(&line_findings, &tail_findings);
    if !redacted.is_empty() {
        body.push_str(&format!("- Redacted: {redacted}\n"));
    }
    if shown.is_empty() {
        body.push_str("\nNo output.\n");
    } else {
        let text = shown.join("\n");
        let fence = "`".repeat(longest_backtick_run(&text).max(2) + 1);
        let what = if earlier > 0 {
            format!(
                "Last {} lines of output ({earlier} earlier lines not kept)",
                shown.len()
            )
        } else {
            "Output".to_owned()
        };
        body.push_str(&format!("\n{what}:\n\n{fence}text\n{text}\n{fence}\n"));
    }

    let title = title.unwrap_or_else(|| shorten(&line, 100));
    let seconds = (outcome.duration.as_secs_f64() * 1000.0).round() / 1000.0;
    let mut tags = Vec::new();
    if let Some(n) = signal {
        tags.push(("signal".to_owned(), signal_name(n)));
    }
    if outcome.interrupted {
        tags.push(("interrupted".to_owned(), "true".to_owned()));
    }
    let observed = Observed {
        date: started_at,
        title,
        body,
        kind: Some("run"),
        metrics: vec![("duration_s", seconds), ("exit_code", f64::from(code))],
        tags,
    };
    let recorded = draft.record(ui, &journal, observed);
    match recorded {
        Ok(added) => {
            ui.status(&format!("journal: {}", added.id));
            report_added(ui, &added);
        }
        Err(err) => {
            ui.error(&err);
            // The command's status still wins: scripts rely on it.
            return Err(exit_with(if code == 0 { 1 } else { code }));
        }
    }
    if code == 0 {
        Ok(())
    } else {
        Err(exit_with(code))
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

/// A silent error that only carries an exit code.
fn exit_with(code: u8) -> CommandError {
    let mut err = CommandError::user(String::new());
    err.exit_code = code;
    err
}

/// Redacts credentials unless the user keeps them (`--allow-secret`).
fn redact(text: &str, keep: bool) -> (String, Vec<secret::Finding>) {
    if keep {
        (text.to_owned(), Vec::new())
    } else {
        secret::redact(text)
    }
}

fn describe_redactions(line: &[secret::Finding], tail: &[secret::Finding]) -> String {
    let mut parts = Vec::new();
    for (findings, place) in [(line, "the command line"), (tail, "the output")] {
        if findings.is_empty() {
            continue;
        }
        let mut rules: Vec<&str> = findings.iter().map(|f| f.rule).collect();
        rules.dedup();
        parts.push(format!(
            "{} in {place} ({})",
            count(findings.len(), "credential", "credentials"),
            rules.join(", ")
        ));
    }
    parts.join("; ")
}

/// Inline code holding any text: a backtick fence longer than any run inside it.
fn code_span(text: &str) -> String {
    let fence = "`".repeat(longest_backtick_run(text) + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

fn human_duration(d: Duration) -> String {
    let total = d.as_secs_f64();
    if total < 1.0 {
        return format!("{} ms", d.as_millis());
    }
    if total < 60.0 {
        return format!("{total:.1} s");
    }
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h} h {m} min {s} s")
    } else {
        format!("{m} min {s} s ({total:.1} s)")
    }
}

fn signal_name(n: i32) -> String {
    let name = match n {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => return format!("signal {n}"),
    };
    name.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_lines_and_code_spans_survive_any_text() {
        let words = ["terraform", "apply", "-var", "name=a b", "it's"].map(String::from);
        assert_eq!(
            shell_line(&words),
            r"terraform apply -var 'name=a b' 'it'\''s'"
        );
        assert_eq!(code_span("ls -la"), "`ls -la`");
        assert_eq!(code_span("echo `date`"), "`` echo `date` ``");
        assert_eq!(code_span("a ``b`` c"), "```a ``b`` c```");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_duration(Duration::from_millis(24)), "24 ms");
        assert_eq!(human_duration(Duration::from_millis(1234)), "1.2 s");
        assert_eq!(
            human_duration(Duration::from_secs(184)),
            "3 min 4 s (184.0 s)"
        );
        assert_eq!(human_duration(Duration::from_secs(3723)), "1 h 2 min 3 s");
    }

    #[test]
    fn redactions_are_described_per_place() {
        let (_, line) = secret::redact(
            "curl -H 'Authorization: token ghp_0123456789abcdefghijABCDEFGHIJ012345'",
        );
        assert_eq!(
            describe_redactions(&line, &[]),
            "1 credential in the command line (github-token)"
        );
        assert_eq!(describe_redactions(&[], &[]), "");
    }
}
