//! Faults: each writing command killed (SIGKILL) at every fault point of its write path, in
//! turn (`JOURNAL_TEST_KILL_AT=n`: not timing-dependent), and git's locks held by another
//! process. After each, the next journal command repairs what is the journal's own, and the
//! repository is sound: `git fsck` clean, nothing staged or unstaged, a plain `git commit
//! -a` deletes no entry, no lock, record or temporary file left, and an entry exists iff its
//! commit does. docs/reliability.md lists these faults and their outcomes.

use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::common::TestEnv;
use crate::test_add::make_executable;

/// Runs `cmd` with the process set to kill itself at fault point `n`; returns whether it
/// was killed, and its stderr.
pub(crate) fn run_killed_at(mut cmd: Command, n: u32) -> (bool, String) {
    let out = cmd
        .env("JOURNAL_TEST_KILL_AT", n.to_string())
        .output()
        .unwrap();
    let killed = out.status.signal() == Some(9);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(killed || out.status.success(), "point {n}: {out:?}");
    (killed, stderr)
}

/// The files under `.git` and the journal that a finished or repaired write never leaves.
fn leftovers(env: &TestEnv) -> Vec<String> {
    let mut found = Vec::new();
    let git = env.repo.join(".git");
    for dir in [git.clone(), git.join("refs/heads")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if (name.ends_with(".lock") && name != "journal-write.lock")
                || name.starts_with("journal-pending")
                || name.starts_with("journal-index")
            {
                found.push(format!("{}/{name}", dir.display()));
            }
        }
    }
    let mut stack = vec![env.repo.join("journal")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.to_string_lossy().ends_with(".tmp") {
                found.push(path.display().to_string());
            }
        }
    }
    found
}

/// The entry files HEAD has.
fn committed_entries(env: &TestEnv) -> Vec<String> {
    let listed = env.git(&["ls-tree", "-r", "--name-only", "HEAD", "--", "journal"]);
    listed.lines().map(str::to_owned).collect()
}

/// Everything a sound repository is after a repaired fault.
pub(crate) fn assert_sound(env: &TestEnv, what: &str) {
    env.git(&["fsck", "--strict", "--no-dangling"]);
    assert_eq!(
        env.git(&["status", "--porcelain"]),
        "",
        "{what}: git status"
    );
    assert_eq!(leftovers(env), Vec::<String>::new(), "{what}: left behind");
    assert_eq!(
        env.entry_files(),
        committed_entries(env),
        "{what}: disk vs HEAD"
    );
    // A plain `git commit -a` now records no deletion (nor anything else).
    env.git(&["commit", "-q", "-a", "--allow-empty", "-m", "probe"]);
    let changed = env.git(&["diff", "--name-status", "HEAD~1", "HEAD"]);
    assert_eq!(changed, "", "{what}: git commit -a would record {changed}");
    env.git(&["reset", "-q", "--soft", "HEAD~1"]);
}

/// Runs `make()` killed at point 1, 2, … until it ends by itself; after each kill, `journal
/// list` (any command) repairs, and the repository is checked. Returns the number of points
/// the command crosses and every repair line printed.
fn kill_at_every_point(env: &TestEnv, what: &str, make: &dyn Fn() -> Command) -> (u32, String) {
    let mut repairs = String::new();
    for n in 1..60 {
        let cmd = make();
        let head = env.git(&["rev-parse", "HEAD"]);
        let (killed, _) = run_killed_at(cmd, n);
        let next = env.run(&["list", "--limit", "1"]);
        assert_eq!(next.code, 0, "{what} at point {n}: {}", next.stderr);
        repairs.push_str(&next.stderr);
        assert_sound(env, &format!("{what} killed at point {n}"));
        let moved = env.git(&["rev-list", "--count", &format!("{}..HEAD", head.trim())]);
        assert!(
            moved.trim() == "0" || moved.trim() == "1",
            "{what}: {moved}"
        );
        if !killed {
            return (n - 1, repairs);
        }
    }
    panic!("{what} never finished");
}

