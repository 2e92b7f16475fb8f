//! A kept journal answers as one opened afresh, after each kind of change.

use chrono::DateTime;
use journal_testutils::{TestRepo, entry_text, git};

use crate::{Clock, Journal, KeptJournal, OpenOptions};

fn options(repo: &TestRepo) -> OpenOptions {
    OpenOptions {
        start: repo.root.clone(),
        ..OpenOptions::default()
    }
}

/// The confidence table, the review's evidence snapshot, the files not committed and
/// the coverage report.
fn answers(journal: &Journal) -> (serde_json::Value, String, Vec<String>, serde_json::Value) {
    let table = serde_json::to_value(journal.confidence().unwrap()).unwrap();
    let snapshot = serde_json::to_string(&*journal.evidence_snapshot().unwrap()).unwrap();
    let coverage = serde_json::to_value(journal.coverage(None, 50).unwrap()).unwrap();
    let uncommitted = journal.uncommitted().unwrap().to_vec();
    (table, snapshot, uncommitted, coverage)
}

/// A server's journal (its memo warm from earlier calls) answers as one opened afresh.
fn same(kept: &KeptJournal, repo: &TestRepo, when: &str) {
    let remembered = kept.call(|j, _| Ok(answers(j))).unwrap();
    let fresh = answers(&Journal::open(&options(repo)).unwrap());
    assert_eq!(remembered, fresh, "{when}");
}

fn write(repo: &TestRepo, id: &str, day: u32, fields: &[&str]) {
    let text = entry_text(
        id,
        &format!("2026-02-{day:02}T10:00:00Z"),
        &format!("On day {day}"),
        fields,
        "Because.\n",
    );
    repo.write(&format!("journal/2026/02/{id}.md"), &text);
}

#[test]
fn a_kept_journal_answers_as_a_fresh_one_after_each_change() {
    let repo = TestRepo::journal();
    let made = repo.commit("Set up LUKS", &[("luks.nix", "{ }\n")]);
    let missing = "0123456789abcdef0123456789abcdef01234567";
    let cites = |sha: &str| format!("commits: [{sha}]");
    write(
        &repo,
        "20260201T100000Z-a",
        1,
        &["provider: [hetzner]", "pattern: [luks]", &cites(&made)],
    );
    write(
        &repo,
        "20260202T100000Z-b",
        2,
        &["provider: [gcp]", "pattern: [luks]", &cites(missing)],
    );
    let clock = Clock::new(|| DateTime::parse_from_rfc3339("2026-03-01T12:00:00+01:00").unwrap());
    let kept = KeptJournal::open(options(&repo), clock).unwrap();
    same(&kept, &repo, "at first");

    write(
        &repo,
        "20260203T100000Z-c",
        3,
        &[
            "kind: assessment",
            "provider: [hetzner]",
            "pattern: [luks]",
            "confidence: proven",
            &cites(&made),
        ],
    );
    same(&kept, &repo, "an assessment added");
    write(
        &repo,
        "20260201T100000Z-a",
        1,
        &["provider: [hetzner]", "pattern: [disko]", &cites(&made)],
    );
    same(&kept, &repo, "an entry edited");
    std::fs::remove_file(repo.path("journal/2026/02/20260202T100000Z-b.md")).unwrap();
    same(&kept, &repo, "an entry removed");
    let who = ["-c", "user.name=Op", "-c", "user.email=op@example.org"];
    git(&repo.root, &["add", "journal"]);
    same(&kept, &repo, "the entries staged");
    git(
        &repo.root,
        &[
            who[0], who[1], who[2], who[3], "commit", "-q", "-m", "entries",
        ],
    );
    same(&kept, &repo, "the entries committed");
    let assessment = "journal/2026/02/20260203T100000Z-c.md";
    git(&repo.root, &["rm", "-q", "--cached", assessment]);
    same(
        &kept,
        &repo,
        "a committed entry taken out of git's index only",
    );
    git(&repo.root, &["reset", "-q"]);
    same(&kept, &repo, "git's index as HEAD again");
    git(&repo.root, &["reset", "-q", "--soft", "HEAD~1"]);
    same(&kept, &repo, "the commit undone, the entries staged");
    git(&repo.root, &["reset", "-q"]);
    same(&kept, &repo, "the entries unstaged");

    // Evidence cited before it is here: made in another clone, then fetched into a
    // local branch (only local references move; the objects come loose, no pack).
    let other = repo.root.parent().unwrap().join("other");
    git(
        repo.root.parent().unwrap(),
        &[
            "clone",
            "-q",
            repo.root.to_str().unwrap(),
            other.to_str().unwrap(),
        ],
    );
    git(
        &other,
        &[
            "-c",
            "user.name=Op",
            "-c",
            "user.email=op@example.org",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "Later work",
        ],
    );
    let later = git(&other, &["rev-parse", "HEAD"]);
    write(
        &repo,
        "20260204T100000Z-d",
        4,
        &["provider: [hetzner]", "pattern: [luks]", &cites(&later)],
    );
    same(&kept, &repo, "evidence not here yet");
    git(
        &repo.root,
        &[
            "fetch",
            "-q",
            other.to_str().unwrap(),
            "main:refs/heads/side",
        ],
    );
    same(&kept, &repo, "the evidence fetched into a branch");

    // Evidence that becomes pushed: a remote and a push move references only.
    let remote = repo.root.parent().unwrap().join("origin.git");
    git(
        repo.root.parent().unwrap(),
        &["init", "-q", "--bare", remote.to_str().unwrap()],
    );
    git(
        &repo.root,
        &["remote", "add", "origin", remote.to_str().unwrap()],
    );
    git(&repo.root, &["push", "-q", "origin", "main"]);
    same(&kept, &repo, "the evidence pushed");

    // journal.toml edited: its vocabulary refuses what was good.
    repo.write(
        "journal.toml",
        "entries = \"journal\"\ncommit = true\n[vocabulary]\nproviders = [\"gcp\"]\n",
    );
    same(&kept, &repo, "journal.toml edited");
}

/// Sets the file's modification time `days` days after 2026-01-01: older than any sync,
/// so never racy (its month's fingerprint is recorded).
fn age(repo: &TestRepo, id: &str, days: u64) {
    let file = std::fs::File::options()
        .write(true)
        .open(repo.path(&format!("journal/2026/02/{id}.md")))
        .unwrap();
    let when =
        std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600 + days * 86_400);
    file.set_modified(when).unwrap();
}

#[test]
fn a_kept_journal_follows_edits_of_files_that_are_not_racy() {
    let repo = TestRepo::journal();
    write(
        &repo,
        "20260201T100000Z-a",
        1,
        &["provider: [hetzner]", "pattern: [luks]"],
    );
    write(
        &repo,
        "20260202T100000Z-b",
        2,
        &["provider: [gcp]", "pattern: [luks]"],
    );
    age(&repo, "20260201T100000Z-a", 1);
    age(&repo, "20260202T100000Z-b", 2);
    let clock = Clock::new(|| DateTime::parse_from_rfc3339("2026-03-01T12:00:00+01:00").unwrap());
    let kept = KeptJournal::open(options(&repo), clock).unwrap();
    same(&kept, &repo, "at first");
    same(&kept, &repo, "again");
    write(
        &repo,
        "20260201T100000Z-a",
        1,
        &["provider: [hetzner]", "pattern: [disko]"],
    );
    age(&repo, "20260201T100000Z-a", 3);
    same(&kept, &repo, "an entry edited, not racy");
    std::fs::remove_file(repo.path("journal/2026/02/20260202T100000Z-b.md")).unwrap();
    same(&kept, &repo, "an entry removed");
}
