//! One rule for a bad entry file, in every reading command: each of its problems is reported
//! on stderr as `warning: path:line: field `f`: message` (the same line everywhere), the
//! answer comes from the good files, and the command exits 1 with one closing line saying
//! how many files were skipped.

use crate::common::TestEnv;

const BAD: &str = "journal/2026/10/20261002T080000Z-bad-provider.md";

const REPORT: &str = "warning: journal/2026/10/20261002T080000Z-bad-provider.md:4: field \
                      `provider`: unknown provider `aws` (allowed: hetzner, gcp)\n\
                      error: 1 entry file could not be read and was skipped\n\
                      hint: `journal check` lists every problem of every file\n";

fn journal_with_one_bad_file() -> TestEnv {
    let env = TestEnv::new();
    env.run(&[
        "add",
        "LUKS unlock over ssh works",
        "--provider",
        "hetzner",
        "--metric",
        "unlock_s=4",
        "--at",
        "2026-10-01T10:00:00+02:00",
    ])
    .ok();
    env.write(
        BAD,
        "---\ndate: 2026-10-02T10:00:00+02:00\ntitle: On another cloud\nprovider: [aws]\n---\n",
    );
    env
}

#[test]
fn every_reading_command_reports_the_same_line_answers_and_exits_1() {
    let env = journal_with_one_bad_file();
    let good = "LUKS unlock over ssh works";
    let id = "20261001T080000Z-luks-unlock-over-ssh-works";
    let commands: [(&[&str], &str); 7] = [
        (&["search", "luks"], good),
        (&["search", "luks", "--json"], id),
        (&["list"], good),
        (&["tags", "--json"], "\"hetzner\":1"),
        (&["show", id], good),
        (&["metrics"], "unlock_s"),
        (&["export", "--format", "jsonl"], id),
    ];
    for (args, answer) in commands {
        // Twice: the second run reads the bad file's problems back from the index.
        for _ in 0..2 {
            let run = env.run(args);
            assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
            assert_eq!(run.stderr, REPORT, "{args:?}");
            assert!(run.stdout.contains(answer), "{args:?}: {}", run.stdout);
        }
    }
    // check names the same place, as data.
    let check = env.run(&["check"]);
    assert_eq!(check.code, 1);
    assert!(
        check.stdout.starts_with(
            "journal/2026/10/20261002T080000Z-bad-provider.md:4: field `provider`: unknown \
             provider `aws`"
        ),
        "{}",
        check.stdout
    );
    // compile reports it too, and writes the documents from the good entries.
    let compile = env.run(&["compile", "--out", "docs", "--date", "2026-10-30"]);
    assert!(
        compile.stderr.starts_with(REPORT.lines().next().unwrap()),
        "{}",
        compile.stderr
    );
    assert!(env.read("docs/INTEGRATION-FINDINGS.md").contains(good));
    // Once fixed, every command succeeds again.
    std::fs::remove_file(env.repo.join(BAD)).unwrap();
    for args in [&["list"][..], &["tags"], &["search", "luks"]] {
        assert_eq!(env.run(args).stderr, "", "{args:?}");
    }
}

#[test]
fn a_json_report_carries_the_skipped_files_typed() {
    let env = journal_with_one_bad_file();
    let run = env.run(&["tags", "--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    // The same place as the stderr line, as data a script reads without parsing it.
    assert_eq!(
        report["skipped"],
        serde_json::json!([{
            "path": BAD,
            "problems": [{
                "line": 4,
                "field": "provider",
                "message": "unknown provider `aws` (allowed: hetzner, gcp)",
            }],
        }]),
        "{report}"
    );
    // With nothing skipped, the key is absent: the object is as before.
    std::fs::remove_file(env.repo.join(BAD)).unwrap();
    let clean = env.run(&["tags", "--json"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    assert!(!clean.stdout.contains("skipped"), "{}", clean.stdout);
}
