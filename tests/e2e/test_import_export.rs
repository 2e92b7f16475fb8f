//! `journal import` (jrnl's JSON export, `journal export` output) and `journal export`.

use std::path::Path;

use crate::common::TestEnv;

fn jrnl_sample() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import/jrnl-export.json")
        .display()
        .to_string()
}

#[test]
fn a_jrnl_export_is_imported_in_one_commit_and_again_adds_nothing() {
    let env = TestEnv::new();
    let before = env.commit_count();
    let run = env.run(&["import", "--from", "jrnl", &jrnl_sample()]);
    // jrnl's times are local (TZ is CET-1 here): 09:30 is 08:30 UTC.
    assert_eq!(
        run.ok(),
        "20261005T083000Z-hetzner-cx22-came-up-in-three-minutes\n\
         20261006T100500Z-luks-passphrase-must-be-a-file-during-install\n\
         20261014T093000Z-gcp-firewall-blocks-zerotier-until-udp-9993-is\n\
         20261014T093000Z-gcp-firewall-blocks-zerotier-until-udp-9993-is-2\n\
         20261020T140000Z-chose-clan-vars-over-plain-sops-nix\n\
         20261023T083000Z-multi-line-entry-about-the-zerotier-controller\n"
    );
    assert!(
        run.stderr.contains("Imported 6 of 6 entries from"),
        "{}",
        run.stderr
    );
    assert_eq!(env.commit_count(), before + 1);
    let last = env.git(&["show", "--name-only", "--format=%s", "HEAD"]);
    assert!(
        last.starts_with("journal: import 6 entries from jrnl\n"),
        "{last}"
    );
    assert_eq!(last.lines().filter(|l| l.ends_with(".md")).count(), 6);

    let hetzner =
        env.read("journal/2026/10/20261005T083000Z-hetzner-cx22-came-up-in-three-minutes.md");
    for expected in [
        "date: 2026-10-05T09:30:00+01:00\n",
        "title: Hetzner cx22 came up in three minutes.\n",
        "author: Ops <ops@example.org>\n",
        "provider: [hetzner]\n",
        "pattern: [terranix]\n",
        "tags: {source: jrnl}\n",
        "---\n@hetzner @terranix provisioning via the null_resource was smooth.\n",
    ] {
        assert!(
            hetzner.contains(expected),
            "{expected:?} not in:\n{hetzner}"
        );
    }
    let luks = env
        .read("journal/2026/10/20261006T100500Z-luks-passphrase-must-be-a-file-during-install.md");
    assert!(luks.contains("pattern: [disko, luks]\n"), "{luks}");
    assert!(
        luks.contains("tags: {hard: \"true\", source: jrnl}\n"),
        "{luks}"
    );
    let starred =
        env.read("journal/2026/10/20261020T140000Z-chose-clan-vars-over-plain-sops-nix.md");
    assert!(
        starred.contains("pattern: [clan-vars, sops-nix]\n"),
        "{starred}"
    );
    assert!(
        starred.contains("tags: {source: jrnl, starred: \"true\"}\n"),
        "{starred}"
    );
    assert!(starred.contains("ünïcode body ✓"), "{starred}");
    let multi = env
        .read("journal/2026/10/20261023T083000Z-multi-line-entry-about-the-zerotier-controller.md");
    assert!(
        multi.ends_with("---\nThe controller is a single point of failure for joins.\nPeers keep talking when it is down. @zerotier @limitation\n"),
        "{multi}"
    );
    // Searchable at once.
    assert!(
        env.run(&["search", "passwordFile"])
            .ok()
            .contains("LUKS passphrase")
    );

    let again = env.run(&["import", "--from", "jrnl", &jrnl_sample()]);
    assert_eq!(again.ok(), "");
    assert!(
        again.stderr.contains("Imported 0 of 6 entries from")
            && again.stderr.contains("6 already in the journal"),
        "{}",
        again.stderr
    );
    assert_eq!(env.commit_count(), before + 1);
    assert_eq!(env.entry_files().len(), 6);
}

