//! Hostile files in the entries folder (tests/fixtures/hostile): every reading command,
//! `check`, `compile` and the watcher answer within a deadline, never panic, report each
//! hostile file by its path, and still find the good entry. A link that points outside the
//! repository is never read.

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Run, TestEnv};

const DEADLINE: Duration = Duration::from_secs(60);
const MONTH: &str = "journal/2026/10";
const GOOD: &str = "20261001T080000Z-kestrel-good";

/// The hostile files by id, each of which every command must name.
const HOSTILE: [&str; 12] = [
    "20261002T080000Z-alias-bomb",
    "20261003T080000Z-latin1",
    "20261004T080000Z-empty",
    "20261005T080000Z-random-bytes",
    "20261006T080000Z-nested",
    "20261007T080000Z-huge-body",
    "20261008T080000Z-fifo",
    "20261009T080000Z-folder",
    "20261010T080000Z-loop",
    "20261011T080000Z-passwd",
    "20261012T080000Z-dangling",
    "20261013T080000Z-inside",
];

fn hostile_journal() -> TestEnv {
    let env = TestEnv::new();
    let month = env.repo.join(MONTH);
    std::fs::create_dir_all(&month).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/entries");
    for item in std::fs::read_dir(fixture).unwrap() {
        let item = item.unwrap();
        std::fs::copy(item.path(), month.join(item.file_name())).unwrap();
    }
    let at = |id: &str| month.join(format!("{id}.md"));
    let nested = format!(
        "---\ndate: 2026-10-06T10:00:00+02:00\ntitle: Nested\ntags: {}{}\n---\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(at(HOSTILE[4]), nested).unwrap();
    // A good front matter with a 20 MB body: read and indexed, not a problem.
    let huge = format!(
        "---\ndate: 2026-10-07T10:00:00+02:00\ntitle: Huge body\n---\n{}",
        "twenty megabytes of log output\n".repeat(20_000_000 / 31)
    );
    std::fs::write(at(HOSTILE[5]), huge).unwrap();
    let fifo = Command::new("mkfifo").arg(at(HOSTILE[6])).status().unwrap();
    assert!(fifo.success());
    std::fs::create_dir(at(HOSTILE[7])).unwrap();
    let link = |target: &Path, id: &str| std::os::unix::fs::symlink(target, at(id)).unwrap();
    link(&at(HOSTILE[8]), HOSTILE[8]);
    link(Path::new("/etc/passwd"), HOSTILE[9]);
    link(&env.repo.join("nowhere/gone.md"), HOSTILE[10]);
    env.write(
        "notes/heron.md",
        "---\ndate: 2026-10-13T10:00:00+02:00\ntitle: Heron, linked from the notes\n---\nheron\n",
    );
    link(&env.repo.join("notes/heron.md"), HOSTILE[11]);
    env
}

/// Runs `journal ARGS`, failing the test if it takes longer than the deadline.
fn run_within(env: &TestEnv, args: &[&str]) -> Run {
    let mut child = env
        .journal()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            panic!("journal {args:?} did not finish within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        code: status.code().unwrap_or(-1),
    }
}

/// The ids a command must name: every hostile file but the two that read well (the huge
/// body, the link inside the repository).
fn reported() -> impl Iterator<Item = &'static str> {
    HOSTILE
        .into_iter()
        .filter(|id| !id.ends_with("huge-body") && !id.ends_with("inside"))
}

#[track_caller]
fn assert_reports_each(run: &Run, text: &str, what: &str) {
    assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
    for id in reported() {
        assert!(
            text.contains(&format!("{MONTH}/{id}.md")),
            "{what} does not name {id}:\n{text}"
        );
    }
    assert!(
        !text.contains("root:x:0:0"),
        "{what} read /etc/passwd:\n{text}"
    );
}

#[test]
fn every_command_answers_reports_each_hostile_file_and_never_reads_outside() {
    let env = hostile_journal();
    let commands: [(&[&str], &str); 7] = [
        (&["search", "kestrel", "--json"], GOOD),
        (&["list"], "Kestrel is the one good entry"),
        (&["tags"], "hetzner"),
        (&["show", GOOD], "Kestrel is the one good entry"),
        (&["metrics"], ""),
        (&["export", "--format", "jsonl"], GOOD),
        (&["search", "heron"], "Heron, linked from the notes"),
    ];
    for (args, answer) in commands {
        let run = run_within(&env, args);
        // Answered from the good files; exit 1 says some were skipped.
        assert_eq!(run.code, 1, "journal {args:?}: {}", run.stderr);
        assert!(
            run.stdout.contains(answer),
            "journal {args:?}: {}",
            run.stdout
        );
        assert_reports_each(&run, &run.stderr, &format!("journal {args:?}"));
    }
    let outside = run_within(&env, &["show", HOSTILE[9]]);
    assert_eq!(outside.code, 1);
    assert!(
        outside.stderr.contains("points outside the repository"),
        "{}",
        outside.stderr
    );
    assert!(!outside.stdout.contains("root:"), "{}", outside.stdout);

    let check = run_within(&env, &["check"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert_reports_each(&check, &check.stdout, "journal check");

    let compile = run_within(&env, &["compile", "--out", "docs", "--date", "2026-10-30"]);
    assert_eq!(compile.code, 0, "{}", compile.stderr);
    assert_reports_each(&compile, &compile.stderr, "journal compile");
    assert!(env.read("docs/INTEGRATION-FINDINGS.md").contains("Kestrel"));
}

#[test]
fn the_watcher_indexes_around_hostile_files_and_reports_each_once() {
    let env = hostile_journal();
    let log = env.home.join("watch.log");
    let mut watcher = env
        .journal()
        .args(["watch"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let fresh = || {
        let run = env.run(&["status", "--json"]);
        let status: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_default();
        status["watcher"]["state"] == "running" && status["index"]["fresh"] == true
    };
    while !fresh() {
        if let Some(status) = watcher.try_wait().unwrap() {
            panic!(
                "the watcher exited ({status}):\n{}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        assert!(
            start.elapsed() < DEADLINE,
            "the watcher did not index the files"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let search = run_within(&env, &["search", "kestrel", "--json"]);
    assert!(search.stdout.contains(GOOD), "{}", search.stdout);
    let text = std::fs::read_to_string(&log).unwrap();
    let _ = watcher.kill();
    let _ = watcher.wait();
    let logged = Run {
        stdout: String::new(),
        stderr: text.clone(),
        code: 0,
    };
    assert_reports_each(&logged, &text, "the watcher's log");
}
