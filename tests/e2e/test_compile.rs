//! `journal compile` against the fixtures in tests/fixtures/compile/<case>/: journal.toml, an
//! entries folder, a setup.sh building the evidence repositories with pinned dates, the
//! compile arguments, and the expected documents, stderr and exit code in expected/ (insta snapshots).
//!
//! The expected outputs are insta snapshots: `INSTA_UPDATE=always cargo test --test e2e
//! compile` (or `cargo insta review`) rewrites them; review the diff before committing it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::NOW;

pub const DOCUMENTS: [&str; 2] = ["INTEGRATION-FINDINGS.md", "ARCHITECTURAL-DECISIONS.md"];

struct Case {
    _dir: tempfile::TempDir,
    root: PathBuf,
    infra: PathBuf,
    fixture: PathBuf,
    args: Vec<String>,
}

struct Outcome {
    stdout: String,
    stderr: String,
    code: i32,
}

fn isolated(cmd: &mut Command, root: &Path) {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", root)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("TZ", "CET-1")
        .env("LC_ALL", "C");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for item in std::fs::read_dir(from).unwrap() {
        let item = item.unwrap();
        let target = to.join(item.file_name());
        if item.file_type().unwrap().is_dir() {
            copy_dir(&item.path(), &target);
        } else {
            std::fs::copy(item.path(), target).unwrap();
        }
    }
}

impl Case {
    /// Builds the case's repositories and journal in a temporary folder.
    fn new(name: &str) -> Self {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/compile")
            .join(name);
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let mut setup = Command::new("bash");
        setup.arg(fixture.join("setup.sh")).current_dir(&root);
        isolated(&mut setup, &root);
        let out = setup.output().unwrap();
        assert!(out.status.success(), "setup.sh: {out:?}");
        let infra = root.join("infra");
        std::fs::copy(fixture.join("journal.toml"), infra.join("journal.toml")).unwrap();
        copy_dir(&fixture.join("entries"), &infra.join("journal"));
        // The entries are committed, as a journal's are (an uncommitted one is warned about).
        for args in [
            &["add", "journal.toml", "journal"][..],
            &["commit", "-q", "-m", "journal: the fixture's entries"],
        ] {
            let mut git = Command::new("git");
            isolated(&mut git, &root);
            let out = git
                .current_dir(&infra)
                .env("GIT_AUTHOR_DATE", "2026-10-20T12:00:00Z")
                .env("GIT_COMMITTER_DATE", "2026-10-20T12:00:00Z")
                .args(["-c", "user.name=Ops", "-c", "user.email=ops@example.org"])
                .args(args)
                .output()
                .unwrap();
            assert!(out.status.success(), "git {args:?}: {out:?}");
        }
        let args = std::fs::read_to_string(fixture.join("args"))
            .unwrap()
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        Self {
            _dir: dir,
            root,
            infra,
            fixture,
            args,
        }
    }

    fn compile(&self, extra: &[&str]) -> Outcome {
        self.compile_with(extra, Command::new(env!("CARGO_BIN_EXE_journal")))
    }

    /// Runs `cmd` (the journal binary, or a shell that runs it as `"$0" "$@"`) with the
    /// case's compile arguments and `extra`.
    fn compile_with(&self, extra: &[&str], cmd: Command) -> Outcome {
        let out = self.command(extra, cmd).output().unwrap();
        Outcome {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr)
                .replace(self.root.to_str().unwrap(), "$TMP"),
            code: out.status.code().unwrap_or(-1),
        }
    }

    /// `cmd` set up to run the case's compile with `extra` arguments.
    fn command(&self, extra: &[&str], mut cmd: Command) -> Command {
        isolated(&mut cmd, &self.root);
        cmd.env("JOURNAL_TIMESTAMP", NOW)
            .current_dir(&self.infra)
            .arg("compile")
            .args(&self.args)
            .args(extra);
        cmd
    }

    fn document(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.infra.join("docs").join(name)).ok()
    }

    /// Compares `actual` with the insta snapshot expected/<name>.snap (`cargo insta review`
    /// or `INSTA_UPDATE=always` updates it; review the diff before committing it).
    fn expect(&self, name: &str, actual: Option<&str>) {
        insta::with_settings!({
            snapshot_path => self.fixture.join("expected"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, actual.unwrap_or("(not written)"));
        });
    }

    /// Runs the case: documents, stderr and exit code as expected; a second run byte-identical;
    /// `--check` current; markdownlint clean. Returns the first run.
    fn run(&self) -> Outcome {
        let first = self.compile(&[]);
        self.expect("stderr", Some(&first.stderr));
        self.expect("exit", Some(&format!("{}\n", first.code)));
        let documents: Vec<Option<String>> = DOCUMENTS.iter().map(|d| self.document(d)).collect();
        for (name, text) in DOCUMENTS.iter().zip(&documents) {
            self.expect(name, text.as_deref());
        }
        if first.code == 0 {
            let second = self.compile(&[]);
            assert_eq!(second.code, 0);
            for (name, text) in DOCUMENTS.iter().zip(&documents) {
                assert_eq!(&self.document(name), text, "{name} changed on a second run");
            }
            let check = self.compile(&["--check"]);
            assert_eq!(check.code, 0, "{}", check.stderr);
            assert_eq!(check.stdout, "");
            markdownlint(&self.infra.join("docs"));
        } else {
            assert!(
                documents.iter().all(Option::is_none),
                "nothing is written on failure"
            );
        }
        first
    }
}

