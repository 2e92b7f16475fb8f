//! The index can be lost, never trusted blindly: deleted in part or whole, on a full disk, in
//! a read-only checkout. And journal.toml's paths and odd file names, which arrive by `git
//! pull`. docs/reliability.md lists these faults and their outcomes.

use std::process::Command;

use crate::common::TestEnv;

fn with_entries(n: usize) -> TestEnv {
    let env = TestEnv::new();
    for i in 0..n {
        env.run(&[
            "add",
            &format!("Zerotier mesh note {i}"),
            "--provider",
            "gcp",
        ])
        .ok();
    }
    env
}

fn listed(env: &TestEnv, args: &[&str]) -> usize {
    let run = env.run(args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    run.stdout.lines().filter(|l| !l.trim().is_empty()).count()
}

#[test]
fn a_deleted_or_partial_index_is_rebuilt_and_never_answers_nothing() {
    let env = with_entries(3);
    let index = env.repo.join(".git/journal");
    for (what, remove) in [
        ("the tantivy folder", "tantivy"),
        ("tantivy's meta.json", "tantivy/meta.json"),
        ("the state database", "state.sqlite"),
    ] {
        listed(&env, &["list"]);
        let path = index.join(remove);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else {
            std::fs::remove_file(&path).unwrap();
        }
        let status = env.run(&["status", "--json"]).json();
        if remove != "state.sqlite" {
            assert!(
                status["index"]["problem"]
                    .as_str()
                    .is_some_and(|p| p.contains("missing or incomplete")),
                "{what}: {status}"
            );
        }
        assert_eq!(status["index"]["fresh"], false, "{what}: {status}");
        assert_eq!(listed(&env, &["list"]), 3, "{what}: list");
        assert_eq!(listed(&env, &["search", "zerotier"]), 3, "{what}: search");
        let export = env.run(&["export", "--format", "jsonl"]);
        assert_eq!(export.stdout.lines().count(), 3, "{what}: export");
    }
}

/// Runs `script` (sh) in a mount namespace of its own, where it may mount.
fn in_mount_namespace(env: &TestEnv, script: &str) -> std::process::Output {
    let mut cmd = Command::new("unshare");
    cmd.args(["--mount", "--propagation", "private", "sh", "-ec", script])
        .env("J", env!("CARGO_BIN_EXE_journal"))
        .env("R", &env.repo);
    let probe = env.journal(); // the isolated environment of every journal run
    for (key, value) in probe.get_envs() {
        match value {
            Some(value) => cmd.env(key, value),
            None => cmd.env_remove(key),
        };
    }
    cmd.current_dir(&env.repo).output().unwrap()
}

#[test]
fn every_reading_command_works_in_a_read_only_checkout_with_or_without_an_index() {
    let env = with_entries(2);
    for with_index in [true, false] {
        if with_index {
            listed(&env, &["list"]);
        } else {
            std::fs::remove_dir_all(env.repo.join(".git/journal")).unwrap();
        }
        let out = in_mount_namespace(
            &env,
            r#"mount --bind -o ro "$R" "$R"
for args in "list" "search zerotier" "show 20261126T105903Z-zerotier-mesh-note-1" "tags" "metrics" "export --format jsonl" "status" "check"; do
  $J $args > "$R.out" 2> "$R.err" || { echo "FAILED: $args"; cat "$R.err"; }
  echo "== $args: $(wc -l < "$R.out") lines"
done
$J add "refused on a read-only checkout" 2>&1 && echo "ADD PASSED" || true"#,
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stdout}{stderr}");
        assert!(
            !stdout.contains("FAILED"),
            "with index {with_index}: {stdout}"
        );
        assert!(stdout.contains("== list: 2 lines"), "{stdout}");
        assert!(stdout.contains("== search zerotier: 2 lines"), "{stdout}");
        assert!(
            stdout.contains("== export --format jsonl: 2 lines"),
            "{stdout}"
        );
        assert!(!stdout.contains("ADD PASSED"), "{stdout}");
        assert!(stdout.contains("Read-only file system"), "{stdout}");
    }
    for stray in [".out", ".err"] {
        let _ = std::fs::remove_file(format!("{}{stray}", env.repo.display()));
    }
}

#[test]
fn a_full_disk_keeps_the_old_index_and_answers_from_it_with_one_warning() {
    let env = TestEnv::new();
    let toml = env
        .read("journal.toml")
        .replace("# index_dir = \".git/journal\"", "index_dir = \"idx\"");
    assert!(toml.contains("index_dir = \"idx\""));
    env.write("journal.toml", &toml);
    env.git(&["commit", "-q", "-am", "index in idx"]);
    std::fs::write(env.repo.join(".gitignore"), "idx/\n").unwrap();
    env.git(&["add", ".gitignore"]);
    env.git(&["commit", "-q", "-m", "ignore idx"]);
    env.run(&["add", "Before the disk filled", "--provider", "hetzner"])
        .ok();
    // The index lives on a small file system, filled up after the first sync.
    let out = in_mount_namespace(
        &env,
        r#"mkdir -p "$R/idx"
mount -t tmpfs -o size=4m tmpfs "$R/idx"
$J list > /dev/null
dd if=/dev/zero of="$R/idx/fill" bs=64k 2>/dev/null || true
$J add "After the disk filled" --provider hetzner > /dev/null
echo "== list"; $J list 2> "$R.err"; echo "rc=$?"; cat "$R.err"
echo "== search"; $J search disk; echo "rc=$?"
test -f "$R/idx/tantivy/meta.json" && echo "META KEPT"
test -f "$R/idx/state.sqlite" && echo "STATE KEPT""#,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("before-the-disk-filled"), "{stdout}");
    let warning = "answers come from it as last written and may miss the latest changes";
    assert_eq!(stdout.matches(warning).count(), 1, "{stdout}");
    assert!(
        stdout.contains("META KEPT") && stdout.contains("STATE KEPT"),
        "{stdout}"
    );
    assert!(!stdout.contains("rc=1"), "{stdout}");
    let _ = std::fs::remove_file(format!("{}.err", env.repo.display()));
}

#[test]
fn paths_in_journal_toml_outside_the_work_tree_are_refused_at_load() {
    let env = TestEnv::new();
    let original = env.read("journal.toml");
    for (line, key) in [
        ("entries = \"../../../../etc\"", "entries"),
        ("index_dir = \"../elsewhere\"", "index_dir"),
        ("[compile]\nout = \"../../docs\"", "compile.out"),
    ] {
        let toml = if key == "entries" {
            original.replace("entries = \"journal\"", line)
        } else if key == "index_dir" {
            original.replace("# index_dir = \".git/journal\"", line)
        } else {
            format!("{original}\n{line}\n")
        };
        assert_ne!(toml, original, "{key}");
        env.write("journal.toml", &toml);
        for args in [&["add", "x"][..], &["list"][..], &["compile"][..]] {
            let run = env.run(args);
            assert_eq!(run.code, 1, "{key} {args:?}: {}", run.stderr);
            assert!(
                run.stderr
                    .starts_with(&format!("error: journal.toml: `{key}` = ")),
                "{}",
                run.stderr
            );
            assert!(
                run.stderr.contains("outside the repository's working tree"),
                "{}",
                run.stderr
            );
        }
    }
    assert!(!env.repo.join("../elsewhere").exists());
    assert!(env.entry_files().is_empty());
}

#[test]
fn a_file_name_that_is_not_utf8_is_a_bad_file_reported_and_skipped() {
    use std::os::unix::ffi::OsStrExt as _;
    let env = with_entries(1);
    let good = env.entry_files().remove(0);
    let dir = env.repo.join(&good).parent().unwrap().to_owned();
    let name = std::ffi::OsStr::from_bytes(b"20261126T105903Z-caf\xe9.md");
    std::fs::copy(env.repo.join(&good), dir.join(name)).unwrap();
    for args in [&["list"][..], &["search", "zerotier"][..], &["check"][..]] {
        let run = env.run(args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(
            said.contains("the file name is not valid UTF-8"),
            "{args:?}: {said}"
        );
    }
    let list = env.run(&["list"]);
    assert!(
        list.stdout.contains("zerotier-mesh-note-0"),
        "{}",
        list.stdout
    );
}

#[test]
fn an_add_on_a_full_disk_writes_nothing_and_leaves_nothing() {
    let env = TestEnv::new();
    let head = env.git(&["rev-parse", "HEAD"]);
    let out = in_mount_namespace(
        &env,
        r#"mkdir -p "$R/journal"
mount -t tmpfs -o size=256k tmpfs "$R/journal"
dd if=/dev/zero of="$R/journal/fill" bs=4k 2>/dev/null || true
$J add "On a full disk" --provider hetzner || echo "rc=$?"
find "$R/journal" "$R/.git" -maxdepth 1 \( -name '*.tmp' -o -name 'journal-pending*' -o -name 'index.lock' \) | sed 's/^/LEFT /'
find "$R/journal" -name '*.md' | sed 's/^/ENTRY /'
rm "$R/journal/fill"
$J add "Once there is room" --provider hetzner > /dev/null; echo "second rc=$?"
git -C "$R" status --porcelain | sed 's/^/STATUS /'"#,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("rc=1"), "{stdout}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(
        !stdout.contains("LEFT ") && !stdout.contains("ENTRY "),
        "{stdout}"
    );
    assert!(stdout.contains("second rc=0"), "{stdout}");
    // The second add was committed (on the tmpfs, gone with the namespace: only its commit
    // stays); the first never was.
    let log = env.git(&["log", "--format=%s", &format!("{}..HEAD", head.trim())]);
    assert_eq!(log.trim(), "journal: Once there is room");
}
