use crate::common::TestEnv;

#[test]
fn tags_counts_every_facet_and_follows_the_files() {
    let env = TestEnv::new();
    env.run(&[
        "add",
        "One",
        "--provider",
        "hetzner,gcp",
        "--pattern",
        "zerotier",
        "--kind",
        "measurement",
        "--confidence",
        "proven",
        "--story",
        "1.5",
        "--tag",
        "region=fsn1",
    ])
    .ok();
    env.run(&[
        "add",
        "Two",
        "--provider",
        "hetzner",
        "--kind",
        "easy",
        "--tag",
        "region=fsn1",
        "--tag",
        "env=test",
    ])
    .ok();
    let json = env.run(&["tags", "--json"]).json();
    assert_eq!(
        json,
        serde_json::json!({
            "provider": {"hetzner": 2, "gcp": 1},
            "pattern": {"zerotier": 1},
            "kind": {"measurement": 1, "easy": 1},
            "confidence": {"proven": 1},
            "story": {"1.5": 1},
            "tags": {"region=fsn1": 2, "env=test": 1},
        })
    );
    let text = env.run(&["tags"]).ok().to_owned();
    assert!(
        text.starts_with("provider:\n       2  hetzner\n       1  gcp\n"),
        "{text}"
    );

    // A deleted entry no longer counts.
    let two = env
        .entry_files()
        .into_iter()
        .find(|f| f.contains("-two"))
        .unwrap();
    std::fs::remove_file(env.repo.join(two)).unwrap();
    let json = env.run(&["tags", "--json"]).json();
    assert_eq!(
        json["provider"],
        serde_json::json!({"hetzner": 1, "gcp": 1})
    );
    assert_eq!(json["tags"], serde_json::json!({"region=fsn1": 1}));
}

#[test]
fn stories_are_listed_as_people_count_them() {
    let env = TestEnv::new();
    for story in ["1.10", "1.9", "2.1"] {
        env.run(&["add", &format!("story {story}"), "--story", story])
            .ok();
    }
    let json = env.run(&["tags", "--json"]);
    let text = json.ok();
    let at = |s: &str| text.find(&format!("\"{s}\":1")).unwrap();
    assert!(at("1.9") < at("1.10") && at("1.10") < at("2.1"), "{text}");
    let lines = env.run(&["tags"]).ok().to_owned();
    let at = |s: &str| lines.find(&format!("  {s}\n")).unwrap();
    assert!(at("1.9") < at("1.10") && at("1.10") < at("2.1"), "{lines}");
}
