//! The operations on a real journal (journal-testutils), without the binary: what a front end
//! gets from each, and every refusal before anything is written.

use chrono::DateTime;
use journal_testutils::{TestRepo, entry_text};

use crate::{
    CompileOptions, EntryFields, EntryText, ExportFormat, Filters, Group, ImportSource, Journal,
    OpenOptions, SearchOptions,
};

fn open(repo: &TestRepo) -> Journal {
    Journal::open(&OpenOptions {
        start: repo.root.clone(),
        ..OpenOptions::default()
    })
    .unwrap()
}

fn at(text: &str) -> chrono::DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap()
}

fn add(journal: &Journal, text: &str, fields: EntryFields, date: &str) -> crate::AddReport {
    let text = EntryText::Joined {
        text: text.to_owned(),
        title: None,
    };
    let draft = journal.prepare(fields).unwrap();
    journal
        .add(
            draft,
            text,
            at(date),
            at("2026-11-30T00:00:00Z"),
            Some("host".into()),
        )
        .unwrap()
}

fn hetzner(metric: f64) -> EntryFields {
    EntryFields {
        provider: vec!["hetzner".into()],
        pattern: vec!["luks".into()],
        metrics: vec![("unlock_s".into(), metric)],
        ..EntryFields::default()
    }
}

#[test]
fn add_records_and_every_refusal_writes_nothing() {
    let repo = TestRepo::journal();
    let journal = open(&repo);
    let head = journal.store().repo().head().unwrap();
    let refusals = [
        (
            EntryFields {
                provider: vec!["aws".into()],
                ..EntryFields::default()
            },
            "fine",
            "unknown provider `aws`",
        ),
        (
            EntryFields {
                metrics: vec![("a".into(), 1.0), ("a".into(), 2.0)],
                ..EntryFields::default()
            },
            "fine",
            "metric `a` is given twice",
        ),
        (
            EntryFields {
                commits: vec!["no-such-rev".into()],
                ..EntryFields::default()
            },
            "fine",
            "unknown revision `no-such-rev`",
        ),
        (
            EntryFields::default(),
            "key AKIAIOSFODNN7EXAMPLE",
            "looks like",
        ),
        (EntryFields::default(), "   \n", "no title"),
    ];
    for (fields, text, message) in refusals {
        let err = journal
            .prepare(fields)
            .and_then(|draft| {
                journal.add(
                    draft,
                    EntryText::Joined {
                        text: text.into(),
                        title: None,
                    },
                    at("2026-10-08T11:15:00+02:00"),
                    at("2026-11-30T00:00:00Z"),
                    None,
                )
            })
            .unwrap_err();
        assert!(err.message().contains(message), "{}", err.message());
        assert!(!err.message().contains("AKIAIOSFODNN7EXAMPLE"));
    }
    assert_eq!(journal.store().repo().head().unwrap(), head);
    assert!(journal.store().scan().unwrap().is_empty());

    let added = add(
        &journal,
        "LUKS works\n\nOver ssh.",
        hetzner(4.0),
        "2026-10-08T11:15:00+02:00",
    );
    assert_eq!(added.id, "20261008T091500Z-luks-works");
    assert_eq!(added.date, "2026-10-08T11:15:00+02:00");
    assert_eq!(journal.store().repo().head().unwrap(), added.commit);
    let shown = journal.show("20261008").unwrap();
    assert_eq!(shown.record.title, "LUKS works");
    assert_eq!(shown.record.body, "Over ssh.\n");
    assert_eq!(shown.record.host.as_deref(), Some("host"));
    assert_eq!(
        shown.record.author.as_deref(),
        Some("Ops <ops@example.org>")
    );
}

