//! Reviews: "reviewed up to here", per git user, stored in git as a ref
//! (`refs/journal/reviews/<email>`) so that it travels with the repository. The ref points at
//! a review commit on no branch: its one parent is the commit that was HEAD when the user
//! reviewed, its tree holds `evidence.json`, what the caller recorded of the evidence then
//! (which commits were missing or not pushed). Also: what the entries folder gained, changed
//! or lost since the reviewed commit.

use std::collections::BTreeMap;
use std::path::Path;

use git2::{ObjectType, Oid};

use crate::error::{Error, Result};
use crate::repo::GitRepo;

/// The refs of the reviews live under this prefix.
pub const REVIEWS_REF_PREFIX: &str = "refs/journal/reviews/";

/// How an entry file changed between two commits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileChange {
    /// New since.
    Added,
    /// Edited since.
    Modified,
    /// Gone since.
    Deleted,
}

/// A review mark: the commit reviewed up to, when, and the evidence as it was then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewMark {
    /// The commit that was HEAD.
    pub commit: String,
    /// Seconds since the epoch of the review (the review commit's time).
    pub time: i64,
    /// The blob of what was recorded of the evidence at the review (`evidence.json`), if
    /// anything: its id, read by [`GitRepo::review_evidence`] (it can be megabytes: a page
    /// that shows the mark on each visit reads it only when it is not the one it kept).
    pub evidence: Option<String>,
}

/// The subject of a review commit.
const REVIEW_SUBJECT: &str = "journal: reviewed up to ";
/// The file of a review commit's tree.
const EVIDENCE_FILE: &str = "evidence.json";

/// Returns the ref name of `email`'s reviews: the address with every character git refuses
/// in a ref name (and `/`) replaced by `_`.
pub fn review_ref(email: &str) -> String {
    let name: String = email
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '-' | '_' | '+') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = name.trim_matches('.').replace("..", "_");
    let name = if name.is_empty() {
        "_".to_owned()
    } else {
        name
    };
    format!("{REVIEWS_REF_PREFIX}{name}")
}

impl GitRepo {
    /// Marks HEAD reviewed for `who`: a review commit (HEAD its parent, `evidence` its
    /// `evidence.json`) under `who`'s review ref. Returns the mark and the previous one.
    pub fn mark_reviewed(
        &self,
        who: &crate::Identity,
        evidence: &str,
    ) -> Result<(ReviewMark, Option<ReviewMark>)> {
        let previous = self.reviewed(&who.email)?;
        let head = self.head()?.ok_or(Error::NothingToReview)?;
        let repo = self.raw();
        let write = Error::git("cannot write the review");
        let parent = repo
            .find_commit(Oid::from_str(&head).map_err(Error::git("cannot read HEAD"))?)
            .map_err(Error::git("cannot read HEAD"))?;
        let blob = repo
            .blob(evidence.as_bytes())
            .map_err(Error::git("cannot write the review"))?;
        let mut tree = repo
            .treebuilder(None)
            .map_err(Error::git("cannot write the review"))?;
        tree.insert(EVIDENCE_FILE, blob, 0o100_644)
            .map_err(Error::git("cannot write the review"))?;
        let tree = repo
            .find_tree(
                tree.write()
                    .map_err(Error::git("cannot write the review"))?,
            )
            .map_err(write)?;
        let signature = git2::Signature::now(&who.name, &who.email)
            .map_err(Error::git("cannot write the review"))?;
        let message = format!("{REVIEW_SUBJECT}{head}\n");
        let commit = repo
            .commit(None, &signature, &signature, &message, &tree, &[&parent])
            .map_err(Error::git("cannot write the review"))?;
        let name = review_ref(&who.email);
        repo.reference(&name, commit, true, "journal: reviewed up to here")
            .map_err(|e| {
                // Another writer holds the ref's lock (a second review, a `git update-ref`):
                // said as for any lock of git's, with who holds it. The last mark stays whole.
                let lock = self.common_dir().join(format!("{name}.lock"));
                if lock.exists() {
                    crate::txn::locked(&lock)
                } else {
                    Error::git("cannot write the review ref")(e)
                }
            })?;
        let mark = self.reviewed(&who.email)?.ok_or(Error::NothingToReview)?;
        Ok((mark, previous))
    }

