use crate::common::TestEnv;

/// Adds the six search fixture entries (tests/fixtures/search) to a fresh journal.
fn sample(env: &TestEnv) {
    let from =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/search/2026/10");
    for file in std::fs::read_dir(from).unwrap() {
        let path = file.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        env.write(
            &format!("journal/2026/10/{name}"),
            &std::fs::read_to_string(&path).unwrap(),
        );
    }
}

fn ids(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    let run = env.run(&all);
    run.ok()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let id = v["id"].as_str().unwrap();
            // The slug is enough to read the assertions.
            id.split_once('-').map_or(id, |(_, slug)| slug).to_owned()
        })
        .collect()
}

#[test]
fn words_are_stemmed_and_ranked_with_the_title_first() {
    let env = TestEnv::new();
    sample(&env);
    // "remote" finds "remotely" and "remote-exec"; "provisioned" finds "provisioning".
    assert_eq!(ids(&env, &["remote"]).len(), 2);
    assert_eq!(
        ids(&env, &["provisioned"]),
        ["hetzner-provisioning-takes-about-three-minutes"]
    );
    // "firewall" is in one title and another body: the title ranks first.
    env.run(&["add", "Body mentions it", "-"]).ok();
    env.run_with_stdin(
        &["add", "-"],
        "Unrelated title\n\nA firewall was involved.\n",
    )
    .ok();
    let hits = ids(&env, &["firewall"]);
    assert_eq!(hits[0], "gcp-firewall-rules-block-zerotier-until-udp-9993");
    assert!(hits.contains(&"unrelated-title".to_owned()), "{hits:?}");
}

#[test]
fn phrases_booleans_and_fields() {
    let env = TestEnv::new();
    sample(&env);
    assert_eq!(
        ids(&env, &["\"LUKS volume\""]),
        ["luks-unlock-over-ssh-works-on-hetzner"]
    );
    assert_eq!(ids(&env, &["\"volume LUKS\""]), Vec::<String>::new());
    let mut either = ids(&env, &["title:(LUKS OR secrets)"]);
    either.sort();
    assert_eq!(
        either,
        [
            "luks-unlock-over-ssh-works-on-hetzner",
            "secrets-in-clan-vars-rather-than-sops-nix"
        ]
    );
    assert_eq!(
        ids(&env, &["zerotier AND NOT provider:hetzner"]),
        ["gcp-firewall-rules-block-zerotier-until-udp-9993"]
    );
    assert_eq!(
        ids(&env, &["kind:decision"]),
        ["secrets-in-clan-vars-rather-than-sops-nix"]
    );
    assert_eq!(
        ids(&env, &["tag:cx22"]),
        ["hetzner-provisioning-takes-about-three-minutes"]
    );
    // Prefixes, with or without a field.
    assert_eq!(
        ids(&env, &["zero*", "--sort", "date"]),
        [
            "zerotier-latency-hetzner-to-gcp",
            "gcp-firewall-rules-block-zerotier-until-udp-9993"
        ]
    );
    assert_eq!(
        ids(&env, &["title:prov*"]),
        ["hetzner-provisioning-takes-about-three-minutes"]
    );
    // Words are all required unless joined by OR.
    assert_eq!(
        ids(&env, &["zerotier", "latency"]),
        ["zerotier-latency-hetzner-to-gcp"]
    );
}

#[test]
fn filters_and_date_ranges() {
    let env = TestEnv::new();
    sample(&env);
    assert_eq!(
        ids(&env, &["--pattern", "zerotier", "--sort", "date"]),
        [
            "zerotier-latency-hetzner-to-gcp",
            "gcp-firewall-rules-block-zerotier-until-udp-9993"
        ]
    );
    assert_eq!(
        ids(&env, &["--provider", "gcp", "--confidence", "uncertain"]),
        ["gcp-firewall-rules-block-zerotier-until-udp-9993"]
    );
    assert_eq!(
        ids(&env, &["--kind", "measurement", "--tag", "type=cx22"]),
        ["hetzner-provisioning-takes-about-three-minutes"]
    );
    assert_eq!(
        ids(&env, &["--story", "1.11"]),
        ["secrets-in-clan-vars-rather-than-sops-nix"]
    );
    assert_eq!(
        ids(&env, &["--since", "2026-10-06", "--until", "2026-10-08"]),
        [
            "luks-unlock-over-ssh-works-on-hetzner",
            "hetzner-provisioning-takes-about-three-minutes"
        ]
    );
    assert_eq!(
        ids(&env, &["ssh", "--until", "2026-10-05"]),
        ["terranix-null-resource-triggers-clan-install"]
    );
    assert_eq!(
        ids(
            &env,
            &["--pattern", "zerotier", "--limit", "1", "--sort", "date"]
        )
        .len(),
        1
    );
}

