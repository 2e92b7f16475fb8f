//! The command line itself: usage errors, exit codes and pipes. (The help texts are pinned by
//! the binary's own unit test, which lists the commands from the parser.)

use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

use crate::common::TestEnv;

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
