//! `journal demo`: the sample journal in a repository with its infrastructure history, and
//! the compiled sample documents committed under docs/example/.

use std::path::Path;

use crate::common::TestEnv;
use crate::test_compile::{DOCUMENTS, markdownlint};

/// The date `journal demo` compiles with; docs/example/ is compiled with it too.
const DEMO_DATE: &str = "2026-10-26";

/// Runs `journal demo DIR` in a fresh environment and returns (env, DIR, stdout).
fn demo() -> (TestEnv, std::path::PathBuf, String) {
    let env = TestEnv::bare_repo();
    let dir = env.repo.parent().unwrap().join("demo");
    let run = env.run(&["demo", dir.to_str().unwrap()]);
    let stdout = run.ok().to_owned();
    (env, dir, stdout)
}

#[test]
fn demo_builds_the_repository_adds_searches_and_compiles() {
    let (env, dir, stdout) = demo();
    // The infrastructure history is the same on every machine (the entries cite it).
    let log = env.git_in(&dir, &["log", "--format=%h %s", "--reverse"]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(
        lines[0],
        "f6ef3bc flake: flake-parts skeleton with clan-core and terranix"
    );
    assert!(lines.contains(&"d1c4d34 terranix: cinnabar cx32 sized for phase 1 (disabled)"));
    assert!(lines[lines.len() - 2].contains("journal: Phase 0 notes ("));
    assert!(lines[lines.len() - 1].contains("journal: Phase 1: start cinnabar"));
    // Published to GitHub, so the documents link to commits there.
    assert_eq!(
        env.git_in(&dir, &["remote", "get-url", "origin"]).trim(),
        "https://github.com/example-ops/phase0-infra.git"
    );
    let findings = std::fs::read_to_string(dir.join("docs/INTEGRATION-FINDINGS.md")).unwrap();
    assert!(findings.contains(
        "(https://github.com/example-ops/phase0-infra/commit/a63c6c02244fa42ea956eb7e43a1d1e56a476c46)"
    ));
    // The run shows each command and its output.
    for expected in [
        "$ journal add --title 'Phase 1: start cinnabar",
        "$ journal search 'zerotier firewall'",
        "GCP firewall blocks zerotier until UDP 9993 is opened",
        "$ journal compile --date 2026-10-26",
        "docs/ARCHITECTURAL-DECISIONS.md",
    ] {
        assert!(stdout.contains(expected), "{expected:?} not in:\n{stdout}");
    }
    // Every sample entry is valid, and every cited commit exists.
    let check = env.run(&["--journal", dir.to_str().unwrap(), "check"]);
    check.ok();
    // Nothing is left uncommitted but the documents themselves.
    let status = env.git_in(&dir, &["status", "--porcelain"]);
    assert_eq!(status.trim(), "?? docs/");
}

#[test]
fn the_sample_documents_cover_every_section_and_are_current() {
    let (env, dir, _) = demo();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/example");
    let args = ["compile", "--out", "docs/example", "--date", DEMO_DATE];
    let in_demo = |args: &[&str]| env.journal().current_dir(&dir).args(args).output().unwrap();
    // docs/example/ is the sample journal alone: the entry the demo adds is not in this
    // repository's journal/, and the documents' links must all resolve here.
    let added = in_demo(&["list", "--json", "--limit", "1"]);
    let added: serde_json::Value = serde_json::from_slice(&added.stdout).unwrap();
    assert!(
        added["title"]
            .as_str()
            .unwrap()
            .starts_with("Phase 1: start cinnabar")
    );
    assert!(
        in_demo(&["rm", "--yes", added["id"].as_str().unwrap()])
            .status
            .success()
    );
    copy_outputs(&example, &dir.join("docs/example"));
    let check = in_demo(&[&args[..], &["--check"]].concat());
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        check.status.success(),
        "docs/example/ is not current (scripts/update-example rewrites it):\n{}{stderr}",
        String::from_utf8_lossy(&check.stdout)
    );
    // Every required section has observations: the only warnings are the one unsupported
    // claim and the one pattern left without an assessment.
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: pattern clan-vars: claimed proven, not supported: proven needs 7 days between \
          the first and the last successful observation; found 0 (2026-10-20 to 2026-10-20)",
            "warning: pattern special-args: not assessed",
        ]
    );
    // The findings end with story 1.11's checklist, each task with what covers it.
    let findings = std::fs::read_to_string(example.join("INTEGRATION-FINDINGS.md")).unwrap();
    assert!(findings.contains("## Story Checklist\n"), "{findings}");
    assert!(findings.contains(
        "- [x] Assess confidence levels for each pattern: 13 entries, the newest: [Assessment of sops-nix: uncertain]("
    ));
    assert!(findings.contains(
        "- [x] Estimate the Phase 1 timeline: 1 entry: [Phase 1: deploy cinnabar on Hetzner with the proven pattern, skip GCP]("
    ));
    // Timeline estimates and risks: tables in the recommendations and the limitations, once.
    assert_eq!(
        findings
            .matches("Timeline estimates (entries tagged `timeline`):")
            .count(),
        1
    );
    assert!(findings.contains(
        "| terraform 2-4 h, deployment 1-2 h, then 1-2 weeks of stability | 2026-10-24 |\n"
    ));
    assert_eq!(
        findings
            .matches("Risks (entries tagged `risk`, with their `mitigation`):")
            .count(),
        1
    );
    assert!(findings.contains(
        "| high | remote terraform state and borg backups before cinnabar holds data | 2026-10-23 |\n"
    ));
    let findings = std::fs::read_to_string(example.join("INTEGRATION-FINDINGS.md")).unwrap();
    // One check, one verdict: the claim the confidence table rejects is shown as rejected in
    // the decisions document too, wherever the entry appears.
    let decisions = std::fs::read_to_string(example.join("ARCHITECTURAL-DECISIONS.md")).unwrap();
    // A metric table in full once per document: the same table in a later section is a
    // reference to the first, and the chart is shown once.
    assert_eq!(findings.matches("Metric `latency_p50_ms`:\n").count(), 1);
    assert_eq!(
        findings
            .matches("Metric `latency_p50_ms`: as under “Hetzner Deployment Experience” above.")
            .count(),
        2
    );
    assert_eq!(findings.matches("](charts/latency_p50_ms.svg)").count(), 1);
    // A table that differs (install_s on GCP alone) is printed where it differs.
    assert_eq!(findings.matches("Metric `install_s`:\n").count(), 2);
    // The executive summary in prose, from the entries and their counts.
    for sentence in [
        "The journal records 74 observations from 2026-10-05 to 2026-10-24:\n",
        "- **hetzner**: 36 observations (1 decision, 11 findings, 3 easy, 2 hard, 1 surprise,",
        "Assessed proven: clan-vars, luks on hetzner, terranix on hetzner, zerotier; needs-testing:",
        "Not supported by the evidence: clan-vars. Observed but not assessed: special-args.\n",
        "Most cited: [Zerotier mesh stable for a week across clouds](",
        "Open limitations (5, the newest): [Not covered in Phase 0: terraform state, backups, monitoring](",
    ] {
        assert!(findings.contains(sentence), "{sentence}");
    }
    // The providers compared: kinds of observation and patterns by assessed level.
    assert!(findings.contains(
        "| gcp | 26 | 2 | 3 | 2 | 2 | clan-vars, zerotier | clan-inventory, disko, luks, multi-cloud, terranix | service-instances | — |\n"
    ));
    assert!(findings.contains(
        "| hetzner | 36 | 3 | 2 | 1 | 2 | clan-vars, luks, terranix, zerotier | clan-inventory, disko, multi-cloud | service-instances | — |\n"
    ));
    // Decisions in ADR form: the context before it, the decision and why as written, the
    // alternatives that name its patterns, what followed, and the assessments.
    let zerotier = decisions
        .split("**Zerotier for the always-on mesh between machines** (")
        .nth(1)
        .unwrap_or_else(|| panic!("{decisions}"));
    let zerotier = &zerotier[..zerotier.find("\nEvidence:").unwrap()];
    for part in [
        "**Context.** Before it, on its patterns: [",
        "**Decision and rationale.**\n\nDecision: a zerotier mesh joins every machine",
        "**Alternatives.** [Alternative considered: Tailscale instead of zerotier](",
        "[Alternative considered: plain WireGuard](",
        "**Consequences.** After it, on its patterns: [",
        "Assessed: [zerotier proven](../../journal/2026/10/20261025T082000Z-assessment-of-zerotier-proven.md)",
    ] {
        assert!(zerotier.contains(part), "{part}:\n{zerotier}");
    }
    let clan_vars = findings
        .lines()
        .find(|l| l.starts_with("| clan-vars | all | proven | Secrets are generated"))
        .unwrap_or_else(|| panic!("{findings}"));
    assert!(
        clan_vars.contains("| **not supported**: proven needs 7 days"),
        "{clan_vars}"
    );
    assert!(findings.contains(
        "| special-args | all | not assessed | — | 1 entry, 1 commit, 2026-10-11 | the newest entry states needs-testing |"
    ));
    assert!(
        decisions.contains("| proven (claimed, **not supported**) |"),
        "{decisions}"
    );
    assert!(decisions.contains("sops-nix, proven: claimed, not supported)"));
    assert!(!decisions.contains("sops-nix, proven)"));
    // Links from docs/example/ reach this repository's own journal/ folder, every one of them.
    assert!(findings.contains("](../../journal/2026/10/"));
    for name in DOCUMENTS {
        let text = std::fs::read_to_string(example.join(name)).unwrap();
        for link in text.split("](../../").skip(1) {
            let target = &link[..link.find(')').unwrap()];
            assert!(
                example.join("../..").join(target).is_file(),
                "{name}: {target}"
            );
        }
    }
    assert!(
        findings.contains("Replaces [Zerotier should cross the GCP firewall without extra rules]")
    );
    assert!(!findings.contains("has no observations"));
    markdownlint(&example);
}

