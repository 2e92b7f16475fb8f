use crate::common::TestEnv;

#[test]
fn check_passes_a_sound_journal() {
    let env = TestEnv::new();
    // Evidence is an infrastructure commit (the journal's own commits never are).
    env.commit_file("infra/main.tf", "# hcloud server\n");
    env.run(&["add", "Sound", "--commit", "HEAD"]).ok();
    let run = env.run(&["check"]);
    assert_eq!(run.ok(), "");
    assert_eq!(run.stderr, "Checked 1 entry: no problems.\n");
}

#[test]
fn check_reports_every_problem_with_path_and_line() {
    let env = TestEnv::new();
    let missing = "0123456789abcdef0123456789abcdef01234567";
    env.write(
        "journal/2026/10/20261001T080000Z-bad-yaml.md",
        "---\ndate: 2026-10-01T10:00:00+02:00\ntitle: Bad YAML\nprovider: [hetzner\n---\n",
    );
    env.write(
        "journal/2026/10/20261002T080000Z-bad-date.md",
        "---\ndate: 2026-10-02\ntitle: Bad date\n---\n",
    );
    env.write(
        "journal/2026/10/20261003T080000Z-unknown-provider.md",
        "---\ndate: 2026-10-03T10:00:00+02:00\ntitle: Unknown provider\nprovider: [azure]\n---\n",
    );
    env.write(
        "journal/2026/10/20261004T080000Z-missing-commit.md",
        &format!("---\ndate: 2026-10-04T10:00:00+02:00\ntitle: Missing commit\ncommits: [{missing}, ghost:{missing}]\n---\n"),
    );
    let same = "---\ndate: 2026-10-05T10:00:00+02:00\ntitle: Twice\n---\n";
    env.write("journal/2026/10/20261005T080000Z-twice.md", same);
    env.write("journal/2026/11/20261005T080000Z-twice.md", same);
    let run = env.run(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        format!(
            "journal/2026/10/20261001T080000Z-bad-yaml.md:4: field `provider`: unclosed bracket '['\n\
             journal/2026/10/20261002T080000Z-bad-date.md:2: field `date`: `2026-10-02` is not an RFC 3339 date with a UTC offset (for example 2026-11-26T11:59:03+01:00), nor a local YYYY-MM-DD HH:MM\n\
             journal/2026/10/20261003T080000Z-unknown-provider.md:4: field `provider`: unknown provider `azure` (allowed: hetzner, gcp)\n\
             journal/2026/10/20261004T080000Z-missing-commit.md:4: field `commits`: evidence commit `{missing}` does not exist in the journal's repository\n\
             journal/2026/10/20261004T080000Z-missing-commit.md:4: field `commits`: `ghost:{missing}` names repository `ghost`, which journal.toml's [repos] does not list\n\
             journal/2026/11/20261005T080000Z-twice.md:1: field `id`: duplicate id `20261005T080000Z-twice`, also in journal/2026/10/20261005T080000Z-twice.md\n"
        )
    );
    assert_eq!(run.stderr, "error: checked 6 entries: 6 problems\n");
}

#[test]
fn check_reports_a_supersedes_id_that_names_no_entry() {
    let env = TestEnv::new();
    env.write(
        "journal/2026/10/20261001T080000Z-old.md",
        "---\ndate: 2026-10-01T10:00:00+02:00\ntitle: Old\n---\n",
    );
    env.write(
        "journal/2026/10/20261002T080000Z-new.md",
        "---\ndate: 2026-10-02T10:00:00+02:00\ntitle: New\n\
         supersedes: [20261001T080000Z-old, 20200101T000000Z-gone]\n---\n",
    );
    let run = env.run(&["check"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "journal/2026/10/20261002T080000Z-new.md:4: field `supersedes`: \
         `20200101T000000Z-gone` is not the id of any entry\n"
    );
}

#[test]
fn every_problem_of_a_file_is_reported_at_once() {
    let env = TestEnv::new();
    env.write(
        "journal/2026/10/20261002T080000Z-many.md",
        "---\ndate: someday\ntitle: Many problems\nprovider: [aws]\nconfidence: sure\nkind: gossip\n\
         commits: [0123456789abcdef0123456789abcdef01234567]\n---\n",
    );
    let run = env.run(&["check"]);
    assert_eq!(run.code, 1);
    let fields: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| {
            l.split("field `")
                .nth(1)
                .unwrap_or("?")
                .split('`')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(
        fields,
        ["date", "provider", "confidence", "kind", "commits"],
        "{}",
        run.stdout
    );
}

#[test]
fn local_dates_and_short_commit_ids_are_read_and_fixed() {
    let env = TestEnv::new();
    let sha = env.commit_file("infra/main.tf", "# hcloud\n");
    let path = "journal/2026/11/20261121T081500Z-by-hand.md";
    env.write(
        path,
        &format!(
            "---\ndate: 2026-11-21 09:15\ntitle: Written by hand\ncommits: [{}]\n---\nBody.\n",
            &sha[..8]
        ),
    );
    // Read as meant: local time (the tests' TZ is CET), the full commit id.
    let listed = env.run(&["list", "--json"]).json();
    assert_eq!(listed["date"], "2026-11-21T09:15:00+01:00");
    assert_eq!(listed["commits"], serde_json::json!([sha]));
    let check = env.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains(&format!("warning: {path}:2: field `date`: no UTC offset: taken as local time, 2026-11-21T09:15:00+01:00")), "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains(&format!("{path}:4: field `commits`: short commit id")),
        "{}",
        check.stderr
    );
    // --fix writes the canonical form and commits it like an edit.
    let head = env.git(&["rev-parse", "HEAD"]);
    let fixed = env.run(&["check", "--fix"]);
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
    assert!(
        fixed.stderr.contains(&format!("Fixed {path} in commit")),
        "{}",
        fixed.stderr
    );
    assert_ne!(env.git(&["rev-parse", "HEAD"]), head);
    let text = env.read(path);
    assert!(text.contains("date: 2026-11-21T09:15:00+01:00\n"), "{text}");
    assert!(text.contains(&format!("commits: [{sha}]")), "{text}");
    assert_eq!(
        env.run(&["check"]).stderr,
        "Checked 1 entry: no problems.\n"
    );
    // A short id that names no commit is a problem.
    env.write(
        "journal/2026/11/20261122T081500Z-bad-id.md",
        "---\ndate: 2026-11-22T09:15:00+01:00\ntitle: Bad id\ncommits: [deadbeef1]\n---\n",
    );
    let bad = env.run(&["check"]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stdout
            .contains("short commit id `deadbeef1` names no single commit"),
        "{}",
        bad.stdout
    );
}

#[test]
fn an_entry_dated_in_the_future_is_warned_about() {
    let env = TestEnv::new();
    let path = "journal/2027/03/20270301T080000Z-from-a-wrong-clock.md";
    env.write(
        path,
        "---\ndate: 2027-03-01T08:00:00Z\ntitle: From a wrong clock\n---\nBody.\n",
    );
    let check = env.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains(&format!(
            "warning: {path}:2: field `date`: 2027-03-01T08:00:00+00:00 is in the future"
        )),
        "{}",
        check.stderr
    );
}
