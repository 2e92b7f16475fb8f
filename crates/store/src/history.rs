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

/// What a history walk covers ([`GitRepo::walk_plan`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WalkPlan {
    /// The tips now ([`GitRepo::tips_key`]), `None` without commits.
    pub key: Option<String>,
    /// Whether the history was rewritten: what was recorded is to be replaced.
    pub rewritten: bool,
    tips: Vec<Oid>,
    hide: Vec<Oid>,
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
        Ok(key_of(&self.evidence_tips()?))
    }

    /// Returns the commits reachable from the evidence tips (HEAD, local branches and
    /// remote-tracking branches), each once, since `since` (a key returned by an earlier
    /// walk; `None` for the whole history).
    pub fn commits_since(&self, since: Option<&str>) -> Result<CommitWalk> {
        let plan = self.walk_plan(since)?;
        let mut commits = Vec::new();
        self.walk_commits(&plan, &mut |c| {
            commits.push(c);
            Ok(())
        })?;
        Ok(CommitWalk {
            head: plan.key,
            commits,
            rewritten: plan.rewritten,
        })
    }

    /// Decides what a walk since `since` covers: the tips now, the old tips to hide, and
    /// whether the history was rewritten (an old tip no longer in it: walk everything).
    pub fn walk_plan(&self, since: Option<&str>) -> Result<WalkPlan> {
        // One listing of the references: this runs at every sync.
        let tips = self.evidence_tips()?;
        let key = key_of(&tips);
        let unchanged = key.is_some() && since == key.as_deref();
        let old: Vec<Oid> = since
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| Oid::from_str(s).ok())
            .collect();
        let repo = self.raw();
        let kept = |old: &Oid| {
            tips.iter()
                .any(|t| t == old || repo.graph_descendant_of(*t, *old).unwrap_or(false))
        };
        let rewritten = since.is_some() && !unchanged && !old.iter().all(kept);
        Ok(WalkPlan {
            tips: if unchanged { Vec::new() } else { tips },
            hide: if rewritten { Vec::new() } else { old },
            rewritten: rewritten || (key.is_none() && since.is_some()),
            key,
        })
    }

    /// Calls `each` with every commit of `plan`, newest first, without the journal's own,
    /// as they are read: the caller indexes them while git still lists the rest.
    pub fn walk_commits(
        &self,
        plan: &WalkPlan,
        each: &mut dyn FnMut(CommitInfo) -> Result<()>,
    ) -> Result<()> {
        if plan.tips.is_empty() {
            return Ok(());
        }
        // The git command lists commits with their changed paths about twice as fast as
        // libgit2 (its object reads and tree diffs); libgit2 walks when git is not there.
        match git_log(self.workdir(), &plan.tips, &plan.hide, each) {
            Some(result) => result,
            None => {
                for commit in self.walk_with_libgit2(&plan.tips, &plan.hide)? {
                    each(commit)?;
                }
                Ok(())
            }
        }
    }

    /// Returns the commits reachable from `tips` and not from `hide`, newest first, without
    /// the journal's own, with the paths each changed against its first parent.
    pub(crate) fn walk_with_libgit2(&self, tips: &[Oid], hide: &[Oid]) -> Result<Vec<CommitInfo>> {
        let repo = self.raw();
        let mut walk = repo
            .revwalk()
            .map_err(Error::git("cannot walk the history"))?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
            .map_err(Error::git("cannot walk the history"))?;
        for tip in tips {
            walk.push(*tip)
                .map_err(Error::git("cannot walk the history"))?;
        }
        for tip in hide {
            walk.hide(*tip)
                .map_err(Error::git("cannot walk the history"))?;
        }
        let mut commits = Vec::new();
        // A commit's tree is the next commit's parent tree: read each once.
        let mut trees = TreeCache::default();
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
            let mut paths = Vec::new();
            changed_paths(
                repo,
                &mut trees,
                parent_tree.as_ref().map(git2::Tree::id),
                Some(tree.id()),
                "",
                &mut paths,
            )?;
            paths.sort_unstable();
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
        Ok(commits)
    }
}

