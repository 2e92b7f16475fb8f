//! `journal run`: a command's status, output and duration, recorded as an entry.

use std::io::{BufRead as _, BufReader};
use std::os::unix::process::CommandExt as _;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::TestEnv;

/// Returns the text of the only entry file.
fn only_entry(env: &TestEnv) -> String {
    let files = env.entry_files();
    assert_eq!(files.len(), 1, "{files:?}");
    env.read(&files[0])
}

#[test]
fn a_succeeding_command_passes_its_output_through_and_is_recorded() {
    let env = TestEnv::new();
    let run = env.run(&[
        "run",
        "--provider",
        "hetzner",
        "--pattern",
        "terranix",
        "--tag",
        "step=apply",
        "--",
        "sh",
        "-c",
        "echo out; echo err >&2",
    ]);
    // stdout belongs to the command; journal speaks on stderr.
    assert_eq!(run.ok(), "out\n");
    assert!(run.stderr.starts_with("err\n"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("journal: 20261126T105903Z-sh-c-echo-out-echo-err-2\n"),
        "{}",
        run.stderr
    );
    let text = only_entry(&env);
    let repo = env.repo.display();
    for expected in [
        "title: sh -c 'echo out; echo err >&2'\n",
        "provider: [hetzner]\n",
        "pattern: [terranix]\n",
        "kind: run\n",
        "tags: {step: apply}\n",
        "exit_code: 0}\n",
        &format!("Ran `sh -c 'echo out; echo err >&2'` in `{repo}`.\n"),
        "- Started: 2026-11-26 11:59:03 +01:00\n",
        "- Exit status: 0\n",
        "Output:\n\n```text\n",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    // Both streams are in the record (their relative order is as read).
    assert!(
        text.contains("\nout\n") && text.contains("\nerr\n"),
        "{text}"
    );
    assert!(text.contains("metrics: {duration_s: "), "{text}");
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_failing_command_exits_with_its_own_status() {
    let env = TestEnv::new();
    let run = env.run(&[
        "run",
        "--title",
        "terraform apply on gcp",
        "--",
        "sh",
        "-c",
        "exit 3",
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(!run.stderr.contains("error:"), "{}", run.stderr);
    let text = only_entry(&env);
    assert!(text.contains("title: terraform apply on gcp\n"), "{text}");
    assert!(text.contains("exit_code: 3}"), "{text}");
    assert!(text.contains("- Exit status: 3\n"), "{text}");
    assert!(text.contains("\nNo output.\n"), "{text}");
}

#[test]
fn a_command_killed_by_a_signal_exits_128_plus_n() {
    let env = TestEnv::new();
    let run = env.run(&["run", "--", "sh", "-c", "echo bye; kill -TERM $$"]);
    assert_eq!(run.code, 143, "{}", run.stderr);
    let text = only_entry(&env);
    assert!(text.contains("tags: {signal: SIGTERM}\n"), "{text}");
    assert!(text.contains("exit_code: 143}"), "{text}");
    assert!(
        text.contains("- Exit status: 143 (killed by SIGTERM)\n"),
        "{text}"
    );
}

#[test]
fn ctrl_c_reaches_the_command_and_the_entry_is_still_recorded() {
    let env = TestEnv::new();
    // As a terminal does: the signal goes to the whole foreground process group. The command
    // restores SIGINT's default action itself: a test run from a background job inherits
    // SIGINT ignored, and a shell could not undo that.
    let script = r#"$SIG{INT} = "DEFAULT"; $| = 1; print "started\n"; sleep 60; print "ended\n""#;
    let mut child = env
        .journal()
        .args(["run", "--", "perl", "-e", script])
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line, "started\n");
    let group = format!("-{}", child.id());
    let kill = std::process::Command::new("kill")
        .args(["-INT", "--", &group])
        .status()
        .unwrap();
    assert!(kill.success());
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "journal run did not end after SIGINT"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(130));
    let text = only_entry(&env);
    assert!(
        text.contains("tags: {interrupted: \"true\", signal: SIGINT}\n"),
        "{text}"
    );
    assert!(text.contains("exit_code: 130}"), "{text}");
    assert!(
        text.contains("- Interrupted: Ctrl-C (SIGINT) while it ran\n"),
        "{text}"
    );
    assert!(text.contains("```text\nstarted\n```"), "{text}");
    assert!(!text.contains("ended\n"), "{text}");
}

#[test]
fn credentials_in_the_output_and_command_line_are_redacted() {
    let env = TestEnv::new();
    let token = "ghp_0123456789abcdefghijABCDEFGHIJ012345";
    let script = format!("echo using {token}; echo done");
    let run = env.run(&["run", "--", "sh", "-c", &script]);
    // Passed through as it was: only the record is redacted.
    assert!(run.ok().contains(token));
    let text = only_entry(&env);
    assert!(!text.contains(token), "{text}");
    assert!(
        text.contains("using [REDACTED:github-token]\ndone\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "- Redacted: 1 credential in the command line (github-token); 1 credential in the \
             output (github-token)\n"
        ),
        "{text}"
    );
    let history = env.git(&["log", "-p", "--all"]);
    assert!(!history.contains(token));
}

#[test]
fn only_the_last_fifty_lines_are_kept_and_quiet_output_shows_nothing() {
    let env = TestEnv::new();
    let run = env.run(&["run", "--quiet-output", "--", "seq", "1", "120"]);
    assert_eq!(run.ok(), "");
    let text = only_entry(&env);
    assert!(
        text.contains("Last 50 lines of output (70 earlier lines not kept):\n\n```text\n71\n"),
        "{text}"
    );
    assert!(text.contains("\n120\n```\n"), "{text}");
    assert!(!text.contains("\n70\n"), "{text}");
}

#[test]
fn nothing_runs_and_nothing_is_recorded_when_the_entry_would_be_refused() {
    let env = TestEnv::new();
    let stderr = env
        .run(&["run", "--provider", "hetzner-cloud", "--", "touch", "ran"])
        .fails(1)
        .to_owned();
    assert!(
        stderr.contains("unknown provider `hetzner-cloud`"),
        "{stderr}"
    );
    assert!(!env.repo.join("ran").exists());

    let stderr = env
        .run(&["run", "--", "no-such-command-here"])
        .fails(127)
        .to_owned();
    assert!(
        stderr.contains("error: cannot run `no-such-command-here`"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was recorded"), "{stderr}");
    assert!(env.entry_files().is_empty());

    let stderr = env.run(&["run", "echo", "hi"]).fails(2).to_owned();
    assert!(stderr.contains("unexpected argument"), "{stderr}");
}