#[test]
fn a_bad_jrnl_entry_is_reported_and_skipped() {
    let env = TestEnv::new();
    let file = env.repo.join("mixed.json");
    std::fs::write(
        &file,
        r#"{"tags": {}, "entries": [
          {"title": "Token pasted by mistake", "body": "HCLOUD_TOKEN=abc123def456ghi789jkl012mno345pqr678", "date": "2026-10-05", "time": "09:00", "tags": [], "starred": false},
          {"title": "Bad date", "body": "", "date": "05/10/2026", "time": "09:00", "tags": [], "starred": false},
          {"title": "Fine", "body": "ok", "date": "2026-10-05", "time": "10:00", "tags": ["@gcp"], "starred": false}
        ]}"#,
    )
    .unwrap();
    let run = env.run(&["import", "--from", "jrnl", file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "20261005T090000Z-fine\n");
    assert!(
        run.stderr
            .contains("warning: entry 1 (2026-10-05 Token pasted by mistake): looks like it holds"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "warning: entry 2 (05/10/2026 Bad date): date `05/10/2026` is not YYYY-MM-DD; skipped"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: 2 entries could not be imported"),
        "{}",
        run.stderr
    );
    assert!(!env.git(&["log", "-p"]).contains("abc123def456"));

    std::fs::write(&file, "[1, 2]").unwrap();
    let stderr = env
        .run(&["import", "--from", "jrnl", file.to_str().unwrap()])
        .fails(1)
        .to_owned();
    assert!(stderr.contains("error: not a jrnl JSON export"), "{stderr}");
    assert!(
        stderr.contains("hint: make one with `jrnl --export json > FILE`"),
        "{stderr}"
    );
}

/// A journal with entries using every field.
fn rich_journal() -> TestEnv {
    let env = TestEnv::new();
    let sha = env.commit_file("modules/hetzner.nix", "{ }\n");
    let old = env
        .run(&[
            "add",
            "Disko v1",
            "--at",
            "2026-10-06T10:00:00+02:00",
            "--provider",
            "hetzner",
            "--pattern",
            "disko",
            "--kind",
            "finding",
        ])
        .ok()
        .trim()
        .to_owned();
    env.run(&[
        "add",
        "Disko v2\n\n# Layout\n\nLVM inside LUKS.\n\n```sh\n# not a heading\n```",
        "--at",
        "2026-10-19T09:40:00+02:00",
        "--provider",
        "hetzner",
        "--pattern",
        "disko,luks",
        "--confidence",
        "needs-testing",
        "--kind",
        "decision",
        "--story",
        "1.4",
        "--commit",
        &sha,
        "--supersedes",
        &old,
        "--tag",
        "region=fsn1",
        "--metric",
        "install_s=662",
    ])
    .ok();
    env.run(&[
        "add",
        "GCP is slower",
        "--at",
        "2026-10-12T16:50:00+02:00",
        "--provider",
        "gcp",
        "--metric",
        "provision_s=291",
    ])
    .ok();
    env
}

#[test]
fn export_and_import_round_trip_byte_for_byte() {
    let source = rich_journal();
    for format in ["json", "jsonl"] {
        let exported = source.run(&["export", "--format", format]).ok().to_owned();
        let target = TestEnv::new();
        let file = target.repo.join(format!("export.{format}"));
        std::fs::write(&file, &exported).unwrap();
        let run = target.run(&["import", "--from", "journal", file.to_str().unwrap()]);
        run.ok();
        assert_eq!(target.entry_files(), source.entry_files(), "{format}");
        for rel in source.entry_files() {
            assert_eq!(target.read(&rel), source.read(&rel), "{format}: {rel}");
        }
        // And the export of the copy is the export of the original.
        assert_eq!(
            target.run(&["export", "--format", format]).ok(),
            exported,
            "{format}"
        );
        let again = target.run(&["import", "--from", "journal", file.to_str().unwrap()]);
        assert!(
            again.stderr.contains("3 already in the journal"),
            "{}",
            again.stderr
        );
    }
}

#[test]
fn export_is_chronological_filtered_and_markdown_too() {
    let env = rich_journal();
    let json: serde_json::Value = serde_json::from_str(env.run(&["export"]).ok()).unwrap();
    let titles: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Disko v1", "GCP is slower", "Disko v2"]);
    let gcp = env
        .run(&["export", "--format", "jsonl", "--provider", "gcp"])
        .ok()
        .to_owned();
    assert_eq!(gcp.lines().count(), 1);
    assert!(gcp.contains("\"title\":\"GCP is slower\""), "{gcp}");

    let md = env
        .run(&["export", "--format", "md", "--pattern", "disko"])
        .ok()
        .to_owned();
    assert!(
        md.starts_with("# Journal\n\n2 entries, 2026-10-06 to 2026-10-19.\n\n## Disko v1\n"),
        "{md}"
    );
    for expected in [
        "## Disko v2\n\n- id: 20261019T074000Z-disko-v2\n- date: 2026-10-19T09:40:00+02:00\n",
        "- path: journal/2026/10/20261019T074000Z-disko-v2.md\n",
        "- pattern: disko, luks\n",
        "- supersedes: 20261006T080000Z-disko-v1\n",
        "- metrics: install_s=662\n",
        "\n### Layout\n\nLVM inside LUKS.\n\n```sh\n# not a heading\n```\n",
    ] {
        assert!(md.contains(expected), "{expected:?} not in:\n{md}");
    }
    let out = env.repo.join("journal-export.md");
    let run = env.run(&["export", "--format", "md", "-o", out.to_str().unwrap()]);
    assert_eq!(run.ok(), "");
    assert!(
        run.stderr.contains("Exported 3 entries to"),
        "{}",
        run.stderr
    );
    assert!(
        std::fs::read_to_string(out)
            .unwrap()
            .contains("## GCP is slower")
    );
}

#[test]
fn the_markdown_export_passes_markdownlint_whatever_the_bodies_hold() {
    let env = TestEnv::new();
    let body = "# Steps\n```\ncryptsetup luksFormat /dev/sda2\n```\nSee https://wiki.nixos.org/wiki/Full_Disk_Encryption.\n## Result\n- works";
    env.run_with_stdin(&["add", "-"], &format!("LUKS on the cx32\n\n{body}"))
        .ok();
    env.run(&["add", "Second entry\n\nplain text"]).ok();
    env.run(&["export", "--format", "md", "-o", "journal.md"])
        .ok();
    let text = env.read("journal.md");
    // The body's fence gets a language, its URL angle brackets, its headings go under the
    // entry's.
    assert!(text.contains("```text\ncryptsetup luksFormat"), "{text}");
    assert!(
        text.contains("<https://wiki.nixos.org/wiki/Full_Disk_Encryption>"),
        "{text}"
    );
    assert!(text.contains("\n### Steps\n"), "{text}");
    crate::test_compile::markdownlint_files(&[env.repo.join("journal.md")]);
}
