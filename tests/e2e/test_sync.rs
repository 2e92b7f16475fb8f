//! `journal sync`: two clones of one bare repository sharing a journal.

use std::path::{Path, PathBuf};

use crate::common::{Run, TestEnv};

/// A bare repository `hub.git` beside the test's repository (clone A, a journal pushed to the
/// hub), and a second clone B of it.
struct Team {
    env: TestEnv,
    hub: PathBuf,
    b: PathBuf,
}

impl Team {
    fn new() -> Self {
        let env = TestEnv::new();
        let root = env.repo.parent().unwrap().to_owned();
        let hub = root.join("hub.git");
        env.git_in(&root, &["init", "-q", "--bare", "-b", "main", "hub.git"]);
        env.git(&["remote", "add", "origin", hub.to_str().unwrap()]);
        let first = env.run(&["sync"]);
        assert!(
            first.stderr.contains("Pushed 1 commit to origin/main."),
            "{}",
            first.stderr
        );
        env.git_in(&root, &["clone", "-q", "hub.git", "b"]);
        let b = root.join("b");
        env.git_in(&b, &["config", "user.name", "Bea"]);
        env.git_in(&b, &["config", "user.email", "bea@example.org"]);
        Self { env, hub, b }
    }

    fn a(&self) -> &Path {
        &self.env.repo
    }

    /// Runs `journal ARGS` in `clone`.
    fn run_in(&self, clone: &Path, args: &[&str]) -> Run {
        run_in(&self.env, clone, args)
    }

    fn head(&self, clone: &Path) -> String {
        self.env
            .git_in(clone, &["rev-parse", "HEAD"])
            .trim()
            .to_owned()
    }

    /// Entry file names in `clone`, sorted.
    fn entries(&self, clone: &Path) -> Vec<String> {
        let out = self.env.git_in(clone, &["ls-files", "journal"]);
        let mut files: Vec<String> = out.lines().map(str::to_owned).collect();
        files.sort();
        files
    }

    /// Asserts that `git fsck` finds nothing wrong in `dir`.
    fn fsck(&self, dir: &Path) {
        let out = self
            .env
            .git_in(dir, &["fsck", "--strict", "--no-dangling", "--no-progress"]);
        assert_eq!(out, "", "git fsck in {}", dir.display());
    }
}

fn run_in(env: &TestEnv, clone: &Path, args: &[&str]) -> Run {
    let output = env
        .journal()
        .current_dir(clone)
        .args(args)
        .output()
        .unwrap();
    Run {
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        code: output.status.code().unwrap_or(-1),
    }
}

#[test]
fn entries_travel_both_ways_and_the_index_follows() {
    let team = Team::new();
    let b = team.b.clone();
    team.run_in(
        &b,
        &[
            "add",
            "Bea: GCP quota for e2 instances is 8 per region",
            "--provider",
            "gcp",
        ],
    )
    .ok();
    let pushed = team.run_in(&b, &["sync"]);
    assert!(
        pushed.stderr.contains("Pushed 1 commit to origin/main."),
        "{}",
        pushed.stderr
    );

    team.env
        .run(&[
            "add",
            "Ops: hetzner volume attach is instant",
            "--provider",
            "hetzner",
        ])
        .ok();
    // A has never searched: the index is built after the pull, with B's entry in it.
    let both = team.env.run(&["sync", "--json"]).json();
    assert_eq!(both["pulled"], 1);
    assert_eq!(both["pushed"], 1);
    assert_eq!(both["retried"], 0);
    let received = both["received"].as_array().unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["status"], "A");
    assert!(
        received[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("-bea-gcp-quota-for-e2-instances-is-8-per-region.md")
    );
    let found = team.env.run(&["search", "quota"]).ok().to_owned();
    assert!(found.contains("Bea: GCP quota"), "{found}");

    let pulled = team.run_in(&b, &["sync"]);
    assert!(
        pulled.stderr.contains("  new      journal/"),
        "{}",
        pulled.stderr
    );
    assert!(
        pulled
            .stderr
            .contains("Pulled 1 commit from origin/main (1 entry file arrived); nothing to push."),
        "{}",
        pulled.stderr
    );
    assert_eq!(team.entries(team.a()), team.entries(&b));
    assert_eq!(team.head(team.a()), team.head(&b));
    let again = team.run_in(&b, &["sync"]);
    assert!(
        again.stderr.contains("Already in sync with origin/main."),
        "{}",
        again.stderr
    );
}

