//! `sync`: pull (rebase) and push the journal's branch through the git command line.
//!
//! The git command rather than git2, for the remote side: it brings the user's credential
//! helpers, ssh configuration, hooks and transports, and leaves the repository exactly as a
//! `git pull --rebase && git push` typed by hand would. Entries are one file each, so two
//! operators adding at the same time never touch the same path; a real conflict (the same
//! entry changed on both sides) aborts the rebase, and the branch is back where it was.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::repo::GitRepo;
use crate::txn::Repair;

/// How a sync is done.
#[derive(Debug, Clone)]
pub struct RemoteSyncOptions {
    /// The remote; default: the branch's upstream remote, else `origin`, else the only one.
    pub remote: Option<String>,
    /// Pushes retried after losing a race to another push (fetch, rebase, push again).
    pub retries: usize,
    /// The entries folder, relative to the working tree: what arrived is reported for it.
    pub entries: PathBuf,
    /// The git user whose review ref (`refs/journal/reviews/<email>`) is pushed; the others'
    /// are fetched. `None`: review refs are left alone.
    pub reviewer: Option<String>,
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteSyncReport {
    /// The local branch.
    pub branch: String,
    /// The remote.
    pub remote: String,
    /// The branch on the remote.
    pub remote_branch: String,
    /// Commits that came from the remote.
    pub pulled: usize,
    /// Commits sent to the remote.
    pub pushed: usize,
    /// Files under the entries folder that the pulled commits added, changed or removed,
    /// relative to the working tree, with git's status letter (`A`, `M`, `D`, …).
    pub received: Vec<(char, String)>,
    /// Pushes that lost a race and were retried.
    pub retried: usize,
    /// Why the review refs could not be exchanged, when they could not (the entries were
    /// synced all the same).
    pub reviews_problem: Option<String>,
}

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The git command cannot be run.
    #[error("cannot run git: {0}")]
    NoGit(#[source] std::io::Error),
    /// HEAD is not on a branch.
    #[error("HEAD is detached: sync needs a branch")]
    Detached,
    /// No commit yet.
    #[error("the branch `{0}` has no commit yet: nothing to sync")]
    Unborn(String),
    /// No remote to sync with.
    #[error("the repository has no remote to sync with")]
    NoRemote,
    /// Several remotes, none of them `origin` or the branch's upstream.
    #[error("the repository has several remotes ({}) and none is the branch's upstream", .0.join(", "))]
    AmbiguousRemote(Vec<String>),
    /// A remote that is not configured.
    #[error("no remote named `{0}`")]
    UnknownRemote(String),
    /// Tracked files with changes that a rebase could not carry.
    #[error("uncommitted changes to tracked files: {}", .0.join(", "))]
    Dirty(Vec<String>),
    /// A rebase, merge or cherry-pick left unfinished.
    #[error("a {0} is in progress in this repository")]
    InProgress(&'static str),
    /// The same files were changed on both sides; the rebase was aborted.
    #[error("the same files were changed here and on {upstream}: {}", files.join(", "))]
    Conflict {
        /// `remote/branch`.
        upstream: String,
        /// The files in conflict, relative to the working tree.
        files: Vec<String>,
        /// HEAD, as it was before the sync and is again.
        head: String,
    },
    /// Every push lost a race with another push.
    #[error("the push to {upstream} lost to another push {attempts} times in a row")]
    Raced {
        /// `remote/branch`.
        upstream: String,
        /// Pushes tried.
        attempts: usize,
    },
    /// The journal's own lock or record could not be taken.
    #[error(transparent)]
    Journal(Box<crate::Error>),
    /// A git command failed for another reason (network, credentials, hooks).
    #[error("`git {command}` failed: {message}")]
    Command {
        /// The command, without `git`.
        command: String,
        /// What git printed on stderr (trimmed).
        message: String,
    },
}

type Result<T> = std::result::Result<T, SyncError>;

/// What a git command did.
struct Output {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// The git command line in one working tree.
struct Git<'a> {
    workdir: &'a Path,
}

impl Git<'_> {
    fn output(&self, args: &[&str]) -> Result<Output> {
        let out = Command::new("git")
            .arg("-C")
            .arg(self.workdir)
            .args(args)
            // Never stop for a prompt nobody can answer: a rebase needs no editor here, and
            // a credential prompt on a terminal-less run would hang.
            .env("GIT_EDITOR", "true")
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .map_err(SyncError::NoGit)?;
        Ok(Output {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }

    /// Runs a command that must succeed; returns its stdout.
    fn run(&self, args: &[&str]) -> Result<String> {
        let out = self.output(args)?;
        if out.ok {
            Ok(out.stdout)
        } else {
            Err(failed(args, &out))
        }
    }

    /// Returns the trimmed stdout, or `None` when the command fails (a missing ref, key).
    fn query(&self, args: &[&str]) -> Result<Option<String>> {
        let out = self.output(args)?;
        Ok(out.ok.then(|| out.stdout.trim().to_owned()))
    }

    fn count(&self, range: &str) -> Result<usize> {
        Ok(self
            .run(&["rev-list", "--count", range])?
            .trim()
            .parse()
            .unwrap_or(0))
    }
}

fn failed(args: &[&str], out: &Output) -> SyncError {
    let message = out.stderr.trim();
    SyncError::Command {
        command: args.join(" "),
        message: if message.is_empty() {
            out.stdout.trim().to_owned()
        } else {
            message.to_owned()
        },
    }
}

impl GitRepo {
    /// Fetches the branch's remote counterpart, rebases the branch onto it and pushes it,
    /// retrying a push that lost a race up to `options.retries` times. On a conflict the
    /// rebase is aborted: the branch, the index and the working tree are as they were.
    pub fn sync(&self, options: &RemoteSyncOptions) -> Result<RemoteSyncReport> {
        let git = Git {
            workdir: self.workdir(),
        };
        let branch = git
            .query(&["symbolic-ref", "--quiet", "--short", "HEAD"])?
            .ok_or(SyncError::Detached)?;
        let head = git
            .query(&["rev-parse", "--verify", "--quiet", "HEAD"])?
            .ok_or_else(|| SyncError::Unborn(branch.clone()))?;
        self.refuse_unfinished()?;
        let dirty = git.run(&["status", "--porcelain", "--untracked-files=no"])?;
        let dirty: Vec<String> = dirty
            .lines()
            .filter_map(|l| l.get(3..))
            .map(str::to_owned)
            .collect();
        if !dirty.is_empty() {
            return Err(SyncError::Dirty(dirty));
        }
        let (remote, remote_branch, _tracked, has_upstream) = upstream(&git, &branch, options)?;
        let tracking = format!("refs/remotes/{remote}/{remote_branch}");
        let upstream = format!("{remote}/{remote_branch}");

        let mut retried = 0;
        loop {
            git.run(&["fetch", "--quiet", &remote])?;
            crate::faults::point("sync-fetched");
            let theirs = git.query(&["rev-parse", "--verify", "--quiet", &tracking])?;
            if let Some(theirs) = &theirs {
                let rebase = git.output(&["rebase", "--quiet", "--no-autostash", theirs])?;
                if !rebase.ok {
                    crate::faults::point("sync-conflict");
                    return Err(self.abort_rebase(&git, upstream, head, &rebase));
                }
                crate::faults::point("sync-rebased");
            }
            let now = git.run(&["rev-parse", "HEAD"])?.trim().to_owned();
            let pulled = match &theirs {
                Some(theirs) => git.count(&format!("{head}..{theirs}"))?,
                None => 0,
            };
            let pushed = match &theirs {
                Some(theirs) => git.count(&format!("{theirs}..{now}"))?,
                None => git.count(&now)?,
            };
            if pushed > 0 || !has_upstream {
                let target = format!("HEAD:refs/heads/{remote_branch}");
                let mut args = vec!["push", "--porcelain", "--quiet"];
                // Only a branch with no upstream at all gets one (the first sync); `--remote`
                // elsewhere never changes the branch's configuration.
                if !has_upstream {
                    args.push("--set-upstream");
                }
                args.extend([remote.as_str(), target.as_str()]);
                let push = git.output(&args)?;
                if !push.ok {
                    if lost_race(&push) && retried < options.retries {
                        retried += 1;
                        continue;
                    }
                    if lost_race(&push) {
                        return Err(SyncError::Raced {
                            upstream,
                            attempts: retried + 1,
                        });
                    }
                    return Err(failed(&args, &push));
                }
            }
            crate::faults::point("sync-pushed");
            let received = received(&git, &head, &now, &options.entries)?;
            let reviews_problem = match &options.reviewer {
                Some(email) => self.sync_reviews(&git, &remote, email).err(),
                None => None,
            };
            return Ok(RemoteSyncReport {
                branch,
                remote,
                remote_branch,
                pulled,
                pushed,
                received,
                retried,
                reviews_problem,
            });
        }
    }

    /// Exchanges the review refs: the others' are fetched (forced: each user moves only
    /// their own), then `email`'s own is pushed, when there is one.
    fn sync_reviews(
        &self,
        git: &Git<'_>,
        remote: &str,
        email: &str,
    ) -> std::result::Result<(), String> {
        use crate::reviews::{REVIEWS_REF_PREFIX, review_ref};
        let mine = review_ref(email);
        let all = format!("+{REVIEWS_REF_PREFIX}*:{REVIEWS_REF_PREFIX}*");
        let not_mine = format!("^{mine}");
        let say = |what: &str, out: &Output| format!("{what}: {}", out.stderr.trim());
        let fetch = git
            .output(&["fetch", "--quiet", remote, &all, &not_mine])
            .map_err(|e| e.to_string())?;
        if !fetch.ok {
            return Err(say("cannot fetch the review refs", &fetch));
        }
        if self.reviewed(email).ok().flatten().is_some() {
            let own = format!("+{mine}:{mine}");
            let push = git
                .output(&["push", "--quiet", remote, &own])
                .map_err(|e| e.to_string())?;
            if !push.ok {
                return Err(say("cannot push the review ref", &push));
            }
        }
        Ok(())
    }

    /// Refuses to start in the middle of another operation, which a sync would entangle.
    fn refuse_unfinished(&self) -> Result<()> {
        let dir = self.git_dir();
        for (path, what) in [
            ("rebase-merge", "rebase"),
            ("rebase-apply", "rebase"),
            ("MERGE_HEAD", "merge"),
            ("CHERRY_PICK_HEAD", "cherry-pick"),
            ("REVERT_HEAD", "revert"),
        ] {
            if dir.join(path).exists() {
                return Err(SyncError::InProgress(what));
            }
        }
        Ok(())
    }

    /// Names the conflicting files, aborts the rebase and checks that HEAD is back.
    fn abort_rebase(
        &self,
        git: &Git<'_>,
        upstream: String,
        head: String,
        rebase: &Output,
    ) -> SyncError {
        let files = git
            .query(&["diff", "--name-only", "--diff-filter=U"])
            .ok()
            .flatten()
            .unwrap_or_default();
        let files: Vec<String> = files.lines().map(str::to_owned).collect();
        let in_rebase = self.git_dir().join("rebase-merge").exists()
            || self.git_dir().join("rebase-apply").exists();
        if in_rebase && let Err(e) = git.run(&["rebase", "--abort"]) {
            return e;
        }
        if files.is_empty() {
            return failed(&["rebase"], rebase);
        }
        SyncError::Conflict {
            upstream,
            files,
            head,
        }
    }
}

/// Returns (remote, its branch, whether the branch already tracks it, whether the branch has
/// an upstream at all).
fn upstream(
    git: &Git<'_>,
    branch: &str,
    options: &RemoteSyncOptions,
) -> Result<(String, String, bool, bool)> {
    let remotes: Vec<String> = git.run(&["remote"])?.lines().map(str::to_owned).collect();
    let configured = git.query(&["config", &format!("branch.{branch}.remote")])?;
    let merge = git
        .query(&["config", &format!("branch.{branch}.merge")])?
        .and_then(|m| m.strip_prefix("refs/heads/").map(str::to_owned));
    let remote = match (&options.remote, &configured) {
        (Some(remote), _) => {
            if !remotes.contains(remote) {
                return Err(SyncError::UnknownRemote(remote.clone()));
            }
            remote.clone()
        }
        (None, Some(remote)) if remotes.contains(remote) => remote.clone(),
        _ if remotes.iter().any(|r| r == "origin") => "origin".to_owned(),
        _ if remotes.len() == 1 => remotes[0].clone(),
        _ if remotes.is_empty() => return Err(SyncError::NoRemote),
        _ => return Err(SyncError::AmbiguousRemote(remotes)),
    };
    let tracked = configured.as_deref() == Some(remote.as_str()) && merge.is_some();
    let has_upstream = configured.is_some() && merge.is_some();
    let remote_branch = match merge {
        Some(merge) if tracked => merge,
        _ => branch.to_owned(),
    };
    Ok((remote, remote_branch, tracked, has_upstream))
}

/// True when a push was refused because the remote branch moved since the fetch: the
/// remote is ahead (`[rejected]`), or another push took the ref lock meanwhile.
fn lost_race(push: &Output) -> bool {
    push.stdout.lines().any(|line| {
        line.starts_with('!')
            && (line.contains("[rejected]")
                || (line.contains("[remote rejected]")
                    && (line.contains("lock") || line.contains("failed to update ref"))))
    })
}

/// The entry files the pulled commits changed: HEAD before the sync against HEAD after it
/// (the local commits are on both sides, so only what came from the remote shows).
fn received(
    git: &Git<'_>,
    before: &str,
    after: &str,
    entries: &Path,
) -> Result<Vec<(char, String)>> {
    if before == after {
        return Ok(Vec::new());
    }
    let entries = entries.to_string_lossy();
    let mut args = vec!["diff", "--name-status", "--no-renames", before, after, "--"];
    if !entries.is_empty() {
        args.push(&entries);
    }
    let out = git.run(&args)?;
    Ok(out
        .lines()
        .filter_map(|line| {
            let (status, path) = line.split_once('\t')?;
            Some((status.chars().next()?, path.to_owned()))
        })
        .collect())
}

/// Aborts the rebase a sync of `branch` (at `head` before it) left when it was killed: the
/// branch goes back to `head`, as a sync that stops on a conflict leaves it. A rebase that is
/// not that sync's (another branch, another start) is reported, not touched.
pub(crate) fn recover_rebase(repo: &GitRepo, branch: &str, head: &str, by: &str) -> Option<Repair> {
    let dir = ["rebase-merge", "rebase-apply"]
        .into_iter()
        .map(|d| repo.git_dir().join(d))
        .find(|d| d.exists())?;
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .map(|t| t.trim().to_owned())
            .unwrap_or_default()
    };
    let ours = read("head-name") == branch && read("orig-head") == head;
    let git = Git {
        workdir: repo.workdir(),
    };
    if ours && git.run(&["rebase", "--abort"]).is_ok() {
        return Some(Repair {
            path: dir,
            what: format!(
                "a rebase left by {by}: aborted; {} is back at {}",
                branch.trim_start_matches("refs/heads/"),
                &head[..head.len().min(10)]
            ),
            fix: None,
        });
    }
    Some(Repair {
        path: dir,
        what: "a rebase is in progress (a journal sync was killed meanwhile): left as it is"
            .to_owned(),
        fix: Some("git rebase --abort".to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use journal_testutils::{TestRepo, git};

    use super::{RemoteSyncOptions, SyncError};
    use crate::repo::GitRepo;

    fn options() -> RemoteSyncOptions {
        RemoteSyncOptions {
            remote: None,
            retries: 3,
            entries: PathBuf::from("journal"),
            reviewer: None,
        }
    }

    /// A journal repository pushed to a bare `origin`, and a second clone of it.
    fn team() -> (TestRepo, tempfile::TempDir, PathBuf) {
        let mine = TestRepo::journal();
        let dir = tempfile::tempdir().unwrap();
        let bare = dir.path().join("origin.git");
        git(
            dir.path(),
            &["init", "-q", "--bare", "-b", "main", "origin.git"],
        );
        git(
            &mine.root,
            &["remote", "add", "origin", bare.to_str().unwrap()],
        );
        git(&mine.root, &["push", "-q", "-u", "origin", "main"]);
        let theirs = dir.path().join("theirs");
        git(
            dir.path(),
            &["clone", "-q", bare.to_str().unwrap(), "theirs"],
        );
        git(&theirs, &["config", "user.name", "Teammate"]);
        git(&theirs, &["config", "user.email", "mate@example.org"]);
        (mine, dir, theirs)
    }

    fn commit(dir: &Path, rel: &str, text: &str) {
        std::fs::create_dir_all(dir.join(rel).parent().unwrap()).unwrap();
        std::fs::write(dir.join(rel), text).unwrap();
        git(dir, &["add", rel]);
        git(dir, &["commit", "-q", "-m", rel]);
    }

    #[test]
    fn a_repository_without_a_remote_is_refused() {
        let repo = TestRepo::journal();
        let git = GitRepo::discover(&repo.root).unwrap();
        assert!(matches!(git.sync(&options()), Err(SyncError::NoRemote)));
    }

    #[test]
    fn sync_pulls_what_arrived_and_pushes_what_is_new_and_names_the_entry_files() {
        let (mine, _dir, theirs) = team();
        commit(&theirs, "journal/2026/10/theirs.md", "theirs\n");
        git(&theirs, &["push", "-q"]);
        commit(&mine.root, "journal/2026/10/mine.md", "mine\n");
        commit(&mine.root, "notes.txt", "not an entry\n");
        let report = GitRepo::discover(&mine.root)
            .unwrap()
            .sync(&options())
            .unwrap();
        assert_eq!((report.pulled, report.pushed), (1, 2));
        assert_eq!(
            report.received,
            [('A', "journal/2026/10/theirs.md".to_owned())]
        );
        assert_eq!(report.remote, "origin");
        git(&theirs, &["pull", "-q", "--rebase"]);
        assert!(theirs.join("journal/2026/10/mine.md").is_file());
    }

    #[test]
    fn a_conflict_aborts_the_rebase_and_leaves_the_branch_as_it_was() {
        let (mine, _dir, theirs) = team();
        commit(&theirs, "journal/2026/10/same.md", "theirs\n");
        git(&theirs, &["push", "-q"]);
        commit(&mine.root, "journal/2026/10/same.md", "mine\n");
        let head = git(&mine.root, &["rev-parse", "HEAD"]);
        match GitRepo::discover(&mine.root).unwrap().sync(&options()) {
            Err(SyncError::Conflict {
                files, head: kept, ..
            }) => {
                assert_eq!(files, ["journal/2026/10/same.md"]);
                assert_eq!(kept, head);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(git(&mine.root, &["rev-parse", "HEAD"]), head);
        assert_eq!(git(&mine.root, &["status", "--porcelain"]), "");
        assert!(!mine.root.join(".git/rebase-merge").exists());
    }

    #[test]
    fn uncommitted_changes_are_refused_before_anything_is_fetched() {
        let (mine, _dir, _theirs) = team();
        commit(&mine.root, "journal/a.md", "a\n");
        std::fs::write(mine.root.join("journal/a.md"), "edited\n").unwrap();
        match GitRepo::discover(&mine.root).unwrap().sync(&options()) {
            Err(SyncError::Dirty(files)) => assert_eq!(files, ["journal/a.md"]),
            other => panic!("{other:?}"),
        }
    }
}