    /// Returns where `email` last reviewed up to, if anywhere. A ref that points at a plain
    /// commit (not a review commit) marks that commit, with no evidence recorded.
    pub fn reviewed(&self, email: &str) -> Result<Option<ReviewMark>> {
        let reference = match self.raw().find_reference(&review_ref(email)) {
            Ok(r) => r,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(Error::git("cannot read the review ref")(e)),
        };
        let commit = reference
            .peel_to_commit()
            .map_err(Error::git("cannot read the reviewed commit"))?;
        let time = commit.time().seconds();
        let is_review = commit.parent_count() == 1
            && commit
                .message_bytes()
                .starts_with(REVIEW_SUBJECT.as_bytes());
        if !is_review {
            return Ok(Some(ReviewMark {
                commit: commit.id().to_string(),
                time,
                evidence: None,
            }));
        }
        let parent = commit
            .parent(0)
            .map_err(Error::git("cannot read the reviewed commit"))?;
        let evidence = commit
            .tree()
            .ok()
            .and_then(|tree| tree.get_name(EVIDENCE_FILE).map(|e| e.id().to_string()));
        Ok(Some(ReviewMark {
            commit: parent.id().to_string(),
            time,
            evidence,
        }))
    }

    /// Returns the text of a review's `evidence.json` ([`ReviewMark::evidence`]), if the blob
    /// is there.
    pub fn review_evidence(&self, blob: &str) -> Option<String> {
        let blob = self.raw().find_blob(Oid::from_str(blob).ok()?).ok()?;
        Some(String::from_utf8_lossy(blob.content()).into_owned())
    }

    /// The files under `folder` (relative to the working tree) that changed between the
    /// commit `since` and HEAD, with how.
    pub fn changes_since(&self, since: &str, folder: &Path) -> Result<Vec<(String, FileChange)>> {
        let repo = self.raw();
        let read = Error::git("cannot read a commit");
        let old = repo
            .find_commit(Oid::from_str(since).map_err(Error::git("cannot read a commit"))?)
            .map_err(read)?
            .tree()
            .map_err(Error::git("cannot read a tree"))?;
        let Some(head) = self.head_commit()? else {
            return Ok(Vec::new());
        };
        let new = head.tree().map_err(Error::git("cannot read HEAD's tree"))?;
        let folder = folder.to_string_lossy().replace('\\', "/");
        let folder = folder.trim_matches('/');
        let subtree = |tree: &git2::Tree<'_>| -> Option<Oid> {
            if folder.is_empty() || folder == "." {
                return Some(tree.id());
            }
            let entry = tree.get_path(Path::new(folder)).ok()?;
            (entry.kind() == Some(ObjectType::Tree)).then(|| entry.id())
        };
        let prefix = if folder == "." { "" } else { folder };
        let mut changes = Vec::new();
        diff_trees(repo, subtree(&old), subtree(&new), prefix, &mut changes)?;
        changes.sort();
        Ok(changes)
    }
}

