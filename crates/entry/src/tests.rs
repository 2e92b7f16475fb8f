//! Round trips and error reports of the entry format.

use chrono::{DateTime, FixedOffset, TimeZone};
use proptest::prelude::*;

use crate::{Confidence, Entry, Evidence, Vocabulary, parse_entry};

const SAMPLE: &str = "---
id: 20261126T105903Z-luks-unlock-over-ssh-works
date: 2026-11-26T11:59:03+01:00
title: LUKS unlock over SSH works on Hetzner
author: Ops <ops@example.org>
host: blackphos
provider: [hetzner]
pattern: [luks, disko]
confidence: proven
kind: easy
story: \"1.4\"
commits: [9f1c2e7b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f, test-clan:0123456789abcdef0123456789abcdef01234567]
head: 3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b
tags: {region: fsn1}
metrics: {latency_ms: 23.4}
---
Body in Markdown, kept as written.
";

#[test]
fn the_documented_example_round_trips_byte_for_byte() {
    let parsed = parse_entry(SAMPLE, None).unwrap();
    let e = &parsed.entry;
    assert_eq!(e.title, "LUKS unlock over SSH works on Hetzner");
    assert_eq!(e.pattern, ["luks", "disko"]);
    assert_eq!(e.confidence, Some(Confidence::Proven));
    assert_eq!(e.story.as_deref(), Some("1.4"));
    assert_eq!(e.commits[1].repo.as_deref(), Some("test-clan"));
    assert_eq!(
        e.metrics.get("latency_ms").copied().unwrap_or_default(),
        23.4
    );
    assert_eq!(parsed.line_of("confidence"), 9);
    assert_eq!(e.to_file_string(), SAMPLE);
}

#[test]
fn unknown_keys_are_kept_verbatim() {
    let text = SAMPLE.replace(
        "tags:",
        "reviewed_by:\n  - alice   # comment kept\n  - bob\ntags:",
    );
    let parsed = parse_entry(&text, None).unwrap();
    assert_eq!(parsed.entry.extra.len(), 1);
    assert_eq!(
        parsed.entry.extra[0].raw,
        "reviewed_by:\n  - alice   # comment kept\n  - bob\n"
    );
    let again = parse_entry(&parsed.entry.to_file_string(), None).unwrap();
    assert_eq!(again.entry, parsed.entry);
    let written = parsed.entry.to_file_string();
    assert_eq!(
        parse_entry(&written, None).unwrap().entry.to_file_string(),
        written
    );
}

#[test]
fn hand_written_forms_are_accepted() {
    let text = "---\r\ndate: 2026-11-26T11:59:03Z\r\ntitle: 'Quoted: title'\r\nprovider: gcp\r\n\
                pattern:\r\n  - zerotier\r\n  - luks\r\nstory: 1.10\r\ntags: {rack: 12}\r\n---\r\nbody\r\n";
    let parsed = parse_entry(text, Some("hand-written")).unwrap();
    let e = parsed.entry;
    assert_eq!(e.id, "hand-written");
    assert_eq!(e.title, "Quoted: title");
    assert_eq!(e.provider, ["gcp"]);
    assert_eq!(e.pattern, ["zerotier", "luks"]);
    assert_eq!(e.story.as_deref(), Some("1.10"));
    assert_eq!(
        e.tags.get("rack").map(String::as_str).unwrap_or_default(),
        "12"
    );
    assert_eq!(e.body, "body\r\n");
}

