//! Evidence commits in search: indexed from history, tagged by [[rules]], kept current.

use crate::common::TestEnv;

fn hits(env: &TestEnv, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["search", "--json", "--limit", "100"];
    all.extend_from_slice(args);
    env.run(&all)
        .ok()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn subjects(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let mut found: Vec<String> = hits(env, args)
        .iter()
        .map(|h| h["subject"].as_str().unwrap_or_default().to_owned())
        .collect();
    found.sort();
    found
}

const RULES: &str = "\n[[rules]]\npaths = [\"modules/terranix/**\"]\npattern = \"terranix\"\n\n\
                     [[rules]]\npaths = [\"**/hetzner*\"]\nprovider = \"hetzner\"\n";

#[test]
fn commits_are_searchable_and_tagged_by_rules() {
    let env = TestEnv::new();
    env.write("journal.toml", &(env.read("journal.toml") + RULES));
    env.git(&["commit", "-qam", "journal rules"]);
    let terranix = env.commit_file("modules/terranix/hetzner.nix", "{ server = \"cx22\"; }\n");
    env.commit_file("modules/hosts/web.nix", "{ firewall = true; }\n");
    env.run(&["add", "Provisioned the web host", "--commit", "HEAD"])
        .ok();

    let found = hits(&env, &["--commits", "change"]);
    // `journal: init` and the entry's own commit are left out; "journal rules" has no "change".
    assert_eq!(found.len(), 2, "{found:?}");
    let first = found
        .iter()
        .find(|h| h["id"] == terranix.as_str())
        .expect("the terranix commit");
    assert_eq!(first["kind"], "commit");
    assert_eq!(first["subject"], "change modules/terranix/hetzner.nix");
    assert_eq!(first["author"], "Ops <ops@example.org>");
    assert_eq!(first["date"], "2026-11-20T10:00:00+01:00");
    assert!(first["repo"].is_null());
    assert_eq!(first["pattern"], serde_json::json!(["terranix"]));
    assert_eq!(first["provider"], serde_json::json!(["hetzner"]));
    // The snippet comes from the changed paths (bodies are cut at search time, not stored).
    assert_eq!(first["snippet"], "modules/terranix/hetzner.nix");
    // Filters apply to commits too, and the journal's own `journal:` commits are left out.
    assert_eq!(
        subjects(&env, &["--commits", "--pattern", "terranix"]),
        ["change modules/terranix/hetzner.nix"]
    );
    assert_eq!(subjects(&env, &["--commits", "journal"]), ["journal rules"]);
    // Entries by default, commits with --commits, both with --all.
    assert_eq!(hits(&env, &["web"]).len(), 1);
    assert_eq!(hits(&env, &["--all", "web"]).len(), 2);
    // A rebuild walks the history again: 3 commits that are not the journal's own.
    let run = env.run(&["reindex"]);
    assert!(
        run.stderr
            .starts_with("Indexed 1 entry (0 bad) and 3 evidence commits in "),
        "{}",
        run.stderr
    );
    assert_eq!(hits(&env, &["--commits", "change"]).len(), 2);
    // Entry facets do not count commits.
    assert_eq!(
        env.run(&["tags", "--json"]).json()["pattern"],
        serde_json::json!({})
    );
}

#[test]
fn new_and_rewritten_history_and_changed_rules_are_picked_up() {
    let env = TestEnv::new();
    env.commit_file("modules/terranix/gcp.nix", "{ }\n");
    assert_eq!(
        subjects(&env, &["--commits", "gcp"]),
        ["change modules/terranix/gcp.nix"]
    );
    // A new commit, then an amended one: the old SHA disappears from the index.
    env.commit_file("flake.nix", "{ }\n");
    let before = hits(&env, &["--commits", "flake"]);
    assert_eq!(before.len(), 1);
    env.git(&["commit", "-q", "--amend", "-m", "flake: reworded"]);
    let after = hits(&env, &["--commits", "flake"]);
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!(after[0]["subject"], "flake: reworded");
    assert_ne!(after[0]["id"], before[0]["id"]);
    // Rules added later re-tag the commits indexed before.
    assert_eq!(
        subjects(&env, &["--commits", "--pattern", "terranix"]),
        Vec::<String>::new()
    );
    env.write("journal.toml", &(env.read("journal.toml") + RULES));
    assert_eq!(
        subjects(&env, &["--commits", "--pattern", "terranix"]),
        ["change modules/terranix/gcp.nix"]
    );
}

#[test]
fn commits_of_other_repositories_are_indexed_once_they_exist() {
    let env = TestEnv::new();
    env.write(
        "journal.toml",
        &(env.read("journal.toml") + "\n[repos.test-clan]\npath = \"../test-clan\"\n"),
    );
    // Not there yet: searching works and finds nothing of it.
    assert_eq!(hits(&env, &["--commits", "inventory"]).len(), 0);
    let sha = env.other_repo("test-clan", "inventory.nix", "clan inventory");
    let found = hits(&env, &["--commits", "inventory"]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id"], format!("test-clan:{sha}"));
    assert_eq!(found[0]["repo"], "test-clan");
    assert!(
        found[0]["snippet"]
            .as_str()
            .unwrap()
            .contains("inventory.nix"),
        "{found:?}"
    );
}

#[test]
fn bad_rules_are_configuration_errors() {
    let env = TestEnv::new();
    env.write(
        "journal.toml",
        &(env.read("journal.toml") + "\n[[rules]]\npaths = [\"**\"]\npattern = \"terranixx\"\n"),
    );
    let stderr = env.run(&["search", "x"]).fails(1).to_owned();
    assert!(
        stderr.contains("[[rules]] number 1: unknown pattern `terranixx`"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `terranix`?"), "{stderr}");
}

#[test]
fn mixed_results_interleave_entries_and_commits_each_ranked_on_its_own() {
    let env = TestEnv::new();
    for i in 0..8 {
        env.commit_file(
            &format!("zerotier/peer-{i}.nix"),
            "# zerotier zerotier zerotier\n",
        );
    }
    for title in ["zerotier joins", "zerotier latency", "zerotier reconnects"] {
        env.run(&["add", title, "--pattern", "zerotier"]).ok();
    }
    let run = env.run(&["search", "--all", "zerotier", "--limit", "6", "--json"]);
    let kinds: Vec<String> = run
        .ok()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            if v["kind"] == "commit" {
                "commit"
            } else {
                "entry"
            }
            .to_owned()
        })
        .collect();
    assert_eq!(
        kinds,
        ["entry", "commit", "entry", "commit", "entry", "commit"],
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr, "6 of 11 (--limit N for more)\n");
}

#[test]
fn rules_lower_or_exclude_lock_file_bot_commits() {
    let env = TestEnv::new();
    env.commit_file(
        "modules/terranix/hetzner.nix",
        "# terranix hetzner server\n",
    );
    for i in 0..3 {
        env.write("flake.lock", &format!("{{\"terranix\": {i}}}\n"));
        env.git(&["add", "flake.lock"]);
        env.git(&[
            "commit",
            "-q",
            "--author",
            "github-actions[bot] <bot@example.org>",
            "-m",
            "Update flake input: terranix terranix terranix",
        ]);
    }
    let hits = |env: &TestEnv| -> Vec<(String, f64)> {
        env.run(&["search", "--commits", "terranix", "--json"])
            .ok()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                (
                    v["subject"].as_str().unwrap().to_owned(),
                    v["score"].as_f64().unwrap(),
                )
            })
            .collect()
    };
    let bot = |hits: &[(String, f64)]| {
        hits.iter()
            .find(|(s, _)| s.starts_with("Update flake input"))
            .map(|(_, score)| *score)
            .unwrap()
    };
    let before = hits(&env);
    assert_eq!(before.len(), 4, "{before:?}");
    let base = env.read("journal.toml");
    env.write(
        "journal.toml",
        &format!(
            "{base}\n[[rules]]\npaths = [\"modules/terranix/**\"]\npattern = \"terranix\"\n\n\
             [[rules]]\npaths = [\"flake.lock\"]\neffect = \"lower\"\n"
        ),
    );
    let lowered = hits(&env);
    assert_eq!(lowered.len(), 4, "{lowered:?}");
    assert_eq!(lowered[0].0, "change modules/terranix/hetzner.nix");
    assert!(
        (bot(&lowered) - bot(&before) / 10.0).abs() < 1e-3,
        "{before:?} {lowered:?}"
    );
    env.write(
        "journal.toml",
        &format!(
            "{base}\n[[rules]]\nauthor = \"*[bot]*\"\nsubject = \"Update flake input*\"\n\
             effect = \"exclude\"\n"
        ),
    );
    let excluded: Vec<String> = hits(&env).into_iter().map(|(s, _)| s).collect();
    assert_eq!(excluded, ["change modules/terranix/hetzner.nix"]);
    // A rule that matches nothing or does nothing is refused.
    env.write(
        "journal.toml",
        &format!("{base}\n[[rules]]\nprovider = \"hetzner\"\n"),
    );
    let stderr = env.run(&["search", "--commits", "x"]).fails(1).to_owned();
    assert!(
        stderr.contains("needs `paths`, `subject` or `author`"),
        "{stderr}"
    );
}

