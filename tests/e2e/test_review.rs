//! `journal review` and `journal list --since-review`: what changed since I last looked.

use crate::common::TestEnv;

#[test]
fn a_review_marks_here_and_the_next_one_shows_only_what_came_after() {
    let env = TestEnv::new();
    env.run(&["add", "first finding", "--provider", "hetzner"])
        .ok();
    // Never reviewed: every entry is new.
    let shown = env.run(&["review", "--show"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert!(
        shown.stdout.contains("  first finding\n"),
        "{}",
        shown.stdout
    );
    assert!(
        shown
            .stderr
            .contains("1 new entry, 0 edited, 0 removed (never reviewed)."),
        "{}",
        shown.stderr
    );
    assert!(
        env.git(&["for-each-ref", "refs/journal"]).is_empty(),
        "--show marks nothing"
    );
    let marked = env.run(&["review", "--json"]).json();
    let head = env.git(&["rev-parse", "HEAD"]).trim().to_owned();
    assert_eq!(marked["commit"], serde_json::json!(head));
    // The ref is a review commit on no branch: HEAD its parent, the evidence in its tree.
    assert_eq!(
        env.git(&["rev-parse", "refs/journal/reviews/ops@example.org^"])
            .trim(),
        head
    );
    assert!(
        env.git(&[
            "branch",
            "--contains",
            "refs/journal/reviews/ops@example.org"
        ])
        .trim()
        .is_empty()
    );
    assert!(
        env.git(&["show", "refs/journal/reviews/ops@example.org:evidence.json"])
            .contains("\"not_pushed\"")
    );

    env.run(&["add", "second finding", "--provider", "gcp"])
        .ok();
    env.run(&[
        "assess",
        "luks",
        "--confidence",
        "uncertain",
        "--rationale",
        "Not tried yet.",
    ])
    .ok();
    let first = env.run(&["list", "--json"]).stdout.lines().count();
    assert_eq!(first, 3);
    let since = env.run(&["list", "--since-review"]);
    let titles: Vec<&str> = since.stdout.lines().collect();
    assert_eq!(titles.len(), 2, "{}", since.stdout);
    assert!(since.stdout.contains("second finding"), "{}", since.stdout);
    assert!(!since.stdout.contains("first finding"), "{}", since.stdout);
    let report = env.run(&["review", "--show", "--json"]).json();
    assert_eq!(report["added"].as_array().unwrap().len(), 2, "{report}");
    assert_eq!(
        report["assessments"].as_array().unwrap().len(),
        1,
        "{report}"
    );
    assert_eq!(report["reviewed"], serde_json::json!(head));

    // An edit after the review shows as edited; the mark moves on the next review.
    let id = report["added"][1]["id"].as_str().unwrap().to_owned();
    let shown = env.run(&["review"]);
    assert!(
        shown
            .stderr
            .contains("2 new entries, 0 edited, 0 removed, 1 assessment"),
        "{}",
        shown.stderr
    );
    let path = env.run(&["show", &id, "--json"]).json()["path"]
        .as_str()
        .unwrap()
        .to_owned();
    let text = env
        .read(&path)
        .replace("second finding", "second finding, corrected");
    env.write(&path, &text);
    env.git(&["commit", "-q", "-am", "edit"]);
    let report = env.run(&["review", "--show", "--json"]).json();
    assert_eq!(report["added"], serde_json::json!([]), "{report}");
    assert_eq!(
        report["changed"][0]["id"],
        serde_json::json!(id),
        "{report}"
    );
    assert!(
        env.run(&["list", "--since-review"])
            .stdout
            .contains("corrected")
    );
}

#[test]
fn a_review_in_a_repository_without_a_commit_is_refused() {
    let env = TestEnv::bare_repo();
    let stderr = env.run(&["review"]).fails(1).to_owned();
    assert!(stderr.contains("error: "), "{stderr}");
}

#[test]
fn evidence_that_became_pushed_or_missing_since_the_review_is_reported() {
    let env = TestEnv::new();
    let pushed_later = env.commit_file("infra/main.tf", "# hcloud\n");
    env.git(&["checkout", "-q", "-b", "side"]);
    let lost_later = env.commit_file("infra/side.tf", "# an experiment\n");
    env.git(&["checkout", "-q", "main"]);
    env.run(&["add", "pushed later", "--commit", &pushed_later])
        .ok();
    env.run(&["add", "lost later", "--commit", &lost_later])
        .ok();
    env.run(&["review"]).ok();
    // Since: main is pushed to a remote; the side branch and its commit are gone.
    let hub = env.repo.parent().unwrap().join("hub.git");
    env.git_in(
        env.repo.parent().unwrap(),
        &["init", "-q", "--bare", "hub.git"],
    );
    env.git(&["remote", "add", "origin", hub.to_str().unwrap()]);
    env.git(&["push", "-q", "origin", "main"]);
    env.git(&["branch", "-q", "-D", "side"]);
    env.git(&["reflog", "expire", "--expire=now", "--all"]);
    env.git(&["gc", "-q", "--prune=now"]);
    let report = env.run(&["review", "--show", "--json"]).json();
    assert_eq!(
        report["became_pushed"],
        serde_json::json!([pushed_later]),
        "{report}"
    );
    assert_eq!(
        report["became_missing"],
        serde_json::json!([lost_later]),
        "{report}"
    );
}

#[test]
fn a_review_ref_held_by_another_writer_is_refused_and_the_last_mark_stays() {
    let env = TestEnv::new();
    env.run(&["add", "first finding", "--provider", "hetzner"])
        .ok();
    env.run(&["review"]).ok();
    let reference = "refs/journal/reviews/ops@example.org";
    let first = env.git(&["rev-parse", reference]).trim().to_owned();
    env.run(&["add", "second finding", "--provider", "gcp"])
        .ok();
    // Another writer (a `git update-ref`, a second `journal review`) holds the ref's lock.
    let lock = env.repo.join(".git").join(format!("{reference}.lock"));
    std::fs::write(&lock, "").unwrap();
    let stderr = env.run(&["review"]).fails(1).to_owned();
    assert!(
        stderr.starts_with(&format!("error: {} exists: ", lock.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("remove it (`rm {}`)", lock.display())),
        "the hint names the lock: {stderr}"
    );
    assert_eq!(
        env.git(&["rev-parse", reference]).trim(),
        first,
        "the last mark stays whole"
    );
    let shown = env.run(&["review", "--show"]);
    assert!(
        shown.stderr.contains("1 new entry, 0 edited, 0 removed"),
        "{}",
        shown.stderr
    );
    // The lock gone, the same command marks.
    std::fs::remove_file(&lock).unwrap();
    env.run(&["review"]).ok();
    let head = env.git(&["rev-parse", "HEAD"]).trim().to_owned();
    assert_eq!(
        env.git(&["rev-parse", &format!("{reference}^")]).trim(),
        head
    );
}
