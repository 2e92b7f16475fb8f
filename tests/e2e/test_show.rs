use crate::common::{TestEnv, mask_host};

#[test]
fn show_finds_an_entry_by_any_unique_prefix() {
    let env = TestEnv::new();
    let head = env.git(&["rev-parse", "HEAD"]);
    env.run(&[
        "add",
        "Hetzner provisioning takes 2-5 minutes",
        "--provider",
        "hetzner",
        "--kind",
        "measurement",
    ])
    .ok();
    env.run(&[
        "add",
        "GCP is slower",
        "--provider",
        "gcp",
        "--at",
        "2026-11-20 10:00",
    ])
    .ok();

    let text = env.run(&["show", "20261126"]).ok().to_owned();
    let expected = "Hetzner provisioning takes 2-5 minutes
id:         20261126T105903Z-hetzner-provisioning-takes-2-5-minutes
date:       2026-11-26T11:59:03+01:00
author:     Ops <ops@example.org>
host: [host]
provider:   hetzner
kind:       measurement
head:       HEAD
path:       journal/2026/11/20261126T105903Z-hetzner-provisioning-takes-2-5-minutes.md
";
    let masked = mask_host(
        &text
            .replace(head.trim(), "HEAD")
            .replace("host:       ", "host: "),
    );
    assert_eq!(masked, expected);

    let exact = env.run(&[
        "show",
        "20261126T105903Z-hetzner-provisioning-takes-2-5-minutes",
    ]);
    assert_eq!(exact.ok(), text);
}

#[test]
fn an_ambiguous_prefix_lists_the_candidates() {
    let env = TestEnv::new();
    env.run(&["add", "First"]).ok();
    env.run(&["add", "Second"]).ok();
    let stderr = env.run(&["show", "2026"]).fails(1).to_owned();
    assert_eq!(
        stderr,
        "error: `2026` matches 2 entries: 20261126T105903Z-first, 20261126T105903Z-second\n\
         hint: give more characters of the id\n"
    );
    let stderr = env.run(&["show", "2025"]).fails(1).to_owned();
    assert!(
        stderr.starts_with("error: no entry matches `2025`"),
        "{stderr}"
    );
}

#[test]
fn an_exact_id_wins_over_longer_ids_sharing_it() {
    let env = TestEnv::new();
    env.run(&["add", "Same"]).ok();
    env.run(&["add", "Same"]).ok();
    let out = env.run(&["show", "20261126T105903Z-same", "--json"]);
    let shown = out.json();
    assert_eq!(shown["id"], "20261126T105903Z-same");
}

#[test]
fn show_json_is_the_same_object_as_a_list_line() {
    let env = TestEnv::new();
    env.commit_file("infra/zerotier.nix", "# controller\n");
    env.run(&[
        "add",
        "Zerotier latency",
        "--pattern",
        "zerotier",
        "--tag",
        "from=fsn1",
        "--commit",
        "HEAD",
    ])
    .ok();
    let shown = env.run(&["show", "2026", "--json"]).ok().to_owned();
    let listed = env.run(&["list", "--json"]).ok().to_owned();
    assert_eq!(shown, listed);
    let object: serde_json::Value = serde_json::from_str(&shown).unwrap();
    for key in [
        "id",
        "date",
        "title",
        "author",
        "provider",
        "pattern",
        "confidence",
        "kind",
        "story",
        "commits",
        "head",
        "tags",
        "metrics",
        "path",
        "body",
    ] {
        assert!(object.get(key).is_some(), "missing {key} in {shown}");
    }
    assert_eq!(object["tags"]["from"], "fsn1");
    assert_eq!(object["pattern"][0], "zerotier");
}

#[test]
fn show_finds_files_through_the_fresh_index_hand_written_moved_or_deleted() {
    let env = TestEnv::new();
    let text = "---\nid: 20261120T090000Z-by-hand\ndate: 2026-11-20T10:00:00+01:00\n\
                title: written by hand\nauthor: Ops <ops@example.org>\n---\nbody\n";
    env.write("journal/2026/11/20261120T090000Z-by-hand.md", text);
    let shown = env.run(&["show", "20261120T09", "--json"]).json();
    assert_eq!(shown["title"], "written by hand");

    // Moved to another folder: the index follows before show looks.
    std::fs::create_dir_all(env.repo.join("journal/2026/10")).unwrap();
    std::fs::rename(
        env.repo.join("journal/2026/11/20261120T090000Z-by-hand.md"),
        env.repo.join("journal/2026/10/20261120T090000Z-by-hand.md"),
    )
    .unwrap();
    let shown = env.run(&["show", "20261120T09", "--json"]).json();
    assert_eq!(shown["path"], "journal/2026/10/20261120T090000Z-by-hand.md");

    std::fs::remove_file(env.repo.join("journal/2026/10/20261120T090000Z-by-hand.md")).unwrap();
    let stderr = env.run(&["show", "20261120T09"]).fails(1).to_owned();
    assert!(stderr.contains("20261120T09"), "{stderr}");
}
