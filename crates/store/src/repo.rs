//! `GitRepo`: the journal's view of a git repository, the only place git2 is called.

use std::path::{Path, PathBuf};

use git2::{ErrorCode, Oid, Repository};

use crate::error::{Error, Result};

/// Identity values that take precedence over the git configuration, as git's `GIT_AUTHOR_*`
/// and `GIT_COMMITTER_*` environment variables do for `git commit`. The CLI reads those.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdentityOverrides {
    /// Author name.
    pub author_name: Option<String>,
    /// Author email.
    pub author_email: Option<String>,
    /// Committer name.
    pub committer_name: Option<String>,
    /// Committer email.
    pub committer_email: Option<String>,
}

/// The git identity that authors commits and entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// user.name
    pub name: String,
    /// user.email
    pub email: String,
}

impl std::fmt::Display for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} <{}>", self.name, self.email)
    }
}

/// A git repository with a working tree.
pub struct GitRepo {
    repo: Repository,
    workdir: PathBuf,
}

impl std::fmt::Debug for GitRepo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GitRepo")
            .field("workdir", &self.workdir)
            .finish()
    }
}

/// Turns off libgit2's re-hashing of every object it reads (on by default, unlike git
/// itself): it was 45% of a first history sync (SHA-1 with collision detection per tree
/// read). Objects are still checked by git when written and fetched; reading trusts the object
/// store as git does. Process-wide, once.
fn skip_hash_verification() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| git2::opts::strict_hash_verification(false));
}

impl GitRepo {
    /// Opens the repository whose working tree contains `path`.
    pub fn discover(path: &Path) -> Result<Self> {
        skip_hash_verification();
        let repo = Repository::discover(path).map_err(|e| {
            // libgit2 finds the repository, then refuses the object format it cannot read:
            // say that, not "not a repository".
            if let Some(format) = e.message().strip_prefix("unknown object format '") {
                return Error::ObjectFormat {
                    path: path.to_owned(),
                    format: format.trim_end_matches('\'').to_owned(),
                };
            }
            Error::NotARepository {
                path: path.to_owned(),
                source: e.into(),
            }
        })?;
        Self::from_repository(repo)
    }

    pub(crate) fn from_repository(repo: Repository) -> Result<Self> {
        let workdir = repo
            .workdir()
            .ok_or_else(|| Error::BareRepository(repo.path().to_owned()))?;
        let workdir = workdir
            .canonicalize()
            .map_err(Error::io("cannot resolve", workdir))?;
        Ok(Self { repo, workdir })
    }

    /// Returns the git2 repository, for the other modules of this crate.
    pub(crate) fn raw(&self) -> &Repository {
        &self.repo
    }

    /// Returns the root of the working tree, canonical.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// Returns the git directory (`.git`, or the worktree's own folder).
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    /// Returns the folder holding refs and objects: the git directory, or for a linked
    /// worktree the main repository's.
    pub fn common_dir(&self) -> &Path {
        self.repo.commondir()
    }