/// Runs markdownlint-cli2 (installed by .ci/run under tests/markdownlint) on the documents:
/// default rules except line length.
pub fn markdownlint(docs: &Path) {
    let files: Vec<PathBuf> = DOCUMENTS.iter().map(|d| docs.join(d)).collect();
    markdownlint_files(&files);
}

/// Runs markdownlint-cli2 on `files` (the rules of [`markdownlint`]).
pub fn markdownlint_files(files: &[PathBuf]) {
    let tools = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/markdownlint");
    let bin = tools.join("node_modules/.bin/markdownlint-cli2");
    assert!(
        bin.exists(),
        "{} is missing: run `npm ci --prefix tests/markdownlint` (.ci/run does)",
        bin.display()
    );
    let out = Command::new(bin)
        .arg("--config")
        .arg(tools.join(".markdownlint-cli2.jsonc"))
        .args(files)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "markdownlint:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn outline_superseded_findings_metrics_and_confidence_checks() {
    let case = Case::new("outline");
    let run = case.run();
    assert_eq!(run.code, 0);
    let findings = case.document("INTEGRATION-FINDINGS.md").unwrap();
    // The superseded layout is shown through the entry that replaced it, not on its own.
    assert!(findings.contains("Replaces [Disko layout: one LUKS partition holds everything]"));
    assert!(!findings.contains("**Disko layout: one LUKS partition holds everything**"));
    // The newest assessment of each pattern × provider is its row, the rationale beside it.
    // Proven after three days of evidence is flagged; a week of it holds.
    let row = |start: &str| {
        findings
            .lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no row {start}:\n{findings}"))
            .to_owned()
    };
    let terranix = row("| terranix | hetzner | proven | The server came up from terranix");
    assert!(terranix.ends_with(
        "| 3 entries, 2 commits, 2026-10-01 to 2026-10-04 | **not supported**: proven needs 7 days between the first and the last successful observation; found 3 (2026-10-01 to 2026-10-04) |"
    ));
    assert!(terranix.contains(
        "([assessment](../journal/2026/10/20261005T090000Z-assessment-of-terranix-on-hetzner-proven.md))"
    ));
    assert!(row("| zerotier | all | proven | The mesh has carried traffic").ends_with("| holds |"));
    // An assessment for one provider: that provider's row.
    assert!(row("| terranix | gcp | uncertain | ").ends_with("| holds |"));
    // A pattern never assessed says so, and what its newest entry states.
    assert_eq!(
        row("| multi-cloud |"),
        "| multi-cloud | all | not assessed | — | 3 entries, 1 commit, 2026-10-13 to 2026-10-15 | the newest entry states proven |"
    );
    // A vocabulary pattern no entry names still has its row.
    assert_eq!(
        row("| sops-nix |"),
        "| sops-nix | all | not assessed | — | no observations | — |"
    );
    // Assessments are the table's: no section lists them as entries.
    assert!(!findings.contains("**Assessment of"), "{findings}");
    // Metrics per provider set, hand-computed by nearest rank: of 23.4 and 25.1 the median
    // is rank ceil(0.5 * 2) = 1 (23.4), the p95 rank ceil(0.95 * 2) = 2 (25.1).
    assert!(findings.contains("| gcp+hetzner | 2 | 23.4 | 23.4 | 25.1 | 25.1 |"));
    assert!(findings.contains("| hetzner | 1 | 0.8 | 0.8 | 0.8 | 0.8 |"));
    // --story 1.11 leaves the other story out.
    assert!(!findings.contains("another story"));
    // Empty required sections are visible and warned about.
    assert!(
        run.stderr
            .contains("required section \"Dendritic Pattern Evaluation\" has no observations")
    );
    assert!(findings.contains("## Dendritic Pattern Evaluation\n\nNo observations recorded.\n"));
    // With --strict, the warnings are fatal and nothing is written.
    let strict = case.compile(&["--strict"]);
    assert_eq!(strict.code, 1, "{}", strict.stderr);
}

