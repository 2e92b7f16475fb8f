//! The command line itself: help text (a contract scripts rely on) and pipes.

use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

use crate::common::TestEnv;

#[test]
fn help_texts_stay_stable() {
    let env = TestEnv::bare_repo();
    for command in [
        "",
        "init",
        "add",
        "run",
        "show",
        "list",
        "edit",
        "rm",
        "search",
        "reindex",
        "tags",
        "metrics",
        "check",
        "compile",
        "demo",
        "watch",
        "status",
        "sync",
        "completions",
        "man",
    ] {
        let mut args: Vec<&str> = command.split_whitespace().collect();
        args.push("--help");
        let out = env.run(&args);
        let name = if command.is_empty() {
            "journal".to_owned()
        } else {
            format!("journal-{command}")
        };
        insta::assert_snapshot!(name, out.ok());
    }
}

#[test]
fn unknown_commands_and_flags_are_usage_errors() {
    let env = TestEnv::new();
    let stderr = env.run(&["ad", "x"]).fails(2).to_owned();
    assert!(
        stderr.contains("unrecognized subcommand 'ad'") && stderr.contains("'add'"),
        "{stderr}"
    );
    let stderr = env
        .run(&["add", "x", "--provder", "gcp"])
        .fails(2)
        .to_owned();
    assert!(stderr.contains("--provider"), "{stderr}");
    let stderr = env
        .run(&["add", "x", "--tag", "novalue"])
        .fails(2)
        .to_owned();
    assert!(stderr.contains("expected KEY=VALUE"), "{stderr}");
}

#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    let env = TestEnv::new();
    for i in 0..40 {
        env.write(
            &format!("journal/2026/10/20261001T0800{i:02}Z-note-{i}.md"),
            &format!(
                "---\ndate: 2026-10-01T10:00:{i:02}+02:00\ntitle: Note {i}\n---\n{}\n",
                "body ".repeat(2000)
            ),
        );
    }
    let mut child = env
        .journal()
        .args(["list", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // stdout is closed here: the next write fails with a broken pipe.
    let out = child.wait_with_output().unwrap();
    assert!(first.contains("Note 39"), "{first}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(out.status.code(), Some(0));
}
