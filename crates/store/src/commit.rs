//! Commits of the journal's own files, made while the journal holds git's `index.lock`.
//!
//! As `git commit` does, the index stays locked from before the commit until git's index
//! holds the committed files: no other git command can read an index that lacks them and
//! write it back (which would record their deletion in the next commit). The new tree is
//! HEAD's tree with the journal's paths replaced (only the trees on those paths are
//! rewritten); git's index gets exactly those paths updated, through a copy written beside
//! it and renamed into place, so whatever else the user staged or modified stays as it was.

use std::path::Path;

use git2::{ErrorCode, Index, IndexEntry, IndexTime, ObjectType, Oid, Signature, Tree};

use crate::error::{Error, Result};
use crate::faults;
use crate::repo::{GitRepo, Identity, IdentityOverrides};

/// How many times a commit is retried when another process moves the branch meanwhile.
const COMMIT_ATTEMPTS: usize = 5;

/// The copy of git's index the journal writes, then renames onto `index`.
pub(crate) const INDEX_COPY: &str = "journal-index.tmp";

/// What a commit did.
#[derive(Debug)]
pub(crate) struct Committed {
    /// The new commit.
    pub sha: String,
    /// Why git's index could not be brought in line, when it could not (the commit stands).
    pub index_error: Option<Error>,
}

/// One path of a commit: its new bytes (as written on disk), or `None` for a removal.
pub(crate) type Change<'a> = (&'a Path, Option<&'a [u8]>);

