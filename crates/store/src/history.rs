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
    /// HEAD now, `None` on an unborn branch.
    pub head: Option<String>,
    /// The commits reachable from HEAD and not from the previous tip, newest first, without
    /// the journal's own `journal:` commits.
    pub commits: Vec<CommitInfo>,
    /// Whether the previous tip is no longer in HEAD's history (a rebase, a reset, another
    /// branch): `commits` then holds the whole history, to replace what was recorded.
    pub rewritten: bool,
}

impl GitRepo {
    /// Returns the commits of HEAD's history since `since` (a tip returned by an earlier walk;
    /// `None` for the whole history).
    pub fn commits_since(&self, since: Option<&str>) -> Result<CommitWalk> {
        let Some(head) = self.head()? else {
            return Ok(CommitWalk {
                head: None,
                commits: Vec::new(),
                rewritten: since.is_some(),
            });
        };
        let repo = self.raw();
        let head_oid = Oid::from_str(&head).map_err(Error::git("cannot read HEAD"))?;
        let mut walk = repo
            .revwalk()
            .map_err(Error::git("cannot walk the history"))?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
            .map_err(Error::git("cannot walk the history"))?;
        walk.push(head_oid)
            .map_err(Error::git("cannot walk the history"))?;
        let mut rewritten = false;
        if let Some(since) = since.and_then(|s| Oid::from_str(s).ok()) {
            if since == head_oid {
                return Ok(CommitWalk {
                    head: Some(head),
                    commits: Vec::new(),
                    rewritten: false,
                });
            }
            if repo.graph_descendant_of(head_oid, since).unwrap_or(false) {
                walk.hide(since)
                    .map_err(Error::git("cannot walk the history"))?;
            } else {
                rewritten = true;
            }
        }
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
