use crate::common::TestEnv;

#[test]
fn check_passes_a_sound_journal() {
    let env = TestEnv::new();
    // Evidence is an infrastructure commit (the journal's own commits never are).
    env.commit_file("infra/main.tf", "# hcloud server\n");
    env.run(&["add", "Sound", "--commit", "HEAD"]).ok();
    let run = env.run(&["check"]);
    assert_eq!(run.ok(), "");
    assert_eq!(run.stderr, "Checked 1 entries: no problems.\n");
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
             journal/2026/10/20261002T080000Z-bad-date.md:2: field `date`: `2026-10-02` is not an RFC 3339 date with a UTC offset (for example 2026-11-26T11:59:03+01:00)\n\
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
