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
    assert_eq!(
        env.git(&["rev-parse", "refs/journal/reviews/ops@example.org"])
            .trim(),
        head
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
