//! `journal assess`: the operator's verdict on a pattern, its refusals, and the confidence
//! table it states.

use crate::common::TestEnv;

#[test]
fn an_assessment_is_recorded_and_the_newest_per_pattern_and_provider_is_the_tables_row() {
    let env = TestEnv::new();
    let sha = env.commit_file("infra/luks.nix", "# initrd ssh\n");
    env.run(&[
        "add",
        "LUKS unlock over SSH works",
        "--provider",
        "hetzner",
        "--pattern",
        "luks",
        "--commit",
        "HEAD",
        "--at",
        "2026-11-02 10:00",
    ])
    .ok();
    let first = env
        .run(&[
            "assess",
            "luks",
            "--provider",
            "hetzner",
            "--confidence",
            "proven",
            "--rationale",
            "Unlocked once.",
            "--at",
            "2026-11-03 10:00",
            "--json",
        ])
        .json();
    assert!(first["commit"].is_string(), "{first}");
    let path = first["path"].as_str().unwrap();
    let text = env.read(path);
    assert!(text.contains("kind: assessment\n"), "{text}");
    assert!(
        text.contains("title: \"Assessment of luks on hetzner: proven\"\n"),
        "{text}"
    );
    assert!(
        text.ends_with("---\nUnlocked once.\n") || text.ends_with("---\nUnlocked once."),
        "{text}"
    );
    // The rationale from stdin; the newer assessment of the pair wins.
    env.run_with_stdin(
        &[
            "assess",
            "luks",
            "--provider",
            "hetzner",
            "--confidence",
            "needs-testing",
            "--rationale",
            "-",
            "--commit",
            &sha,
            "--at",
            "2026-11-04 10:00",
        ],
        "Unlocked once; a reboot after a kernel update is still to try.\n",
    )
    .ok();
    env.run(&["compile", "--out", "docs"]).ok();
    let findings = env.read("docs/INTEGRATION-FINDINGS.md");
    let row = findings
        .lines()
        .find(|l| l.starts_with("| luks |"))
        .unwrap_or_else(|| panic!("{findings}"));
    assert!(
        row.starts_with(
            "| luks | hetzner | needs-testing | Unlocked once; a reboot after a kernel update is still to try. ([assessment]("
        ),
        "{row}"
    );
    assert!(
        row.ends_with("| 1 entry, 1 commit, 2026-11-02 | holds |"),
        "{row}"
    );
    // Assessments are not listed among the section's observations.
    assert!(!findings.contains("**Assessment of"), "{findings}");
    assert_eq!(
        findings
            .lines()
            .filter(|l| l.starts_with("| zerotier | all | not assessed |"))
            .count(),
        1
    );
}

#[test]
fn an_assessment_without_rationale_or_with_an_unknown_pattern_writes_nothing() {
    let env = TestEnv::new();
    let stderr = env
        .run(&[
            "assess",
            "luks",
            "--confidence",
            "proven",
            "--rationale",
            "  ",
        ])
        .fails(1)
        .to_owned();
    assert!(
        stderr.starts_with("error: an assessment needs its rationale: nothing was written"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: give it with --rationale"),
        "{stderr}"
    );
    let stderr = env
        .run(&[
            "assess",
            "lux",
            "--confidence",
            "proven",
            "--rationale",
            "x",
        ])
        .fails(1)
        .to_owned();
    assert!(
        stderr.contains("unknown pattern `lux`") && stderr.contains("did you mean `luks`?"),
        "{stderr}"
    );
    let stderr = env
        .run(&[
            "assess",
            "luks",
            "--provider",
            "aws",
            "--confidence",
            "proven",
            "--rationale",
            "x",
        ])
        .fails(1)
        .to_owned();
    assert!(stderr.contains("unknown provider `aws`"), "{stderr}");
    let stderr = env
        .run(&["assess", "luks", "--confidence", "sure", "--rationale", "x"])
        .fails(2)
        .to_owned();
    assert!(stderr.contains("needs-testing"), "{stderr}");
    assert!(env.entry_files().is_empty());
}

#[test]
fn a_hand_written_assessment_of_the_wrong_shape_is_reported_and_skipped() {
    let env = TestEnv::new();
    env.write(
        "journal/2026/11/20261101T090000Z-bad.md",
        "---\nid: 20261101T090000Z-bad\ndate: 2026-11-01T10:00:00+01:00\ntitle: Bad\n\
         pattern: [luks, disko]\nkind: assessment\n---\n",
    );
    let check = env.run(&["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    for wanted in [
        "field `pattern`: an assessment names exactly one pattern, this one 2",
        "field `confidence`: an assessment states a confidence level",
        "an assessment gives its rationale in the body, this one is empty",
    ] {
        assert!(check.stdout.contains(wanted), "{wanted}: {}", check.stdout);
    }
}
