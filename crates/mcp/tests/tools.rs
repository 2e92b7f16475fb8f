//! Each tool and each refusal, through an in-process MCP client.

mod common;

use common::{NOW, Session, text};
use rmcp::model::CallToolRequestParams;
use serde_json::{Value, json};

#[tokio::test]
async fn add_records_the_entry_with_its_agent_and_commit_then_show_list_search_find_it() {
    let s = Session::start().await;
    let head = s
        .repo
        .commit("terraform: hetzner servers", &[("main.tf", "servers\n")]);
    let added = s
        .ok(
            "journal_add",
            json!({
                "title": "sshd races cloud-init on first boot",
                "body": "The host key changes under us.\n\n```\nssh: host key mismatch\n```",
                "provider": "hetzner",
                "pattern": ["luks"],
                "kind": "hard",
                "confidence": "uncertain",
                "story": "1.11",
                "commits": ["HEAD"],
                "metrics": {"boot_s": 41.5},
                "tags": {"region": "fsn1"},
                "at": "2026-11-20T09:30:00+01:00",
            }),
        )
        .await;
    let id = added["id"].as_str().unwrap().to_owned();
    assert!(
        id.ends_with("-sshd-races-cloud-init-on-first-boot"),
        "{added}"
    );
    assert!(
        added["path"]
            .as_str()
            .unwrap()
            .starts_with("journal/2026/11/")
    );
    assert_eq!(added["commit"].as_str().unwrap().len(), 40);
    assert_eq!(added["similar"], json!([]));
    assert_ne!(added["commit"].as_str(), Some(head.as_str()));

    let shown = s.ok("journal_show", json!({"id": &id[..12]})).await;
    assert_eq!(shown["id"], json!(id));
    assert_eq!(shown["agent"], json!("test-agent 0.9"));
    assert_eq!(shown["host"], json!("testhost"));
    assert_eq!(shown["commits"], json!([head]));
    assert_eq!(shown["metrics"], json!({"boot_s": 41.5}));
    assert_eq!(shown["tags"], json!({"region": "fsn1"}));
    assert!(
        shown["body"]
            .as_str()
            .unwrap()
            .contains("host key mismatch")
    );

    let listed = s.ok("journal_list", json!({"agent": "test-agent"})).await;
    assert_eq!(listed["entries"].as_array().unwrap().len(), 1);
    assert_eq!(listed["entries"][0]["id"], json!(id));
    let none = s.ok("journal_list", json!({"agent": "other-agent"})).await;
    assert_eq!(none["entries"], json!([]));

    let found = s
        .ok(
            "journal_search",
            json!({"query": "cloud-init", "provider": ["hetzner"]}),
        )
        .await;
    assert_eq!(found["total"], json!(1));
    assert_eq!(found["hits"][0]["id"], json!(id));
    assert_eq!(found["hits"][0]["agent"], json!("test-agent 0.9"));
    let commits = s
        .ok(
            "journal_search",
            json!({"query": "servers", "scope": "commits"}),
        )
        .await;
    assert_eq!(commits["hits"][0]["kind"], json!("commit"));
    assert_eq!(commits["hits"][0]["id"], json!(head));
    // The same filters as the CLI's: tags too.
    let tagged = s
        .ok("journal_search", json!({"tags": {"region": "fsn1"}}))
        .await;
    assert_eq!(tagged["total"], json!(1), "{tagged}");
    let other = s
        .ok("journal_list", json!({"tags": {"region": "nbg1"}}))
        .await;
    assert_eq!(other["entries"], json!([]), "{other}");
    // Identifiers by their parts; a typo gets the nearest words, `fuzzy` finds it.
    let part = s.ok("journal_search", json!({"query": "init"})).await;
    assert_eq!(part["total"], json!(1), "{part}");
    let typo = s.ok("journal_search", json!({"query": "cloud-inti"})).await;
    assert_eq!(typo["total"], json!(0), "{typo}");
    let typo = s.ok("journal_search", json!({"query": "sshdd"})).await;
    assert_eq!(
        typo["did_you_mean"],
        json!([{"word": "sshdd", "nearest": ["sshd", "ssh"]}]),
        "{typo}"
    );
    let fuzzy = s
        .ok("journal_search", json!({"query": "sshdd", "fuzzy": true}))
        .await;
    assert_eq!(fuzzy["total"], json!(1), "{fuzzy}");

    // A second observation of the same thing is written, with the first one as advice.
    let again = s
        .ok(
            "journal_add",
            json!({"title": "sshd races cloud-init again", "provider": ["hetzner"]}),
        )
        .await;
    assert_eq!(again["similar"][0]["id"], json!(id), "{again}");
    assert_eq!(s.entry_files().len(), 2);
    // Following the advice: the next one supersedes the first (by a prefix of its id).
    let replacing = s
        .ok(
            "journal_add",
            json!({"title": "sshd waits for cloud-init now", "supersedes": &id[..16]}),
        )
        .await;
    let shown = s.ok("journal_show", json!({"id": replacing["id"]})).await;
    assert_eq!(shown["supersedes"], json!([id]));
    let newest = s.ok("journal_list", json!({"limit": 1})).await;
    assert_eq!(newest["entries"][0]["id"], replacing["id"]);
    assert_eq!(newest["entries"][0]["date"], json!(NOW));
}

