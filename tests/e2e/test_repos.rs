//! Repositories of unusual shapes: SHA-256, `GIT_DIR` / `GIT_WORK_TREE`, a shallow clone, a
//! linked worktree.

use crate::common::TestEnv;

#[test]
fn a_sha256_repository_gets_a_true_message() {
    let env = TestEnv::bare_repo();
    let dir = env.repo.parent().unwrap().join("sha256");
    env.git_in(
        env.repo.parent().unwrap(),
        &["init", "-q", "--object-format=sha256", "sha256"],
    );
    let out = env
        .journal()
        .current_dir(&dir)
        .arg("init")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr
            .contains("with sha256 object ids, which journal's git library (libgit2) cannot read"),
        "{stderr}"
    );
    assert!(!stderr.contains("git init` first"), "{stderr}");
    assert!(
        stderr.contains("hint: keep the journal in a SHA-1 repository"),
        "{stderr}"
    );
}

#[test]
fn git_dir_naming_the_same_repository_works_and_another_is_refused() {
    let env = TestEnv::new();
    // As git sets it for a hook: the same repository.
    let out = env
        .journal()
        .env("GIT_DIR", ".git")
        .args(["add", "From a hook"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let other = env.repo.parent().unwrap().join("other");
    env.git_in(env.repo.parent().unwrap(), &["init", "-q", "other"]);
    let head = env.git(&["rev-parse", "HEAD"]);
    for (name, value) in [
        ("GIT_DIR", other.join(".git")),
        ("GIT_WORK_TREE", other.clone()),
    ] {
        let out = env
            .journal()
            .env(name, &value)
            .args(["add", "Elsewhere"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.starts_with(&format!("error: {name} is set to {}", value.display())),
            "{stderr}"
        );
        assert!(stderr.contains("hint: journal does not follow"), "{stderr}");
    }
    assert_eq!(env.git(&["rev-parse", "HEAD"]), head, "nothing written");
    assert_eq!(env.entry_files().len(), 1);
}

#[test]
fn a_linked_worktree_records_on_its_own_branch() {
    let env = TestEnv::new();
    env.commit_file("main.tf", "# evidence\n");
    let wt = env.repo.parent().unwrap().join("wt");
    env.git(&["worktree", "add", "-q", wt.to_str().unwrap(), "-b", "side"]);
    let out = env
        .journal()
        .current_dir(&wt)
        .args(["add", "In the worktree", "--commit", "HEAD"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = env.journal().current_dir(&wt).arg("list").output().unwrap();
    assert!(String::from_utf8_lossy(&listed.stdout).contains("in-the-worktree"));
    assert_eq!(env.git_in(&wt, &["status", "--porcelain"]), "");
    let log = env.git_in(&wt, &["log", "-1", "--format=%s", "side"]);
    assert_eq!(log.trim(), "journal: In the worktree");
    // The main working tree's branch and index are untouched.
    assert!(env.entry_files().is_empty());
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

#[test]
fn a_shallow_clone_is_said_once() {
    let env = TestEnv::new();
    for i in 0..3 {
        env.commit_file("main.tf", &format!("# {i}\n"));
    }
    let root = env.repo.parent().unwrap();
    let url = format!("file://{}", env.repo.display());
    env.git_in(root, &["clone", "-q", "--depth", "1", &url, "shallow"]);
    let clone = root.join("shallow");
    let first = env
        .journal()
        .current_dir(&clone)
        .arg("list")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{stderr}");
    assert!(
        stderr.contains("the journal's repository is a shallow clone"),
        "{stderr}"
    );
    let second = env
        .journal()
        .current_dir(&clone)
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&second.stderr), "");
}