/// Returns tips as the one text the index records, `None` without any.
fn key_of(tips: &[Oid]) -> Option<String> {
    (!tips.is_empty()).then(|| {
        tips.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// Lists the commits reachable from `tips` and not from `hide` with the git command, newest
/// first, without the journal's own, each with the paths it changed against its first parent
/// (renames as a deletion and an addition), calling `each` as they come. `None` when git
/// cannot be started (nothing was listed then).
fn git_log(
    workdir: &std::path::Path,
    tips: &[Oid],
    hide: &[Oid],
    each: &mut dyn FnMut(CommitInfo) -> Result<()>,
) -> Option<Result<()>> {
    use std::io::{BufRead as _, Write as _};
    let mut revs: Vec<String> = tips.iter().map(ToString::to_string).collect();
    revs.extend(hide.iter().map(|h| format!("^{h}")));
    let mut child = std::process::Command::new("git")
        .arg("-C")
        .arg(workdir)
        .args([
            "--no-pager",
            "-c",
            "log.showSignature=false",
            "-c",
            "core.quotepath=false",
            // The user's configuration must not change what is listed.
            "-c",
            "log.showRoot=true",
            "-c",
            "diff.relative=false",
            "-c",
            "i18n.logOutputEncoding=UTF-8",
            "log",
            "--no-renames",
            "--diff-merges=first-parent",
            "--name-only",
            "-z",
            "--format=%x1e%H%x1f%an <%ae>%x1f%aI%x1f%B%x1f",
            "--stdin",
        ])
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let failed = |what: &str| Error::git_command(what);
    let result = (|| {
        let mut stdin = child.stdin.take().ok_or_else(|| failed("no stdin"))?;
        stdin
            .write_all(revs.join("\n").as_bytes())
            .map_err(|_| failed("cannot write the revisions"))?;
        drop(stdin);
        let stdout = child.stdout.take().ok_or_else(|| failed("no stdout"))?;
        for record in std::io::BufReader::new(stdout).split(0x1e) {
            let record = record.map_err(|_| failed("cannot read its output"))?;
            if record.is_empty() {
                continue;
            }
            let record = String::from_utf8_lossy(&record);
            if let Some(commit) = parse_record(&record) {
                each(commit)?;
            }
        }
        let status = child.wait().map_err(|_| failed("did not finish"))?;
        if status.success() {
            Ok(())
        } else {
            Err(failed("failed"))
        }
    })();
    let _ = child.wait();
    Some(result)
}

/// Reads one commit of [`git_log`]'s output; `None` for the journal's own.
fn parse_record(record: &str) -> Option<CommitInfo> {
    let mut fields = record.splitn(5, '\u{1f}');
    let (sha, author, date, message, rest) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next().unwrap_or_default(),
    );
    if message.starts_with("journal: ") {
        return None;
    }
    let (subject, body) = match message.split_once('\n') {
        Some((subject, body)) => (subject.trim().to_owned(), body.trim().to_owned()),
        None => (message.trim().to_owned(), String::new()),
    };
    let mut paths: Vec<String> = rest
        .split('\0')
        .map(|p| p.trim_start_matches('\n'))
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect();
    paths.sort_unstable();
    paths.dedup();
    Some(CommitInfo {
        sha: sha.to_owned(),
        author: author.to_owned(),
        // A date git cannot give (a corrupt commit) reads as the epoch.
        date: DateTime::parse_from_rfc3339(date).unwrap_or_default(),
        subject,
        body,
        paths,
    })
}

/// The entries of a tree: name, id, whether it is a tree.
type Entries = std::rc::Rc<Vec<(Vec<u8>, Oid, bool)>>;

/// Trees read recently, by id, so that a linear history reads each tree once.
#[derive(Default)]
struct TreeCache {
    trees: std::collections::HashMap<Oid, Entries>,
}

impl TreeCache {
    fn entries(&mut self, repo: &git2::Repository, id: Option<Oid>) -> Result<Entries> {
        let Some(id) = id else {
            return Ok(Entries::default());
        };
        if let Some(found) = self.trees.get(&id) {
            return Ok(found.clone());
        }
        let tree = repo
            .find_tree(id)
            .map_err(Error::git("cannot read a tree"))?;
        let entries: Entries = std::rc::Rc::new(
            tree.iter()
                .map(|e| {
                    let is_tree = e.kind() == Some(git2::ObjectType::Tree);
                    (e.name_bytes().to_vec(), e.id(), is_tree)
                })
                .collect(),
        );
        if self.trees.len() >= 4096 {
            self.trees.clear();
        }
        self.trees.insert(id, entries.clone());
        Ok(entries)
    }
}

/// Appends the paths that differ between two trees (either may be absent), skipping every
/// subtree whose id is the same on both sides, as git does: a commit's cost is the folders on
/// its changed paths, not the whole tree (libgit2's tree diff walked every entry of both).
/// Both entry lists are in git's order, so one merge pass pairs them.
fn changed_paths(
    repo: &git2::Repository,
    trees: &mut TreeCache,
    old: Option<Oid>,
    new: Option<Oid>,
    prefix: &str,
    out: &mut Vec<String>,
) -> Result<()> {
    let (before, after) = (trees.entries(repo, old)?, trees.entries(repo, new)?);
    let (mut i, mut j) = (0, 0);
    while i < before.len() || j < after.len() {
        let order = match (before.get(i), after.get(j)) {
            (Some(a), Some(b)) => git_order(&a.0, a.2, &b.0, b.2),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        let (a, b) = match order {
            std::cmp::Ordering::Less => {
                i += 1;
                (before.get(i - 1), None)
            }
            std::cmp::Ordering::Greater => {
                j += 1;
                (None, after.get(j - 1))
            }
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
                (before.get(i - 1), after.get(j - 1))
            }
        };
        if let (Some(a), Some(b)) = (a, b)
            && a.1 == b.1
        {
            continue;
        }
        let name = a.or(b).map(|e| e.0.as_slice()).unwrap_or_default();
        let path = format!("{prefix}{}", String::from_utf8_lossy(name));
        let tree_id = |e: Option<&(Vec<u8>, Oid, bool)>| e.filter(|e| e.2).map(|e| e.1);
        let (old_tree, new_tree) = (tree_id(a), tree_id(b));
        if old_tree.is_none() && new_tree.is_none() {
            out.push(path);
        } else {
            changed_paths(repo, trees, old_tree, new_tree, &format!("{path}/"), out)?;
        }
    }
    Ok(())
}

/// git's order of tree entries: by name, a tree's name read as if it ended in `/`.
fn git_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> std::cmp::Ordering {
    let end = |tree: bool| if tree { b'/' } else { 0 };
    let common = a.len().min(b.len());
    a[..common].cmp(&b[..common]).then_with(|| {
        let next_a = a.get(common).copied().unwrap_or_else(|| end(a_tree));
        let next_b = b.get(common).copied().unwrap_or_else(|| end(b_tree));
        next_a.cmp(&next_b)
    })
}

#[cfg(test)]
mod tests {
    use journal_testutils::TestRepo;

    use crate::repo::GitRepo;

    fn subjects(walk: &super::CommitWalk) -> Vec<&str> {
        walk.commits.iter().map(|c| c.subject.as_str()).collect()
    }

    #[test]
    fn a_walk_lists_new_commits_newest_first_without_the_journals_own() {
        let repo = TestRepo::journal(); // `journal: init`
        repo.commit("terranix: cx32", &[("infra/main.tf", "# a\n")]);
        let git = GitRepo::discover(&repo.root).unwrap();
        let first = git.commits_since(None).unwrap();
        assert_eq!(subjects(&first), ["terranix: cx32"]);
        assert_eq!(first.commits[0].paths, ["infra/main.tf"]);
        assert!(!first.rewritten);
        // Since the key of that walk: only what is new.
        repo.commit("clan: luks", &[("machines/a.nix", "# b\n")]);
        let next = git.commits_since(first.head.as_deref()).unwrap();
        assert_eq!(subjects(&next), ["clan: luks"]);
        // Nothing new: nothing walked.
        let none = git.commits_since(next.head.as_deref()).unwrap();
        assert!(none.commits.is_empty() && !none.rewritten);
        // libgit2's walk agrees with the git command's.
        let plan = git.walk_plan(None).unwrap();
        let by_libgit2 = git.walk_with_libgit2(&plan.tips, &plan.hide).unwrap();
        let mut by_git = Vec::new();
        git.walk_commits(&plan, &mut |c| {
            by_git.push(c);
            Ok(())
        })
        .unwrap();
        assert_eq!(by_libgit2, by_git);
    }

    #[test]
    fn a_rewritten_history_is_walked_whole() {
        let repo = TestRepo::journal();
        repo.commit("one", &[("a.txt", "1\n")]);
        repo.commit("two", &[("a.txt", "2\n")]);
        let git = GitRepo::discover(&repo.root).unwrap();
        let before = git.commits_since(None).unwrap();
        journal_testutils::git(&repo.root, &["reset", "-q", "--hard", "HEAD~1"]);
        let after = git.commits_since(before.head.as_deref()).unwrap();
        assert!(after.rewritten);
        assert_eq!(subjects(&after), ["one"]);
    }
}
