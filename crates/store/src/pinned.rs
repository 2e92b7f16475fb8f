//! Histories written with a pinned identity and pinned dates, so that every commit id is the
//! same on every machine: `journal demo` builds its infrastructure repository with them, and
//! the sample journal cites those ids.

use std::path::Path;

use chrono::{DateTime, FixedOffset};
use git2::{Repository, RepositoryInitOptions, Signature, Time};

use crate::error::{Error, Result};
use crate::fsutil;
use crate::repo::{GitRepo, Identity};

/// One commit of a pinned history.
#[derive(Debug, Clone, Copy)]
pub struct PinnedCommit<'a> {
    /// Author and committer date, with its offset.
    pub when: DateTime<FixedOffset>,
    /// The full message.
    pub message: &'a str,
    /// The files it writes, relative to the working tree, with their whole new content.
    pub files: &'a [(&'a str, &'a [u8])],
}

impl GitRepo {
    /// Creates a repository with a working tree at `path` (created if missing), whose HEAD is
    /// the unborn `branch`.
    pub fn init(path: &Path, branch: &str) -> Result<Self> {
        let mut options = RepositoryInitOptions::new();
        options.initial_head(branch).mkpath(true);
        let repo = Repository::init_opts(path, &options)
            .map_err(Error::git("cannot create the repository"))?;
        Self::from_repository(repo)
    }

    /// Writes `commit`'s files to the working tree and the index, and commits the index on
    /// HEAD as `identity` (author and committer) at `commit.when`. Returns the commit's SHA.
    pub fn commit_pinned(&self, identity: &Identity, commit: &PinnedCommit<'_>) -> Result<String> {
        let repo = self.raw();
        let mut index = repo.index().map_err(Error::git("cannot read the index"))?;
        for (rel, bytes) in commit.files {
            let path = self.workdir().join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(Error::io("cannot create", parent))?;
            }
            fsutil::write_atomic(&path, bytes)?;
            index
                .add_path(Path::new(rel))
                .map_err(Error::git("cannot stage a file"))?;
        }
        index
            .write()
            .map_err(Error::git("cannot write the index"))?;
        let tree_id = index
            .write_tree()
            .map_err(Error::git("cannot write the tree"))?;
        let tree = repo
            .find_tree(tree_id)
            .map_err(Error::git("cannot read the tree"))?;
        let time = Time::new(
            commit.when.timestamp(),
            commit.when.offset().local_minus_utc() / 60,
        );
        let signature = Signature::new(&identity.name, &identity.email, &time)
            .map_err(Error::git("invalid git identity"))?;
        let parent = match repo.head() {
            Ok(head) => Some(
                head.peel_to_commit()
                    .map_err(Error::git("cannot read HEAD"))?,
            ),
            Err(_) => None,
        };
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let oid = repo
            .commit(
                Some("HEAD"),
                &signature,
                &signature,
                commit.message,
                &tree,
                &parents,
            )
            .map_err(Error::git("cannot commit"))?;
        Ok(oid.to_string())
    }

    /// Sets `key` in the repository's own configuration (`.git/config`).
    pub fn set_config(&self, key: &str, value: &str) -> Result<()> {
        self.raw()
            .config()
            .and_then(|mut c| c.set_str(key, value))
            .map_err(Error::git("cannot write the git configuration"))
    }

    /// Adds the remote `name` with `url`, and records HEAD as its `branch`, as a push followed
    /// by a fetch would: the commits so far then count as published.
    pub fn add_published_remote(&self, name: &str, url: &str, branch: &str) -> Result<()> {
        let repo = self.raw();
        repo.remote(name, url)
            .map_err(Error::git("cannot add the remote"))?;
        let head = repo
            .head()
            .and_then(|h| h.peel_to_commit())
            .map_err(Error::git("cannot read HEAD"))?;
        repo.reference(
            &format!("refs/remotes/{name}/{branch}"),
            head.id(),
            true,
            "journal demo: published",
        )
        .map_err(Error::git("cannot write the remote-tracking branch"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pinned_history_has_the_same_ids_everywhere() -> Result<()> {
        let identity = Identity {
            name: "Ops".to_owned(),
            email: "ops@example.org".to_owned(),
        };
        let when = DateTime::parse_from_rfc3339("2026-10-05T09:12:00+02:00").expect("date");
        let commit = PinnedCommit {
            when,
            message: "flake: skeleton\n",
            files: &[("flake.nix", b"{ }\n")],
        };
        let mut ids = Vec::new();
        for _ in 0..2 {
            let dir = tempfile::tempdir().map_err(Error::io("tempdir", "/tmp"))?;
            let repo = GitRepo::init(&dir.path().join("infra"), "main")?;
            ids.push(repo.commit_pinned(&identity, &commit)?);
            repo.add_published_remote("origin", "https://github.com/ops/infra", "main")?;
            assert_eq!(repo.uncommitted(Path::new(""))?, Vec::<String>::new());
            assert!(repo.has_commit(&ids[ids.len() - 1]));
        }
        // What `git commit` makes of the same file, identity, date and message.
        assert_eq!(ids[0], "406d8efa77653fc28973ce1bd514fb044d2610f8");
        assert_eq!(ids[0], ids[1]);
        Ok(())
    }
}