#[test]
fn two_clones_adding_concurrently_end_up_with_every_entry() {
    const ROUNDS: usize = 8;
    let team = Team::new();
    let b = team.b.clone();
    let clones = [("a", team.a().to_owned()), ("b", b.clone())];
    std::thread::scope(|scope| {
        for (name, clone) in &clones {
            let env = &team.env;
            scope.spawn(move || {
                for round in 0..ROUNDS {
                    let title = format!("{name} observation {round}");
                    run_in(env, clone, &["add", &title]).ok();
                    let sync = run_in(env, clone, &["sync"]);
                    // Losing four races in a row is possible under load; the next round's
                    // sync carries the commit. Anything else is a failure.
                    assert!(
                        sync.code == 0 || sync.stderr.contains("lost to another push"),
                        "{name} round {round}: {}",
                        sync.stderr
                    );
                }
            });
        }
    });
    for clone in [team.a(), &b, team.a()] {
        team.run_in(clone, &["sync"]).ok();
    }
    let entries = team.entries(team.a());
    assert_eq!(entries.len(), 2 * ROUNDS, "{entries:#?}");
    assert_eq!(entries, team.entries(&b));
    assert_eq!(team.head(team.a()), team.head(&b));
    for dir in [team.a(), &b, &team.hub] {
        team.fsck(dir);
    }
    // Linear history: every sync rebased, none merged.
    let merges = team.env.git(&["rev-list", "--merges", "--count", "HEAD"]);
    assert_eq!(merges.trim(), "0");
    let search = team.run_in(&b, &["search", "observation", "--json"]);
    assert_eq!(search.ok().lines().count(), 2 * ROUNDS);
}

/// A team whose clone B's next sync conflicts: the same entry edited on both sides, A's
/// edit pushed. Returns it with the entry's path.
fn conflicting_team() -> (Team, String) {
    let team = Team::new();
    let b = team.b.clone();
    team.env.run(&["add", "LUKS unlock over SSH works"]).ok();
    team.env.run(&["sync"]).ok();
    team.run_in(&b, &["sync"]).ok();
    let rel = team.entries(&b).pop().unwrap();
    for (clone, line) in [
        (team.a(), "Ops: port 2222.\n"),
        (b.as_path(), "Bea: port 22.\n"),
    ] {
        let path = clone.join(&rel);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str(line);
        std::fs::write(&path, text).unwrap();
        team.env
            .git_in(clone, &["commit", "-q", "-am", "edit the port"]);
    }
    team.env.run(&["sync"]).ok();
    (team, rel)
}