#[test]
fn demo_refuses_a_folder_that_is_not_empty() {
    let env = TestEnv::bare_repo();
    env.write("notes.txt", "mine\n");
    let stderr = env
        .run(&["demo", env.repo.to_str().unwrap()])
        .fails(1)
        .to_owned();
    assert!(
        stderr.contains("is not empty: the demo needs a new or empty folder"),
        "{stderr}"
    );
    assert!(stderr.contains("hint: pass another DIR"), "{stderr}");
    assert_eq!(env.read("notes.txt"), "mine\n");
    assert!(!env.repo.join("journal.toml").exists());
}

#[test]
fn demo_without_a_folder_uses_a_new_temporary_one() {
    let env = TestEnv::bare_repo();
    let tmp = env.repo.parent().unwrap().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let run = env
        .journal()
        .env("TMPDIR", &tmp)
        .arg("demo")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    let first = stdout.lines().next().unwrap();
    let made = first.strip_prefix("Demo repository: ").unwrap();
    assert!(made.starts_with(tmp.to_str().unwrap()), "{first}");
    assert!(
        Path::new(made)
            .join("docs/INTEGRATION-FINDINGS.md")
            .is_file()
    );
}

/// Copies what compile writes (the documents, and the charts in `charts/`) from one folder to
/// another.
fn copy_outputs(from: &Path, to: &Path) {
    for name in DOCUMENTS {
        std::fs::create_dir_all(to).unwrap();
        std::fs::copy(from.join(name), to.join(name)).unwrap();
    }
    let charts = from.join("charts");
    if charts.is_dir() {
        std::fs::create_dir_all(to.join("charts")).unwrap();
        for chart in std::fs::read_dir(&charts).unwrap() {
            let chart = chart.unwrap().path();
            std::fs::copy(&chart, to.join("charts").join(chart.file_name().unwrap())).unwrap();
        }
    }
}
