//! Checking cited evidence against the repositories: does each commit exist, and is it
//! reachable from a remote-tracking branch (so that a link to it will not 404)?

use std::collections::{BTreeMap, HashMap, HashSet};

use git2::{BranchType, Oid};
use journal_entry::Evidence;

use crate::error::{Error, Result};
use crate::repo::GitRepo;
use crate::store::Store;

/// What the repository says of one cited commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitCheck {
    /// The commit exists in its repository.
    pub exists: bool,
    /// It is reachable from a remote-tracking branch of the remote the links are made from
    /// (`origin`, else the first by name: [`GitRepo::link_remote`]); a commit only on a
    /// fork would get a link that 404s.
    pub pushed: bool,
    /// Its subject line, when it exists.
    pub subject: Option<String>,
    /// Its committer time (seconds since the epoch), when it exists.
    pub time: Option<i64>,
}

/// What is known of one repository that evidence is cited from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoCheck {
    /// The URL of its `origin` remote, else of its first remote by name; `None` without one.
    pub remote_url: Option<String>,
    /// Whether it has a remote at all.
    pub has_remote: bool,
    /// Why the repository could not be opened, when it could not.
    pub unavailable: Option<String>,
}

/// The outcome of [`Store::verify_evidence`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceReport {
    /// Each cited commit.
    pub commits: rustc_hash::FxHashMap<Evidence, CommitCheck>,
    /// Each repository cited, keyed by `[repos]` name (`None`: the journal's own).
    pub repos: BTreeMap<Option<String>, RepoCheck>,
}

impl Store {
    /// Checks every commit in `cited` (repeats are checked once): one history walk per
    /// repository from its remote-tracking branches answers "pushed" for all of them at once. A `[repos.NAME]` that is missing is
    /// reported in [`RepoCheck::unavailable`] and its commits as not existing.
    pub fn verify_evidence<'a>(
        &self,
        cited: impl IntoIterator<Item = &'a Evidence>,
    ) -> Result<EvidenceReport> {
        let mut by_repo: BTreeMap<Option<String>, Vec<&Evidence>> = BTreeMap::new();
        let unique: rustc_hash::FxHashSet<&Evidence> = cited.into_iter().collect();
        for evidence in unique {
            by_repo
                .entry(evidence.repo.clone())
                .or_default()
                .push(evidence);
        }
        let mut report = EvidenceReport::default();
        for (label, list) in by_repo {
            let opened = match &label {
                None => Ok(None),
                Some(name) => match self.named_repo(name) {
                    Ok(Some(repo)) => Ok(Some(repo)),
                    Ok(None) => Err(format!("`{name}` is not a [repos] entry of journal.toml")),
                    Err(e) => Err(e.to_string()),
                },
            };
            let repo: &GitRepo;
            let owned;
            match opened {
                Ok(Some(r)) => {
                    owned = r;
                    repo = &owned;
                }
                Ok(None) => repo = self.repo(),
                Err(why) => {
                    for evidence in list {
                        report
                            .commits
                            .insert(evidence.clone(), CommitCheck::missing());
                    }
                    report.repos.insert(
                        label,
                        RepoCheck {
                            remote_url: None,
                            has_remote: false,
                            unavailable: Some(why),
                        },
                    );
                    continue;
                }
            }
            let shas: Vec<&str> = list.iter().map(|e| e.sha.as_str()).collect();
            let pushed = repo.pushed(&shas)?;
            // git looks for a missing object again after re-reading the pack folder (its
            // "refresh"): thousands of cited commits that are not there cost thousands of
            // folder scans. The folder is read once here, and each commit asked without.
            let odb = repo.raw().odb().ok();
            if let Some(odb) = &odb {
                let _ = odb.refresh();
            }
            for evidence in list {
                let absent = odb.as_ref().is_some_and(|odb| {
                    Oid::from_str(&evidence.sha)
                        .is_ok_and(|oid| !odb.exists_ext(oid, git2::OdbLookupFlags::NO_REFRESH))
                });
                // One lookup per commit that is there.
                let found = if absent {
                    None
                } else {
                    repo.subject_and_time(&evidence.sha)
                };
                report.commits.insert(
                    evidence.clone(),
                    CommitCheck {
                        exists: found.is_some(),
                        pushed: pushed.contains(evidence.sha.as_str()),
                        time: found.as_ref().map(|(_, time)| *time),
                        subject: found.map(|(subject, _)| subject),
                    },
                );
            }
            report.repos.insert(
                label,
                RepoCheck {
                    remote_url: repo.remote_url()?,
                    has_remote: repo.raw().remotes().is_ok_and(|r| !r.is_empty()),
                    unavailable: None,
                },
            );
        }
        Ok(report)
    }
}

impl CommitCheck {
    fn missing() -> Self {
        Self {
            exists: false,
            pushed: false,
            subject: None,
            time: None,
        }
    }
}

impl GitRepo {
    /// Returns the URL of the remote the links are made from ([`GitRepo::link_remote`]).
    pub fn remote_url(&self) -> Result<Option<String>> {
        let Some(name) = self.link_remote()? else {
            return Ok(None);
        };
        let remote = self
            .raw()
            .find_remote(&name)
            .map_err(Error::git("cannot read a remote"))?;
        Ok(remote.url().ok().map(str::to_owned))
    }

    /// Returns the name of the remote commit links are made from: `origin`, else the first
    /// remote by name; `None` without a remote.
    pub fn link_remote(&self) -> Result<Option<String>> {
        let names = self
            .raw()
            .remotes()
            .map_err(Error::git("cannot list the remotes"))?;
        let mut names: Vec<&str> = names.iter().flatten().flatten().collect();
        names.sort_unstable();
        Ok(names
            .iter()
            .find(|n| **n == "origin")
            .or_else(|| names.first())
            .map(|n| (*n).to_owned()))
    }

