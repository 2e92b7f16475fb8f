//! Search finds what `git grep` finds (issue 24): prefixes of the words as written,
//! identifiers by their parts, addresses, paths and keys by the exact string, the
//! provider/pattern/kind of a bare word, typos with a "did you mean", fuzzy words.

use crate::common::TestEnv;

const AGE_KEY: &str = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

/// A journal of notes as operators write them.
fn journal() -> TestEnv {
    let env = TestEnv::new();
    let notes: [(&str, &[&str]); 6] = [
        (
            "Ran cryptsetup luksFormat with LUKS2\n\nOn /dev/sda2, before disko mounted it.",
            &["--provider", "hetzner", "--pattern", "luks"],
        ),
        (
            "zerotier-one joined the mesh\n\nGot fd00::1 as its address; 10.147.17.1 answers.",
            &["--provider", "gcp", "--pattern", "zerotier"],
        ),
        (
            "The hcloud_server needs server_type cx32\n\nSee /etc/nixos/configuration.nix.",
            &["--provider", "hetzner"],
        ),
        (
            "sops-nix decrypts on first boot\n\nWith the age key KEY.",
            &["--pattern", "clan-vars"],
        ),
        (
            "Rendered the cloud instances\n\nNothing else to say.",
            &["--pattern", "terranix"],
        ),
        (
            "ZeroTier controller is reachable\n\nOnly from inside the mesh.",
            &["--pattern", "zerotier"],
        ),
    ];
    for (i, (text, fields)) in notes.iter().enumerate() {
        let text = text.replace("KEY", AGE_KEY);
        let at = format!("2026-10-{:02}T10:00:00+02:00", i + 1);
        let mut args = vec!["add", text.as_str(), "--at", at.as_str()];
        args.extend_from_slice(fields);
        env.run(&args).ok();
    }
    env
}

/// The titles `journal search --json ARGS` finds, in order.
fn titles(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    env.run(&all)
        .ok()
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["title"].as_str().map(str::to_owned)
        })
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn a_prefix_matches_the_words_as_written() {
    let env = journal();
    // `zerotier` is indexed stemmed as `zeroti`: the prefix is matched against what was written.
    assert_eq!(
        sorted(titles(&env, &["zerotier*"])),
        [
            "ZeroTier controller is reachable",
            "zerotier-one joined the mesh"
        ]
    );
    assert_eq!(
        titles(&env, &["hcloud*"]),
        ["The hcloud_server needs server_type cx32"]
    );
    // A prefix on a stemmed field matches its stem too (the title holds `zerotier` as `zeroti`).
    assert_eq!(
        sorted(titles(&env, &["title:zerotier*"])),
        [
            "ZeroTier controller is reachable",
            "zerotier-one joined the mesh"
        ]
    );
    // Exclusions alone exclude from everything (the parser refused them).
    assert_eq!(titles(&env, &["NOT zerotier*"]).len(), 4);
}

#[test]
fn identifiers_are_found_by_their_parts_and_whole() {
    let env = journal();
    let luks = "Ran cryptsetup luksFormat with LUKS2";
    for query in ["luks", "LUKS2", "luksFormat", "format", "luks2"] {
        assert_eq!(titles(&env, &[query]), [luks], "{query}");
    }
    let server = "The hcloud_server needs server_type cx32";
    for query in [
        "hcloud_server",
        "hcloud",
        "server_type",
        "cx32",
        "\"hcloud server\"",
    ] {
        assert_eq!(titles(&env, &[query]), [server], "{query}");
    }
    assert_eq!(titles(&env, &["one"]), ["zerotier-one joined the mesh"]);
}