#[test]
fn add_killed_at_every_point_leaves_one_entry_or_none_and_a_clean_repository() {
    let env = TestEnv::new();
    let (points, repairs) = kill_at_every_point(&env, "add", &|| {
        let mut cmd = env.journal();
        cmd.args(["add", "LUKS unlock over SSH", "--provider", "hetzner"]);
        cmd
    });
    assert!(points >= 8, "the add crossed {points} points");
    assert!(
        !env.entry_files().is_empty(),
        "the last add, not killed, recorded its entry"
    );
    // The kills before the commit left a file and git's lock, after it an index to update.
    assert!(
        repairs.contains("before its commit: removed (nothing was recorded)"),
        "{repairs}"
    );
    assert!(repairs.contains("added to git's index"), "{repairs}");
    assert!(
        repairs.contains("removed the git lock left by a journal add"),
        "{repairs}"
    );
    // Every kill after the commit kept its entry: one entry per commit, no duplicate ids.
    let entries = committed_entries(&env);
    let commits = env.git(&["log", "--format=%s", "--", "journal"]);
    assert_eq!(entries.len(), commits.lines().count(), "{commits}");
}

#[test]
fn edit_rm_import_and_check_fix_killed_at_every_point_leave_a_clean_repository() {
    let env = TestEnv::new();
    let id = env
        .run(&["add", "Zerotier joins", "--provider", "gcp"])
        .ok()
        .trim()
        .to_owned();
    let editor = env.home.join("append.sh");
    std::fs::write(&editor, "#!/bin/sh\necho 'Checked again.' >> \"$1\"\n").unwrap();
    make_executable(&editor);
    let (points, _) = kill_at_every_point(&env, "edit", &|| {
        let mut cmd = env.journal();
        cmd.env("EDITOR", &editor).args(["edit", &id]);
        cmd
    });
    assert!(points >= 8, "edit crossed {points} points");

    // rm: each attempt removes a fresh entry.
    let round = std::cell::Cell::new(0);
    let (points, _) = kill_at_every_point(&env, "rm", &|| {
        round.set(round.get() + 1);
        let title = format!("To remove {}", round.get());
        let id = env.run(&["add", &title]).ok().trim().to_owned();
        let mut cmd = env.journal();
        cmd.args(["rm", "--yes", &id]);
        cmd
    });
    assert!(points >= 6, "rm crossed {points} points");
    // The rm that ran to its end removed its entry; one killed before its commit did not.
    let last = format!("to-remove-{}", round.get());
    assert!(!env.entry_files().iter().any(|f| f.contains(&last)));

    // import: ten entries from an export, in one commit or none.
    let export = env.home.join("export.jsonl");
    let other = TestEnv::new();
    for i in 0..10 {
        other
            .run(&["add", &format!("Imported observation {i}")])
            .ok();
    }
    let exported = other.run(&["export", "--format", "jsonl"]).ok().to_owned();
    std::fs::write(&export, exported).unwrap();
    let before = env.entry_files().len();
    kill_at_every_point(&env, "import", &|| {
        let mut cmd = env.journal();
        cmd.args(["import", "--from", "journal"]).arg(&export);
        cmd
    });
    assert_eq!(env.entry_files().len(), before + 10);

    // check --fix: a hand-written file in a form the tool rewrites.
    let path = "journal/2026/11/20261121T081500Z-by-hand.md";
    env.write(
        path,
        "---\ndate: 2026-11-21 09:15\ntitle: Written by hand\n---\nBody.\n",
    );
    env.git(&["add", path]);
    env.git(&["commit", "-q", "-m", "by hand"]);
    kill_at_every_point(&env, "check --fix", &|| {
        let mut cmd = env.journal();
        cmd.args(["check", "--fix"]);
        cmd
    });
    assert!(env.read(path).contains("date: 2026-11-21T09:15:00+01:00"));
}

/// Holds `path` open from another process (as a git command holding its lock does) until
/// the returned child is ended.
fn hold_open(path: &Path) -> Child {
    std::fs::write(path, "").unwrap();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("exec 3<\"$0\"; echo held; read _")
        .arg(path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
        &mut line,
    )
    .unwrap();
    assert_eq!(line, "held\n");
    child
}

fn release(mut child: Child, path: &Path) {
    drop(child.stdin.take());
    child.wait().unwrap();
    std::fs::remove_file(path).unwrap();
}