    /// Returns the files under `rel_dir` (relative to the working tree) that differ from
    /// HEAD: new, modified or deleted, staged or not. Paths are relative to the working tree.
    pub fn uncommitted(&self, rel_dir: &Path) -> Result<Vec<String>> {
        let mut options = git2::StatusOptions::new();
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false)
            .exclude_submodules(true);
        let spec = rel_dir.to_string_lossy().replace('\\', "/");
        if !spec.is_empty() && spec != "." {
            options.pathspec(spec);
        }
        let statuses = self
            .repo
            .statuses(Some(&mut options))
            .map_err(Error::git("cannot read the status of"))?;
        let mut paths: Vec<String> = statuses
            .iter()
            .filter(|s| !s.status().is_ignored())
            .filter_map(|s| s.path().ok().map(str::to_owned))
            .collect();
        paths.sort();
        Ok(paths)
    }

    /// Returns the author identity: `overrides` first (as git's `GIT_AUTHOR_NAME` and
    /// `GIT_AUTHOR_EMAIL` would), then user.name and user.email; git's kind of error when
    /// either is missing.
    pub fn author(&self, overrides: &IdentityOverrides) -> Result<Identity> {
        self.identity(
            overrides.author_name.as_deref(),
            overrides.author_email.as_deref(),
        )
    }

    /// Returns the committer identity, as [`GitRepo::author`] does for the author.
    pub fn committer(&self, overrides: &IdentityOverrides) -> Result<Identity> {
        self.identity(
            overrides.committer_name.as_deref(),
            overrides.committer_email.as_deref(),
        )
    }

    fn identity(&self, name: Option<&str>, email: Option<&str>) -> Result<Identity> {
        let config = self
            .repo
            .config()
            .map_err(Error::git("cannot read the git configuration"))?;
        let value = |given: Option<&str>, key: &str| {
            given
                .map(str::to_owned)
                .or_else(|| config.get_string(key).ok())
                .filter(|v| !v.trim().is_empty())
        };
        match (value(name, "user.name"), value(email, "user.email")) {
            (Some(name), Some(email)) => Ok(Identity { name, email }),
            _ => Err(Error::NoIdentity),
        }
    }

    /// Returns the full SHA of HEAD, or `None` on an unborn branch.
    pub fn head(&self) -> Result<Option<String>> {
        match self.repo.head() {
            Ok(head) => Ok(head.target().map(|oid| oid.to_string())),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(e) => Err(Error::git("cannot read HEAD")(e)),
        }
    }

    /// Resolves any revision git understands (`HEAD~2`, a short SHA, a branch, a tag) to the
    /// full SHA of the commit it names. `describe` names the repository in errors.
    pub fn resolve_commit(&self, rev: &str, describe: &str) -> Result<String> {
        let unknown = |e: git2::Error| Error::UnknownRevision {
            rev: rev.to_owned(),
            repo: describe.to_owned(),
            source: e.into(),
        };
        let object = self.repo.revparse_single(rev).map_err(unknown)?;
        let commit = object.peel_to_commit().map_err(unknown)?;
        Ok(commit.id().to_string())
    }

    /// Resolves `rev` as evidence: the journal's own commits (`journal: …`) are never
    /// evidence. `HEAD` (the newest work, under the journal's commits since) that lands on
    /// one is followed down first parents to the newest commit that is not the journal's,
    /// with a note saying which commit was cited instead; any other revision that names one
    /// is refused, naming that nearest commit.
    pub fn resolve_evidence_commit(
        &self,
        rev: &str,
        describe: &str,
    ) -> Result<(String, Option<String>)> {
        let sha = self.resolve_commit(rev, describe)?;
        let read = Error::git("cannot read a commit");
        let mut commit = self
            .repo
            .find_commit(Oid::from_str(&sha).map_err(Error::git("cannot read a commit"))?)
            .map_err(read)?;
        let first = commit.clone();
        let is_journal = |c: &git2::Commit<'_>| c.message_bytes().starts_with(b"journal: ");
        while is_journal(&commit) {
            commit = commit.parent(0).map_err(|_| Error::OnlyJournalCommits {
                rev: rev.to_owned(),
                repo: describe.to_owned(),
            })?;
        }
        if commit.id() == first.id() {
            return Ok((sha, None));
        }
        let short = |c: &git2::Commit<'_>| {
            let id = c.id().to_string();
            format!(
                "{} ({})",
                &id[..10],
                String::from_utf8_lossy(c.summary_bytes().unwrap_or_default())
            )
        };
        if !matches!(rev, "HEAD" | "@") {
            return Err(Error::JournalCommitCited {
                rev: rev.to_owned(),
                repo: describe.to_owned(),
                commit: short(&first),
                nearest_summary: short(&commit),
            });
        }
        let note = format!(
            "`{rev}` is the journal's own commit {}: citing {} instead",
            short(&first),
            short(&commit)
        );
        Ok((commit.id().to_string(), Some(note)))
    }

    /// Returns whether the commit `sha` (a full id) exists in this repository.
    pub fn has_commit(&self, sha: &str) -> bool {
        Oid::from_str(sha).is_ok_and(|oid| self.repo.find_commit(oid).is_ok())
    }

    /// Returns whether `rel_path` (relative to the working tree) is in HEAD's tree.
    pub fn is_committed(&self, rel_path: &Path) -> Result<bool> {
        let Some(head) = self.head_commit()? else {
            return Ok(false);
        };
        let tree = head.tree().map_err(Error::git("cannot read HEAD's tree"))?;
        Ok(tree.get_path(rel_path).is_ok())
    }

    pub(crate) fn head_commit(&self) -> Result<Option<git2::Commit<'_>>> {
        match self.repo.head() {
            Ok(head) => Ok(Some(
                head.peel_to_commit()
                    .map_err(Error::git("cannot read HEAD"))?,
            )),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(e) => Err(Error::git("cannot read HEAD")(e)),
        }
    }

    /// Returns HEAD's tree, or `None` on an unborn branch.
    pub(crate) fn head_tree(&self) -> Result<Option<git2::Tree<'_>>> {
        self.head_commit()?
            .map(|c| c.tree().map_err(Error::git("cannot read HEAD's tree")))
            .transpose()
    }

    /// Returns the blob HEAD has at `rel_path`, if any.
    pub(crate) fn blob_at_head(&self, rel_path: &Path) -> Result<Option<Oid>> {
        Ok(self.head_tree()?.and_then(|tree| {
            tree.get_path(rel_path)
                .ok()
                .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
                .map(|e| e.id())
        }))
    }

    /// Returns the blob git's index has at `rel_path` (stage 0), if any.
    pub(crate) fn blob_in_index(&self, rel_path: &Path) -> Result<Option<Oid>> {
        let index = self
            .repo
            .index()
            .map_err(Error::git("cannot read git's index"))?;
        Ok(index.get_path(rel_path, 0).map(|e| e.id))
    }

    /// Returns the branch HEAD points to (`refs/heads/…`), or `None` when HEAD is detached.
    pub(crate) fn head_branch(&self) -> Result<Option<String>> {
        let head = self
            .repo
            .find_reference("HEAD")
            .map_err(Error::git("cannot read HEAD"))?;
        Ok(head
            .symbolic_target_bytes()
            .map(|t| String::from_utf8_lossy(t).into_owned()))
    }

    /// Returns whether the repository is a shallow clone (part of its history is missing).
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use journal_testutils::TestRepo;

    use super::GitRepo;
    use crate::Error;

    /// This crate's handle on the test repository (TestRepo's own is journal-store's
    /// non-test build, another type).
    fn git(repo: &TestRepo) -> GitRepo {
        GitRepo::discover(&repo.root).unwrap()
    }

    #[test]
    fn a_folder_outside_any_repository_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        match GitRepo::discover(dir.path()) {
            Err(Error::NotARepository { .. }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn head_is_none_before_the_first_commit_then_the_commit() {
        let repo = TestRepo::new();
        assert_eq!(git(&repo).head().unwrap(), None);
        let sha = repo.commit("first", &[("a.txt", "a\n")]);
        assert_eq!(git(&repo).head().unwrap().as_deref(), Some(sha.as_str()));
        assert!(git(&repo).has_commit(&sha));
        assert!(!git(&repo).has_commit(&"0".repeat(40)));
    }

    #[test]
    fn revisions_resolve_to_full_shas_and_an_unknown_one_says_which() {
        let repo = TestRepo::new();
        let first = repo.commit("first", &[("a.txt", "a\n")]);
        let second = repo.commit("second", &[("a.txt", "b\n")]);
        let git = git(&repo);
        assert_eq!(git.resolve_commit("HEAD", "x").unwrap(), second);
        assert_eq!(git.resolve_commit("HEAD~1", "x").unwrap(), first);
        assert_eq!(git.resolve_commit(&first[..8], "x").unwrap(), first);
        match git.resolve_commit("no-such-branch", "--commit") {
            Err(Error::UnknownRevision { .. }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn uncommitted_lists_new_and_changed_files_of_the_folder_only() {
        let repo = TestRepo::new();
        repo.commit("first", &[("journal/a.md", "a\n"), ("other.txt", "o\n")]);
        assert!(
            git(&repo)
                .uncommitted(Path::new("journal"))
                .unwrap()
                .is_empty()
        );
        repo.write("journal/a.md", "changed\n");
        repo.write("journal/b.md", "new\n");
        repo.write("other.txt", "changed too\n");
        let mut listed = git(&repo).uncommitted(Path::new("journal")).unwrap();
        listed.sort();
        assert_eq!(listed, ["journal/a.md", "journal/b.md"]);
        assert!(git(&repo).is_committed(Path::new("journal/a.md")).unwrap());
        assert!(!git(&repo).is_committed(Path::new("journal/b.md")).unwrap());
    }
}