#[test]
fn commits_of_every_branch_and_remote_tracking_ref_are_indexed_once() {
    let env = TestEnv::new();
    env.commit_file("infra/main.tf", "# main\n");
    env.git(&["switch", "-q", "-c", "feature"]);
    let feature = env.commit_file("infra/gcp.tf", "# kestrel firewall\n");
    env.git(&["switch", "-q", "main"]);
    // A commit only on a remote-tracking branch (pushed by a teammate, fetched here).
    let hub = env.home.join("hub.git");
    env.git(&["init", "-q", "--bare", hub.to_str().unwrap()]);
    env.git(&["remote", "add", "origin", hub.to_str().unwrap()]);
    env.git(&["switch", "-q", "-c", "teammate"]);
    let pushed = env.commit_file("infra/zerotier.nix", "# heron controller\n");
    env.git(&["push", "-q", "origin", "teammate"]);
    env.git(&["switch", "-q", "main"]);
    env.git(&["branch", "-q", "-D", "teammate"]);
    env.git(&["fetch", "-q", "origin"]);
    let found = |word: &str| -> Vec<String> {
        env.run(&["search", "--commits", word, "--json"])
            .ok()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    assert_eq!(found("gcp"), std::slice::from_ref(&feature));
    assert_eq!(found("zerotier"), [pushed]);
    // The main-line commit is there once, though every branch reaches it.
    assert_eq!(found("main").len(), 1);
    // Citable, and the status says the index has them all.
    env.run(&["add", "gcp firewall", "--commit", &feature]).ok();
    env.run(&["list"]).ok();
    assert_eq!(
        env.run(&["status", "--json"]).json()["repos"]["."]["indexed"],
        true
    );
}
