use std::path::{Path, PathBuf};

use crate::common::TestEnv;
use crate::test_add::make_executable;

/// Writes an editor script that runs `sed EXPR` on the file it is given.
fn sed_editor(env: &TestEnv, expr: &str) -> PathBuf {
    let script = env.home.join("sed-editor.sh");
    std::fs::write(&script, format!("#!/bin/sh\nsed -i '{expr}' \"$1\"\n")).unwrap();
    make_executable(&script);
    script
}

fn edit(env: &TestEnv, editor: &Path, args: &[&str]) -> (i32, String) {
    let out = env
        .journal()
        .env("EDITOR", editor)
        .arg("edit")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn edit_commits_the_changed_entry() {
    let env = TestEnv::new();
    env.run(&["add", "GCP firewall", "--provider", "gcp"]).ok();
    let path = env.entry_files()[0].clone();
    let editor = sed_editor(
        &env,
        "s/^provider: \\[gcp\\]/provider: [gcp, hetzner]/; $a Needed UDP 9993.",
    );
    let (code, stderr) = edit(&env, &editor, &["2026"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.starts_with(&format!("Updated {path} in commit ")),
        "{stderr}"
    );
    let text = env.read(&path);
    assert!(
        text.contains("provider: [gcp, hetzner]\n") && text.ends_with("---\nNeeded UDP 9993.\n"),
        "{text}"
    );
    assert_eq!(
        env.git(&["log", "-1", "--format=%B"]),
        "journal: edit GCP firewall\n\nJournal-Id: 20261126T105903Z-gcp-firewall\n\n"
    );
    assert_eq!(
        env.git(&["show", "--name-only", "--format=", "HEAD"]),
        format!("{path}\n")
    );
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

#[test]
fn edit_without_change_makes_no_commit() {
    let env = TestEnv::new();
    env.run(&["add", "Unchanged"]).ok();
    let before = env.commit_count();
    let (code, stderr) = edit(&env, Path::new("true"), &["2026"]);
    assert_eq!(code, 0);
    assert_eq!(stderr, "No change; nothing committed.\n");
    assert_eq!(env.commit_count(), before);
}

#[test]
fn an_invalid_edit_leaves_the_entry_unchanged_and_keeps_the_draft() {
    let env = TestEnv::new();
    env.run(&["add", "Will be broken"]).ok();
    let path = env.entry_files()[0].clone();
    let original = env.read(&path);
    let before = env.commit_count();
    let editor = sed_editor(&env, "s/^title: .*/confidence: very-sure/");
    let (code, stderr) = edit(&env, &editor, &["2026"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with(&format!(
            "error: {path}: the edited entry is not valid; the entry is unchanged\n"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: line 4: field `confidence`: unknown value `very-sure`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: line 8: field `title`: required field is missing"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: your edit is kept in "), "{stderr}");
    assert_eq!(env.read(&path), original);
    assert_eq!(env.commit_count(), before);

    // Running edit again opens the kept draft, so the fix is one more edit.
    let editor = sed_editor(&env, "s/^confidence: very-sure/title: Fixed title/");
    let (code, stderr) = edit(&env, &editor, &["2026"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.starts_with("Resuming the earlier edit kept in "),
        "{stderr}"
    );
    assert!(env.read(&path).contains("\ntitle: Fixed title\n"));
    assert_eq!(env.commit_count(), before + 1);
    let original = env.read(&path);

    let editor = sed_editor(&env, "s/^title: .*/title: ok\\nprovider: [azure]/");
    let (code, stderr) = edit(&env, &editor, &["2026"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown provider `azure`"), "{stderr}");
    assert_eq!(env.read(&path), original);
}

#[test]
fn edit_refuses_secrets_and_changed_ids() {
    let env = TestEnv::new();
    env.run(&["add", "Token notes"]).ok();
    let path = env.entry_files()[0].clone();
    let original = env.read(&path);
    let editor = sed_editor(
        &env,
        "$a export HCLOUD_TOKEN=0123456789abcdefghijABCDEFGHIJ0123456789abcdefghijABCDEFGHIJ0123",
    );
    let (code, stderr) = edit(&env, &editor, &["2026"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error: the edited entry, line 9: looks like a token assigned"),
        "{stderr}"
    );
    assert_eq!(env.read(&path), original);

    let editor = sed_editor(&env, "s/^id: .*/id: something-else/");
    let (code, stderr) = edit(&env, &editor, &["2026"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("field `id`: `something-else` does not match the file name"),
        "{stderr}"
    );
    assert_eq!(env.read(&path), original);
}