#[test]
fn addresses_paths_and_keys_are_found_by_the_exact_string() {
    let env = journal();
    let mesh = "zerotier-one joined the mesh";
    // An IPv6 address needs no quoting: a `:` that is not a field query is taken literally.
    assert_eq!(titles(&env, &["fd00::1"]), [mesh]);
    assert_eq!(titles(&env, &["10.147.17.1"]), [mesh]);
    assert_eq!(
        titles(&env, &["/etc/nixos/configuration.nix"]),
        ["The hcloud_server needs server_type cx32"]
    );
    assert_eq!(
        titles(&env, &["/dev/sda2"]),
        ["Ran cryptsetup luksFormat with LUKS2"]
    );
    assert_eq!(
        titles(&env, &[AGE_KEY]),
        ["sops-nix decrypts on first boot"]
    );
    // Not a prefix of something else: another address is not found.
    assert!(titles(&env, &["fd00::2"]).is_empty());
    // A real field query still is one, and a misspelt field is refused, not searched as text.
    assert_eq!(titles(&env, &["provider:gcp"]), [mesh]);
    let stderr = env.run(&["search", "provdier:gcp"]).fails(1).to_owned();
    assert!(stderr.contains("unknown field `provdier`"), "{stderr}");
}

#[test]
fn a_bare_word_searches_provider_pattern_and_kind_too() {
    let env = journal();
    // `terranix` is in no title or body: only the pattern names it.
    assert_eq!(
        titles(&env, &["terranix"]),
        ["Rendered the cloud instances"]
    );
    assert_eq!(
        titles(&env, &["clan-vars"]),
        ["sops-nix decrypts on first boot"]
    );
}

#[test]
fn a_typo_finds_nothing_and_suggests_the_nearest_words() {
    let env = journal();
    let run = env.run(&["search", "zerotire"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    // The word as written, not its stem (`zeroti`), and not `zerotier-one` (3 edits).
    assert!(
        run.stderr.contains(
            "did you mean `zerotier` (for `zerotire`)? `zerotire~` matches within two typos"
        ),
        "{}",
        run.stderr
    );
    let json = env.run(&["search", "--json", "cryptsetpu"]);
    let value: serde_json::Value = serde_json::from_str(json.ok().trim()).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"did_you_mean": [{"word": "cryptsetpu", "nearest": ["cryptsetup"]}]})
    );
    // `word~` and --fuzzy match within two typos.
    assert_eq!(
        titles(&env, &["cryptsetpu~"]),
        ["Ran cryptsetup luksFormat with LUKS2"]
    );
    assert_eq!(
        titles(&env, &["--fuzzy", "cryptsetpu"]),
        ["Ran cryptsetup luksFormat with LUKS2"]
    );
}

#[test]
fn a_syntax_error_says_how_to_quote() {
    let env = journal();
    let stderr = env.run(&["search", "title:(unclosed"]).fails(1).to_owned();
    assert!(stderr.contains("syntax error"), "{stderr}");
    assert!(stderr.contains("in quotes"), "{stderr}");
}

#[test]
fn titles_carry_their_highlights() {
    let env = journal();
    let run = env.run(&["search", "--json", "luks"]);
    let hit: serde_json::Value = serde_json::from_str(run.ok().trim()).unwrap();
    let title = hit["title"].as_str().unwrap();
    let marked: Vec<&str> = hit["title_highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &title[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(marked, ["luks", "LUKS"], "{hit}");
}

#[test]
fn an_index_of_the_format_before_is_rebuilt_and_finds_the_new_way() {
    let env = TestEnv::new();
    env.run(&["add", "zerotier-one joined the mesh"]).ok();
    assert_eq!(titles(&env, &["mesh"]).len(), 1);
    // The index as the version before this one left it (no `words` field).
    let state = env.repo.join(".git/journal/state.sqlite");
    let db = rusqlite::Connection::open(&state).unwrap();
    let version: String = db
        .query_row(
            "SELECT value FROM meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, "13");
    db.execute(
        "UPDATE meta SET value = '11' WHERE key = 'schema_version'",
        [],
    )
    .unwrap();
    drop(db);
    // The next search rebuilds it, with no word from the user, and uses what is new.
    let run = env.run(&["search", "--json", "zerotier*"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("zerotier-one joined the mesh"),
        "{}",
        run.stdout
    );
}
