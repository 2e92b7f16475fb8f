use crate::common::{TestEnv, mask_host};

fn only_file(env: &TestEnv) -> String {
    let files = env.entry_files();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

#[test]
fn add_writes_the_documented_format_and_commits_that_file_alone() {
    let env = TestEnv::new();
    let evidence = env.commit_file("modules/hetzner/disko.nix", "{ luks = true; }\n");
    let head = env.git(&["rev-parse", "HEAD"]);
    let run = env.run(&[
        "add",
        "LUKS unlock over SSH works on Hetzner",
        "--provider",
        "hetzner",
        "--pattern",
        "luks",
        "--pattern",
        "disko",
        "--confidence",
        "proven",
        "--kind",
        "easy",
        "--story",
        "1.4",
        "--tag",
        "region=fsn1",
        "--commit",
        "HEAD",
    ]);
    assert_eq!(
        run.ok(),
        "20261126T105903Z-luks-unlock-over-ssh-works-on-hetzner\n"
    );
    let path = only_file(&env);
    assert_eq!(
        path,
        "journal/2026/11/20261126T105903Z-luks-unlock-over-ssh-works-on-hetzner.md"
    );
    let expected = format!(
        "---
id: 20261126T105903Z-luks-unlock-over-ssh-works-on-hetzner
date: 2026-11-26T11:59:03+01:00
title: LUKS unlock over SSH works on Hetzner
author: Ops <ops@example.org>
host: [host]
provider: [hetzner]
pattern: [luks, disko]
confidence: proven
kind: easy
story: \"1.4\"
commits: [{evidence}]
head: {head}tags: {{region: fsn1}}
---
"
    );
    assert_eq!(mask_host(&env.read(&path)), expected);
    assert!(
        env.read(&path)
            .lines()
            .any(|l| l.starts_with("host: ") && l.len() > 6)
    );

    let message = env.git(&["log", "-1", "--format=%B"]);
    assert_eq!(
        message,
        "journal: LUKS unlock over SSH works on Hetzner\n\n\
         Journal-Id: 20261126T105903Z-luks-unlock-over-ssh-works-on-hetzner\n\n"
    );
    assert_eq!(
        env.git(&["show", "--name-only", "--format=", "HEAD"]),
        format!("{path}\n")
    );
    assert_eq!(
        env.git(&["log", "-1", "--format=%an <%ae>"]),
        "Ops <ops@example.org>\n"
    );
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

#[test]
fn staged_and_modified_changes_stay_exactly_as_they_were() {
    let env = TestEnv::new();
    env.commit_file("main.tf", "resource {}\n");
    env.commit_file("flake.nix", "{ }\n");
    env.write("main.tf", "resource { staged = true }\n");
    env.git(&["add", "main.tf"]);
    env.write(
        "main.tf",
        "resource { staged = true, then = \"modified\" }\n",
    );
    env.write("flake.nix", "{ modified = true; }\n");
    env.write("new.txt", "untracked\n");
    env.write("added.txt", "staged new file\n");
    env.git(&["add", "added.txt"]);
    let status = env.git(&["status", "--porcelain"]);
    let staged = env.git(&["diff", "--cached"]);
    let unstaged = env.git(&["diff"]);

    env.run(&["add", "Noted while things are staged"]).ok();

    assert_eq!(env.git(&["status", "--porcelain"]), status);
    assert_eq!(env.git(&["diff", "--cached"]), staged);
    assert_eq!(env.git(&["diff"]), unstaged);
    assert_eq!(
        env.read("main.tf"),
        "resource { staged = true, then = \"modified\" }\n"
    );
    let files = env.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files.lines().count(), 1, "{files}");
    assert!(files.starts_with("journal/2026/11/"), "{files}");
}

#[test]
fn add_works_on_an_unborn_branch() {
    let env = TestEnv::bare_repo();
    env.run(&["init", "--no-commit"]).ok();
    let added = env
        .run(&["add", "First note before any commit", "--json"])
        .json();
    assert_eq!(env.commit_count(), 1);
    assert_eq!(
        env.git(&["rev-parse", "HEAD"]).trim(),
        added["commit"].as_str().unwrap()
    );
    assert_eq!(env.git(&["rev-parse", "--abbrev-ref", "HEAD"]), "main\n");
    let text = env.read(added["path"].as_str().unwrap());
    assert!(
        !text.contains("\nhead:"),
        "no head on an unborn branch:\n{text}"
    );
    assert_eq!(env.git(&["status", "--porcelain"]), "?? journal.toml\n");
}

#[test]
fn add_works_on_a_detached_head() {
    let env = TestEnv::new();
    env.commit_file("a.nix", "{ }\n");
    let main = env.git(&["rev-parse", "main"]);
    env.git(&["checkout", "-q", "--detach"]);
    env.run(&["add", "Detached note"]).ok();
    assert_eq!(
        env.git(&["rev-parse", "main"]),
        main,
        "the branch must not move"
    );
    assert_eq!(env.git(&["rev-parse", "HEAD~1"]), main);
    assert_eq!(
        env.git(&["log", "-1", "--format=%s"]),
        "journal: Detached note\n"
    );
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

#[test]
fn json_output_names_id_path_date_and_commit() {
    let env = TestEnv::new();
    let added = env.run(&["add", "JSON please", "--json"]).json();
    assert_eq!(added["id"], "20261126T105903Z-json-please");
    assert_eq!(
        added["path"],
        "journal/2026/11/20261126T105903Z-json-please.md"
    );
    assert_eq!(added["date"], "2026-11-26T11:59:03+01:00");
    assert_eq!(
        added["commit"].as_str().unwrap(),
        env.git(&["rev-parse", "HEAD"]).trim()
    );

    let added = env
        .run(&["add", "Not committed", "--json", "--no-commit"])
        .json();
    assert!(added["commit"].is_null());
}

#[test]
fn no_commit_and_commit_false_write_the_file_only() {
    let env = TestEnv::new();
    let before = env.commit_count();
    env.run(&["add", "Only a file", "--no-commit"]).ok();
    assert_eq!(env.commit_count(), before);
    let status = env.git(&["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(
        status,
        "?? journal/2026/11/20261126T105903Z-only-a-file.md\n"
    );

    let toml = env
        .read("journal.toml")
        .replace("commit = true", "commit = false");
    env.write("journal.toml", &toml);
    env.run(&["add", "Config says no"]).ok();
    assert_eq!(env.commit_count(), before);
    assert_eq!(env.entry_files().len(), 2);
}

#[test]
fn evidence_revisions_resolve_to_full_shas() {
    let env = TestEnv::new();
    let first = env.commit_file("one.nix", "1\n");
    let second = env.commit_file("two.nix", "2\n");
    env.git(&["tag", "-a", "v1", "-m", "release", &first]);
    env.git(&["branch", "feature", &second]);
    let short = &second[..7];
    let added = env
        .run(&[
            "add", "Evidence", "--commit", "HEAD~1", "--commit", short, "--commit", "feature",
            "--commit", "v1", "--json",
        ])
        .json();
    let text = env.read(added["path"].as_str().unwrap());
    assert!(
        text.contains(&format!("commits: [{first}, {second}]\n")),
        "{text}"
    );
}

#[test]
fn evidence_from_another_repository_is_written_name_colon_sha() {
    let env = TestEnv::new();
    let sha = env.other_repo("test-clan", "flake.nix", "clan");
    let toml = env.read("journal.toml") + "\n[repos.test-clan]\npath = \"../test-clan\"\n";
    env.write("journal.toml", &toml);

    let added = env
        .run(&[
            "add",
            "Cross-repo evidence",
            "--commit",
            "test-clan:HEAD",
            "--json",
        ])
        .json();
    let text = env.read(added["path"].as_str().unwrap());
    assert!(
        text.contains(&format!("commits: [test-clan:{sha}]\n")),
        "{text}"
    );
    let shown = env.run(&["show", added["id"].as_str().unwrap(), "--json"]);
    let shown = shown.json();
    assert_eq!(shown["commits"][0], format!("test-clan:{sha}"));
}

#[test]
fn text_words_are_joined_and_the_first_line_is_the_title() {
    let env = TestEnv::new();
    let added = env
        .run(&["add", "Zerotier", "mesh", "is", "up", "--json"])
        .json();
    let shown = env.run(&["show", added["id"].as_str().unwrap(), "--json"]);
    let shown = shown.json();
    assert_eq!(shown["title"], "Zerotier mesh is up");
    assert_eq!(shown["body"], "");

    let run = env.run_with_stdin(
        &["add", "-", "--json"],
        "GCP firewall needs UDP 9993\n\nOpened it with `google_compute_firewall`.\n",
    );
    let added = run.json();
    let shown = env.run(&["show", added["id"].as_str().unwrap(), "--json"]);
    let shown = shown.json();
    assert_eq!(shown["title"], "GCP firewall needs UDP 9993");
    assert_eq!(shown["body"], "Opened it with `google_compute_firewall`.\n");

    let added = env
        .run(&[
            "add",
            "All of this is body",
            "--title",
            "Given title",
            "--json",
        ])
        .json();
    let shown = env.run(&["show", added["id"].as_str().unwrap(), "--json"]);
    let shown = shown.json();
    assert_eq!(shown["title"], "Given title");
    assert_eq!(shown["body"], "All of this is body\n");
}

#[test]
fn ids_stay_unique_within_one_second() {
    let env = TestEnv::new();
    for _ in 0..3 {
        env.run(&["add", "Same second"]).ok();
    }
    env.run(&["add", "Other title"]).ok();
    assert_eq!(
        env.entry_files(),
        [
            "journal/2026/11/20261126T105903Z-other-title.md",
            "journal/2026/11/20261126T105903Z-same-second-2.md",
            "journal/2026/11/20261126T105903Z-same-second-3.md",
            "journal/2026/11/20261126T105903Z-same-second.md",
        ]
    );
}

#[test]
fn at_accepts_rfc3339_local_times_and_words() {
    let env = TestEnv::new();
    let date_of = |args: &[&str]| {
        let mut all = vec!["add", "When", "--json"];
        all.extend_from_slice(args);
        let added = env.run(&all).json();
        (
            added["date"].as_str().unwrap().to_owned(),
            added["path"].as_str().unwrap().to_owned(),
        )
    };
    let (date, path) = date_of(&["--at", "2026-11-01T23:30:00-05:00"]);
    assert_eq!(date, "2026-11-01T23:30:00-05:00");
    assert!(
        path.starts_with("journal/2026/11/20261102T043000Z-"),
        "UTC decides the folder: {path}"
    );
    let (date, _) = date_of(&["--at", "2026-10-31 08:15"]);
    assert_eq!(date, "2026-10-31T08:15:00+01:00");
    let (date, _) = date_of(&["--at", "yesterday 15:00"]);
    assert_eq!(date, "2026-11-25T15:00:00+01:00");
    let (date, _) = date_of(&["--at", "2 hours ago"]);
    assert_eq!(date, "2026-11-26T09:59:03+01:00");
    // A date alone is that day at 00:00 local time.
    let (date, _) = date_of(&["--at", "2026-10-31"]);
    assert_eq!(date, "2026-10-31T00:00:00+01:00");
    // The clock is pinned to Thursday 2026-11-26.
    let (date, _) = date_of(&["--at", "last monday"]);
    assert!(date.starts_with("2026-11-23T"), "{date}");

    let stderr = env
        .run(&["add", "When", "--at", "after lunch-ish"])
        .fails(1)
        .to_owned();
    assert!(
        stderr.contains("cannot read `after lunch-ish` as a date"),
        "{stderr}"
    );
}

#[test]
fn add_with_no_text_opens_the_editor() {
    let env = TestEnv::new();
    let script = env.home.join("editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nf=\"$1\"\n{ printf '# Disko on GCP needs a BIOS boot partition\\n\\nFound the hard way.\\n'; cat \"$f\"; } > \"$f.new\" && mv \"$f.new\" \"$f\"\n",
    )
    .unwrap();
    make_executable(&script);
    let run = env
        .journal()
        .env("EDITOR", &script)
        .args(["add", "--provider", "gcp", "--json"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let added: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let text = env.read(added["path"].as_str().unwrap());
    assert!(
        text.contains("title: Disko on GCP needs a BIOS boot partition\n"),
        "{text}"
    );
    assert!(text.ends_with("---\nFound the hard way.\n"), "{text}");
}

#[test]
fn an_empty_save_in_the_editor_aborts_cleanly() {
    let env = TestEnv::new();
    let before = env.commit_count();
    let run = env
        .journal()
        .env("EDITOR", "true")
        .arg("add")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("empty text: aborted, nothing was written")
    );
    assert_eq!(env.entry_files().len(), 0);
    assert_eq!(env.commit_count(), before);
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

pub fn make_executable(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn supersedes_records_the_full_id_of_an_existing_entry() {
    let env = TestEnv::new();
    let old = env.run(&["add", "Disko layout v1", "--at", "2026-10-02 10:00"]);
    let old_id = old.ok().trim().to_owned();
    let new = env.run(&["add", "Disko layout v2", "--supersedes", &old_id[..12]]);
    let new_id = new.ok().trim().to_owned();
    let file = env
        .entry_files()
        .into_iter()
        .find(|f| f.contains(&new_id))
        .unwrap();
    assert!(
        env.read(&file)
            .contains(&format!("supersedes: [{old_id}]\n"))
    );
    let err = env.run(&["add", "Nope", "--supersedes", "20200101T"]);
    assert!(err.fails(1).contains("20200101T"), "{}", err.stderr);
}

#[test]
fn metrics_are_stored_with_their_unit_in_the_name() {
    let env = TestEnv::new();
    env.run(&[
        "add",
        "Zerotier latency Hetzner to GCP",
        "--metric",
        "latency_p50_ms=8.4",
        "--metric",
        "provision=185s",
        "--metric",
        "loss=0.5%",
    ])
    .ok();
    let text = env.read(&only_file(&env));
    assert!(
        text.contains("metrics: {latency_p50_ms: 8.4, loss_pct: 0.5, provision_s: 185}\n"),
        "{text}"
    );

    let stderr = env
        .run(&["add", "x", "--metric", "latency=fast"])
        .fails(2)
        .to_owned();
    assert!(
        stderr.contains("metric `latency`: `fast` is not a number (expected NAME=NUMBER"),
        "{stderr}"
    );
    let stderr = env
        .run(&["add", "x", "--metric", "a=1", "--metric", "a=2"])
        .fails(1)
        .to_owned();
    assert!(
        stderr.contains("error: metric `a` is given twice: nothing was written"),
        "{stderr}"
    );
    assert_eq!(env.entry_files().len(), 1);
}

#[test]
fn a_repository_missing_from_repos_is_named() {
    let env = TestEnv::new();
    let stderr = env
        .run(&["add", "x", "--commit", "test-clan:HEAD"])
        .fails(1)
        .to_owned();
    assert!(
        stderr.contains("error: journal.toml has no [repos.test-clan] table (no [repos] at all)"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: add it to journal.toml:"), "{stderr}");
    assert!(stderr.contains("[repos.test-clan]"), "{stderr}");
}

#[test]
fn the_journals_own_commits_are_never_evidence() {
    let env = TestEnv::new();
    let infra = env.commit_file("infra/main.tf", "# hcloud server\n");
    let a = env.run(&["add", "a", "--commit", "HEAD", "--json"]).json();
    let b = env.run(&["add", "b", "--commit", "HEAD", "--json"]);
    let shown = |id: &serde_json::Value| {
        env.run(&["show", id.as_str().unwrap(), "--json"]).json()["commits"].clone()
    };
    assert_eq!(shown(&a["id"]), serde_json::json!([infra]));
    let b_json: serde_json::Value = serde_json::from_str(b.ok()).unwrap();
    assert_eq!(shown(&b_json["id"]), serde_json::json!([infra]));
    let journal_commit = a["commit"].as_str().unwrap();
    assert!(
        b.stderr.contains(&format!(
            "warning: `HEAD` is the journal's own commit {} (journal: a): citing {} (change \
             infra/main.tf) instead",
            &journal_commit[..10],
            &infra[..10]
        )),
        "{}",
        b.stderr
    );
    // Any other revision that names a journal commit is a miscount: refused, naming the
    // nearest commit to cite, and nothing is written.
    let before = env.entry_files().len();
    let stderr = env
        .run(&["add", "c", "--commit", "HEAD~1"])
        .fails(1)
        .to_owned();
    assert!(
        stderr.starts_with(&format!(
            "error: `HEAD~1` in the journal's repository is the journal's own commit {} (journal: a): not evidence",
            &journal_commit[..10]
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "hint: the nearest commit before it that is not the journal's is {} (change infra/main.tf)",
            &infra[..10]
        )),
        "{stderr}"
    );
    let stderr = env
        .run(&["add", "c", "--commit", journal_commit])
        .fails(1)
        .to_owned();
    assert!(stderr.contains("is the journal's own commit"), "{stderr}");
    assert_eq!(env.entry_files().len(), before);
    // Only journal commits below: nothing to cite.
    let fresh = TestEnv::new();
    let stderr = fresh
        .run(&["add", "c", "--commit", "HEAD"])
        .fails(1)
        .to_owned();
    assert!(
        stderr.contains("is the journal's own commit, and so is every commit before it"),
        "{stderr}"
    );
}

#[test]
fn a_date_in_the_future_is_refused_and_late_evidence_is_warned_about() {
    let env = TestEnv::new();
    // The pinned now is 2026-11-26T11:59:03+01:00.
    let stderr = env
        .run(&["add", "tomorrow's news", "--at", "2026-11-27 10:00"])
        .fails(1)
        .to_owned();
    assert!(
        stderr.contains("is in the future: nothing was written"),
        "{stderr}"
    );
    // The library's hint names the parameter; the CLI says it as its flag.
    assert!(stderr.contains("\nhint: --at takes the moment"), "{stderr}");
    assert!(env.entry_files().is_empty());
    // A few minutes ahead is clock skew, not the future.
    env.run(&["add", "skewed", "--at", "2026-11-26T12:02:00+01:00"])
        .ok();
    // Evidence committed (2026-11-20, pinned) after the observation it supports.
    let sha = env.commit_file("infra/main.tf", "# hcloud\n");
    let run = env.run(&["add", "early", "--at", "2026-11-01", "--commit", "HEAD"]);
    assert!(
        run.stderr.contains(&format!(
            "warning: evidence commit {sha} was made after the entry's date"
        )),
        "{}",
        run.stderr
    );
    let check = env.run(&["check"]);
    assert_eq!(check.code, 0, "a warning, not a problem: {}", check.stderr);
    assert!(
        check.stderr.contains("field `commits`: evidence commit")
            && check.stderr.contains("was made after the entry"),
        "{}",
        check.stderr
    );
}
