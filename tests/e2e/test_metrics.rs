//! `journal metrics`: n, min, median, p95, max per metric and group, checked by hand.

use serde_json::{Value, json};

use crate::common::TestEnv;

fn add(env: &TestEnv, title: &str, at: &str, provider: &str, metric: &str, tag: Option<&str>) {
    let mut args = vec![
        "add",
        title,
        "--at",
        at,
        "--provider",
        provider,
        "--metric",
        metric,
    ];
    if let Some(tag) = tag {
        args.extend(["--tag", tag]);
    }
    env.run(&args).ok();
}

fn rows(env: &TestEnv, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["metrics", "--json"];
    all.extend_from_slice(args);
    let run = env.run(&all);
    run.ok()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn sample() -> TestEnv {
    let env = TestEnv::new();
    for (i, ms) in [30, 10, 50, 20, 40].iter().enumerate() {
        let at = format!("2026-11-{:02}T10:00:00+01:00", 10 + i);
        add(
            &env,
            &format!("hetzner ping {i}"),
            &at,
            "hetzner",
            &format!("latency_ms={ms}"),
            None,
        );
    }
    add(
        &env,
        "gcp ping a",
        "2026-11-20T10:00:00+01:00",
        "gcp",
        "latency_ms=100",
        Some("region=west3"),
    );
    add(
        &env,
        "gcp ping b",
        "2026-11-21T10:00:00+01:00",
        "gcp",
        "latency_ms=5",
        Some("region=west3"),
    );
    add(
        &env,
        "gcp ping c",
        "2026-11-22T10:00:00+01:00",
        "gcp",
        "latency_ms=7",
        Some("region=west4"),
    );
    env.run(&["add", "no numbers here"]).ok();
    env
}

#[test]
fn metrics_per_group_match_hand_computed_nearest_rank_values() {
    let env = sample();
    // All eight: 5 7 10 20 30 40 50 100. Median rank ceil(4) = 4th = 20; p95 rank
    // ceil(7.6) = 8th = 100.
    assert_eq!(
        rows(&env, &[]),
        [
            json!({"metric": "latency_ms", "group": "all", "n": 8, "min": 5.0, "median": 20.0,
                "p95": 100.0, "max": 100.0})
        ]
    );
    // hetzner: 10 20 30 40 50: median rank 3 = 30, p95 rank ceil(4.75) = 5 = 50.
    // gcp: 5 7 100: median rank 2 = 7, p95 rank ceil(2.85) = 3 = 100.
    assert_eq!(
        rows(&env, &["--by", "provider"]),
        [
            json!({"metric": "latency_ms", "group": "gcp", "n": 3, "min": 5.0, "median": 7.0,
                   "p95": 100.0, "max": 100.0}),
            json!({"metric": "latency_ms", "group": "hetzner", "n": 5, "min": 10.0,
                   "median": 30.0, "p95": 50.0, "max": 50.0}),
        ]
    );
    let by_region = rows(&env, &["--by", "tag:region", "--provider", "gcp"]);
    let groups: Vec<(&str, u64, f64)> = by_region
        .iter()
        .map(|r| {
            (
                r["group"].as_str().unwrap(),
                r["n"].as_u64().unwrap(),
                r["median"].as_f64().unwrap(),
            )
        })
        .collect();
    // west3: 5 100 -> median rank 1 = 5.
    assert_eq!(groups, [("west3", 2, 5.0), ("west4", 1, 7.0)]);
    // Dates filter: 12th to 14th November are 50 20 40.
    let window = rows(&env, &["--since", "2026-11-12", "--until", "2026-11-14"]);
    assert_eq!(
        (window[0]["n"].clone(), window[0]["median"].clone()),
        (json!(3), json!(40.0))
    );
}

#[test]
fn metrics_print_an_aligned_table() {
    let env = sample();
    let out = env.run(&["metrics", "--by", "provider"]).ok().to_owned();
    assert_eq!(
        out,
        "metric      group    n  min  median  p95  max\n\
         latency_ms  gcp      3    5       7  100  100\n\
         latency_ms  hetzner  5   10      30   50   50\n"
    );
    let stderr = env.run(&["metrics", "--by", "host"]).fails(2).to_owned();
    assert!(
        stderr.contains("allowed: provider, pattern, kind, story, tag:KEY"),
        "{stderr}"
    );
    let none = env.run(&["metrics", "--kind", "decision"]);
    assert_eq!(none.ok(), "");
    assert!(none.stderr.contains("no metrics in the entries selected"));
    // Numbers as the documents and the page print them: three decimals at most.
    add(
        &env,
        "Odd unit",
        "2026-10-09T10:00:00+02:00",
        "gcp",
        "ratio=0.1234567",
        None,
    );
    let out = env.run(&["metrics", "--provider", "gcp"]).ok().to_owned();
    assert!(
        out.contains("\nratio       all    1  0.123   0.123  0.123  0.123\n"),
        "{out}"
    );
}

#[test]
fn the_documents_give_the_same_median_and_group_names_as_metrics() {
    let env = TestEnv::new();
    // An even count, where a midpoint median (24.25) and the nearest rank (23.4) disagree.
    for (i, ms) in ["23.4", "25.1", "21.0", "30.5"].iter().enumerate() {
        env.run(&[
            "add",
            &format!("zerotier latency between the clouds, day {i}"),
            "--at",
            &format!("2026-11-{:02}T10:00:00+01:00", 10 + i),
            "--provider",
            "hetzner,gcp",
            "--pattern",
            "zerotier",
            "--kind",
            "finding",
            "--metric",
            &format!("latency_ms={ms}"),
        ])
        .ok();
    }
    let rows = rows(&env, &["--by", "provider"]);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row["group"], "gcp+hetzner");
    assert_eq!(row["median"], json!(23.4));
    env.run(&["compile", "--out", "docs", "--date", "2026-11-30"])
        .ok();
    let findings = env.read("docs/INTEGRATION-FINDINGS.md");
    let expected = format!(
        "| {} | {} | {} | {} | {} | {} |",
        row["group"].as_str().unwrap(),
        row["n"],
        row["min"].as_f64().unwrap(),
        row["median"].as_f64().unwrap(),
        row["p95"].as_f64().unwrap(),
        row["max"].as_f64().unwrap(),
    );
    assert_eq!(expected, "| gcp+hetzner | 4 | 21 | 23.4 | 30.5 | 30.5 |");
    assert!(findings.contains(&expected), "{findings}");
}