#[test]
fn reading_operations_answer_from_the_good_files_and_name_the_bad_ones() {
    let repo = TestRepo::journal();
    let journal = open(&repo);
    add(
        &journal,
        "LUKS works",
        hetzner(4.0),
        "2026-10-08T11:15:00+02:00",
    );
    add(
        &journal,
        "LUKS again",
        hetzner(6.0),
        "2026-10-09T11:15:00+02:00",
    );
    repo.write(
        "journal/2026/10/20261010T080000Z-bad.md",
        &entry_text("20261010T080000Z-bad", "someday", "Bad", &[], ""),
    );
    let selection = journal.select(&Filters::default(), None).unwrap();
    let titles: Vec<&str> = selection
        .entries
        .iter()
        .map(|(e, _)| e.title.as_str())
        .collect();
    assert_eq!(titles, ["LUKS again", "LUKS works"]);
    assert_eq!(selection.skipped.len(), 1);
    assert!(
        selection.skipped[0]
            .lines()
            .next()
            .unwrap()
            .starts_with("journal/2026/10/20261010T080000Z-bad.md:3: field `date`:"),
        "{:?}",
        selection.skipped
    );
    let search = journal
        .search(&SearchOptions {
            text: "luks".into(),
            limit: 10,
            ..SearchOptions::default()
        })
        .unwrap();
    assert_eq!((search.hits.len(), search.skipped.len()), (2, 1));
    let tags = journal.tags().unwrap();
    assert_eq!(tags.provider.get("hetzner"), Some(&2));
    let metrics = journal
        .metrics(&Filters::default(), Some(&Group::Provider))
        .unwrap();
    assert_eq!(metrics.rows.len(), 1);
    assert_eq!(metrics.rows[0].group, "hetzner");
    // Nearest rank: of 4 and 6 the median is the lower.
    assert_eq!(metrics.rows[0].summary.median, 4.0);
    let check = journal
        .check(chrono::DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z").unwrap())
        .unwrap();
    assert_eq!((check.files, check.problems.len()), (3, 1));
}

#[test]
fn export_then_import_gives_the_same_entries() {
    let source = TestRepo::journal();
    let journal = open(&source);
    add(
        &journal,
        "LUKS works",
        hetzner(4.0),
        "2026-10-08T11:15:00+02:00",
    );
    add(
        &journal,
        "zerotier joins",
        EntryFields::default(),
        "2026-10-09T11:15:00+02:00",
    );
    let exported = journal
        .export(&Filters::default(), ExportFormat::Jsonl)
        .unwrap();
    assert_eq!(exported.entries, 2);

    let target = TestRepo::journal();
    let copy = open(&target);
    let imported = copy
        .import(ImportSource::Journal, &exported.text, false, false)
        .unwrap();
    assert_eq!((imported.total, imported.written.len()), (2, 2));
    let again = copy
        .export(&Filters::default(), ExportFormat::Jsonl)
        .unwrap();
    assert_eq!(again.text, exported.text);
    // A second import adds nothing.
    let twice = copy
        .import(ImportSource::Journal, &exported.text, false, false)
        .unwrap();
    assert_eq!((twice.written.len(), twice.existing.len()), (0, 2));
}

#[test]
fn compile_writes_both_documents_and_remove_commits() {
    let repo = TestRepo::journal();
    let journal = open(&repo);
    let added = add(
        &journal,
        "LUKS works",
        hetzner(4.0),
        "2026-10-08T11:15:00+02:00",
    );
    let options = CompileOptions {
        date: Some("2026-10-30".into()),
        ..CompileOptions::default()
    };
    let compiled = journal.compile(&options).unwrap();
    let files: Vec<&str> = compiled.documents.iter().map(|d| d.file.as_str()).collect();
    assert_eq!(
        files,
        ["INTEGRATION-FINDINGS.md", "ARCHITECTURAL-DECISIONS.md"]
    );
    // The charts apart, typed: the metric, the file the documents link, the SVG.
    assert_eq!(compiled.charts.len(), 1);
    assert_eq!(compiled.charts[0].metric, "unlock_s");
    assert_eq!(compiled.charts[0].file, "charts/unlock_s.svg");
    assert!(compiled.charts[0].svg.starts_with("<svg"));
    assert_eq!(compiled.stale().len(), 3, "nothing on disk yet");
    // Written as rendered (streamed into each file), from the context alone: the files hold
    // what the render in memory gives.
    let mut context_only = journal.compile_context(&options).unwrap();
    assert!(context_only.documents.is_empty());
    let written = journal.write_compiled(&mut context_only).unwrap();
    assert!(written.removed.is_empty());
    assert_eq!(written.files.len(), 3);
    assert!(
        written
            .files
            .iter()
            .all(|p| p.starts_with(repo.root.join("docs")))
    );
    assert!(compiled.stale().is_empty());
    // The same entries give the same bytes: a second compile finds every file current.
    assert!(journal.compile(&options).unwrap().stale().is_empty());
    let findings = std::fs::read_to_string(repo.path("docs/INTEGRATION-FINDINGS.md")).unwrap();
    assert!(findings.contains("LUKS works"));
    assert!(findings.contains("](charts/unlock_s.svg)"));
    let chart = std::fs::read_to_string(repo.path("docs/charts/unlock_s.svg")).unwrap();
    assert!(chart.starts_with("<svg") && chart.contains("unlock_s"));
    std::fs::write(repo.path("docs/charts/unlock_s.svg"), "<svg/>").unwrap();
    let stale = journal.compile(&options).unwrap().stale();
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(stale[0].1, "chart of `unlock_s` changed");

    let file = journal.find(&added.id).unwrap();
    let removed = journal.remove(&file, false).unwrap();
    assert!(removed.commit.is_some());
    assert!(journal.find(&added.id).is_err());
}

#[test]
fn similar_entries_are_found_by_the_words_of_a_new_title() {
    let repo = TestRepo::journal();
    let journal = open(&repo);
    add(
        &journal,
        "Zerotier peers reconnect after a controller restart",
        EntryFields::default(),
        "2026-10-08T11:15:00+02:00",
    );
    add(
        &journal,
        "LUKS unlock over ssh works",
        hetzner(4.0),
        "2026-10-09T11:15:00+02:00",
    );
    let similar = journal
        .similar("zerotier peers reconnect slowly", 3)
        .unwrap();
    assert_eq!(similar.len(), 1, "{similar:?}");
    assert!(similar[0].title.starts_with("Zerotier peers reconnect"));
    assert!(journal.similar("a b", 3).unwrap().is_empty());
    // Query syntax in a title is words, not operators.
    assert!(journal.similar("title:* AND (NOT \"x", 3).is_ok());
}

#[test]
fn the_vocabulary_comes_with_the_counts() {
    let repo = TestRepo::journal();
    let journal = open(&repo);
    add(
        &journal,
        "LUKS works",
        hetzner(4.0),
        "2026-10-08T11:15:00+02:00",
    );
    let v = journal.vocabulary().unwrap();
    assert!(v.providers.contains(&"hetzner".to_owned()));
    assert_eq!(v.confidence, ["proven", "needs-testing", "uncertain"]);
    assert_eq!(v.counts.provider.get("hetzner"), Some(&1));
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["counts"]["pattern"]["luks"], 1);
}