#[test]
fn a_git_lock_held_by_another_process_refuses_the_write_and_a_retry_adds_once() {
    let env = TestEnv::new();
    let branch = env.git(&["symbolic-ref", "HEAD"]).trim().to_owned();
    let locks = [
        ".git/index.lock".to_owned(),
        ".git/HEAD.lock".to_owned(),
        format!(".git/{branch}.lock"),
    ];
    for (i, lock) in locks.iter().enumerate() {
        let path = env.repo.join(lock);
        let head = env.git(&["rev-parse", "HEAD"]);
        let holder = hold_open(&path);
        let title = format!("Held lock {i}");
        let refused = env.run(&["add", &title]);
        assert_eq!(refused.code, 1, "{}", refused.stderr);
        let canonical = path.canonicalize().unwrap();
        assert!(
            refused.stderr.starts_with(&format!(
                "error: {} exists: another git process holds it (pid {}: sh -c",
                canonical.display(),
                holder.id()
            )),
            "{}",
            refused.stderr
        );
        assert!(
            refused.stderr.contains("nothing was written"),
            "{}",
            refused.stderr
        );
        assert!(
            refused
                .stderr
                .contains("hint: wait for that git command to finish"),
            "{}",
            refused.stderr
        );
        assert_eq!(env.git(&["rev-parse", "HEAD"]), head, "nothing committed");
        release(holder, &path);
        assert_sound(&env, lock);
        // The retry records it once.
        env.run(&["add", &title]).ok();
        let count = env
            .entry_files()
            .iter()
            .filter(|f| f.contains(&format!("held-lock-{i}")))
            .count();
        assert_eq!(count, 1);
        assert_sound(&env, lock);
    }
}

#[test]
fn a_stale_git_lock_that_is_not_the_journals_is_reported_with_the_command_that_clears_it() {
    let env = TestEnv::new();
    let lock = env.repo.join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    let refused = env.run(&["add", "Stale lock"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("which no running process has open"),
        "{}",
        refused.stderr
    );
    assert!(
        refused
            .stderr
            .contains(&format!("`rm {}`", lock.canonicalize().unwrap().display())),
        "{}",
        refused.stderr
    );
    assert!(env.entry_files().is_empty());
    // Not the journal's: a reading command leaves it alone.
    env.run(&["list"]).ok();
    assert!(lock.exists());
    std::fs::remove_file(&lock).unwrap();
    env.run(&["add", "Stale lock"]).ok();
    assert_sound(&env, "after the stale lock");
}

#[test]
fn doctor_repairs_a_killed_add_and_names_the_command_for_what_is_not_its_own() {
    let env = TestEnv::new();
    env.run(&["add", "First"]).ok();
    let clean = env.run(&["doctor"]);
    assert_eq!(clean.code, 0, "{}", clean.stderr);
    assert!(
        clean.stderr.contains("Nothing to repair"),
        "{}",
        clean.stderr
    );

    // Not the journal's: a committed entry that someone removed from git's index.
    let first = env.entry_files()[0].clone();
    env.git(&["rm", "-q", "--cached", &first]);
    // Killed after its commit, before git's index followed (the 6th point: see above).
    let (killed, _) = run_killed_at(
        {
            let mut cmd = env.journal();
            cmd.args(["add", "Second"]);
            cmd
        },
        6,
    );
    assert!(killed);
    // Nor git's own lock left by a crashed git; a temporary file of a dead journal is.
    let dir = env.repo.join(&first).parent().unwrap().to_owned();
    std::fs::write(dir.join(".orphan.md.999999.tmp"), "partial").unwrap();
    let packed = env.repo.join(".git/packed-refs.lock");
    std::fs::write(&packed, "").unwrap();

    let report = env.run(&["doctor", "--json"]);
    assert_eq!(report.code, 1, "{}", report.stderr);
    let json: serde_json::Value = serde_json::from_str(&report.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let find = |needle: &str| {
        findings
            .iter()
            .find(|f| f["what"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no finding `{needle}` in {json}"))
    };
    assert_eq!(
        find("removed the git lock left by a journal add")["repaired"],
        true
    );
    assert_eq!(find("added to git's index")["repaired"], true);
    assert_eq!(
        find("temporary file of a journal (pid 999999)")["repaired"],
        true
    );
    let deleted = find("a plain `git commit` would record its deletion");
    assert_eq!(deleted["repaired"], false);
    assert_eq!(deleted["fix"], format!("git reset -q -- {first}"));
    let lock = find("no running process has open");
    assert_eq!(
        lock["fix"],
        format!("rm {}", packed.canonicalize().unwrap().display())
    );
    assert_eq!(json["left"], 2, "{json}");

    // The user runs the commands doctor named; then nothing is left.
    env.git(&["reset", "-q", "--", &first]);
    std::fs::remove_file(&packed).unwrap();
    let again = env.run(&["doctor"]);
    assert_eq!(again.code, 0, "{}", again.stdout);
    assert_sound(&env, "after doctor");
}
