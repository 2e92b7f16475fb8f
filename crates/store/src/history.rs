//! Commits as evidence: walking a repository's history for the index.

use chrono::{DateTime, FixedOffset, Offset as _, Utc};
use git2::{Oid, Sort};

use crate::error::{Error, Result};
use crate::repo::GitRepo;

/// What the index records of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    /// Full SHA.
    pub sha: String,
    /// Author, `Name <email>`.
    pub author: String,
    /// Author date with its UTC offset.
    pub date: DateTime<FixedOffset>,
    /// First line of the message.
    pub subject: String,
    /// The rest of the message.
    pub body: String,
    /// Paths changed against the first parent (everything, for a root commit).
    pub paths: Vec<String>,
}

/// The commits new since a previous walk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitWalk {
    /// The tips walked from now ([`GitRepo::tips_key`]), `None` without commits.
    pub head: Option<String>,
    /// The commits reachable from the tips and not from the previous ones, newest first,
    /// without the journal's own `journal:` commits.
    pub commits: Vec<CommitInfo>,
    /// Whether a previous tip is no longer in the history (a rebase, a reset, a deleted
    /// branch): `commits` then holds the whole history, to replace what was recorded.
    pub rewritten: bool,
}

impl GitRepo {
    /// Returns the tips evidence is indexed from: HEAD, every local branch and every
    /// remote-tracking branch (symbolic refs such as `origin/HEAD` once), sorted, each once.
    pub fn evidence_tips(&self) -> Result<Vec<Oid>> {
        let repo = self.raw();
        let mut tips = Vec::new();
        if let Some(head) = self.head()?
            && let Ok(oid) = Oid::from_str(&head)
        {
            tips.push(oid);
        }
        let refs = repo
            .references()
            .map_err(Error::git("cannot list the references"))?;
        for reference in refs.flatten() {
            let name = reference.name().unwrap_or_default();
            if reference.kind() == Some(git2::ReferenceType::Symbolic)
                || !(name.starts_with("refs/heads/") || name.starts_with("refs/remotes/"))
            {
                continue;
            }
            if let Ok(commit) = reference.peel_to_commit() {
                tips.push(commit.id());
            }
        }
        tips.sort_unstable();
        tips.dedup();
        Ok(tips)
    }

    /// Returns the tips of [`GitRepo::evidence_tips`] as one text (`sha,sha,…`), what the
    /// index records to know when a repository's commits changed; `None` without commits.
    pub fn tips_key(&self) -> Result<Option<String>> {
        let tips = self.evidence_tips()?;
        Ok((!tips.is_empty()).then(|| {
            tips.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        }))
    }

    /// Returns the commits reachable from the evidence tips (HEAD, local branches and
    /// remote-tracking branches), each once, since `since` (a key returned by an earlier
    /// walk; `None` for the whole history).
    pub fn commits_since(&self, since: Option<&str>) -> Result<CommitWalk> {
        let tips = self.evidence_tips()?;
        let Some(key) = self.tips_key()? else {
            return Ok(CommitWalk {
                head: None,
                commits: Vec::new(),
                rewritten: since.is_some(),
            });
        };
        if since == Some(key.as_str()) {
            return Ok(CommitWalk {
                head: Some(key),
                commits: Vec::new(),
                rewritten: false,
            });
        }
        let repo = self.raw();
        let mut walk = repo
            .revwalk()
            .map_err(Error::git("cannot walk the history"))?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
            .map_err(Error::git("cannot walk the history"))?;
        for tip in &tips {
            walk.push(*tip)
                .map_err(Error::git("cannot walk the history"))?;
        }
        // Old tips still in the history are hidden (their commits are recorded); one that is
        // not (a rebase, a reset, a deleted branch) means the history was rewritten: walk it
        // all, to replace what was recorded.
        let old: Vec<Oid> = since
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| Oid::from_str(s).ok())
            .collect();
        let kept = |old: &Oid| {
            tips.iter()
                .any(|t| t == old || repo.graph_descendant_of(*t, *old).unwrap_or(false))
        };
        let rewritten = since.is_some() && !old.iter().all(kept);
        if !rewritten {
            for tip in &old {
                walk.hide(*tip)
                    .map_err(Error::git("cannot walk the history"))?;
            }
        }
        let head = key;
        let mut commits = Vec::new();
        for oid in walk {
            let oid = oid.map_err(Error::git("cannot walk the history"))?;
            let commit = repo
                .find_commit(oid)
                .map_err(Error::git("cannot read a commit"))?;
            let message = String::from_utf8_lossy(commit.message_raw_bytes()).into_owned();
            if message.starts_with("journal: ") {
                continue;
            }
            let (subject, body) = match message.split_once('\n') {
                Some((subject, body)) => (subject.trim().to_owned(), body.trim().to_owned()),
                None => (message.trim().to_owned(), String::new()),
            };
            let author = commit.author();
            let when = author.when();
            let offset = FixedOffset::east_opt(when.offset_minutes() * 60).unwrap_or(Utc.fix());
            // A date out of chrono's range (a corrupt commit) reads as the epoch.
            let date = DateTime::from_timestamp(when.seconds(), 0)
                .unwrap_or_default()
                .with_timezone(&offset);
            let tree = commit
                .tree()
                .map_err(Error::git("cannot read a commit's tree"))?;
            let parent_tree = match commit.parent(0) {
                Ok(parent) => Some(
                    parent
                        .tree()
                        .map_err(Error::git("cannot read a commit's tree"))?,
                ),
                Err(_) => None,
            };
            let diff = repo
                .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), None)
                .map_err(Error::git("cannot diff a commit"))?;
            let paths = diff
                .deltas()
                .filter_map(|d| d.new_file().path().or_else(|| d.old_file().path()))
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            commits.push(CommitInfo {
                sha: oid.to_string(),
                author: format!(
                    "{} <{}>",
                    String::from_utf8_lossy(author.name_bytes()),
                    String::from_utf8_lossy(author.email_bytes())
                ),
                date,
                subject,
                body,
                paths,
            });
        }
        Ok(CommitWalk {
            head: Some(head),
            commits,
            rewritten,
        })
    }
}