#[test]
fn stale_documents_fail_the_check_naming_the_sections() {
    let case = Case::new("outline");
    assert_eq!(case.compile(&[]).code, 0);
    let path = case
        .infra
        .join("journal/2026/10/20261008T090000Z-gcp-firewall-needs-network-tags.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("Two hours lost", "Three hours lost")).unwrap();
    let check = case.compile(&["--check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    // The entry is printed in full in its first section only (the GCP section refers to it).
    assert_eq!(
        check.stdout,
        "docs/INTEGRATION-FINDINGS.md: changed: Terraform/Terranix and Clan Integration\n"
    );
    assert!(
        check
            .stderr
            .contains("error: the documents in docs are not current")
    );
    std::fs::remove_file(case.infra.join("docs/ARCHITECTURAL-DECISIONS.md")).unwrap();
    let check = case.compile(&["--check"]);
    assert!(
        check
            .stdout
            .contains("docs/ARCHITECTURAL-DECISIONS.md: missing")
    );
}

#[test]
fn every_forge_link_form_and_cross_repository_evidence() {
    let case = Case::new("forges");
    let run = case.run();
    assert_eq!(run.code, 0);
    let findings = case.document("INTEGRATION-FINDINGS.md").unwrap();
    for link in [
        "https://github.com/ops/infra/commit/d184bdb53caace175244f5db6792b85858393b8e",
        "https://gitlab.com/ops/sub/lab/-/commit/375c90982525b56f09eb1b3250c8f1d88761a860",
        "https://codeberg.org/ops/berg/commit/8544465e77b672a2b024df6c913754d5109560db",
        "https://git.sr.ht/~ops/srht/commit/f7f553e5932bee217a5f792f855cf879eac1be33",
        "https://bitbucket.org/ops/bb/commits/be4f162626250b60e6cadd2a6de87e7aa807be91",
        "http://gitea.lan/ops/tea/commit/9cf5a6ee7e1d4cd7c1ceed893505b46fb7c7a258",
        "https://cgit.example.org/custom/commit/?id=da2a81e0226062906fe614fc53dd56a5e6b66825",
    ] {
        assert!(findings.contains(link), "{link}");
    }
    // No remote: cited as text, one warning.
    assert!(findings.contains("`local:0187a5c`"));
    assert!(run.stderr.contains("repository `local` has no remote"));
}

#[test]
fn a_missing_commit_is_an_error_naming_the_entry() {
    let case = Case::new("missing-commit");
    let run = case.run();
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(
        "error: 20261001T090000Z-cites-a-missing-commit (journal/2026/10/20261001T090000Z-cites-a-missing-commit.md): evidence commit 0123456789abcdef0123456789abcdef01234567 does not exist in the journal's repository"
    ));
    assert!(run.stderr.contains("20261001T100000Z-cites-a-missing-repo"));
}

#[test]
fn an_unpushed_commit_is_a_warning_and_fatal_with_strict() {
    let case = Case::new("unpushed");
    let run = case.run();
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("is not pushed: the link would 404"));
    let decisions = case.document("ARCHITECTURAL-DECISIONS.md").unwrap();
    assert!(decisions.contains("## Evidence Problems"));
    assert!(decisions.contains("(vars: clan vars for zerotier identity) (not pushed)"));
    std::fs::remove_dir_all(case.infra.join("docs")).unwrap();
    let strict = case.compile(&["--strict"]);
    assert_eq!(strict.code, 1);
    assert!(strict.stderr.contains("warnings are fatal with --strict"));
    assert!(!case.infra.join("docs").exists());
}

#[test]
fn custom_sections_templates_empty_sections_and_unfiled_entries() {
    let case = Case::new("custom");
    let run = case.run();
    assert_eq!(run.code, 0);
    let findings = case.document("INTEGRATION-FINDINGS.md").unwrap();
    assert!(findings.starts_with("# Findings, our way (custom template)\n"));
    assert!(findings.contains("## Hetzner (1 entries)"));
    assert!(findings.contains("## GCP\n\nNo observations recorded."));
    assert!(
        !findings.contains("AWS"),
        "an optional empty section is left out"
    );
    assert!(findings.contains("## Unfiled Observations"));
    assert!(findings.contains("flake-parts modules load in any order"));
    assert!(run.stderr.contains("no section picks up this entry"));
    // The context the template received is printed with --context, and no file is written.
    std::fs::remove_dir_all(case.infra.join("docs")).unwrap();
    let context = case.compile(&["--context"]);
    let json: serde_json::Value = serde_json::from_str(&context.stdout).unwrap();
    assert_eq!(json["documents"][0]["sections"][0]["id"], "hetzner");
    assert_eq!(
        json["unfiled"][0]["title"],
        "flake-parts modules load in any order"
    );
    assert!(!case.infra.join("docs").exists());
}

#[test]
fn out_folder_is_created_and_links_lead_back_to_the_entries() {
    let case = Case::new("unpushed");
    let run = case.compile(&["--out", "../published/docs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = case.root.join("published/docs/INTEGRATION-FINDINGS.md");
    assert_eq!(
        run.stdout,
        format!(
            "{}\n{}\n",
            written.display(),
            case.root
                .join("published/docs/ARCHITECTURAL-DECISIONS.md")
                .display()
        )
    );
    let text = std::fs::read_to_string(written).unwrap();
    assert!(text.contains(
        "](../../infra/journal/2026/10/20261001T090000Z-terranix-provisions-hetzner.md)"
    ));
    assert!(text.contains("Compiled on 2026-11-26 "));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_journal"));
    isolated(&mut cmd, &case.root);
    let bad = cmd
        .current_dir(&case.infra)
        .args(["compile", "--date", "26/11/2026"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is not a date as YYYY-MM-DD"));
}

#[test]
fn an_unknown_story_is_an_error_naming_the_stories() {
    let env = crate::common::TestEnv::new();
    env.run(&["add", "LUKS works", "--story", "1.11", "--pattern", "luks"])
        .ok();
    let stderr = env
        .run(&["compile", "--story", "9.9", "--out", "docs"])
        .fails(1)
        .to_owned();
    assert!(
        stderr.contains("no entry belongs to story `9.9`: nothing was written"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: the stories are 1.11"), "{stderr}");
    assert!(!env.repo.join("docs").exists());
}

#[test]
fn a_storys_documents_go_to_their_own_folder_and_leave_the_full_ones_alone() {
    let env = crate::common::TestEnv::new();
    env.run(&["add", "LUKS works", "--story", "1.11", "--pattern", "luks"])
        .ok();
    env.run(&[
        "add",
        "Zerotier joins",
        "--story",
        "1.9",
        "--pattern",
        "zerotier",
    ])
    .ok();
    env.run(&["compile"]).ok();
    let full = env.read("docs/INTEGRATION-FINDINGS.md");
    assert!(full.contains("Zerotier joins") && full.contains("LUKS works"));
    let run = env.run(&["compile", "--story", "1.11"]);
    assert!(
        run.ok().contains("docs/story-1.11/INTEGRATION-FINDINGS.md"),
        "{}",
        run.stdout
    );
    let story = env.read("docs/story-1.11/INTEGRATION-FINDINGS.md");
    assert!(story.contains("LUKS works") && !story.contains("Zerotier joins"));
    assert_eq!(
        env.read("docs/INTEGRATION-FINDINGS.md"),
        full,
        "the full documents stay"
    );
    // Stories are listed as people count them.
    let stderr = env.run(&["compile", "--story", "9.9"]).fails(1).to_owned();
    assert!(
        stderr.contains("hint: the stories are 1.9, 1.11"),
        "{stderr}"
    );
}

#[test]
fn problems_are_printed_by_kind_each_cut_to_five_unless_all_are_asked_for() {
    let env = crate::common::TestEnv::new();
    // A rewritten history: eight entries cite commits that no longer exist.
    for i in 0..8 {
        let id = format!("20261101T09000{i}Z-gone");
        env.write(
            &format!("journal/2026/11/{id}.md"),
            &format!(
                "---\nid: {id}\ndate: 2026-11-01T10:00:0{i}+01:00\ntitle: gone {i}\n\
                 pattern: [luks]\ncommits: [{i}123456789abcdef0123456789abcdef01234567]\n---\n"
            ),
        );
    }
    env.git(&["add", "journal"]);
    env.git(&["commit", "-q", "-m", "entries"]);
    let run = env.run(&["compile", "--out", "docs", "--date", "2026-11-30"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let missing: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: ") && l.contains("does not exist"))
        .collect();
    assert_eq!(missing.len(), 5, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error: … and 3 more missing evidence commits (--all-problems prints every one)\n"
        ),
        "{}",
        run.stderr
    );
    // The other kinds are still there, each in its group.
    assert!(
        run.stderr.contains("warning: pattern luks: not assessed"),
        "{}",
        run.stderr
    );
    let all = env.run(&[
        "compile",
        "--out",
        "docs",
        "--date",
        "2026-11-30",
        "--all-problems",
    ]);
    let missing = all
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: ") && l.contains("does not exist"))
        .count();
    assert_eq!(missing, 8, "{}", all.stderr);
    assert!(
        !all.stderr.contains("more missing evidence"),
        "{}",
        all.stderr
    );
}

#[test]
fn an_entry_file_not_committed_is_warned_about() {
    let env = crate::common::TestEnv::new();
    env.run(&["add", "LUKS works", "--pattern", "luks"]).ok();
    let id = env
        .run(&[
            "add",
            "not yet committed",
            "--pattern",
            "luks",
            "--no-commit",
        ])
        .ok()
        .trim()
        .to_owned();
    let run = env.run(&["compile", "--out", "docs", "--date", "2026-11-30"]);
    let warned: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("git has not committed"))
        .collect();
    assert_eq!(warned.len(), 1, "{}", run.stderr);
    assert!(
        warned[0].starts_with(&format!("warning: {id} (journal/")),
        "{}",
        warned[0]
    );
}

#[test]
fn a_run_entry_output_is_a_collapsed_block_and_entries_print_once() {
    let env = crate::common::TestEnv::new();
    env.run(&[
        "run",
        "--pattern",
        "terranix",
        "--provider",
        "hetzner",
        "--",
        "sh",
        "-c",
        "echo plan: 1 to add",
    ])
    .ok();
    env.run(&["compile", "--out", "docs", "--date", "2026-11-30"])
        .ok();
    let findings = env.read("docs/INTEGRATION-FINDINGS.md");
    assert!(
        findings.contains(
            "<details>\n<summary>Output</summary>\n\n```text\nplan: 1 to add\n```\n\n</details>"
        ),
        "{findings}"
    );
    assert!(!findings.contains("Output:"), "{findings}");
    // In full under terranix (first), a reference under Hetzner.
    assert_eq!(findings.matches("<details>").count(), 1, "{findings}");
    assert!(findings.contains("in full under “Terraform/Terranix and Clan Integration” above."));
    markdownlint(&env.repo.join("docs"));
}

#[test]
fn the_story_tasks_end_the_findings_and_an_uncovered_one_is_warned_about() {
    let env = crate::common::TestEnv::new();
    let toml = env.read("journal.toml");
    let tasks = "\n[[story.tasks]]\nid = \"hetzner\"\ntitle = \"Document Hetzner deployment experience\"\n\
                 provider = [\"hetzner\"]\nkind = [\"hard\"]\n\n[[story.tasks]]\nid = \"timeline\"\n\
                 title = \"Estimate the Phase 1 timeline\"\n";
    env.write("journal.toml", &format!("{toml}{tasks}"));
    env.run(&[
        "add",
        "disko needs the passphrase as a file",
        "--provider",
        "hetzner",
        "--kind",
        "hard",
    ])
    .ok();
    let run = env.run(&["compile", "--out", "docs", "--date", "2026-11-30"]);
    assert!(
        run.stderr.contains(
            "warning: task `timeline` has no observation: Estimate the Phase 1 timeline\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("task `hetzner`"), "{}", run.stderr);
    let findings = env.read("docs/INTEGRATION-FINDINGS.md");
    assert!(
        findings.contains("- [x] Document Hetzner deployment experience: 1 entry: [disko needs the passphrase as a file]("),
        "{findings}"
    );
    // Tagged task=timeline, an entry covers the tag-only task.
    env.run(&[
        "add",
        "Phase 1 takes three weeks",
        "--kind",
        "recommendation",
        "--tag",
        "task=timeline",
    ])
    .ok();
    let run = env.run(&["compile", "--out", "docs", "--date", "2026-11-30"]);
    assert!(!run.stderr.contains("task `timeline`"), "{}", run.stderr);
    // A task naming a pattern outside the vocabulary, or an id twice, is refused.
    env.write(
        "journal.toml",
        &format!("{toml}\n[[story.tasks]]\nid = \"x\"\ntitle = \"X\"\npattern = [\"lux\"]\n"),
    );
    let stderr = env.run(&["compile"]).fails(1).to_owned();
    assert!(
        stderr.contains("[[story.tasks]] number 1: unknown pattern `lux`"),
        "{stderr}"
    );
    env.write("journal.toml", &format!("{toml}{tasks}{tasks}"));
    let stderr = env.run(&["compile"]).fails(1).to_owned();
    assert!(
        stderr.contains("[[story.tasks]] number 3: id `hetzner` is given twice"),
        "{stderr}"
    );
}

#[test]
fn coverage_says_what_the_documents_lack_and_exits_1_when_strict_would_refuse() {
    let env = crate::common::TestEnv::new();
    let toml = env.read("journal.toml");
    env.write(
        "journal.toml",
        &format!("{toml}\n[[story.tasks]]\nid = \"timeline\"\ntitle = \"Estimate the Phase 1 timeline\"\n"),
    );
    env.run(&[
        "add",
        "LUKS unlock works",
        "--provider",
        "hetzner",
        "--pattern",
        "luks",
    ])
    .ok();
    env.run(&[
        "assess",
        "zerotier",
        "--confidence",
        "proven",
        "--rationale",
        "Said so.",
    ])
    .ok();
    let run = env.run(&["coverage"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    for line in [
        "task not covered: Estimate the Phase 1 timeline (timeline)\n",
        "not assessed: luks (1 entry)\n",
        "not supported: zerotier proven: proven needs 1 verified evidence commit(s); found 0\n",
    ] {
        assert!(run.stdout.contains(line), "{line}: {}", run.stdout);
    }
    assert!(
        run.stderr.contains("1 uncovered task, ")
            && run.stderr.contains("`compile --strict` would refuse."),
        "{}",
        run.stderr
    );
    let json = env.run(&["coverage", "--json"]);
    assert_eq!(json.code, 1, "--json exits as the text does");
    let json: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(json["uncovered_tasks"][0]["id"], "timeline");
    assert!(!env.repo.join("docs").exists(), "nothing is written");
}

/// The documents' inode numbers: a document put into place again (even with the same text)
/// is a new file.
fn inodes(docs: &Path) -> Vec<u64> {
    use std::os::unix::fs::MetadataExt as _;
    DOCUMENTS
        .iter()
        .map(|d| std::fs::metadata(docs.join(d)).unwrap().ino())
        .collect()
}

/// The files in `docs` whose names say they are temporary.
fn temporary_files(docs: &Path) -> Vec<String> {
    std::fs::read_dir(docs)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect()
}

/// The documents as a first compile of `case` wrote them, and their files' inodes.
struct Written {
    docs: PathBuf,
    texts: Vec<Option<String>>,
    inodes: Vec<u64>,
}

impl Written {
    fn by(case: &Case) -> Self {
        assert_eq!(case.compile(&[]).code, 0);
        let docs = case.infra.join("docs");
        Self {
            texts: DOCUMENTS.iter().map(|d| case.document(d)).collect(),
            inodes: inodes(&docs),
            docs,
        }
    }

    /// Asserts that `run` failed saying each of `parts`, and left the documents untouched.
    fn refused(&self, case: &Case, run: &Outcome, parts: &[&str]) {
        assert_eq!(run.code, 1, "{}", run.stderr);
        says(&run.stderr, parts);
        self.untouched(case);
    }

    /// Asserts that no document was put into place again and no temporary file is left.
    fn untouched(&self, case: &Case) {
        assert_eq!(
            inodes(&self.docs),
            self.inodes,
            "a document was put into place"
        );
        let now: Vec<Option<String>> = DOCUMENTS.iter().map(|d| case.document(d)).collect();
        assert_eq!(now, self.texts);
        assert_eq!(temporary_files(&self.docs), Vec::<String>::new());
    }
}

/// Asserts that `stderr` says each of `parts`.
fn says(stderr: &str, parts: &[&str]) {
    for part in parts {
        assert!(stderr.contains(part), "{part:?} not in:\n{stderr}");
    }
}

#[test]
fn a_template_failing_in_the_second_document_replaces_neither() {
    let case = Case::new("outline");
    let written = Written::by(&case);
    // The decisions are rendered second: the findings are rendered whole into their temporary
    // file before the decisions' template fails.
    let templates = case.infra.join("journal/templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("ARCHITECTURAL-DECISIONS.md.j2"),
        "# Decisions\n\n{{ no_such_function() }}\n",
    )
    .unwrap();
    written.refused(
        &case,
        &case.compile(&[]),
        &[
            "template ARCHITECTURAL-DECISIONS.md.j2: line 3",
            "templates are read from",
        ],
    );
}

#[test]
fn a_disk_filling_up_while_a_document_is_written_leaves_the_old_documents() {
    let case = Case::new("outline");
    let written = Written::by(&case);
    let findings = written.texts[0].as_ref().unwrap().len();
    assert!(findings > 8 * 1024, "the findings must outgrow the limit");
    // Files may grow to 8 KiB (bash counts `ulimit -f` in KiB): writing the findings fails
    // half-way as on a full disk, with EFBIG where a full disk says ENOSPC (the signal that
    // would kill the process is ignored, as a full disk sends none).
    let mut shell = Command::new("bash");
    shell.args([
        "-c",
        "trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\"",
        env!("CARGO_BIN_EXE_journal"),
    ]);
    written.refused(
        &case,
        &case.compile_with(&[], shell),
        &[
            "error: cannot write INTEGRATION-FINDINGS.md: File too large",
            "no document was replaced",
        ],
    );
    // With room again, the same command writes them.
    assert_eq!(case.compile(&[]).code, 0);
    assert_ne!(inodes(&written.docs), written.inodes);
}

#[test]
fn a_compile_killed_at_every_point_leaves_whole_documents_and_the_next_one_clears_its_files() {
    let case = Case::new("outline");
    assert_eq!(case.compile(&[]).code, 0);
    let docs = case.infra.join("docs");
    let old: Vec<Option<String>> = DOCUMENTS.iter().map(|d| case.document(d)).collect();
    // The new documents differ from the old ones in every byte-range a kill could cut.
    let templates = case.infra.join("journal/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let marked = "{% import \"_macros.md.j2\" as m %}\n{{ m.header(document) }}\nNEW\n\
                  {% for s in document.sections %}\n{% include \"_section.md.j2\" %}\n\
                  {% endfor %}\n{{ m.appendices(document) }}\n";
    for name in DOCUMENTS {
        std::fs::write(templates.join(format!("{name}.j2")), marked).unwrap();
    }
    let mut killed_runs = 0;
    for n in 1.. {
        let cmd = case.command(&[], Command::new(env!("CARGO_BIN_EXE_journal")));
        let (killed, _) = crate::test_faults::run_killed_at(cmd, n);
        for (name, before) in DOCUMENTS.iter().zip(&old) {
            let now = case.document(name).unwrap();
            assert!(
                Some(&now) == before.as_ref() || now.contains("\nNEW\n"),
                "point {n}: {name} is neither the old document nor a whole new one"
            );
        }
        if !killed {
            break;
        }
        killed_runs += 1;
        // Put the old documents back, so that each point is reached from the same start.
        for (name, before) in DOCUMENTS.iter().zip(&old) {
            std::fs::write(docs.join(name), before.as_deref().unwrap()).unwrap();
        }
        assert!(
            !temporary_files(&docs).is_empty() || n > 2,
            "point {n}: a document killed before its rename leaves its temporary file"
        );
        // The next compile removes what the killed one left, says so, and writes.
        let next = case.compile(&[]);
        assert_eq!(next.code, 0, "{}", next.stderr);
        assert_eq!(temporary_files(&docs), Vec::<String>::new(), "point {n}");
        if n <= 2 {
            assert!(
                next.stderr.contains("that died: removed"),
                "point {n}: {}",
                next.stderr
            );
        }
        for (name, before) in DOCUMENTS.iter().zip(&old) {
            std::fs::write(docs.join(name), before.as_deref().unwrap()).unwrap();
        }
    }
    assert!(killed_runs >= 2, "both documents' writes are fault points");
}
