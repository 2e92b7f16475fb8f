//! Concurrent adds and killed processes: nothing lost, nothing half-written, git stays sound.

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::TestEnv;

fn spawn_add(env: &TestEnv, title: &str) -> Child {
    env.journal()
        .args(["add", title, "--provider", "hetzner"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn twenty_concurrent_adds_all_land() {
    let env = TestEnv::new();
    // Half share a title, so ids collide within the pinned second and must be told apart.
    let children: Vec<Child> = (0..20)
        .map(|i| {
            let title = if i % 2 == 0 {
                "Same title".to_owned()
            } else {
                format!("Note {i}")
            };
            spawn_add(&env, &title)
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let files = env.entry_files();
    assert_eq!(files.len(), 20, "{files:?}");
    assert_eq!(env.commit_count(), 21);
    // Each commit holds exactly one entry file, and every file is committed.
    let log = env.git(&["log", "--format=", "--name-only", "HEAD~20..HEAD"]);
    let mut committed: Vec<&str> = log.lines().filter(|l| !l.is_empty()).collect();
    committed.sort_unstable();
    assert_eq!(committed, files);
    assert_eq!(
        env.git(&["status", "--porcelain", "--untracked-files=all"]),
        ""
    );
    env.git(&["fsck", "--strict", "--no-progress"]);
    let listed = env.run(&["list", "--json"]);
    assert_eq!(listed.ok().lines().count(), 20);
}

#[test]
fn a_killed_add_leaves_no_entry_or_a_whole_one() {
    let env = TestEnv::new();
    // How long an add takes here, to spread the kills over its whole run.
    let started = Instant::now();
    env.run(&["add", "Timing run"]).ok();
    let duration = started.elapsed();
    let steps = 24u32;
    for step in 0..steps {
        let mut child = spawn_add(&env, &format!("Killed {step}"));
        std::thread::sleep(duration * step / (steps - 4));
        let _ = child.kill();
        let _ = child.wait();
        // git's own lock files may be left by a kill, as with git itself; clear them so the
        // next round can run, and so fsck sees the repository as git would after a cleanup.
        for lock in ["index.lock", "HEAD.lock", "refs/heads/main.lock"] {
            let _ = std::fs::remove_file(env.repo.join(".git").join(lock));
        }
    }
    // The next journal command repairs what a kill between the write and the commit left
    // (the file is removed: nothing was recorded); after it, every file is a whole entry.
    env.run(&["list"]).ok();
    for file in env.entry_files() {
        if !file.ends_with(".md") {
            continue;
        }
        let id = file.rsplit('/').next().unwrap().trim_end_matches(".md");
        let out = env.run(&["show", id, "--json"]);
        assert_eq!(out.code, 0, "{file} is not a whole entry: {}", out.stderr);
    }
    env.git(&["fsck", "--strict", "--no-progress"]);
    // Temporary files are hidden and never taken for entries; a later add still works.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let run = env.run(&["add", "After the kills"]);
        if run.code == 0 || Instant::now() > deadline {
            run.ok();
            break;
        }
    }
    let listed = env.run(&["list", "--json"]);
    assert!(listed.stdout.contains("After the kills"));
}

#[test]
fn concurrent_adds_and_searches_stay_correct() {
    let env = TestEnv::new();
    std::thread::scope(|scope| {
        for writer in 0..3 {
            let env = &env;
            scope.spawn(move || {
                for i in 0..8 {
                    let title = format!("Mesh note {writer} {i}");
                    let run = env.run(&["add", &title, "--pattern", "zerotier"]);
                    assert_eq!(run.code, 0, "{}", run.stderr);
                }
            });
        }
        for _ in 0..2 {
            let env = &env;
            scope.spawn(move || {
                for _ in 0..8 {
                    let run = env.run(&["search", "mesh", "--json", "--limit", "100"]);
                    assert_eq!(run.code, 0, "{}", run.stderr);
                    // Every hit is a whole, parseable result.
                    for line in run.stdout.lines() {
                        let hit: serde_json::Value = serde_json::from_str(line).unwrap();
                        assert!(hit["title"].as_str().unwrap().starts_with("Mesh note"));
                    }
                }
            });
        }
    });
    let run = env.run(&["search", "mesh", "--json", "--limit", "100"]);
    assert_eq!(run.ok().lines().count(), 24);
    assert_eq!(
        env.run(&[
            "search",
            "--pattern",
            "zerotier",
            "--json",
            "--limit",
            "100"
        ])
        .ok()
        .lines()
        .count(),
        24
    );
    env.git(&["fsck", "--strict", "--no-progress"]);
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}
