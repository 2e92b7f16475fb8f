//! `GitRepo`: the journal's view of a git repository, the only place git2 is called.

use std::path::{Path, PathBuf};

use git2::{ErrorCode, IndexEntry, IndexTime, ObjectType, Oid, Repository, Signature, Tree};

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

/// How many times a commit is retried when another process moves the branch meanwhile.
const COMMIT_ATTEMPTS: usize = 5;

/// How long a locked index (another git command at work) is waited for.
const INDEX_LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);

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
        let repo = Repository::discover(path).map_err(|e| Error::NotARepository {
            path: path.to_owned(),
            source: e.into(),
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
    /// evidence, so a revision that lands on one is followed down first parents to the
    /// newest commit that is not the journal's. Returns that commit and, when it moved, a
    /// note saying which commit was cited instead.
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

    fn head_commit(&self) -> Result<Option<git2::Commit<'_>>> {
        match self.repo.head() {
            Ok(head) => Ok(Some(
                head.peel_to_commit()
                    .map_err(Error::git("cannot read HEAD"))?,
            )),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(e) => Err(Error::git("cannot read HEAD")(e)),
        }
    }

    /// Commits the file at `rel_path` (relative to the working tree), whose content on disk is
    /// `bytes`, and nothing else: the new tree is HEAD's tree with that one path replaced, and
    /// the user's index gets that one path updated, so whatever else was staged or modified
    /// stays exactly as it was. Works on an unborn branch and on a detached HEAD. Returns the
    /// commit's SHA.
    ///
    /// Storing `bytes` as they are (no attribute lookup, no filters, no second read) keeps the
    /// cost independent of the repository's size.
    pub fn commit_file(
        &self,
        rel_path: &Path,
        bytes: &[u8],
        message: &str,
        overrides: &IdentityOverrides,
    ) -> Result<String> {
        self.commit_changes(&[(rel_path, Some(bytes))], message, overrides)
    }

    /// Commits several files at once, as [`Self::commit_file`] commits one.
    pub fn commit_files(
        &self,
        files: &[(&Path, &[u8])],
        message: &str,
        overrides: &IdentityOverrides,
    ) -> Result<String> {
        let changes: Vec<(&Path, Option<&[u8]>)> = files
            .iter()
            .map(|(path, bytes)| (*path, Some(*bytes)))
            .collect();
        self.commit_changes(&changes, message, overrides)
    }

    /// Commits the removal of `rel_path` (relative to the working tree) and nothing else, as
    /// [`Self::commit_file`] commits a change: the new tree is HEAD's without that path, and
    /// the user's index loses that one path. The file itself is the caller's to delete.
    pub fn commit_removal(
        &self,
        rel_path: &Path,
        message: &str,
        overrides: &IdentityOverrides,
    ) -> Result<String> {
        self.commit_changes(&[(rel_path, None)], message, overrides)
    }

    /// Commits `changes` (a path and its new bytes, or `None` to remove it) and nothing else,
    /// then brings the user's index in line at those paths only.
    fn commit_changes(
        &self,
        changes: &[(&Path, Option<&[u8]>)],
        message: &str,
        overrides: &IdentityOverrides,
    ) -> Result<String> {
        let sign = |who: Identity| {
            Signature::now(&who.name, &who.email).map_err(Error::git("invalid git identity"))
        };
        let author = sign(self.author(overrides)?)?;
        let committer = sign(self.committer(overrides)?)?;
        let mut edits = Vec::with_capacity(changes.len());
        for (rel_path, bytes) in changes {
            let blob = bytes
                .map(|b| self.repo.blob(b))
                .transpose()
                .map_err(Error::git("cannot store the file"))?;
            edits.push((path_components(rel_path)?, blob));
        }
        let mut attempt = 0;
        let oid = loop {
            attempt += 1;
            match self.try_commit(&edits, (&author, &committer), message) {
                Err(e) if e.code() == ErrorCode::Modified && attempt < COMMIT_ATTEMPTS => {}
                other => break other.map_err(Error::git("cannot commit"))?,
            }
        };
        let commit = oid.to_string();
        for ((rel_path, bytes), (_, blob)) in changes.iter().zip(&edits) {
            let staged = match (bytes, blob) {
                (Some(bytes), Some(blob)) => self.stage(rel_path, *blob, bytes.len()),
                _ => self.unstage(rel_path),
            };
            staged.map_err(|source| Error::IndexNotUpdated {
                commit: commit.clone(),
                path: rel_path.to_path_buf(),
                source: Box::new(source),
            })?;
        }
        Ok(commit)
    }

    fn try_commit(
        &self,
        edits: &[(Vec<&str>, Option<Oid>)],
        (author, committer): (&Signature<'_>, &Signature<'_>),
        message: &str,
    ) -> std::result::Result<Oid, git2::Error> {
        let parent = match self.repo.head() {
            Ok(head) => Some(head.peel_to_commit()?),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => None,
            Err(e) => return Err(e),
        };
        let mut tree = parent.as_ref().map(git2::Commit::tree).transpose()?;
        for (components, blob) in edits {
            let id = self.upsert(tree.as_ref(), components, *blob)?;
            tree = Some(self.repo.find_tree(id)?);
        }
        let tree = match tree {
            Some(tree) => tree,
            None => self.repo.find_tree(self.repo.treebuilder(None)?.write()?)?,
        };
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        // Updating "HEAD" follows a symbolic HEAD to its branch (created if unborn) and moves a
        // detached HEAD itself; libgit2 refuses with `Modified` if it moved since we read it.
        self.repo
            .commit(Some("HEAD"), author, committer, message, &tree, &parents)
    }

    /// Returns the id of `base` with `components` set to `blob` (removed with `None`, along
    /// with folders left empty), writing only the trees on the path: cheap however many
    /// entries the journal holds.
    fn upsert(
        &self,
        base: Option<&Tree<'_>>,
        components: &[&str],
        blob: Option<Oid>,
    ) -> std::result::Result<Oid, git2::Error> {
        let mut builder = self.repo.treebuilder(base)?;
        match components {
            [] => return Err(git2::Error::from_str("empty path")),
            [name] => match blob {
                Some(blob) => {
                    builder.insert(name, blob, 0o100_644)?;
                }
                None => {
                    if builder.get(name)?.is_some() {
                        builder.remove(name)?;
                    }
                }
            },
            [name, rest @ ..] => {
                let subtree = match base.and_then(|t| t.get_name(name)) {
                    Some(e) if e.kind() == Some(ObjectType::Tree) => {
                        Some(self.repo.find_tree(e.id())?)
                    }
                    _ => None,
                };
                if blob.is_none() && subtree.is_none() {
                    return builder.write();
                }
                let sub = self.upsert(subtree.as_ref(), rest, blob)?;
                if self.repo.find_tree(sub)?.is_empty() {
                    builder.remove(name)?;
                } else {
                    builder.insert(name, sub, 0o040_000)?;
                }
            }
        }
        builder.write()
    }

    /// Updates the one index entry of `rel_path` to the file on disk. A git command running at
    /// the same moment holds `index.lock` briefly, so a locked index is retried for a while.
    fn stage(&self, rel_path: &Path, blob: Oid, size: usize) -> Result<()> {
        let entry = self.index_entry(rel_path, blob, size)?;
        let mut delay = std::time::Duration::from_millis(5);
        let mut waited = std::time::Duration::ZERO;
        loop {
            let result = (|| {
                let mut index = self.repo.index()?;
                index.read(false)?;
                index.add(&entry)?;
                index.write()
            })();
            match result {
                Err(e) if e.code() == ErrorCode::Locked && waited < INDEX_LOCK_PATIENCE => {
                    std::thread::sleep(delay);
                    waited += delay;
                    delay = (delay * 2).min(std::time::Duration::from_millis(200));
                }
                other => return other.map_err(Error::git("cannot update the index")),
            }
        }
    }
}