    /// Returns the subject line of commit `sha`, or `None` when there is no such commit.
    /// (Its committer time, seconds since the epoch.)
    pub fn commit_time(&self, sha: &str) -> Option<i64> {
        let oid = Oid::from_str(sha).ok()?;
        Some(self.raw().find_commit(oid).ok()?.time().seconds())
    }

    /// Returns the subject line and committer time of commit `sha`, when it exists.
    pub fn subject_and_time(&self, sha: &str) -> Option<(String, i64)> {
        let oid = Oid::from_str(sha).ok()?;
        let commit = self.raw().find_commit(oid).ok()?;
        let subject = commit
            .summary()
            .ok()
            .flatten()
            .unwrap_or_default()
            .to_owned();
        Some((subject, commit.time().seconds()))
    }

    /// Returns which of `shas` are reachable from a remote-tracking branch of the remote the
    /// links are made from ([`GitRepo::link_remote`]). The walk stops as soon as all of them
    /// were seen.
    pub fn pushed<'s>(&self, shas: &[&'s str]) -> Result<HashSet<&'s str>> {
        let Some(remote) = self.link_remote()? else {
            return Ok(HashSet::new());
        };
        let prefix = format!("{remote}/");
        let repo = self.raw();
        let mut wanted: HashMap<Oid, &'s str> = shas
            .iter()
            .filter_map(|s| Oid::from_str(s).ok().map(|oid| (oid, *s)))
            .collect();
        let mut found = HashSet::new();
        let mut walk = repo.revwalk().map_err(Error::git("cannot walk history"))?;
        let mut any = false;
        let branches = repo
            .branches(Some(BranchType::Remote))
            .map_err(Error::git("cannot list remote-tracking branches"))?;
        for branch in branches {
            let (branch, _) = branch.map_err(Error::git("cannot read a branch"))?;
            let theirs = branch
                .name()
                .ok()
                .flatten()
                .is_some_and(|name| name.starts_with(&prefix));
            // `origin/HEAD` is symbolic: it has no target of its own.
            if let Some(target) = branch.get().target().filter(|_| theirs) {
                walk.push(target)
                    .map_err(Error::git("cannot walk history"))?;
                any = true;
            }
        }
        if !any || wanted.is_empty() {
            return Ok(found);
        }
        for oid in walk {
            let oid = oid.map_err(Error::git("cannot walk history"))?;
            if let Some(sha) = wanted.remove(&oid) {
                found.insert(sha);
                if wanted.is_empty() {
                    break;
                }
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

    use super::*;
    use crate::store::StoreOptions;

    fn git(dir: &Path, args: &[&str]) -> String {
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "Ops")
            .env("GIT_AUTHOR_EMAIL", "ops@example.org")
            .env("GIT_COMMITTER_NAME", "Ops")
            .env("GIT_COMMITTER_EMAIL", "ops@example.org")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    #[test]
    fn tells_existing_pushed_and_unpushed_commits_apart() {
        let tmp = tempfile::tempdir().unwrap();
        let remote = tmp.path().join("remote.git");
        let work = tmp.path().join("work");
        std::fs::create_dir_all(&work).unwrap();
        git(
            tmp.path(),
            &["init", "-q", "--bare", remote.to_str().unwrap()],
        );
        git(&work, &["init", "-q", "-b", "main"]);
        git(
            &work,
            &["commit", "-q", "--allow-empty", "-m", "pushed one"],
        );
        let pushed = git(&work, &["rev-parse", "HEAD"]);
        git(
            &work,
            &["remote", "add", "origin", remote.to_str().unwrap()],
        );
        git(&work, &["push", "-q", "origin", "main"]);
        git(
            &work,
            &["commit", "-q", "--allow-empty", "-m", "local only"],
        );
        let local = git(&work, &["rev-parse", "HEAD"]);
        let missing = "0123456789abcdef0123456789abcdef01234567".to_owned();

        let store = Store::open(&work, StoreOptions::default()).unwrap();
        let cited = [
            Evidence::local(pushed.clone()),
            Evidence::local(local.clone()),
            Evidence::local(missing.clone()),
            Evidence {
                repo: Some("absent".to_owned()),
                sha: missing.clone(),
            },
        ];
        let report = store.verify_evidence(&cited).unwrap();
        let check = |e: &Evidence| report.commits[e].clone();
        let first = check(&cited[0]);
        assert_eq!(
            (first.exists, first.pushed, first.subject.as_deref()),
            (true, true, Some("pushed one"))
        );
        assert!(first.time.is_some_and(|t| t > 1_700_000_000));
        assert_eq!(
            (check(&cited[1]).exists, check(&cited[1]).pushed),
            (true, false)
        );
        assert!(!check(&cited[2]).exists);
        assert!(!check(&cited[3]).exists);
        assert_eq!(report.repos[&None].remote_url.as_deref(), remote.to_str());
        // A commit only on another remote (a fork) is not pushed where the links point.
        let fork = tmp.path().join("fork.git");
        git(
            tmp.path(),
            &["init", "-q", "--bare", fork.to_str().unwrap()],
        );
        git(&work, &["remote", "add", "fork", fork.to_str().unwrap()]);
        git(&work, &["push", "-q", "fork", "main"]);
        let store = Store::open(&work, StoreOptions::default()).unwrap();
        let forked = store.verify_evidence(&cited[..2]).unwrap();
        assert!(forked.commits[&cited[0]].pushed);
        assert!(!forked.commits[&cited[1]].pushed, "on the fork only");
        assert!(
            report.repos[&Some("absent".to_owned())]
                .unavailable
                .is_some()
        );
    }
}
