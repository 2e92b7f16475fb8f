//! `journal watch` and `journal status`: the real watcher process on temporary repositories.
//!
//! The watcher is proven to do the work by `journal status`, which reads the index without
//! syncing: once it says `fresh` while the files changed, only the watcher can have synced.
//! Every wait polls with a generous deadline; none is a fixed sleep.

use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::common::TestEnv;

const DEADLINE: Duration = Duration::from_secs(60);

/// A running `journal watch`, killed when dropped.
struct Watcher {
    child: Child,
    log: PathBuf,
}

impl Watcher {
    fn start(env: &TestEnv) -> Self {
        let watcher = Self::spawn(env);
        wait_until("the watcher to be running", || {
            status(env)["watcher"]["state"] == "running"
        });
        watcher
    }

    fn spawn(env: &TestEnv) -> Self {
        let log = env.home.join(format!("watch-{}.log", unique()));
        let file = std::fs::File::create(&log).unwrap();
        let child = env
            .journal()
            .args(["watch", "-v"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .unwrap();
        Self { child, log }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([format!("-{signal}"), self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < DEADLINE,
                "the watcher did not exit:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn unique() -> usize {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn status(env: &TestEnv) -> serde_json::Value {
    env.run(&["status", "--json"]).json()
}

/// Waits until the watcher (not this test: status does not sync) has indexed every change.
fn wait_fresh(env: &TestEnv) -> serde_json::Value {
    let mut last = serde_json::Value::Null;
    wait_until("the watcher to index the change", || {
        last = status(env);
        last["watcher"]["state"] == "running" && last["index"]["fresh"] == true
    });
    last
}

fn ids(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let out = env.run(args);
    let mut ids: Vec<String> = out
        .ok()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    ids.sort();
    ids
}

/// Commits what is staged in `dir`, as a teammate whose identity is not the test's.
fn commit_all_staged(env: &TestEnv, dir: &std::path::Path, message: &str) {
    let identity = ["-c", "user.name=T", "-c", "user.email=t@e"];
    env.git_in(
        dir,
        &[&identity[..], &["commit", "-q", "-m", message]].concat(),
    );
}

/// Returns the text of a valid entry file whose id is `id` (`YYYYMMDDTHHMMSSZ-slug`).
fn entry(id: &str, title: &str, body: &str) -> String {
    format!(
        "---\nid: {id}\ndate: 2026-11-20T10:00:00+01:00\ntitle: {title}\n\
         author: Ops <ops@example.org>\nprovider: [hetzner]\npattern: [zerotier]\n\
         kind: finding\n---\n{body}\n"
    )
}

fn entry_path(id: &str) -> String {
    format!("journal/2026/11/{id}.md")
}

#[test]
fn hand_edits_renames_deletes_and_bad_files_are_indexed_by_the_watcher() {
    let env = TestEnv::new();
    let watcher = Watcher::start(&env);
    let id = "20261120T090000Z-mesh";
    env.write(
        &entry_path(id),
        &entry(id, "zerotier mesh joins", "pelican latency"),
    );
    assert_eq!(wait_fresh(&env)["index"]["entries"], 1);
    assert_eq!(ids(&env, &["search", "pelican", "--json"]), [id]);

    // An edit in place (the folder's time does not change).
    env.write(
        &entry_path(id),
        &entry(id, "zerotier mesh joins", "albatross latency"),
    );
    wait_fresh(&env);
    assert!(ids(&env, &["search", "pelican", "--json"]).is_empty());
    assert_eq!(ids(&env, &["search", "albatross", "--json"]), [id]);

    // An editor's save: write a temporary file, then rename it over the entry.
    let swap = env.repo.join("journal/2026/11/.mesh.swp");
    std::fs::write(&swap, entry(id, "zerotier mesh joins", "condor latency")).unwrap();
    std::fs::rename(&swap, env.repo.join(entry_path(id))).unwrap();
    wait_fresh(&env);
    assert_eq!(ids(&env, &["search", "condor", "--json"]), [id]);

    // A mass rename: the month folder moves.
    std::fs::rename(
        env.repo.join("journal/2026/11"),
        env.repo.join("journal/2026/12"),
    )
    .unwrap();
    wait_fresh(&env);
    let hit = env.run(&["search", "condor", "--json"]).json();
    assert_eq!(hit["path"], format!("journal/2026/12/{id}.md"));

    // A malformed entry is reported by the watcher and skipped; the rest stays searchable.
    env.write(
        "journal/2026/12/20261121T090000Z-bad.md",
        "---\nid: [unclosed\n---\n",
    );
    let state = wait_fresh(&env);
    assert_eq!(state["index"]["bad"], 1);
    wait_until("the watcher to report the bad file", || {
        watcher.log().contains("20261121T090000Z-bad.md")
    });
    let partial = env.run(&["search", "condor", "--json"]);
    assert_eq!(partial.code, 1, "a partial answer: {}", partial.stderr);
    assert!(partial.stdout.contains(id), "{}", partial.stdout);
    assert!(
        partial.stderr.contains("20261121T090000Z-bad.md:2: "),
        "{}",
        partial.stderr
    );
    std::fs::remove_file(env.repo.join("journal/2026/12/20261121T090000Z-bad.md")).unwrap();
    wait_fresh(&env);

    // Deletes.
    std::fs::remove_file(env.repo.join(format!("journal/2026/12/{id}.md"))).unwrap();
    wait_fresh(&env);
    let out = env.run(&["search", "condor", "--json"]);
    assert_eq!(out.ok(), "");

    // The entries folder deleted, then made again.
    std::fs::remove_dir_all(env.repo.join("journal")).unwrap();
    assert_eq!(wait_fresh(&env)["index"]["entries"], 0);
    let id2 = "20261122T090000Z-back";
    env.write(&entry_path(id2), &entry(id2, "back again", "osprey"));
    wait_fresh(&env);
    assert_eq!(ids(&env, &["search", "osprey", "--json"]), [id2]);
    assert!(!watcher.log().contains("ERROR"), "{}", watcher.log());
}

#[test]
fn a_pull_of_a_thousand_entries_and_a_branch_switch() {
    let env = TestEnv::new();
    // A teammate's clone writes 1,000 entries in one commit on a branch.
    let other = env.repo.parent().unwrap().join("teammate");
    env.git_in(
        env.repo.parent().unwrap(),
        &["clone", "-q", env.repo.to_str().unwrap(), "teammate"],
    );
    for i in 0..1000 {
        let id = format!("20261110T{:02}{:02}00Z-note-{i}", i / 60 % 24, i % 60);
        let path = other.join(format!("journal/2026/11/{id}.md"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, entry(&id, &format!("note {i}"), "heron")).unwrap();
    }
    env.git_in(&other, &["add", "journal"]);
    commit_all_staged(&env, &other, "notes");

    let _watcher = Watcher::start(&env);
    env.git(&["checkout", "-q", "-b", "team"]);
    env.git(&["pull", "-q", "--no-rebase", other.to_str().unwrap(), "main"]);
    assert_eq!(wait_fresh(&env)["index"]["entries"], 1000);
    let out = env.run(&["search", "heron", "--limit", "2000", "--json"]);
    assert_eq!(out.ok().lines().count(), 1000);

    // Back to main: the entries are gone from the working tree, and from the index.
    env.git(&["checkout", "-q", "main"]);
    assert_eq!(wait_fresh(&env)["index"]["entries"], 0);
    assert_eq!(env.run(&["search", "heron", "--json"]).ok(), "");
}

#[test]
fn commits_in_a_second_repository_are_recorded_once_it_appears() {
    let env = TestEnv::new();
    env.commit_file(
        "journal.toml",
        &(env.read("journal.toml")
            + "\n[repos.infra]\npath = \"../infra\"\n\n[[rules]]\npaths = [\"**/*.nix\"]\npattern = \"clan-inventory\"\n"),
    );
    let _watcher = Watcher::start(&env);
    assert_eq!(status(&env)["repos"]["infra"]["exists"], false);

    // The repository appears while the watcher runs, with a first commit.
    let sha = env.other_repo("infra", "inventory.nix", "clan inventory for the mesh");
    let state = wait_fresh(&env);
    assert_eq!(state["repos"]["infra"]["indexed"], true);
    let hit = env
        .run(&["search", "--commits", "inventory", "--json"])
        .json();
    assert_eq!(hit["id"], format!("infra:{sha}"));
    assert_eq!(hit["pattern"], serde_json::json!(["clan-inventory"]));

    // A later commit there, and one in the journal's own repository.
    let infra = env.repo.parent().unwrap().join("infra");
    std::fs::write(infra.join("mesh.nix"), "{ zerotier = true; }\n").unwrap();
    env.git_in(&infra, &["add", "mesh.nix"]);
    commit_all_staged(&env, &infra, "zerotier moon");
    env.commit_file("hosts/hetzner.nix", "{ }\n");
    wait_fresh(&env);
    let subjects: Vec<String> = env
        .run(&["search", "--commits", "zerotier OR hetzner", "--json"])
        .ok()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["subject"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert!(
        subjects.contains(&"zerotier moon".to_owned()),
        "{subjects:?}"
    );
    assert!(
        subjects.contains(&"change hosts/hetzner.nix".to_owned()),
        "{subjects:?}"
    );

    // A rewritten history there (amend, as a rebase would): the new commit replaces the old.
    let identity = ["-c", "user.name=T", "-c", "user.email=t@e"];
    env.git_in(
        &infra,
        &[
            &identity[..],
            &["commit", "-q", "--amend", "-m", "zerotier moon v2"],
        ]
        .concat(),
    );
    wait_fresh(&env);
    let subjects = env
        .run(&["search", "--commits", "moon", "--json"])
        .ok()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["subject"].clone())
        .collect::<Vec<_>>();
    assert_eq!(subjects, ["zerotier moon v2"]);
}

#[test]
fn one_watcher_per_journal_and_a_killed_watchers_lock_is_taken_over() {
    let env = TestEnv::new();
    let mut first = Watcher::start(&env);
    let pid = first.pid();

    let second = env.run(&["watch"]);
    let stderr = second.fails(1);
    assert!(
        stderr.contains(&format!("error: already watched by pid {pid}")),
        "{stderr}"
    );

    // Deleting the index never lets a second watcher start: the lock lives elsewhere.
    std::fs::remove_dir_all(env.repo.join(".git/journal")).unwrap();
    env.run(&["watch"]).fails(1);

    first.signal("KILL");
    first.wait_exit();
    assert_eq!(status(&env)["watcher"]["running"], false);
    let third = Watcher::start(&env);
    let state = status(&env);
    assert_eq!(state["watcher"]["pid"], third.pid());
    wait_until("the takeover to be logged", || {
        third
            .log()
            .contains(&format!("took over the lock of pid {pid}"))
    });
}

#[test]
fn sigterm_stops_the_watcher_cleanly() {
    let env = TestEnv::new();
    env.run(&["add", "before the watcher", "--provider", "hetzner"])
        .ok();
    let mut watcher = Watcher::start(&env);
    watcher.signal("TERM");
    let status_code = watcher.wait_exit();
    assert!(status_code.success(), "{status_code:?}\n{}", watcher.log());
    assert!(watcher.log().contains("SIGTERM: stopping"));
    assert!(!env.repo.join(".git/journal-watch/heartbeat.json").exists());
    assert_eq!(
        env.read(".git/journal-watch/lock"),
        "",
        "a clean stop leaves no pid"
    );
    let state = status(&env);
    assert_eq!(state["watcher"]["running"], false);
    assert_eq!(state["index"]["fresh"], true);
    assert_eq!(state["index"]["entries"], 1);
    let next = Watcher::start(&env);
    assert!(!next.log().contains("took over"), "{}", next.log());
}

#[test]
fn reading_commands_fall_back_to_their_own_sync_when_the_watcher_is_killed() {
    let env = TestEnv::new();
    let mut watcher = Watcher::start(&env);
    watcher.signal("KILL");
    watcher.wait_exit();
    // Written right after the kill: no watcher will ever see it; search must sync itself.
    let id = "20261120T090000Z-after";
    env.write(&entry_path(id), &entry(id, "after the kill", "kestrel"));
    assert_eq!(ids(&env, &["search", "kestrel", "--json"]), [id]);
    let state = status(&env);
    assert_eq!(state["watcher"]["running"], false);
    assert_eq!(
        state["reading"],
        "without a watcher, each reading command first checks every entry file (one stat each) \
         and the repositories' heads itself"
    );
}

#[test]
fn a_deleted_index_is_rebuilt_and_adds_are_searchable_at_once() {
    let env = TestEnv::new();
    env.run(&["add", "first", "--provider", "hetzner"]).ok();
    let watcher = Watcher::start(&env);
    // The watcher may be writing into the folder as it is deleted (its first sync): a file
    // made between the listing and the removal leaves it "not empty"; delete it again.
    wait_until(
        "the index folder to be deleted",
        || match std::fs::remove_dir_all(env.repo.join(".git/journal")) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::DirectoryNotEmpty => false,
            Err(e) => panic!("cannot delete the index: {e}"),
        },
    );
    assert_eq!(wait_fresh(&env)["index"]["entries"], 1);
    // A full build runs as `journal reindex`, so its peak memory is not the watcher's.
    wait_until("the rebuild to be logged", || {
        watcher
            .log()
            .matches("building the index in a separate process")
            .count()
            == 2
    });
    assert!(
        watcher.log().contains("Indexed 1 entry"),
        "{}",
        watcher.log()
    );

    // `add` with a healthy watcher indexes its entry itself: no window for a script that
    // searches right after.
    env.run(&["add", "gannet sighting", "--provider", "gcp"])
        .ok();
    assert_eq!(
        env.run(&["search", "gannet", "--json"])
            .ok()
            .lines()
            .count(),
        1
    );
}

#[test]
fn status_without_a_watcher_lists_uncommitted_files_and_staleness() {
    let env = TestEnv::new();
    let id = "20261120T090000Z-draft";
    env.write(&entry_path(id), &entry(id, "draft", "puffin"));
    let state = status(&env);
    assert_eq!(state["watcher"]["running"], false);
    assert_eq!(state["watcher"]["pid"], serde_json::Value::Null);
    assert_eq!(state["index"]["fresh"], false);
    assert_eq!(state["uncommitted"], serde_json::json!([entry_path(id)]));
    env.run(&["list"]).ok();
    let state = status(&env);
    assert_eq!(state["index"]["fresh"], true);
    assert_eq!(state["index"]["entries"], 1);
    let text = env.run(&["status"]);
    assert!(text.ok().contains("watcher:  not running"), "{}", text.ok());
}

#[test]
fn print_service_writes_units_for_systemd_and_launchd() {
    let env = TestEnv::new();
    let unit = env.run(&["watch", "--print-service", "systemd"]);
    let unit = unit.ok();
    assert!(
        unit.contains("[Service]") && unit.contains("\"watch\""),
        "{unit}"
    );
    assert!(unit.contains(&format!("\"--journal\" \"{}\"", env.repo.display())));
    let plist = env.run(&["watch", "--print-service", "launchd"]);
    assert!(plist.ok().contains("<key>ProgramArguments</key>"));
}

#[test]
fn a_running_watcher_always_has_an_uptime() {
    let env = TestEnv::new();
    let _watcher = Watcher::spawn(&env);
    // From the moment status sees it running (starting or not), it has an uptime.
    wait_until("the watcher to hold its lock", || {
        let s = status(&env);
        if s["watcher"]["running"] == true {
            assert!(s["watcher"]["uptime_s"].is_number(), "{s}");
            true
        } else {
            false
        }
    });
}

#[test]
fn a_starting_watcher_is_never_seen_running_without_its_pid() {
    let env = TestEnv::new();
    // A start/stop loop, with the last watcher killed (its pid stays in the lock file): every
    // status that says a watcher runs names the live one.
    for round in 0..8 {
        let mut watcher = Watcher::spawn(&env);
        let pid = u64::from(watcher.pid());
        wait_until("the watcher to hold its lock", || {
            let s = status(&env);
            if s["watcher"]["running"] == true {
                assert_eq!(
                    s["watcher"]["pid"],
                    serde_json::json!(pid),
                    "round {round}: {s}"
                );
                true
            } else {
                false
            }
        });
        if round % 2 == 0 {
            watcher.signal("KILL");
        } else {
            watcher.signal("TERM");
        }
        watcher.wait_exit();
    }
}