impl GitRepo {
    /// Commits `changes` and nothing else, then brings git's index in line at those paths.
    /// The caller holds `index.lock` (see [`crate::txn`]); the index is written through
    /// [`INDEX_COPY`]. Works on an unborn branch and on a detached HEAD.
    ///
    /// Storing the bytes as they are (no attribute lookup, no filters, no second read) keeps
    /// the cost independent of the repository's size.
    pub(crate) fn commit_changes(
        &self,
        changes: &[Change<'_>],
        message: &str,
        overrides: &IdentityOverrides,
    ) -> Result<Committed> {
        let sign = |who: Identity| {
            Signature::now(&who.name, &who.email).map_err(Error::git("invalid git identity"))
        };
        let author = sign(self.author(overrides)?)?;
        let committer = sign(self.committer(overrides)?)?;
        let mut edits = Vec::with_capacity(changes.len());
        for (rel_path, bytes) in changes {
            let blob = bytes
                .map(|b| self.raw().blob(b))
                .transpose()
                .map_err(Error::git("cannot store the file"))?;
            edits.push((path_components(rel_path)?, blob));
        }
        faults::point("blobs-written");
        let mut attempt = 0;
        let oid = loop {
            attempt += 1;
            match self.try_commit(&edits, (&author, &committer), message) {
                Err(e) if e.code() == ErrorCode::Modified && attempt < COMMIT_ATTEMPTS => {}
                Err(e) if e.code() == ErrorCode::Locked => return Err(self.ref_locked(e)),
                other => break other.map_err(Error::git("cannot commit"))?,
            }
        };
        faults::point("branch-moved");
        let sha = oid.to_string();
        let staged: Vec<(&Path, Option<Oid>, usize)> = changes
            .iter()
            .zip(&edits)
            .map(|((path, bytes), (_, blob))| (*path, *blob, bytes.map_or(0, <[u8]>::len)))
            .collect();
        let index_error =
            self.write_index_copy(&staged)
                .err()
                .map(|source| Error::IndexNotUpdated {
                    commit: sha.clone(),
                    path: staged[0].0.to_path_buf(),
                    source: Box::new(source),
                });
        Ok(Committed { sha, index_error })
    }

    /// The error for a ref lock another git process took after the journal checked: the
    /// lock that exists, and who holds it.
    fn ref_locked(&self, e: git2::Error) -> Error {
        let branch = self.head_branch().ok().flatten();
        crate::locks::commit_locks(self.git_dir(), self.common_dir(), branch.as_deref())
            .into_iter()
            .skip(1) // index.lock is the journal's own here
            .find(|lock| lock.exists())
            .map_or_else(
                || Error::git("cannot commit")(e),
                |path| Error::GitLocked {
                    holder: crate::locks::describe_holders(&path),
                    path,
                },
            )
    }

    fn try_commit(
        &self,
        edits: &[(Vec<&str>, Option<Oid>)],
        (author, committer): (&Signature<'_>, &Signature<'_>),
        message: &str,
    ) -> std::result::Result<Oid, git2::Error> {
        let repo = self.raw();
        let parent = match repo.head() {
            Ok(head) => Some(head.peel_to_commit()?),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => None,
            Err(e) => return Err(e),
        };
        let mut tree = parent.as_ref().map(git2::Commit::tree).transpose()?;
        for (components, blob) in edits {
            let id = self.upsert(tree.as_ref(), components, *blob)?;
            tree = Some(repo.find_tree(id)?);
        }
        let tree = match tree {
            Some(tree) => tree,
            None => repo.find_tree(repo.treebuilder(None)?.write()?)?,
        };
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        // Updating "HEAD" follows a symbolic HEAD to its branch (created if unborn) and moves a
        // detached HEAD itself; libgit2 refuses with `Modified` if it moved since we read it.
        repo.commit(Some("HEAD"), author, committer, message, &tree, &parents)
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
        let repo = self.raw();
        let mut builder = repo.treebuilder(base)?;
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
                    Some(e) if e.kind() == Some(ObjectType::Tree) => Some(repo.find_tree(e.id())?),
                    _ => None,
                };
                if blob.is_none() && subtree.is_none() {
                    return builder.write();
                }
                let sub = self.upsert(subtree.as_ref(), rest, blob)?;
                if repo.find_tree(sub)?.is_empty() {
                    builder.remove(name)?;
                } else {
                    builder.insert(name, sub, 0o040_000)?;
                }
            }
        }
        builder.write()
    }

    /// Writes git's index with `paths` set to their blobs (or removed), while the caller
    /// holds `index.lock`: the index is linked to [`INDEX_COPY`], libgit2 rewrites the copy,
    /// and the copy is renamed onto `index` (atomic: readers see the old index or the new).
    fn write_index_copy(&self, paths: &[(&Path, Option<Oid>, usize)]) -> Result<()> {
        let index_path = self.git_dir().join("index");
        let copy = self.git_dir().join(INDEX_COPY);
        let _ = std::fs::remove_file(&copy);
        match std::fs::hard_link(&index_path, &copy) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {} // no index yet
            Err(_) => {
                // A file system without hard links: a copy costs one read more.
                if index_path.exists() {
                    std::fs::copy(&index_path, &copy).map_err(Error::io("cannot copy", &copy))?;
                }
            }
        }
        let result = (|| {
            let mut index = Index::open(&copy).map_err(Error::git("cannot read git's index"))?;
            for (rel_path, blob, size) in paths {
                match blob {
                    Some(blob) => index.add(&self.index_entry(rel_path, *blob, *size, true)?),
                    None => index.remove_path(rel_path),
                }
                .map_err(Error::git("cannot update git's index"))?;
            }
            index
                .write()
                .map_err(Error::git("cannot write git's index"))?;
            faults::point("index-copy-written");
            std::fs::rename(&copy, &index_path).map_err(Error::io("cannot replace", &index_path))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&copy);
        }
        result
    }

    /// Sets the index entry of `rel_path` to `blob` through git's ordinary locking (used by
    /// the repair of a write killed after its commit), or removes it with `None`.
    /// `on_disk` says whether the file on disk holds that blob (its stat data is then kept).
    pub(crate) fn stage_blob(
        &self,
        rel_path: &Path,
        blob: Option<Oid>,
        on_disk: bool,
    ) -> Result<()> {
        let size = match blob {
            Some(blob) => self
                .raw()
                .find_blob(blob)
                .map_err(Error::git("cannot read a blob"))?
                .size(),
            None => 0,
        };
        (|| -> Result<()> {
            let git = Error::git("cannot update git's index");
            let mut index = self
                .raw()
                .index()
                .map_err(Error::git("cannot read git's index"))?;
            index
                .read(false)
                .map_err(Error::git("cannot read git's index"))?;
            match blob {
                Some(blob) => index.add(&self.index_entry(rel_path, blob, size, on_disk)?),
                None => index.remove_path(rel_path),
            }
            .map_err(git)?;
            index
                .write()
                .map_err(Error::git("cannot write git's index"))
        })()
    }

    /// Returns the index entry git itself would write for the file: its blob and its stat
    /// data, so that `git status` sees it as clean without reading it again. When the file on
    /// disk is not known to hold that blob (`on_disk` false), the stat data is left empty so
    /// that git compares the content.
    fn index_entry(
        &self,
        rel_path: &Path,
        blob: Oid,
        size: usize,
        on_disk: bool,
    ) -> Result<IndexEntry> {
        use std::os::unix::fs::MetadataExt as _;

        let abs = self.workdir().join(rel_path);
        let path: Vec<u8> = path_components(rel_path)?.join("/").into_bytes();
        let meta = std::fs::symlink_metadata(&abs)
            .ok()
            .filter(|m| on_disk && m.is_file());
        let zero = IndexTime::new(0, 0);
        // The index stores 32-bit fields; git truncates the same way.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Ok(match meta {
            Some(meta) => IndexEntry {
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
            },
            None => IndexEntry {
                ctime: zero,
                mtime: zero,
                dev: 0,
                ino: 0,
                mode: 0o100_644,
                uid: 0,
                gid: 0,
                file_size: size as u32,
                id: blob,
                flags: path.len().min(0xfff) as u16,
                flags_extended: 0,
                path,
            },
        })
    }
}

/// Returns the components of a path relative to the working tree, refusing any that git
/// cannot store (absolute, `..`, not UTF-8).
pub(crate) fn path_components(rel_path: &Path) -> Result<Vec<&str>> {
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