#[test]
fn coverage_lists_what_a_strict_compile_would_refuse_and_writes_nothing() {
    let repo = TestRepo::journal();
    let journal = open(&repo);
    // A claim with no evidence, and a hand-written entry citing a commit that does not exist.
    add(
        &journal,
        "LUKS unlock works",
        hetzner(4.0),
        "2026-10-08T11:15:00+02:00",
    );
    let assessment = crate::Assessment {
        pattern: "luks".into(),
        provider: None,
        confidence: journal_entry::Confidence::Proven,
        rationale: "Unlocked over SSH.".into(),
        commits: Vec::new(),
        story: None,
        no_commit: false,
        allow_secret: false,
        agent: None,
    };
    let empty = crate::Assessment {
        rationale: " \n".into(),
        ..assessment.clone()
    };
    let refused = journal
        .assess(
            empty,
            at("2026-10-08T12:00:00+02:00"),
            at("2026-11-30T00:00:00Z"),
            None,
        )
        .unwrap_err();
    assert!(
        refused.message().contains("rationale"),
        "{}",
        refused.message()
    );
    let assessed = journal
        .assess(
            assessment,
            at("2026-10-08T12:00:00+02:00"),
            at("2026-11-30T00:00:00Z"),
            None,
        )
        .unwrap();
    assert!(
        assessed.id.ends_with("assessment-of-luks-proven"),
        "{}",
        assessed.id
    );
    let missing = "0123456789abcdef0123456789abcdef01234567";
    repo.write(
        "journal/2026/10/20261009-ghost.md",
        &entry_text(
            "20261009-ghost",
            "2026-10-09T10:00:00+02:00",
            "A ghost commit",
            &[
                "provider: [gcp]",
                "pattern: [zerotier]",
                &format!("commits: [{missing}]"),
            ],
            "",
        ),
    );
    let coverage = journal.coverage(None, usize::MAX).unwrap();
    assert!(coverage.refused && coverage.refused_strict, "{coverage:#?}");
    let claim = &coverage.unsupported_claims[0];
    assert_eq!(
        (claim.pattern.as_str(), claim.level.as_str()),
        ("luks", "proven")
    );
    assert!(!claim.reason.is_empty());
    assert_eq!(claim.entry.as_deref(), Some(assessed.id.as_str()));
    // zerotier has an observation and no assessment: listed before the patterns never
    // observed; luks is assessed.
    let open: Vec<(&str, usize)> = coverage
        .not_assessed
        .iter()
        .map(|n| (n.pattern.as_str(), n.entries))
        .collect();
    assert_eq!(open[0], ("zerotier", 1));
    assert!(
        open[1..].iter().all(|(p, n)| *n == 0 && *p != "luks"),
        "{open:?}"
    );
    assert!(
        coverage
            .evidence
            .iter()
            .any(|g| g.entry == "20261009-ghost" && g.commit == missing && g.problem == "missing"),
        "{:?}",
        coverage.evidence
    );
    // Each problem once: the missing evidence is a gap, not a problem again.
    assert!(
        coverage
            .problems
            .iter()
            .all(|p| coverage.evidence.iter().all(|g| g.message != p.message)),
        "{coverage:#?}"
    );
    assert_eq!(coverage.counts.evidence, coverage.evidence.len());
    let cut = journal.coverage(None, 1).unwrap();
    assert!(cut.evidence.len() <= 1 && cut.counts.evidence == coverage.counts.evidence);
    assert!(!repo.path("docs").exists(), "nothing is written");

    let unknown = journal.coverage(Some("9.9".into()), 20).unwrap_err();
    assert!(
        unknown.message().contains("story `9.9`"),
        "{}",
        unknown.message()
    );
}

