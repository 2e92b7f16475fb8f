//! Reviews: "reviewed up to here", per git user, stored in git as a ref
//! (`refs/journal/reviews/<email>`) so that it travels with the repository. The ref points at
//! a review commit on no branch: its one parent is the commit that was HEAD when the user
//! reviewed, its tree holds `evidence.json`, what the caller recorded of the evidence then
//! (which commits were missing or not pushed). Also: what the entries folder gained, changed
//! or lost since the reviewed commit.

use std::path::Path;

use git2::{Delta, DiffOptions, Oid};

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
    /// What was recorded of the evidence at the review (`evidence.json`), if anything.
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
        repo.reference(
            &review_ref(&who.email),
            commit,
            true,
            "journal: reviewed up to here",
        )
        .map_err(Error::git("cannot write the review ref"))?;
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
            .and_then(|tree| tree.get_name(EVIDENCE_FILE).map(|e| e.id()))
            .and_then(|id| self.raw().find_blob(id).ok())
            .map(|blob| String::from_utf8_lossy(blob.content()).into_owned());
        Ok(Some(ReviewMark {
            commit: parent.id().to_string(),
            time,
            evidence,
        }))
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
        let mut options = DiffOptions::new();
        options.pathspec(folder.to_string_lossy().replace('\\', "/"));
        let diff = repo
            .diff_tree_to_tree(Some(&old), Some(&new), Some(&mut options))
            .map_err(Error::git("cannot compare the trees"))?;
        let mut changes = Vec::new();
        for delta in diff.deltas() {
            let change = match delta.status() {
                Delta::Added | Delta::Copied => FileChange::Added,
                Delta::Deleted => FileChange::Deleted,
                Delta::Modified | Delta::Renamed | Delta::Typechange => FileChange::Modified,
                _ => continue,
            };
            let file = if change == FileChange::Deleted {
                delta.old_file()
            } else {
                delta.new_file()
            };
            if let Some(path) = file.path() {
                changes.push((path.to_string_lossy().replace('\\', "/"), change));
            }
        }
        changes.sort();
        Ok(changes)
    }
}

#[cfg(test)]
mod tests {
    use super::review_ref;

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