/// Adds the files that differ between the trees `old` and `new` (either may be absent) to
/// `out`, their paths under `prefix`. Subtrees with the same id are skipped without being
/// read: a review of a journal of 100,000 entries compares the month folders that changed
/// only (libgit2's tree diff read every tree: 50 ms a page view).
fn diff_trees(
    repo: &git2::Repository,
    old: Option<Oid>,
    new: Option<Oid>,
    prefix: &str,
    out: &mut Vec<(String, FileChange)>,
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    let entries = |oid: Option<Oid>| -> Result<BTreeMap<String, (Oid, bool)>> {
        let Some(oid) = oid else {
            return Ok(BTreeMap::new());
        };
        let tree = repo
            .find_tree(oid)
            .map_err(Error::git("cannot read a tree"))?;
        Ok(tree
            .iter()
            .filter_map(|e| {
                let name = e.name().ok()?.to_owned();
                Some((name, (e.id(), e.kind() == Some(ObjectType::Tree))))
            })
            .collect())
    };
    let (before, after) = (entries(old)?, entries(new)?);
    let path = |name: &str| {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}/{name}")
        }
    };
    for (name, &(id, is_tree)) in &after {
        let was = before.get(name).copied();
        if was.is_some_and(|(old_id, _)| old_id == id) {
            continue;
        }
        match (was, is_tree) {
            (Some((old_id, true)), true) => {
                diff_trees(repo, Some(old_id), Some(id), &path(name), out)?;
            }
            (Some((_, false)), false) => out.push((path(name), FileChange::Modified)),
            (was, true) => {
                if was.is_some() {
                    out.push((path(name), FileChange::Deleted));
                }
                diff_trees(repo, None, Some(id), &path(name), out)?;
            }
            (was, false) => {
                if let Some((old_id, true)) = was {
                    diff_trees(repo, Some(old_id), None, &path(name), out)?;
                }
                out.push((path(name), FileChange::Added));
            }
        }
    }
    for (name, &(id, is_tree)) in &before {
        if after.contains_key(name) {
            continue;
        }
        if is_tree {
            diff_trees(repo, Some(id), None, &path(name), out)?;
        } else {
            out.push((path(name), FileChange::Deleted));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use journal_testutils::{TestRepo, git};

    use super::{FileChange, review_ref};

    #[test]
    fn the_changes_since_a_commit_are_those_under_the_folder_and_nothing_else() {
        let repo = TestRepo::journal();
        let base = repo.commit(
            "journal: three entries",
            &[
                ("journal/2026/01/a.md", "a\n"),
                ("journal/2026/01/b.md", "b\n"),
                ("journal/2026/02/c.md", "c\n"),
                ("journal/2026/04/e.md", "e\n"),
                ("infra/main.tf", "# one\n"),
            ],
        );
        repo.commit(
            "journal: later",
            &[
                ("journal/2026/01/a.md", "a, edited\n"),
                ("journal/2026/03/d.md", "d\n"),
                ("infra/main.tf", "# two\n"),
            ],
        );
        let who = ["-c", "user.name=Op", "-c", "user.email=op@example.org"];
        git(
            &repo.root,
            &["rm", "-q", "journal/2026/01/b.md", "journal/2026/02/c.md"],
        );
        git(
            &repo.root,
            &[who[0], who[1], who[2], who[3], "commit", "-q", "-m", "rm"],
        );
        // This crate's own GitRepo (the test utilities link another build of it).
        let git_repo = crate::GitRepo::discover(&repo.root).unwrap();
        let changes = git_repo.changes_since(&base, Path::new("journal")).unwrap();
        let expected = [
            ("journal/2026/01/a.md", FileChange::Modified),
            ("journal/2026/01/b.md", FileChange::Deleted),
            ("journal/2026/02/c.md", FileChange::Deleted),
            ("journal/2026/03/d.md", FileChange::Added),
        ];
        let expected: Vec<(String, FileChange)> = expected
            .iter()
            .map(|(p, c)| ((*p).to_owned(), *c))
            .collect();
        assert_eq!(
            changes, expected,
            "infra/ and the unchanged month are not listed"
        );
        let head = git_repo.head().unwrap().unwrap();
        assert!(
            repo.git()
                .changes_since(&head, Path::new("journal"))
                .unwrap()
                .is_empty()
        );
        let all = git_repo.changes_since(&base, Path::new("")).unwrap();
        assert!(
            all.contains(&("infra/main.tf".to_owned(), FileChange::Modified)),
            "{all:?}"
        );
    }

    #[test]
    fn a_review_ref_is_a_valid_ref_name_for_any_address() {
        assert_eq!(
            review_ref("ops@example.org"),
            "refs/journal/reviews/ops@example.org"
        );
        for email in ["a b@c", "x/../y", "..", "", "~^:?*[\\", "é@ü.de"] {
            let name = review_ref(email);
            assert!(git2::Reference::is_valid_name(&name), "{email}: {name}");
        }
    }
}