impl GitRepo {
    /// Removes `rel_path` from the user's index (a removal just committed).
    fn unstage(&self, rel_path: &Path) -> Result<()> {
        (|| {
            let mut index = self.repo.index()?;
            index.read(false)?;
            index.remove_path(rel_path)?;
            index.write()
        })()
        .map_err(Error::git("cannot update the index"))
    }

    /// Returns the index entry git itself would write for the file: its blob and its stat
    /// data, so that `git status` sees it as clean without reading it again.
    fn index_entry(&self, rel_path: &Path, blob: Oid, size: usize) -> Result<IndexEntry> {
        use std::os::unix::fs::MetadataExt as _;

        let abs = self.workdir.join(rel_path);
        let meta = std::fs::symlink_metadata(&abs).map_err(Error::io("cannot read", &abs))?;
        let path: Vec<u8> = path_components(rel_path)?.join("/").into_bytes();
        // The index stores 32-bit fields; git truncates the same way.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(IndexEntry {
            ctime: IndexTime::new(meta.ctime() as i32, meta.ctime_nsec() as u32),
            mtime: IndexTime::new(meta.mtime() as i32, meta.mtime_nsec() as u32),
            dev: meta.dev() as u32,
            ino: meta.ino() as u32,
            mode: 0o100_644,
            uid: meta.uid(),
            gid: meta.gid(),
            file_size: size as u32,
            id: blob,
            flags: path.len().min(0xfff) as u16,
            flags_extended: 0,
            path,
        })
    }
}

fn path_components(rel_path: &Path) -> Result<Vec<&str>> {
    rel_path
        .components()
        .map(|c| match c {
            std::path::Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .filter(|c| !c.is_empty())
        .ok_or_else(|| Error::UnstorablePath(rel_path.to_owned()))
}