#[tokio::test]
async fn every_refusal_is_an_error_result_naming_the_value_and_nothing_is_written() {
    let s = Session::start().await;
    let refusals = [
        (
            json!({"title": "t", "provider": ["aws"]}),
            "unknown provider `aws`",
        ),
        (
            json!({"title": "t", "provider": ["aws"]}),
            "allowed: hetzner, gcp",
        ),
        (json!({"title": "t", "pattern": ["zerotir"]}), "zerotier"),
        (json!({"title": "t", "kind": "findng"}), "finding"),
        (
            json!({"title": "t", "confidence": "proved"}),
            "confidence `proved`",
        ),
        (
            json!({"title": "t", "confidence": "proved"}),
            "did you mean `proven`?",
        ),
        (
            json!({"title": "t", "commits": ["no-such-rev"]}),
            "no-such-rev",
        ),
        (
            json!({"title": "t", "supersedes": ["20990101"]}),
            "20990101",
        ),
        (
            json!({"title": "t", "metrics": {"bad name": 1}}),
            "bad name",
        ),
        (json!({"title": "t", "at": "2099-01-01"}), "in the future"),
        // The library's hint names the parameter; the server says it as its argument.
        (
            json!({"title": "t", "at": "2099-01-01"}),
            "hint: `at` takes the moment",
        ),
        (
            json!({"title": "t", "at": "not a date at all"}),
            "at `not a date at all`",
        ),
        (json!({"title": "  "}), "no title"),
        (
            json!({"title": "token", "body": "ok\nexport GITHUB_TOKEN=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}),
            "body, line 2",
        ),
        (json!({"title": "key AKIAIOSFODNN7EXAMPLE is it"}), "rule `"),
        (
            json!({"title": "t", "tags": {"token": "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}}),
            "tag `token`, line 1",
        ),
    ];
    for (arguments, expected) in refusals {
        let message = s.refused("journal_add", arguments.clone()).await;
        assert!(message.starts_with("error: "), "{message}");
        assert!(message.contains(expected), "{arguments}: {message}");
        assert!(!message.contains("--"), "no CLI flag: {message}");
    }
    assert!(s.entry_files().is_empty(), "nothing was written");

    let reads = [
        ("journal_search", json!({}), "nothing to search for"),
        // In the agent's words (its arguments), not the CLI's flags.
        ("journal_search", json!({}), "hint: give `query`"),
        (
            "journal_search",
            json!({"query": "x", "scope": "everything"}),
            "scope `everything`",
        ),
        (
            "journal_search",
            json!({"provider": ["aws"]}),
            "unknown provider `aws`",
        ),
        ("journal_search", json!({"query": "provider:aws"}), "aws"),
        (
            "journal_search",
            json!({"query": "title:(unclosed"}),
            "error: ",
        ),
        (
            "journal_search",
            json!({"since": "someday maybe"}),
            "since `someday maybe`",
        ),
        (
            "journal_list",
            json!({"confidence": "sure"}),
            "confidence `sure`",
        ),
        (
            "journal_list",
            json!({"until": "the end of time"}),
            "until `the end of time`",
        ),
        ("journal_show", json!({"id": "2099"}), "2099"),
        ("journal_coverage", json!({"story": "9.9"}), "story `9.9`"),
    ];
    for (tool, arguments, expected) in reads {
        let message = s.refused(tool, arguments.clone()).await;
        assert!(message.contains(expected), "{tool} {arguments}: {message}");
        assert!(!message.contains("--"), "no CLI flag: {message}");
    }
}

#[tokio::test]
async fn a_malformed_call_names_what_is_wrong_and_an_unknown_tool_is_a_protocol_error() {
    let s = Session::start().await;
    for (arguments, expected) in [
        (
            json!({"title": "t", "providers": ["gcp"]}),
            "unknown field `providers`",
        ),
        (json!({"title": 42}), "invalid type"),
        (json!({"body": "no title"}), "missing field `title`"),
        (
            json!({"title": "t", "metrics": {"latency_ms": "fast"}}),
            "invalid type",
        ),
    ] {
        // rmcp answers arguments that do not fit the schema with an error result (the
        // agent can correct itself), naming the field.
        let message = s.refused("journal_add", arguments.clone()).await;
        assert!(message.contains(expected), "{arguments}: {message}");
    }
    assert!(s.try_call("journal_nothing", json!({})).await.is_err());
    assert!(s.entry_files().is_empty());
}

#[tokio::test]
async fn vocabulary_lists_the_allowed_values_with_counts() {
    let s = Session::start().await;
    s.ok(
        "journal_add",
        json!({"title": "a", "provider": ["gcp"], "kind": "easy"}),
    )
    .await;
    let vocabulary = s.ok("journal_vocabulary", json!({})).await;
    assert_eq!(vocabulary["providers"], json!(["hetzner", "gcp"]));
    assert_eq!(
        vocabulary["patterns"],
        json!(["luks", "zerotier", "clan-vars"])
    );
    assert_eq!(
        vocabulary["confidence"],
        json!(["proven", "needs-testing", "uncertain"])
    );
    assert_eq!(vocabulary["counts"]["provider"], json!({"gcp": 1}));
    assert_eq!(vocabulary["counts"]["kind"], json!({"easy": 1}));
}

#[tokio::test]
async fn coverage_names_unsupported_claims_missing_evidence_and_empty_sections() {
    let s = Session::start().await;
    s.ok(
        "journal_add",
        json!({"title": "LUKS unlock works", "provider": ["hetzner"], "pattern": ["luks"]}),
    )
    .await;
    // Before the assessment: luks is listed as not assessed, with its one observation.
    let before = s.ok("journal_coverage", json!({})).await;
    assert_eq!(
        before["not_assessed"][0]["pattern"],
        json!("luks"),
        "{before}"
    );
    assert_eq!(before["not_assessed"][0]["entries"], json!(1));
    let refused = s
        .refused(
            "journal_assess",
            json!({"pattern": "luks", "confidence": "proven", "rationale": " "}),
        )
        .await;
    assert!(
        refused.contains("rationale") && refused.contains("`rationale`"),
        "{refused}"
    );
    let refused = s
        .refused(
            "journal_assess",
            json!({"pattern": "luks", "confidence": "sure", "rationale": "x"}),
        )
        .await;
    assert!(refused.contains("needs-testing"), "{refused}");
    let assessed = s
        .ok(
            "journal_assess",
            json!({"pattern": "luks", "confidence": "proven",
                   "rationale": "Unlocked over SSH on two hosts."}),
        )
        .await;
    assert!(assessed["commit"].is_string(), "{assessed}");
    let missing = "0123456789abcdef0123456789abcdef01234567";
    s.repo.write(
        "journal/2026/11/20261101-ghost.md",
        &journal_testutils::entry_text(
            "20261101-ghost",
            "2026-11-01T10:00:00+01:00",
            "A ghost commit",
            &["provider: [gcp]", &format!("commits: [{missing}]")],
            "",
        ),
    );
    let coverage = s.ok("journal_coverage", json!({})).await;
    assert_eq!(coverage["refused"], json!(true));
    let claim = &coverage["unsupported_claims"][0];
    assert_eq!(
        (&claim["pattern"], &claim["level"]),
        (&json!("luks"), &json!("proven"))
    );
    assert!(
        claim["reason"]
            .as_str()
            .unwrap()
            .contains("evidence commit"),
        "{claim}"
    );
    assert_eq!(coverage["evidence"][0]["commit"], json!(missing));
    assert_eq!(coverage["evidence"][0]["problem"], json!("missing"));
    assert!(!coverage["empty_sections"].as_array().unwrap().is_empty());
    assert!(!s.repo.path("docs").exists(), "nothing is written");
}

#[tokio::test]
async fn a_file_edited_by_hand_is_seen_by_the_next_call() {
    let s = Session::start().await;
    let added = s
        .ok("journal_add", json!({"title": "zerotier joins slowly"}))
        .await;
    let path = s.repo.path(added["path"].as_str().unwrap());
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("joins slowly", "joins after a minute")).unwrap();
    let found = s.ok("journal_search", json!({"query": "minute"})).await;
    assert_eq!(found["hits"][0]["id"], added["id"]);
    // A broken file is reported and skipped, never fatal.
    s.repo
        .write("journal/2026/11/20261119-broken.md", "---\nid: [\n---\n");
    let listed = s.ok("journal_list", json!({})).await;
    assert_eq!(listed["entries"].as_array().unwrap().len(), 1);
    assert_eq!(
        listed["skipped"][0]["path"],
        json!("journal/2026/11/20261119-broken.md")
    );
}

#[tokio::test]
async fn the_documents_are_resources_rendered_on_read() {
    let s = Session::start().await;
    s.ok(
        "journal_add",
        json!({"title": "Zerotier mesh spans both clouds", "provider": ["gcp", "hetzner"],
               "pattern": ["zerotier"], "kind": "finding"}),
    )
    .await;
    let listed = s.client.list_resources(None).await.unwrap();
    let uris: Vec<&str> = listed.resources.iter().map(|r| r.uri.as_str()).collect();
    assert_eq!(
        uris,
        [
            "journal://documents/INTEGRATION-FINDINGS.md",
            "journal://documents/ARCHITECTURAL-DECISIONS.md"
        ]
    );
    let read = s
        .client
        .read_resource(rmcp::model::ReadResourceRequestParams::new(uris[0]))
        .await
        .unwrap();
    let rmcp::model::ResourceContents::TextResourceContents { text, .. } = &read.contents[0] else {
        panic!("text contents");
    };
    assert!(text.contains("Zerotier mesh spans both clouds"), "{text}");
    assert!(
        text.contains("2026-11-20"),
        "the compile date is the call's"
    );
    assert!(!s.repo.path("docs").exists(), "nothing is written");
    let unknown = s
        .client
        .read_resource(rmcp::model::ReadResourceRequestParams::new(
            "journal://documents/NOPE.md",
        ))
        .await
        .unwrap_err();
    assert!(
        unknown.to_string().contains("INTEGRATION-FINDINGS.md"),
        "{unknown}"
    );
}

#[tokio::test]
async fn parallel_adds_are_all_written_and_committed() {
    let s = Session::start().await;
    let mut calls = tokio::task::JoinSet::new();
    for i in 0..10 {
        let peer = s.client.peer().clone();
        let Value::Object(arguments) = json!({"title": format!("parallel observation {i}")}) else {
            unreachable!()
        };
        calls.spawn(async move {
            peer.call_tool(CallToolRequestParams::new("journal_add").with_arguments(arguments))
                .await
        });
    }
    let mut ids = Vec::new();
    while let Some(done) = calls.join_next().await {
        let result = done.unwrap().unwrap();
        assert_ne!(result.is_error, Some(true), "{}", text(&result));
        let added = result.structured_content.unwrap();
        assert!(added["commit"].is_string(), "{added}");
        ids.push(added["id"].as_str().unwrap().to_owned());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 10, "ten distinct entries");
    assert_eq!(s.entry_files().len(), 10);
    let listed = s.ok("journal_list", json!({"limit": 100})).await;
    assert_eq!(listed["entries"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn any_query_is_a_result_or_an_error_result_never_a_protocol_error() {
    let s = Session::start().await;
    for query in [
        "::",
        "fd00::1~",
        "~~",
        "\"",
        "*:*",
        "a//b",
        "NOT",
        "(((",
        "🙂",
        "title:",
        "zerotir~3",
        "-",
        "provdier:gcp",
    ] {
        let result = s
            .try_call("journal_search", json!({ "query": query }))
            .await;
        assert!(result.is_ok(), "{query}: {result:?}");
    }
}

#[tokio::test]
async fn review_says_what_changed_since_and_marks_only_when_asked() {
    let s = Session::start().await;
    s.ok(
        "journal_add",
        json!({"title": "LUKS unlock works", "provider": ["hetzner"], "pattern": ["luks"]}),
    )
    .await;
    let since = s.ok("journal_review", json!({})).await;
    assert_eq!(since["added"].as_array().unwrap().len(), 1, "{since}");
    assert_eq!(since["marked"], json!(null));
    assert_eq!(since["reviewed"], json!(null));
    let marked = s.ok("journal_review", json!({"mark": true})).await;
    let commit = marked["marked"].as_str().unwrap().to_owned();
    assert_eq!(
        marked["added"].as_array().unwrap().len(),
        1,
        "what the review covered"
    );
    let after = s.ok("journal_review", json!({})).await;
    assert_eq!(after["added"], json!([]), "{after}");
    assert_eq!(after["reviewed"], json!(commit));
    let refused = s.refused("journal_review", json!({"mark": "yes"})).await;
    assert!(refused.contains("mark"), "{refused}");
}

#[tokio::test]
async fn a_review_ref_held_by_another_writer_is_refused_with_its_lock_and_marks_nothing() {
    let s = Session::start().await;
    s.ok(
        "journal_add",
        json!({"title": "LUKS unlock works", "provider": ["hetzner"], "pattern": ["luks"]}),
    )
    .await;
    let email = journal_testutils::operator().email;
    let lock = s
        .repo
        .root
        .join(".git")
        .join(format!("refs/journal/reviews/{email}.lock"));
    std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
    std::fs::write(&lock, "").unwrap();
    let refused = s.refused("journal_review", json!({"mark": true})).await;
    assert!(
        refused.contains(&format!("{} exists", lock.display())),
        "{refused}"
    );
    assert!(s.repo.git().reviewed(&email).unwrap().is_none());
    std::fs::remove_file(&lock).unwrap();
    let marked = s.ok("journal_review", json!({"mark": true})).await;
    assert!(marked["marked"].is_string(), "{marked}");
}
