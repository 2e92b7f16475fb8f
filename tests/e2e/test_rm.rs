//! `journal rm`: an entry removed with a commit of that one path; confirmation on terminals.

use crate::common::TestEnv;

/// Adds an entry and returns its id.
fn add(env: &TestEnv, title: &str, extra: &[&str]) -> String {
    let mut args = vec!["add", title];
    args.extend_from_slice(extra);
    env.run(&args).ok().trim().to_owned()
}

#[test]
fn rm_yes_commits_the_removal_of_that_file_alone_and_the_index_follows() {
    let env = TestEnv::new();
    let keep = add(&env, "Hetzner firewall is optional", &[]);
    let gone = add(&env, "GCP firewall typo entry", &[]);
    assert_eq!(env.run(&["search", "firewall"]).ok().lines().count(), 2);
    // Work in progress elsewhere stays as it is.
    env.write("modules/gcp.nix", "{ }\n");
    env.git(&["add", "modules/gcp.nix"]);

    let run = env.run(&["rm", "--yes", &gone[..20]]);
    run.ok();
    assert!(
        run.stderr.contains("Removed journal/2026/11/"),
        "{}",
        run.stderr
    );
    let last = env.git(&["show", "--name-status", "--format=%s", "HEAD"]);
    assert_eq!(
        last,
        format!("journal: remove GCP firewall typo entry\n\nD\tjournal/2026/11/{gone}.md\n")
    );
    assert_eq!(env.git(&["status", "--porcelain"]), "A  modules/gcp.nix\n");
    let hits = env.run(&["search", "firewall", "--json"]).ok().to_owned();
    assert!(hits.contains(&keep) && !hits.contains(&gone), "{hits}");
    // The history keeps it.
    assert!(
        env.git(&["log", "--all", "--format=%s"])
            .contains("journal: GCP firewall typo entry")
    );
}

#[test]
fn rm_without_a_terminal_or_yes_refuses() {
    let env = TestEnv::new();
    let id = add(&env, "Keep me", &[]);
    let stderr = env.run(&["rm", &id]).fails(1).to_owned();
    assert!(
        stderr.contains("error: not removing journal/2026/11/")
            && stderr.contains("stdin is not a terminal"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: pass --yes to remove it without asking"),
        "{stderr}"
    );
    assert_eq!(env.entry_files().len(), 1);
    let stderr = env.run(&["rm", "--yes", "2099"]).fails(1).to_owned();
    assert!(stderr.contains("no entry matches `2099`"), "{stderr}");
}

#[test]
fn rm_asks_on_a_terminal() {
    let env = TestEnv::new();
    let id = add(&env, "Ask first", &[]);
    for (answer, left) in [("n\n", 1), ("y\n", 0)] {
        let run = env.run_on_terminal(&["rm", &id], answer);
        let shown = run.ok();
        assert!(
            shown.contains(&format!("Remove {id} \"Ask first\"")),
            "{shown}"
        );
        assert_eq!(env.entry_files().len(), left, "after {answer:?}: {shown}");
    }
}

#[test]
fn rm_of_an_uncommitted_entry_and_of_a_superseded_one() {
    let env = TestEnv::new();
    let draft = add(&env, "Draft only", &["--no-commit"]);
    let before = env.commit_count();
    env.run(&["rm", "--yes", &draft]).ok();
    assert_eq!(env.commit_count(), before);
    assert!(env.entry_files().is_empty());

    let old = add(&env, "Old finding", &[]);
    add(&env, "New finding", &["--supersedes", &old]);
    let run = env.run(&["rm", "--yes", &old]);
    assert!(
        run.stderr.contains("supersedes the removed entry"),
        "{}",
        run.stderr
    );
    let check = env.run(&["check"]);
    check.fails(1);
    assert!(
        check.stdout.contains(&format!(
            "field `supersedes`: `{old}` is not the id of any entry"
        )),
        "{}",
        check.stdout
    );
}