#[test]
fn entries_of_one_second_are_listed_in_id_order_whatever_the_limit() {
    let repo = TestRepo::journal();
    let journal = open(&repo);
    let date = "2026-10-08T11:15:00+02:00";
    let mut ids: Vec<String> = ["beta", "alpha", "gamma", "delta"]
        .iter()
        .map(|t| add(&journal, t, EntryFields::default(), date).id)
        .collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    for limit in 1..=4 {
        let listed: Vec<String> = journal
            .select(&Filters::default(), Some(limit))
            .unwrap()
            .entries
            .into_iter()
            .map(|(e, _)| e.id)
            .collect();
        assert_eq!(listed, ids[..limit], "limit {limit}");
    }
    // A page further down skips the newest without reading them.
    let page: Vec<String> = journal
        .select_from(&Filters::default(), 1, Some(2))
        .unwrap()
        .entries
        .into_iter()
        .map(|(e, _)| e.id)
        .collect();
    assert_eq!(page, ids[1..3]);
}

#[test]
fn review_checks_each_evidence_commit_and_names_what_superseded_the_entry() {
    let repo = TestRepo::journal();
    let journal = open(&repo);
    let head = repo.commit("terraform: servers", &[("main.tf", "x\n")]);
    let first = add(
        &journal,
        "LUKS unlock",
        EntryFields {
            commits: vec!["HEAD".into()],
            ..EntryFields::default()
        },
        "2026-10-08T11:15:00+02:00",
    );
    let later = add(
        &journal,
        "LUKS unlock, measured",
        EntryFields {
            supersedes: vec![first.id.clone()],
            ..EntryFields::default()
        },
        "2026-10-09T11:15:00+02:00",
    );
    let reviewed = journal.review(&first.id).unwrap();
    assert_eq!(reviewed.evidence.len(), 1);
    assert_eq!(reviewed.evidence[0].commit, head);
    assert_eq!(reviewed.evidence[0].state, "not pushed", "no remote here");
    assert_eq!(
        reviewed.evidence[0].subject.as_deref(),
        Some("terraform: servers")
    );
    assert_eq!(reviewed.superseded_by.len(), 1);
    assert_eq!(reviewed.superseded_by[0].id, later.id);
    assert!(journal.review(&later.id).unwrap().superseded_by.is_empty());
}
