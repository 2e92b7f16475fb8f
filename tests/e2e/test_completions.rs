//! `journal completions` and `journal man`: generated from the clap definitions; ids and the
//! vocabulary complete dynamically.

use std::process::Command;

use crate::common::TestEnv;

#[test]
fn completion_scripts_for_three_shells_call_journal_back() {
    let env = TestEnv::new();
    for (shell, marker) in [
        (
            "bash",
            "complete -o nospace -o bashdefault -o nosort -F _clap_complete_journal journal",
        ),
        ("zsh", "#compdef journal"),
        (
            "fish",
            "complete --keep-order --exclusive --command journal",
        ),
    ] {
        let script = env.run(&["completions", shell]).ok().to_owned();
        assert!(script.contains(marker), "{shell}:\n{script}");
        assert!(script.contains("JOURNAL_COMPLETE"), "{shell}:\n{script}");
    }
    let stderr = env.run(&["completions", "tcsh"]).fails(2).to_owned();
    assert!(
        stderr.contains("possible values: bash, zsh, fish"),
        "{stderr}"
    );
}

/// Asks for completions the way the fish script does: one candidate per line.
fn complete(env: &TestEnv, words: &[&str]) -> Vec<String> {
    let out = env
        .journal()
        .env("JOURNAL_COMPLETE", "fish")
        .arg("--")
        .args(words)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn ids_and_the_vocabulary_complete_from_the_journal_at_hand() {
    let env = TestEnv::new();
    let first = env
        .run(&["add", "LUKS works", "--at", "2026-10-05T10:00:00+02:00"])
        .ok()
        .trim()
        .to_owned();
    let second = env
        .run(&["add", "GCP firewall", "--at", "2026-10-14T10:00:00+02:00"])
        .ok()
        .trim()
        .to_owned();
    assert_eq!(
        complete(&env, &["journal", "show", "2026101"]),
        std::slice::from_ref(&second)
    );
    assert_eq!(
        complete(&env, &["journal", "rm", "2026"]),
        [second.clone(), first.clone()]
    );
    assert_eq!(
        complete(&env, &["journal", "add", "x", "--supersedes", "20261005"]),
        [first]
    );
    // journal.toml's own values, not the built-in ones.
    let toml = env
        .read("journal.toml")
        .replace("\"gcp\",", "\"gcp\",\n  \"vultr\",");
    env.write("journal.toml", &toml);
    assert_eq!(
        complete(&env, &["journal", "list", "--provider", "v"]),
        ["vultr"]
    );
    assert_eq!(
        complete(&env, &["journal", "add", "x", "--pattern", "zer"]),
        ["zerotier"]
    );
    assert_eq!(
        complete(&env, &["journal", "search", "--provider", "gcp,h"]),
        ["gcp,hetzner"]
    );
    assert_eq!(
        complete(&env, &["journal", "add", "x", "--confidence", "n"]),
        ["needs-testing"]
    );
    assert_eq!(
        complete(&env, &["journal", "add", "x", "--kind", "sur"]),
        ["surprise"]
    );
    assert!(complete(&env, &["journal", "sy"]).contains(&"sync".to_owned()));
}

#[test]
fn bash_completes_ids_through_the_generated_script() {
    let env = TestEnv::new();
    let id = env.run(&["add", "LUKS works"]).ok().trim().to_owned();
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_journal"))
        .parent()
        .unwrap()
        .to_owned();
    let script = "source <(journal completions bash)\n\
         COMP_WORDS=(journal show 2026); COMP_CWORD=2; COMP_LINE='journal show 2026'\n\
         COMP_POINT=${#COMP_LINE}\n\
         _clap_complete_journal journal 2026 show\n\
         printf '%s\\n' \"${COMPREPLY[@]}\"";
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .args(["-c", script])
        .current_dir(&env.repo)
        .env("PATH", path)
        .env("HOME", &env.home)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), id);
}

#[test]
fn man_pages_come_from_the_same_definitions_as_help() {
    let env = TestEnv::bare_repo();
    let page = env.run(&["man"]).ok().to_owned();
    assert!(page.contains(".TH journal 1"), "{page}");
    assert!(
        page.contains("journal\\-run(1)\nRun a command and record it"),
        "{page}"
    );
    let dir = env.repo.join("man1");
    let run = env.run(&["man", "--out", dir.to_str().unwrap()]);
    run.ok();
    for name in [
        "journal.1",
        "journal-add.1",
        "journal-run.1",
        "journal-sync.1",
        "journal-compile.1",
    ] {
        let text =
            std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(text.contains(".SH NAME"), "{name}");
    }
    let add = std::fs::read_to_string(dir.join("journal-add.1")).unwrap();
    assert!(add.contains("\\-\\-metric"), "{add}");
    assert!(run.stderr.starts_with("Wrote "), "{}", run.stderr);
}