#[test]
fn problems_name_the_line_field_and_allowed_values() {
    let text = SAMPLE.replace("confidence: proven", "confidence: proved");
    let err = parse_entry(&text, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 9: field `confidence`: unknown value `proved` (allowed: proven, needs-testing, \
         uncertain; did you mean `proven`?)"
    );

    let text = SAMPLE.replace("date: 2026-11-26T11:59:03+01:00", "date: yesterday");
    let err = parse_entry(&text, None).unwrap_err();
    assert_eq!(err.problems[0].line, Some(3));
    assert!(err.to_string().contains("not an RFC 3339 date"), "{err}");

    let text = SAMPLE.replace("provider: [hetzner]", "provider: [hetzner");
    let err = parse_entry(&text, None).unwrap_err();
    assert_eq!(err.problems[0].line, Some(7));
    assert_eq!(err.problems[0].field.as_deref(), Some("provider"));

    let text = SAMPLE.replace("title: LUKS unlock over SSH works on Hetzner\n", "");
    let err = parse_entry(&text, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 15: field `title`: required field is missing"
    );

    let err = parse_entry("no front matter\n", None).unwrap_err();
    assert!(
        err.to_string().starts_with("line 1: missing front matter"),
        "{err}"
    );
    let err = parse_entry("---\ntitle: x\n", None).unwrap_err();
    assert!(err.to_string().contains("not closed"), "{err}");

    let text = SAMPLE.replace("head: 3a4b", "head: zz4b");
    assert!(
        parse_entry(&text, None)
            .unwrap_err()
            .to_string()
            .starts_with("line 13: field `head`")
    );
}

#[test]
fn vocabulary_problems_carry_lines() {
    let text = SAMPLE.replace("provider: [hetzner]", "provider: [hetzner, aws]");
    let parsed = parse_entry(&text, None).unwrap();
    let problems = Vocabulary::default().problems(&parsed);
    assert_eq!(problems.len(), 1);
    assert_eq!(
        problems[0].to_string(),
        "line 7: field `provider`: unknown provider `aws` (allowed: hetzner, gcp)"
    );
}

#[test]
fn an_assessment_names_one_pattern_a_level_and_a_rationale() {
    let good = SAMPLE
        .replace("kind: easy", "kind: assessment")
        .replace("pattern: [luks, disko]", "pattern: [luks]");
    let parsed = parse_entry(&good, None).unwrap();
    assert_eq!(Vocabulary::default().problems(&parsed), vec![]);
    // A journal.toml that lists its own kinds still allows assessments.
    let own = Vocabulary {
        kinds: vec!["finding".to_owned()],
        ..Vocabulary::default()
    };
    assert_eq!(own.problems(&parsed), vec![]);

    let bad = SAMPLE
        .replace("kind: easy", "kind: assessment")
        .replace("provider: [hetzner]", "provider: [hetzner, gcp]")
        .replace("confidence: proven\n", "")
        .replace("Body in Markdown, kept as written.\n", "");
    let parsed = parse_entry(&bad, None).unwrap();
    let problems: Vec<String> = Vocabulary::default()
        .problems(&parsed)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        problems,
        [
            "line 8: field `pattern`: an assessment names exactly one pattern, this one 2",
            "line 7: field `provider`: an assessment names one provider or none (all), this one 2",
            "field `confidence`: an assessment states a confidence level",
            "an assessment gives its rationale in the body, this one is empty",
        ]
    );
}

fn arb_date() -> impl Strategy<Value = DateTime<FixedOffset>> {
    (0i64..4_000_000_000, -12i32 * 4..=14 * 4).prop_map(|(secs, quarter_hours)| {
        let tz = FixedOffset::east_opt(quarter_hours * 900).unwrap();
        tz.timestamp_opt(secs, 0).unwrap()
    })
}

fn arb_word() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,12}"
}

