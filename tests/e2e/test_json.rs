//! The `--json` objects scripts read, whole, as insta snapshots: a key renamed, dropped or
//! retyped shows as a diff (the other tests check what the values mean). Commit SHAs and
//! the tempdir and the host name are masked; the clock is pinned.

use serde_json::Value;

use crate::common::TestEnv;

/// A journal with two entries, one citing a commit, as a small operator's journal.
fn journal() -> TestEnv {
    let env = TestEnv::new();
    env.commit_file("infra/luks.nix", "# luks\n");
    env.run(&[
        "add",
        "LUKS unlock over ssh works\n\ninitrd ssh on port 2222; unlocked in 4 s.",
        "--provider",
        "hetzner",
        "--pattern",
        "luks",
        "--confidence",
        "proven",
        "--kind",
        "finding",
        "--metric",
        "unlock_s=4",
        "--tag",
        "phase=0",
        "--commit",
        "HEAD",
        "--at",
        "2026-11-20T10:00:00+01:00",
    ])
    .ok();
    env.run(&[
        "add",
        "Zerotier needs UDP 9993 open on GCP",
        "--provider",
        "gcp",
        "--pattern",
        "zerotier",
        "--confidence",
        "needs-testing",
        "--kind",
        "surprise",
        "--at",
        "2026-11-21T09:30:00+01:00",
    ])
    .ok();
    env
}

/// Returns `stdout` (one JSON value per line) with every 40-hex SHA and the temp dir masked.
fn masked(env: &TestEnv, stdout: &str) -> Value {
    let values: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let mut value = if values.len() == 1 {
        values.into_iter().next().unwrap()
    } else {
        Value::Array(values)
    };
    mask(&mut value, env.repo.to_str().unwrap());
    value
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap()
}

fn mask(value: &mut Value, root: &str) {
    match value {
        Value::String(s) => {
            let is_sha = |w: &str| w.len() == 40 && w.bytes().all(|b| b.is_ascii_hexdigit());
            if is_sha(s) {
                *s = "[sha]".to_owned();
            } else if s.contains(root) {
                *s = s.replace(root, "[repo]");
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| mask(v, root)),
        Value::Object(map) => {
            // The machine's name: another on each machine that runs the tests.
            if let Some(host) = map.get_mut("host").filter(|h| h.is_string()) {
                *host = Value::String("[host]".to_owned());
            }
            map.values_mut().for_each(|v| mask(v, root));
        }
        _ => {}
    }
}

#[test]
fn the_json_of_each_reading_command() {
    let env = journal();
    let commands: [(&str, &[&str]); 6] = [
        ("list", &["list", "--json"]),
        ("show", &["show", "20261120T0900", "--json"]),
        ("search", &["search", "luks", "--json"]),
        ("search_commits", &["search", "luks", "--commits", "--json"]),
        ("tags", &["tags", "--json"]),
        ("metrics", &["metrics", "--json"]),
    ];
    for (name, args) in commands {
        let run = env.run(args);
        let value = masked(&env, run.ok());
        insta::assert_snapshot!(name, pretty(&value));
    }
}

#[test]
fn the_json_of_add_and_of_a_refused_add() {
    let env = TestEnv::new();
    let run = env.run(&[
        "add",
        "Clan vars deploy the zerotier secret",
        "--provider",
        "hetzner",
        "--json",
    ]);
    insta::assert_snapshot!("add", pretty(&masked(&env, run.ok())));
    // A refusal is on stderr, whole: the message and its hints, for a script's log.
    let refused = env.run(&["add", "t", "--provider", "aws", "--json"]);
    insta::assert_snapshot!("add_refused", refused.fails(1));
}