#[test]
fn the_same_entry_edited_on_both_sides_stops_with_nothing_lost() {
    let (team, rel) = conflicting_team();
    let b = team.b.clone();
    let hub_before = team.env.git_in(&team.hub, &["rev-parse", "main"]);
    let before = team.head(&b);

    let stderr = team.run_in(&b, &["sync"]).fails(1).to_owned();
    assert!(
        stderr.contains(&format!(
            "error: sync stopped: the same files were changed here and on origin/main: {rel}"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: nothing was lost: the rebase was aborted"),
        "{stderr}"
    );
    // Exactly as before: same HEAD, no rebase in progress, clean tree, both sides kept.
    assert_eq!(team.head(&b), before);
    assert!(!b.join(".git/rebase-merge").exists() && !b.join(".git/rebase-apply").exists());
    assert_eq!(team.env.git_in(&b, &["status", "--porcelain"]), "");
    assert!(
        std::fs::read_to_string(b.join(&rel))
            .unwrap()
            .ends_with("Bea: port 22.\n")
    );
    assert_eq!(
        team.env.git_in(&team.hub, &["rev-parse", "main"]),
        hub_before
    );
    team.fsck(&b);
}

#[test]
fn a_push_that_keeps_losing_races_gives_up_after_three_retries() {
    let team = Team::new();
    let b = team.b.clone();
    // A third clone pushes a commit whenever B is about to push: B's push always loses.
    let root = team.hub.parent().unwrap();
    team.env.git_in(root, &["clone", "-q", "hub.git", "c"]);
    let hook = b.join(".git/hooks/pre-push");
    std::fs::write(
        &hook,
        "#!/bin/sh\ncd ../c && git pull -q --rebase && \
         git -c user.name=C -c user.email=c@e commit -q --allow-empty -m racing && \
         git push -q origin main\n",
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    team.run_in(&b, &["add", "Bea: racing"]).ok();

    let stderr = team.run_in(&b, &["sync"]).fails(1).to_owned();
    assert!(
        stderr.contains(
            "error: sync stopped: the push to origin/main lost to another push 4 times in a row"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("run journal sync again"), "{stderr}");
    // One first push and three retries, each lost to a racing commit; the retries rebased B
    // onto the racing commits fetched so far, and B's own commit stays on top.
    let racing = |dir: &Path, rev: &str| {
        let log = team.env.git_in(dir, &["log", "--format=%s", rev]);
        (
            log.lines().filter(|s| *s == "racing").count(),
            log.lines().next().map(str::to_owned),
        )
    };
    assert_eq!(racing(&team.hub, "main").0, 4);
    assert_eq!(
        racing(&b, "HEAD"),
        (3, Some("journal: Bea: racing".to_owned()))
    );
    assert_eq!(team.env.git_in(&b, &["status", "--porcelain"]), "");

    // Once the other pusher stops, the next sync goes through.
    std::fs::remove_file(&hook).unwrap();
    let done = team.run_in(&b, &["sync"]);
    assert!(
        done.stderr
            .contains("Pulled 1 commit from origin/main and pushed 1 commit."),
        "{}",
        done.stderr
    );
}

#[test]
fn sync_refuses_what_it_cannot_do_safely() {
    let env = TestEnv::new();
    let stderr = env.run(&["sync"]).fails(1).to_owned();
    assert!(
        stderr.contains("error: sync stopped: the repository has no remote to sync with"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: add one: git remote add origin URL"),
        "{stderr}"
    );

    env.git(&["remote", "add", "origin", "/nonexistent/hub.git"]);
    env.write(
        "journal.toml",
        &format!("{}# edited\n", env.read("journal.toml")),
    );
    let stderr = env.run(&["sync"]).fails(1).to_owned();
    assert!(
        stderr.contains("error: sync stopped: uncommitted changes to tracked files: journal.toml"),
        "{stderr}"
    );
    env.git(&["checkout", "journal.toml"]);

    let stderr = env
        .run(&["sync", "--remote", "upstream"])
        .fails(1)
        .to_owned();
    assert!(stderr.contains("no remote named `upstream`"), "{stderr}");
    assert!(
        stderr.contains("hint: name one with --remote NAME"),
        "{stderr}"
    );

    let stderr = env.run(&["sync"]).fails(1).to_owned();
    assert!(
        stderr.contains("error: sync stopped: `git fetch --quiet origin` failed:"),
        "{stderr}"
    );

    env.git(&["checkout", "-q", "--detach"]);
    let stderr = env.run(&["sync"]).fails(1).to_owned();
    assert!(stderr.contains("HEAD is detached"), "{stderr}");
    assert!(
        stderr.contains("hint: switch to the journal's branch"),
        "{stderr}"
    );
}

#[test]
fn sync_with_another_remote_leaves_the_branchs_upstream_as_configured() {
    let team = Team::new();
    let a = team.a().to_owned();
    let root = a.parent().unwrap().to_owned();
    team.env
        .git_in(&root, &["init", "-q", "--bare", "-b", "main", "mirror.git"]);
    team.env.git(&[
        "remote",
        "add",
        "mirror",
        root.join("mirror.git").to_str().unwrap(),
    ]);
    let upstream = |key: &str| team.env.git(&["config", &format!("branch.main.{key}")]);
    let (remote, merge) = (upstream("remote"), upstream("merge"));
    team.run_in(&a, &["add", "To the mirror"]).ok();
    let synced = team.run_in(&a, &["sync", "--remote", "mirror"]);
    assert_eq!(synced.code, 0, "{}", synced.stderr);
    assert!(
        synced.stderr.contains("to mirror/main"),
        "{}",
        synced.stderr
    );
    assert_eq!(
        upstream("remote"),
        remote,
        "the upstream remote is unchanged"
    );
    assert_eq!(upstream("merge"), merge);
    let mirrored = team
        .env
        .git_in(&root.join("mirror.git"), &["rev-parse", "main"]);
    assert_eq!(mirrored.trim(), team.head(&a));
    // A plain sync still goes to the configured upstream.
    let plain = team.run_in(&a, &["sync"]);
    assert!(plain.stderr.contains("origin/main"), "{}", plain.stderr);
    team.fsck(&team.hub);
}

#[test]
fn a_sync_killed_at_every_point_leaves_no_rebase_behind() {
    use std::os::unix::process::ExitStatusExt as _;
    let (team, _) = conflicting_team();
    let b = team.b.clone();
    let before = team.head(&b);
    let mut repaired = String::new();
    for n in 1..20 {
        let out = team
            .env
            .journal()
            .current_dir(&b)
            .env("JOURNAL_TEST_KILL_AT", n.to_string())
            .arg("sync")
            .output()
            .unwrap();
        let killed = out.status.signal() == Some(9);
        let next = team.run_in(&b, &["list"]);
        assert_eq!(next.code, 0, "{}", next.stderr);
        repaired.push_str(&next.stderr);
        assert!(
            !b.join(".git/rebase-merge").exists(),
            "point {n}: a rebase is left"
        );
        assert_eq!(team.head(&b), before, "point {n}");
        assert_eq!(
            team.env.git_in(&b, &["status", "--porcelain"]),
            "",
            "point {n}"
        );
        team.fsck(&b);
        if !killed {
            assert_eq!(out.status.code(), Some(1), "the conflict, at the end");
            assert!(n >= 3, "the sync crossed {} points", n - 1);
            break;
        }
    }
    assert!(
        repaired.contains("a rebase left by a journal sync (pid"),
        "{repaired}"
    );
    assert!(repaired.contains("aborted; main is back at"), "{repaired}");
}

#[test]
fn review_marks_travel_with_sync_and_each_user_keeps_their_own() {
    let team = Team::new();
    let b = team.b.clone();
    let ops_ref = "refs/journal/reviews/ops@example.org";
    let bea_ref = "refs/journal/reviews/bea@example.org";
    team.env.run(&["review"]).ok();
    let ops_mark = team.env.git(&["rev-parse", ops_ref]).trim().to_owned();
    team.env.run(&["sync"]).ok();
    // B marks its own review, then syncs: it gets Ops's mark, Ops gets B's.
    team.run_in(&b, &["add", "Bea: quota", "--provider", "gcp"])
        .ok();
    team.run_in(&b, &["review"]).ok();
    let bea_mark = team
        .env
        .git_in(&b, &["rev-parse", bea_ref])
        .trim()
        .to_owned();
    let synced = team.run_in(&b, &["sync"]);
    assert_eq!(synced.code, 0, "{}", synced.stderr);
    assert!(!synced.stderr.contains("review"), "{}", synced.stderr);
    assert_eq!(
        team.env.git_in(&b, &["rev-parse", ops_ref]).trim(),
        ops_mark
    );
    team.env.run(&["sync"]).ok();
    assert_eq!(team.env.git(&["rev-parse", bea_ref]).trim(), bea_mark);
    // Ops's own mark is never replaced by what the hub holds.
    team.env.run(&["review"]).ok();
    let newer = team.env.git(&["rev-parse", ops_ref]).trim().to_owned();
    assert_ne!(newer, ops_mark);
    team.env.run(&["sync"]).ok();
    assert_eq!(team.env.git(&["rev-parse", ops_ref]).trim(), newer);
    assert_eq!(
        team.env.git_in(&team.hub, &["rev-parse", ops_ref]).trim(),
        newer
    );
}