prop_compose! {
    fn arb_entry()(
        title in "\\PC[^\n]{0,80}".prop_filter("title", |t| !t.is_empty()),
        any_title in any::<String>().prop_filter("non-empty", |t| !t.is_empty()),
        use_any in any::<bool>(),
        body in any::<String>(),
        date in arb_date(),
        provider in prop::collection::vec(arb_word(), 0..3),
        pattern in prop::collection::vec(arb_word(), 0..3),
        story in prop::option::of("[0-9]\\.[0-9]{1,2}|[a-z ]{1,8}"),
        author in prop::option::of(any::<String>().prop_filter("non-empty", |s| !s.is_empty())),
        tags in prop::collection::btree_map(
            any::<String>().prop_filter("k", |s| !s.is_empty()), any::<String>(), 0..3),
        metrics in prop::collection::btree_map(arb_word(), -1e12f64..1e12, 0..3),
        confidence in prop::option::of(prop::sample::select(Confidence::ALL.to_vec())),
        sha in "[0-9a-f]{40}",
    ) -> Entry {
        let title = if use_any { any_title } else { title };
        let mut e = Entry::new(crate::entry_id(&date, &title, 1), date, title);
        e.body = body;
        e.provider = provider;
        e.pattern = pattern;
        e.story = story;
        e.agent = author.as_ref().map(|a| format!("{a} 1.0"));
        e.author = author;
        e.tags = tags.into_iter().collect();
        e.metrics = metrics.into_iter().collect();
        e.confidence = confidence;
        e.commits = vec![Evidence::local(sha.clone()), Evidence { repo: Some("test-clan".into()), sha }];
        e
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn serialize_then_parse_gives_the_same_entry(entry in arb_entry()) {
        let text = entry.to_file_string();
        let parsed = parse_entry(&text, None).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&parsed.entry, &entry);
        prop_assert_eq!(parsed.entry.to_file_string(), text);
    }
}

#[test]
fn the_sample_journal_is_canonical_and_valid() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../journal");
    let mut count = 0;
    for year in std::fs::read_dir(&root).unwrap() {
        for month in std::fs::read_dir(year.unwrap().path()).unwrap() {
            for file in std::fs::read_dir(month.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                let stem = path.file_stem().unwrap().to_str().unwrap();
                let parsed = parse_entry(&text, Some(stem))
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert_eq!(
                    Vocabulary::default().problems(&parsed),
                    vec![],
                    "{}",
                    path.display()
                );
                assert_eq!(
                    parsed.entry.to_file_string(),
                    text,
                    "{} is not canonical",
                    path.display()
                );
                count += 1;
            }
        }
    }
    assert!(count >= 6, "only {count} sample entries");
}

#[test]
fn canonical_form_of_awkward_values() {
    let date = DateTime::parse_from_rfc3339("2026-11-26T11:59:03-03:30").unwrap();
    let mut e = Entry::new(
        "20261126T152903Z-awkward",
        date,
        "Title: with \"quotes\", # and colon",
    );
    e.author = Some("Zoë O'Neil <zoe@example.org>".into());
    e.provider = vec!["gcp".into()];
    e.pattern = vec!["a,b".into(), "yes".into()];
    e.story = Some("1.10".into());
    e.kind = Some("- dash".into());
    e.tags.insert("empty".into(), String::new());
    e.tags
        .insert("url".into(), "https://example.org/a?b=c".into());
    e.tags.insert("multi word key".into(), "line\nbreak".into());
    e.metrics.insert("big".into(), 1e21);
    e.metrics.insert("small".into(), -0.000_125);
    e.body = "\n---\nA body that starts blank and holds a --- line.\n".into();
    let text = e.to_file_string();
    insta::assert_snapshot!(text);
    assert_eq!(parse_entry(&text, None).unwrap().entry, e);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Any text, and any text after a front-matter fence, parses or fails with problems that
    /// each name a line; it never panics.
    #[test]
    fn any_text_parses_or_fails_with_located_problems(
        body in ".{0,400}",
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        fenced in any::<bool>(),
    ) {
        let lossy = String::from_utf8_lossy(&bytes).into_owned();
        for text in [body.clone(), lossy, format!("---\n{body}\n---\n")] {
            let text = if fenced { format!("---\n{text}") } else { text };
            if let Err(err) = parse_entry(&text, Some("20261001T080000Z-x")) {
                prop_assert!(!err.problems.is_empty());
                for problem in &err.problems {
                    prop_assert!(problem.line.is_some(), "{problem:?} in {text:?}");
                }
            }
        }
    }
}
