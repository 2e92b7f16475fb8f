//! Reviews: "reviewed up to here", per git user, stored in git as a ref
//! (`refs/journal/reviews/<email>`) pointing at the commit that was HEAD when the user
//! reviewed, so that it travels with the repository; and what the entries folder gained,
//! changed or lost since that commit.

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

/// A review mark: the commit reviewed up to, and when it was marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewMark {
    /// The commit that was HEAD.
    pub commit: String,
    /// Seconds since the epoch of that commit.
    pub time: i64,
}

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
    /// Points `email`'s review ref at HEAD; returns the mark and the previous one.
    pub fn mark_reviewed(&self, email: &str) -> Result<(ReviewMark, Option<ReviewMark>)> {
        let previous = self.reviewed(email)?;
        let head = self.head()?.ok_or(Error::NothingToReview)?;
        let oid = Oid::from_str(&head).map_err(Error::git("cannot read HEAD"))?;
        self.raw()
            .reference(
                &review_ref(email),
                oid,
                true,
                "journal: reviewed up to here",
            )
            .map_err(Error::git("cannot write the review ref"))?;
        let mark = self.reviewed(email)?.ok_or(Error::NothingToReview)?;
        Ok((mark, previous))
    }

    /// Returns where `email` last reviewed up to, if anywhere.
    pub fn reviewed(&self, email: &str) -> Result<Option<ReviewMark>> {
        let reference = match self.raw().find_reference(&review_ref(email)) {
            Ok(r) => r,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(Error::git("cannot read the review ref")(e)),
        };
        let commit = reference
            .peel_to_commit()
            .map_err(Error::git("cannot read the reviewed commit"))?;
        Ok(Some(ReviewMark {
            commit: commit.id().to_string(),
            time: commit.time().seconds(),
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
