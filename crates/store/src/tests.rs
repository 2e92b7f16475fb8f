//! The store's write paths on a real repository (journal-testutils): add, import, remove.

use chrono::DateTime;
use journal_entry::Entry;
use journal_testutils::TestRepo;

use crate::{Store, StoreOptions};

fn entry(title: &str) -> Entry {
    let date = DateTime::parse_from_rfc3339("2026-10-08T11:15:00+02:00").unwrap();
    Entry::new(String::new(), date, title)
}

fn store(repo: &TestRepo) -> Store {
    Store::open(&repo.root, StoreOptions::default()).unwrap()
}

#[test]
fn add_writes_one_file_and_commits_it_alone() {
    let repo = TestRepo::journal();
    // The user's own staged work is not part of the journal's commit.
    repo.write("notes.txt", "work in progress\n");
    let store = store(&repo);
    let added = store.add(entry("LUKS works"), true).unwrap();
    assert_eq!(added.id, "20261008T091500Z-luks-works");
    assert_eq!(
        added.rel_path.to_string_lossy(),
        "journal/2026/10/20261008T091500Z-luks-works.md"
    );
    assert!(repo.path(&added.rel_path.to_string_lossy()).is_file());
    let sha = added.commit.unwrap();
    assert_eq!(store.repo().head().unwrap().as_deref(), Some(sha.as_str()));
    assert!(store.repo().is_committed(&added.rel_path).unwrap());
    assert!(!store.repo().is_committed("notes.txt".as_ref()).unwrap());
    // The same minute and title get the next free id.
    let again = store.add(entry("LUKS works"), false).unwrap();
    assert_eq!(again.id, "20261008T091500Z-luks-works-2");
    assert_eq!(again.commit, None);
    assert_eq!(store.uncommitted().unwrap().len(), 1);
}

#[test]
fn import_writes_many_in_one_commit_and_twice_adds_nothing() {
    let repo = TestRepo::journal();
    let store = store(&repo);
    let before = store.repo().head().unwrap();
    let entries = |titles: &[&str]| -> Vec<Entry> {
        titles
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut e = entry(t);
                e.id = format!("20261008T09150{i}Z-{}", journal_entry::slug(t));
                e
            })
            .collect()
    };
    let imported = store
        .import(
            entries(&["one", "two"]),
            true,
            "journal: import 2 entries\n",
        )
        .unwrap();
    assert_eq!(imported.written.len(), 2);
    assert!(imported.commit.is_some());
    assert_ne!(store.repo().head().unwrap(), before);
    let again = store
        .import(
            entries(&["one", "two"]),
            true,
            "journal: import 0 entries\n",
        )
        .unwrap();
    assert!(again.written.is_empty());
    assert_eq!(again.existing.len(), 2);
    assert_eq!(again.commit, None);
}

#[test]
fn remove_deletes_the_file_and_commits_the_removal() {
    let repo = TestRepo::journal();
    let store = store(&repo);
    let added = store.add(entry("short lived"), true).unwrap();
    let file = store.find("20261008").unwrap();
    let sha = store.remove(&file, "short lived", true).unwrap().unwrap();
    assert!(!repo.path(&added.rel_path.to_string_lossy()).exists());
    assert_eq!(store.repo().head().unwrap().as_deref(), Some(sha.as_str()));
    assert!(!store.repo().is_committed(&added.rel_path).unwrap());
    assert!(matches!(
        store.find("20261008"),
        Err(crate::Error::NotFound(_))
    ));
}

#[test]
fn commit_paths_are_the_files_that_changed_against_the_first_parent() {
    let repo = TestRepo::new();
    repo.commit(
        "one",
        &[("a/b/c.nix", "1\n"), ("a/d.nix", "1\n"), ("x", "file\n")],
    );
    repo.commit("two", &[("a/b/c.nix", "2\n"), ("a/b/e/f.nix", "new\n")]);
    // A path that was a file becomes a folder.
    std::fs::remove_file(repo.path("x")).unwrap();
    repo.commit("three", &[("x/y.nix", "now a folder\n")]);
    let git = crate::GitRepo::discover(&repo.root).unwrap();
    let walk = git.commits_since(None).unwrap();
    // The git command's listing and libgit2's walk (when git is missing) agree.
    let tips = git.evidence_tips().unwrap();
    let by_libgit2 = git.walk_with_libgit2(&tips, &[]).unwrap();
    assert_eq!(by_libgit2, walk.commits);
    let paths: Vec<(&str, Vec<&str>)> = walk
        .commits
        .iter()
        .map(|c| {
            (
                c.subject.as_str(),
                c.paths.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        paths,
        [
            ("three", vec!["x", "x/y.nix"]),
            ("two", vec!["a/b/c.nix", "a/b/e/f.nix"]),
            ("one", vec!["a/b/c.nix", "a/d.nix", "x"]),
        ]
    );
}

#[test]
fn evidence_made_or_packed_after_the_store_opened_is_found_and_a_missing_commit_is_not() {
    let repo = TestRepo::journal();
    let store = store(&repo);
    // A store kept open by a server: commits made since, then packed by `git gc`.
    let sha = repo.commit("Set up LUKS", &[("luks.nix", "{ }\n")]);
    let cite = |sha: &str| sha.parse::<journal_entry::Evidence>().unwrap();
    let missing = cite("0123456789abcdef0123456789abcdef01234567");
    let made = cite(&sha);
    let report = store.verify_evidence([&made, &missing]).unwrap();
    assert!(report.commits[&made].exists);
    assert_eq!(
        report.commits[&made].subject.as_deref(),
        Some("Set up LUKS")
    );
    assert!(!report.commits[&missing].exists);
    let gc = std::process::Command::new("git")
        .args(["gc", "-q", "--prune=now"])
        .current_dir(&repo.root)
        .status()
        .unwrap();
    assert!(gc.success());
    let sha = repo.commit("Then zerotier", &[("zt.nix", "{ }\n")]);
    let later = cite(&sha);
    let report = store.verify_evidence([&made, &later, &missing]).unwrap();
    assert!(report.commits[&made].exists, "found in the new pack");
    assert!(report.commits[&later].exists);
    assert!(!report.commits[&missing].exists);
}