#[test]
fn json_hits_carry_the_documented_fields_and_a_highlighted_snippet() {
    let env = TestEnv::new();
    sample(&env);
    let run = env.run(&["search", "passphrase", "--json"]);
    let hit: serde_json::Value = serde_json::from_str(run.ok().lines().next().unwrap()).unwrap();
    for key in [
        "id",
        "score",
        "date",
        "title",
        "provider",
        "pattern",
        "confidence",
        "kind",
        "story",
        "path",
        "snippet",
    ] {
        assert!(hit.get(key).is_some(), "missing {key}: {hit}");
    }
    assert_eq!(hit["date"], "2026-10-08T11:15:00+02:00");
    let snippet = hit["snippet"].as_str().unwrap();
    let [start, end] = [
        hit["highlights"][0][0].as_u64().unwrap() as usize,
        hit["highlights"][0][1].as_u64().unwrap() as usize,
    ];
    assert_eq!(&snippet[start..end], "passphrase");
    // Plain text when stdout is not a terminal: no escape codes.
    let plain = env.run(&["search", "passphrase"]).ok().to_owned();
    assert!(
        plain.contains("\n    ") && !plain.contains('\x1b'),
        "{plain}"
    );
}

#[test]
fn no_matches_syntax_errors_and_missing_queries() {
    let env = TestEnv::new();
    sample(&env);
    let run = env.run(&["search", "kubernetes"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "no matches\n")
    );
    let stderr = env.run(&["search", "AND AND"]).fails(1).to_owned();
    assert!(
        stderr.starts_with("error: cannot parse the query"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: queries use tantivy's syntax"),
        "{stderr}"
    );
    // A usage error: exit 2, as for a flag clap does not know.
    let stderr = env.run(&["search"]).fails(2).to_owned();
    assert!(stderr.contains("give a query or a filter"), "{stderr}");
    let stderr = env
        .run(&["search", "x", "--provider", "hetzer"])
        .fails(1)
        .to_owned();
    assert!(stderr.contains("did you mean `hetzner`?"), "{stderr}");
}

#[test]
fn the_index_follows_hand_edits_deletes_renames_and_checkouts() {
    let env = TestEnv::new();
    sample(&env);
    assert_eq!(ids(&env, &["passphrase"]).len(), 1);
    let luks = "journal/2026/10/20261008T091500Z-luks-unlock-over-ssh-works-on-hetzner.md";
    // A hand edit, not committed.
    let text = env.read(luks).replace("passphrase", "secret phrase");
    env.write(luks, &text);
    assert_eq!(ids(&env, &["passphrase"]), Vec::<String>::new());
    assert_eq!(ids(&env, &["\"secret phrase\""]).len(), 1);
    // A rename: found under its new name only.
    let renamed = "journal/2026/10/20261008T091500Z-luks-over-ssh.md";
    std::fs::rename(env.repo.join(luks), env.repo.join(renamed)).unwrap();
    let text = env.read(renamed).replace(
        "id: 20261008T091500Z-luks-unlock-over-ssh-works-on-hetzner",
        "id: 20261008T091500Z-luks-over-ssh",
    );
    env.write(renamed, &text);
    assert_eq!(ids(&env, &["\"secret phrase\""]), ["luks-over-ssh"]);
    // A delete.
    std::fs::remove_file(env.repo.join(renamed)).unwrap();
    assert_eq!(ids(&env, &["\"secret phrase\""]), Vec::<String>::new());

    // Branches: entries that exist on one branch only come and go with checkout.
    env.git(&["add", "-A"]);
    env.git(&["commit", "-qm", "sample"]);
    env.git(&["checkout", "-qb", "gcp-work"]);
    env.run(&[
        "add",
        "Cloud NAT needed for outbound traffic",
        "--provider",
        "gcp",
    ])
    .ok();
    assert_eq!(ids(&env, &["outbound"]).len(), 1);
    env.git(&["checkout", "-q", "main"]);
    assert_eq!(ids(&env, &["outbound"]), Vec::<String>::new());
    env.git(&["checkout", "-q", "gcp-work"]);
    assert_eq!(ids(&env, &["outbound"]).len(), 1);
}

#[test]
fn deleting_the_index_loses_nothing_and_reindex_rebuilds() {
    let env = TestEnv::new();
    sample(&env);
    assert_eq!(ids(&env, &["zerotier"]).len(), 2);
    std::fs::remove_dir_all(env.repo.join(".git/journal")).unwrap();
    assert_eq!(ids(&env, &["zerotier"]).len(), 2);
    let run = env.run(&["reindex"]);
    assert_eq!(run.ok(), "");
    // The repository's only commit, `journal: init`, is the journal's own: left out.
    assert!(
        run.stderr
            .starts_with("Indexed 6 entries (0 bad) and 0 evidence commits in "),
        "{}",
        run.stderr
    );
    assert_eq!(ids(&env, &["zerotier"]).len(), 2);
    // A corrupt index is rebuilt too.
    std::fs::write(env.repo.join(".git/journal/state.sqlite"), "not a database").unwrap();
    assert_eq!(ids(&env, &["zerotier"]).len(), 2);
    // index_dir moves it.
    let toml = env.read("journal.toml").replace(
        "# index_dir = \".git/journal\"",
        "index_dir = \".cache/journal-index\"",
    );
    env.write("journal.toml", &toml);
    assert_eq!(ids(&env, &["zerotier"]).len(), 2);
    assert!(env.repo.join(".cache/journal-index/state.sqlite").is_file());
}

#[test]
fn bad_files_are_reported_on_each_search_and_skipped() {
    let env = TestEnv::new();
    sample(&env);
    env.write(
        "journal/2026/10/20261030T080000Z-broken.md",
        "---\ndate: someday\ntitle: Broken zerotier note\n---\n",
    );
    for _ in 0..2 {
        // Answered from the good files, the bad one reported, exit 1 (the answer is partial).
        let run = env.run(&["search", "zerotier", "--json"]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(run.stdout.lines().count(), 2);
        assert_eq!(
            run.stderr,
            "warning: journal/2026/10/20261030T080000Z-broken.md:2: field `date`: `someday` is not an \
             RFC 3339 date with a UTC offset (for example 2026-11-26T11:59:03+01:00), nor a local \
             YYYY-MM-DD HH:MM\n\
             error: 1 entry file could not be read and was skipped\n\
             hint: `journal check` lists every problem of every file\n"
        );
    }
    // Fixed by hand: indexed at the next command.
    env.write(
        "journal/2026/10/20261030T080000Z-broken.md",
        "---\ndate: 2026-10-30T09:00:00+01:00\ntitle: Broken zerotier note\n---\n",
    );
    let run = env.run(&["search", "zerotier", "--json"]);
    assert_eq!((run.ok().lines().count(), run.stderr.as_str()), (3, ""));
}

#[test]
fn racy_files_are_read_again_even_with_the_same_size_and_time() {
    let env = TestEnv::new();
    let rel = "journal/2026/10/20261001T080000Z-racy.md";
    let write = |word: &str| {
        env.write(
            rel,
            &format!("---\ndate: 2026-10-01T10:00:00+02:00\ntitle: Racy {word}\n---\n"),
        );
        // The same modification time every write: one that is not older than the scans, as
        // a file written in the same clock tick as a scan would have (here: in 2096).
        let file = std::fs::File::options()
            .write(true)
            .open(env.repo.join(rel))
            .unwrap();
        file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(4_000_000_000))
            .unwrap();
        let meta = std::fs::metadata(env.repo.join(rel)).unwrap();
        meta.modified().unwrap()
    };
    let first = write("alpha");
    assert_eq!(ids(&env, &["alpha"]), ["racy"]);
    // Same size, and the time set back to the very same instant.
    write("gamma");
    let file = std::fs::File::options()
        .write(true)
        .open(env.repo.join(rel))
        .unwrap();
    file.set_modified(first).unwrap();
    assert_eq!(ids(&env, &["gamma"]), ["racy"]);
    assert_eq!(ids(&env, &["alpha"]), Vec::<String>::new());
}

#[test]
fn a_cut_list_of_hits_says_how_many_there_are() {
    let env = TestEnv::new();
    sample(&env);
    let run = env.run(&["search", "zerotier", "--limit", "1", "--json"]);
    assert_eq!(run.ok().lines().count(), 1);
    assert_eq!(run.stderr, "1 of 2 (--limit N for more)\n");
    let all = env.run(&["search", "zerotier"]);
    assert_eq!(all.stderr, "", "every hit shown: no note");
}

#[test]
fn a_field_value_outside_the_vocabulary_is_refused_in_the_query_too() {
    let env = TestEnv::new();
    sample(&env);
    let flag = env
        .run(&["search", "--provider", "hetzer"])
        .fails(1)
        .to_owned();
    let query = env.run(&["search", "provider:hetzer"]).fails(1).to_owned();
    assert!(query.contains("did you mean `hetzner`?"), "{query}");
    assert_eq!(
        flag.lines().next(),
        query.lines().next(),
        "the same error both ways"
    );
    let stderr = env
        .run(&["search", "zerotier AND NOT pattern:zerotr"])
        .fails(1)
        .to_owned();
    assert!(stderr.contains("unknown pattern `zerotr`"), "{stderr}");
    // Known values and prefixes search as before.
    env.run(&["search", "provider:hetzner"]).ok();
    env.run(&["search", "provider:het*"]).ok();
}

#[test]
fn author_matches_a_name_a_prefix_or_an_address() {
    let env = TestEnv::new();
    env.commit_file("infra/main.tf", "# hcloud\n");
    let mut add = env.journal();
    add.env("GIT_AUTHOR_NAME", "Cameron Example")
        .env("GIT_AUTHOR_EMAIL", "cameron@example.org")
        .args(["add", "zerotier joins on the first try"]);
    assert!(add.output().unwrap().status.success());
    env.run(&["add", "zerotier by someone else"]).ok();
    for query in [
        "author:Cameron",
        "author:cameron*",
        "author:cameron@example.org",
        "author:\"Cameron Example\"",
    ] {
        let hits = ids(&env, &[query]);
        assert_eq!(hits.len(), 1, "{query}: {hits:?}");
    }
    // Commits too: the journal's repository's own history is by Ops.
    let commits = env.run(&["search", "--commits", "author:ops", "--json"]);
    assert!(
        commits.ok().contains("hcloud") || commits.stdout.contains("main.tf"),
        "{}",
        commits.stdout
    );
}
