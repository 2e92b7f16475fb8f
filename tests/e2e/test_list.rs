use crate::common::TestEnv;

fn titles(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["title"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

fn sample(env: &TestEnv) {
    let add = |args: &[&str]| env.run(args).ok().to_owned();
    add(&[
        "add",
        "Hetzner was easy",
        "--provider",
        "hetzner",
        "--kind",
        "easy",
        "--confidence",
        "proven",
        "--at",
        "2026-11-02 09:00",
        "--story",
        "1.4",
    ]);
    add(&[
        "add",
        "GCP firewall was hard",
        "--provider",
        "gcp",
        "--pattern",
        "zerotier",
        "--kind",
        "hard",
        "--at",
        "2026-11-10 18:30",
        "--confidence",
        "needs-testing",
    ]);
    add(&[
        "add",
        "Zerotier across clouds",
        "--provider",
        "hetzner,gcp",
        "--pattern",
        "zerotier",
        "--kind",
        "measurement",
        "--at",
        "2026-11-10 23:59",
        "--confidence",
        "uncertain",
    ]);
    add(&[
        "add",
        "Chose clan vars",
        "--pattern",
        "clan-vars",
        "--kind",
        "decision",
        "--at",
        "2026-11-20 12:00",
    ]);
}

#[test]
fn list_is_newest_first_and_filters() {
    let env = TestEnv::new();
    sample(&env);
    let all = env.run(&["list", "--json"]);
    assert_eq!(
        titles(all.ok()),
        [
            "Chose clan vars",
            "Zerotier across clouds",
            "GCP firewall was hard",
            "Hetzner was easy"
        ]
    );
    let list = |args: &[&str]| {
        let mut all = vec!["list", "--json"];
        all.extend_from_slice(args);
        titles(env.run(&all).ok())
    };
    assert_eq!(
        list(&["--provider", "hetzner"]),
        ["Zerotier across clouds", "Hetzner was easy"]
    );
    assert_eq!(
        list(&["--provider", "gcp", "--pattern", "zerotier"]),
        ["Zerotier across clouds", "GCP firewall was hard"]
    );
    assert_eq!(
        list(&["--confidence", "needs-testing"]),
        ["GCP firewall was hard"]
    );
    assert_eq!(list(&["--kind", "decision"]), ["Chose clan vars"]);
    assert_eq!(list(&["--story", "1.4"]), ["Hetzner was easy"]);
    assert_eq!(list(&["--limit", "1"]), ["Chose clan vars"]);
    assert_eq!(
        list(&["--since", "2026-11-10 18:30"]),
        [
            "Chose clan vars",
            "Zerotier across clouds",
            "GCP firewall was hard"
        ]
    );
    // A date alone as --until includes that whole day.
    assert_eq!(
        list(&["--until", "2026-11-10"]),
        [
            "Zerotier across clouds",
            "GCP firewall was hard",
            "Hetzner was easy"
        ]
    );
    assert_eq!(
        list(&["--since", "2026-11-03", "--until", "2026-11-10 20:00"]),
        ["GCP firewall was hard"]
    );
    assert_eq!(list(&["--since", "1 week ago"]), ["Chose clan vars"]);
    // RFC 3339 with its own offset, and words relative to the pinned Thursday 2026-11-26.
    assert_eq!(
        list(&["--until", "2026-11-10T22:00:00Z"]),
        ["GCP firewall was hard", "Hetzner was easy"]
    );
    assert_eq!(list(&["--since", "last friday"]), ["Chose clan vars"]);
    let stderr = env
        .run(&["list", "--since", "the day we shipped"])
        .fails(1)
        .to_owned();
    assert!(
        // One filter contract: the same words as the MCP server and the page (the field named).
        stderr.contains(
            "error: since `the day we shipped`: cannot read `the day we shipped` as a date: use RFC 3339"
        ),
        "{stderr}"
    );
}

#[test]
fn list_lines_for_people() {
    let env = TestEnv::new();
    sample(&env);
    let out = env.run(&["list", "--limit", "2"]).ok().to_owned();
    assert_eq!(
        out,
        "20261120T110000Z-chose-clan-vars  2026-11-20 12:00  [decision]  Chose clan vars  (clan-vars)\n\
         20261110T225900Z-zerotier-across-clouds  2026-11-10 23:59  [measurement, uncertain]  \
         Zerotier across clouds  (hetzner, gcp, zerotier)\n"
    );
}

#[test]
fn list_filter_values_are_checked_too() {
    let env = TestEnv::new();
    let stderr = env.run(&["list", "--provider", "gpc"]).fails(1).to_owned();
    assert!(stderr.contains("did you mean `gcp`?"), "{stderr}");
}

#[test]
fn hand_written_entries_are_first_class_and_bad_ones_are_reported_and_skipped() {
    let env = TestEnv::new();
    env.write(
        "journal/2026/10/20261001T080000Z-hand-written.md",
        "---\ndate: 2026-10-01T10:00:00+02:00\ntitle: Written by hand\nprovider:\n  - hetzner\nreviewed: yes\n---\nBody.\n",
    );
    env.write(
        "journal/2026/10/20261002T080000Z-broken.md",
        "---\ndate: 2026-10-02T10:00:00+02:00\ntitle: Broken\nconfidence: sure\n---\n",
    );
    env.write(
        "journal/2026/10/20261003T080000Z-unknown-provider.md",
        "---\ndate: 2026-10-03T10:00:00+02:00\ntitle: Unknown provider\nprovider: [aws]\n---\n",
    );
    env.write("journal/README.md", "# Not an entry\n");
    let run = env.run(&["list", "--json"]);
    assert_eq!(run.code, 1);
    assert_eq!(titles(&run.stdout), ["Written by hand"]);
    assert_eq!(
        run.stderr,
        "warning: journal/2026/10/20261002T080000Z-broken.md:4: field `confidence`: unknown value \
         `sure` (allowed: proven, needs-testing, uncertain)\n\
         warning: journal/2026/10/20261003T080000Z-unknown-provider.md:4: field `provider`: unknown \
         provider `aws` (allowed: hetzner, gcp)\n\
         error: 2 entry files could not be read and were skipped\n\
         hint: `journal check` lists every problem of every file\n"
    );
    // show answers too, and says (exit 1) that other files were skipped.
    let run = env.run(&["show", "20261001", "--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(shown["id"], "20261001T080000Z-hand-written");
    assert_eq!(shown["provider"][0], "hetzner");
}

#[test]
fn entries_recorded_by_an_agent_say_so_and_filter_by_it() {
    let env = TestEnv::new();
    env.write(
        "journal/2026/10/20261001T080000Z-by-an-agent.md",
        "---\ndate: 2026-10-01T10:00:00+02:00\ntitle: sshd race after terraform apply\n\
         agent: claude-code 1.2\n---\nLoop on ssh before the install.\n",
    );
    env.run(&["add", "sshd race noted by hand"]).ok();
    let listed = env.run(&["list", "--agent", "claude-code", "--json"]);
    assert_eq!(titles(&listed.stdout), ["sshd race after terraform apply"]);
    let shown = env.run(&["show", "20261001", "--json"]).json();
    assert_eq!(shown["agent"], "claude-code 1.2");
    let hits = env.run(&["search", "sshd", "--agent", "claude-code", "--json"]);
    let hit: serde_json::Value = serde_json::from_str(hits.ok().trim()).unwrap();
    assert_eq!(hit["agent"], "claude-code 1.2");
    assert_eq!(env.run(&["list", "--agent", "claude", "--json"]).ok(), "");
    // The canonical form keeps it, after host.
    env.run(&["check", "--fix"]).ok();
    assert!(
        env.read("journal/2026/10/20261001T080000Z-by-an-agent.md")
            .contains("agent: claude-code 1.2\n")
    );
}
