//! The entry of a command run (`journal run`): what ran, where, how long, how it ended and
//! the tail of its output, with credentials redacted. Running the command (pass-through,
//! signals) is the front end's; what is recorded is decided here.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use journal_entry::secret;

use crate::add::{AddReport, Draft, Observed};
use crate::error::Result;
use crate::journal::Journal;

/// Lines of output the entry keeps.
pub const TAIL_LINES: usize = 50;

/// What a command run did, as its front end saw it.
#[derive(Debug, Clone)]
pub struct RunRecord {
    /// The command line, as a shell would take it back.
    pub command_line: String,
    /// The folder it ran in.
    pub cwd: PathBuf,
    /// When it started.
    pub started: DateTime<FixedOffset>,
    /// How long it ran.
    pub duration: Duration,
    /// Its exit status, the shell's way (128 + N for signal N).
    pub exit_code: u8,
    /// The signal that ended it, if one did.
    pub signal: Option<i32>,
    /// Whether Ctrl-C reached it while it ran.
    pub interrupted: bool,
    /// The last lines of its output (more than [`TAIL_LINES`] may be given: the extra ones
    /// are scanned for credentials, then dropped).
    pub lines: Vec<String>,
    /// Lines of output before `lines`, not kept.
    pub earlier_lines: usize,
    /// The short host name.
    pub host: Option<String>,
}

impl Journal {
    /// Records a command run as an entry of kind `run` (unless the draft's fields say
    /// otherwise), titled `title` or the command line.
    pub fn record_run(
        &self,
        draft: Draft,
        run: RunRecord,
        title: Option<String>,
    ) -> Result<AddReport> {
        let keep = draft.allow_secret();
        let (line, line_findings) = redact(&run.command_line, keep);
        let tail = run.lines.join("\n");
        let (tail, tail_findings) = redact(&tail, keep);
        let tail: Vec<&str> = tail.lines().collect();
        let shown = &tail[tail.len().saturating_sub(TAIL_LINES)..];
        let earlier = run.earlier_lines + (tail.len() - shown.len());
        let code = run.exit_code;
        let mut body = format!(
            "Ran {} in {}.\n\n- Started: {}\n- Duration: {}\n- Exit status: {}\n",
            code_span(&line),
            code_span(&run.cwd.display().to_string()),
            run.started.format("%Y-%m-%d %H:%M:%S %:z"),
            human_duration(run.duration),
            match run.signal {
                Some(n) => format!("{code} (killed by {})", signal_name(n)),
                None => code.to_string(),
            },
        );
        if run.interrupted {
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
        let seconds = (run.duration.as_secs_f64() * 1000.0).round() / 1000.0;
        let mut tags = Vec::new();
        if let Some(n) = run.signal {
            tags.push(("signal".to_owned(), signal_name(n)));
        }
        if run.interrupted {
            tags.push(("interrupted".to_owned(), "true".to_owned()));
        }
        let observed = Observed {
            date: run.started,
            title: title.unwrap_or_else(|| shorten(&line, 100)),
            body,
            kind: Some("run".to_owned()),
            metrics: vec![
                ("duration_s".to_owned(), seconds),
                ("exit_code".to_owned(), f64::from(code)),
            ],
            tags,
            host: run.host,
        };
        self.record(draft, observed)
    }
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
        let n = findings.len();
        parts.push(format!(
            "{n} {} in {place} ({})",
            if n == 1 { "credential" } else { "credentials" },
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

/// Returns the name of signal `n` (`SIGTERM`), or `signal N`.
pub fn signal_name(n: i32) -> String {
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
    fn code_spans_survive_any_text() {
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
