//! Write transactions: the one way the journal changes entry files and commits them, so
//! that a process killed at any point leaves nothing the next journal command cannot put
//! right, and a lock held by another git process stops a write before anything is written.
//!
//! A committing write, under the journal's write lock (`journal-write.lock`, a kernel lock
//! that dies with its process):
//! 1. repairs what a killed writer left (its record is still there: see below);
//! 2. checks git's locks (`index.lock`, `HEAD.lock`, the branch's ref lock): one that exists
//!    stops the write with its path and holder, nothing written;
//! 3. writes the record `<git-dir>/journal-pending` (pid, operation, the locks it may take),
//!    takes `index.lock` itself (`O_EXCL`, as git does), then records that file's inode and,
//!    for each file it changes, the blob HEAD has and the blob it will write;
//! 4. writes the files (atomically), commits (`crate::commit`), writes git's index;
//! 5. removes `index.lock`, then the record.
//!
//! A record left behind with nobody holding the write lock means its writer died. For each
//! file the record names, HEAD tells how far it got: HEAD holds the new blob → the commit was
//! made, so git's index gets that blob too; HEAD holds the old one → nothing was committed,
//! so a file still holding exactly what the writer wrote is put back as it was. Locks the
//! record names that no process has open are removed (`index.lock` only if it is the very
//! file the writer created). Anything else is reported with the command that clears it.

use std::fmt::Write as _;
use std::fs;
use std::os::unix::fs::MetadataExt as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use git2::{ObjectType, Oid};

use crate::commit::INDEX_COPY;
use crate::error::{Error, Result};
use crate::faults;
use crate::fsutil::WriteLock;
use crate::locks;
use crate::repo::GitRepo;

/// The record of a write in progress, in the git directory.
pub(crate) const RECORD: &str = "journal-pending";
/// The journal's write lock, in the git directory.
pub(crate) const WRITE_LOCK: &str = "journal-write.lock";

/// One file a write changes, by blob: HEAD's before, the one written after (`None`: absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileChange {
    /// Relative to the working tree, with `/`.
    pub path: String,
    pub before: Option<Oid>,
    pub after: Option<Oid>,
}

/// What `journal-pending` holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Record {
    pub pid: u32,
    pub op: String,
    /// The git locks the write may take.
    pub locks: Vec<PathBuf>,
    /// Device and inode of the `index.lock` the writer created.
    pub index_lock: Option<(u64, u64)>,
    /// For a sync: the branch (`refs/heads/…`) and its commit before the sync began.
    pub head: Option<(String, String)>,
    pub files: Vec<FileChange>,
}

impl Record {
    fn to_text(&self) -> String {
        let mut text = format!("journal-pending 1\npid {}\nop {}\n", self.pid, self.op);
        for lock in &self.locks {
            let _ = writeln!(text, "lock {}", lock.display());
        }
        if let Some((dev, ino)) = self.index_lock {
            let _ = writeln!(text, "index-lock {dev} {ino}");
        }
        if let Some((branch, sha)) = &self.head {
            let _ = writeln!(text, "head {sha} {branch}");
        }
        let blob = |b: Option<Oid>| b.map_or_else(|| "-".to_owned(), |b| b.to_string());
        for f in &self.files {
            let _ = writeln!(text, "file {} {} {}", blob(f.before), blob(f.after), f.path);
        }
        text
    }

    /// Reads a record; `None` when the text is not one (a torn write of a dying process
    /// leaves at worst an empty file: the writer had taken no git lock yet).
    fn parse(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        if lines.next()? != "journal-pending 1" {
            return None;
        }
        let mut record = Self::default();
        let blob = |s: &str| {
            if s == "-" {
                Ok(None)
            } else {
                Oid::from_str(s).map(Some)
            }
        };
        for line in lines {
            let (key, value) = line.split_once(' ')?;
            match key {
                "pid" => record.pid = value.parse().ok()?,
                "op" => value.clone_into(&mut record.op),
                "lock" => record.locks.push(PathBuf::from(value)),
                "head" => {
                    let (sha, branch) = value.split_once(' ')?;
                    record.head = Some((branch.to_owned(), sha.to_owned()));
                }
                "index-lock" => {
                    let (dev, ino) = value.split_once(' ')?;
                    record.index_lock = Some((dev.parse().ok()?, ino.parse().ok()?));
                }
                "file" => {
                    let mut parts = value.splitn(3, ' ');
                    let before = blob(parts.next()?).ok()?;
                    let after = blob(parts.next()?).ok()?;
                    let path = parts.next()?.to_owned();
                    record.files.push(FileChange {
                        path,
                        before,
                        after,
                    });
                }
                _ => {}
            }
        }
        Some(record)
    }
}

/// A write in progress; see the module's overview. Dropping it (a write that failed and
/// rolled its files back, or one that finished) releases `index.lock` and removes the record,
/// unless the commit was made and git's index could not follow: the record then stays, for
/// the next command to finish the index.
pub(crate) struct Txn<'a> {
    repo: &'a GitRepo,
    record: Record,
    /// Whether the write commits (and so holds git's locks and a record).
    commits: bool,
    /// Whether a record is kept while the write runs (a committing write, a sync).
    records: bool,
    /// The `index.lock` this write created.
    index_lock: Option<PathBuf>,
    keep_record: bool,
    _lock: WriteLock,
}

impl<'a> Txn<'a> {
    /// Begins a write named `op` (add, edit, remove, import, fix): takes the write lock,
    /// repairs what a killed writer left (the notes are pushed on `repairs`), and when the
    /// write `commits`, checks and takes git's locks.
    pub fn begin(
        repo: &'a GitRepo,
        op: &str,
        commits: bool,
        repairs: &mut Vec<Repair>,
    ) -> Result<Self> {
        let lock = WriteLock::acquire(repo.git_dir().join(WRITE_LOCK))?;
        repairs.extend(recover_locked(repo)?);
        let mut txn = Self {
            repo,
            record: Record {
                pid: std::process::id(),
                op: op.to_owned(),
                ..Record::default()
            },
            commits,
            records: commits,
            index_lock: None,
            keep_record: false,
            _lock: lock,
        };
        if commits {
            txn.take_git_locks()?;
        }
        Ok(txn)
    }

    /// Begins a sync of `branch` (at `head`): the write lock (no journal write runs meanwhile)
    /// and a record, so that a rebase left by a sync killed in its middle is aborted by the
    /// next command. The git command takes git's own locks.
    pub fn begin_sync(
        repo: &'a GitRepo,
        branch: &str,
        head: &str,
        repairs: &mut Vec<Repair>,
    ) -> Result<Self> {
        let mut txn = Self::begin(repo, "sync", false, repairs)?;
        txn.records = true;
        txn.record.head = Some((branch.to_owned(), head.to_owned()));
        txn.save()?;
        Ok(txn)
    }

    fn take_git_locks(&mut self) -> Result<()> {
        let repo = self.repo;
        let branch = repo.head_branch()?;
        let wanted = locks::commit_locks(repo.git_dir(), repo.common_dir(), branch.as_deref());
        for path in &wanted {
            if path.exists() {
                return Err(locked(path));
            }
        }
        self.record.locks = wanted;
        self.save()?;
        faults::point("record-written");
        let index_lock = repo.git_dir().join("index.lock");
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&index_lock)
            .map_err(|e| {
                let _ = fs::remove_file(self.record_path());
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    locked(&index_lock)
                } else {
                    Error::io("cannot create", &index_lock)(e)
                }
            })?;
        self.index_lock = Some(index_lock);
        let meta = file
            .metadata()
            .map_err(Error::io("cannot read", repo.git_dir()))?;
        // Saved with the files (`changes`): one write less. A writer killed before that save
        // leaves a lock that recovery still recognises: nobody has it open, and it was made
        // at the time of the record.
        self.record.index_lock = Some((meta.dev(), meta.ino()));
        faults::point("index-locked");
        Ok(())
    }

    /// Notes, before they are written, that the write changes each path (relative to the
    /// working tree) from what HEAD has to the bytes given (`None`: removed).
    pub fn changes(&mut self, changes: &[(&Path, Option<&[u8]>)]) -> Result<()> {
        if !self.commits {
            return Ok(());
        }
        let head = self.repo.head_tree()?;
        for (rel_path, after) in changes {
            let before = match &head {
                Some(tree) => tree
                    .get_path(rel_path)
                    .ok()
                    .filter(|e| e.kind() == Some(ObjectType::Blob))
                    .map(|e| e.id()),
                None => None,
            };
            let after = after
                .map(|bytes| Oid::hash_object(ObjectType::Blob, bytes))
                .transpose()
                .map_err(Error::git("cannot hash a file"))?;
            self.record.files.push(FileChange {
                path: rel_path.to_string_lossy().replace('\\', "/"),
                before,
                after,
            });
        }
        self.save()
    }

    /// Marks the commit as made with git's index not updated: the record stays for the next
    /// command, which updates the index once its lock is free.
    pub fn keep_record(&mut self) {
        self.keep_record = true;
    }

    fn record_path(&self) -> PathBuf {
        self.repo.git_dir().join(RECORD)
    }

    /// Writes the record whole (a temporary file renamed into place: a kill leaves the old
    /// record or the new one). Not synced: it guards against a killed process, whose writes
    /// the kernel keeps; after a power loss git's own files are no surer.
    fn save(&self) -> Result<()> {
        let path = self.record_path();
        let temp = self.repo.git_dir().join(format!("{RECORD}.tmp"));
        let written = fs::write(&temp, self.record.to_text())
            .map_err(Error::io("cannot write", &temp))
            .and_then(|()| {
                fs::rename(&temp, &path).map_err(Error::io("cannot rename into place", &path))
            });
        if written.is_err() {
            let _ = fs::remove_file(&temp); // a full disk leaves nothing behind
        }
        written
    }
}

impl Drop for Txn<'_> {
    fn drop(&mut self) {
        if let Some(lock) = &self.index_lock {
            let _ = fs::remove_file(lock);
            faults::point("index-unlocked");
        }
        if self.records && !self.keep_record {
            let _ = fs::remove_file(self.record_path());
        }
    }
}

/// The error for a git lock that exists: its path and who holds it, nothing written.
pub(crate) fn locked(path: &Path) -> Error {
    Error::GitLocked {
        path: path.to_owned(),
        holder: locks::describe_holders(path),
    }
}

/// Something a killed journal left, and what was done about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    /// The path concerned (relative to the working tree, or absolute for git's files).
    pub path: PathBuf,
    /// What was done, or what is wrong.
    pub what: String,
    /// The command that clears it, when it was left for the user.
    pub fix: Option<String>,
}

impl Repair {
    /// Returns whether it was repaired (rather than left for the user).
    pub fn repaired(&self) -> bool {
        self.fix.is_none()
    }
}

impl Repair {
    /// Returns the one line a log shows for it: `repaired: …`, or `left: …` with its fix.
    pub fn log_line(&self) -> String {
        let mark = if self.repaired() {
            "repaired:"
        } else {
            "left:"
        };
        format!("{mark} {self}")
    }
}

impl std::fmt::Display for Repair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.what)?;
        if let Some(fix) = &self.fix {
            write!(f, " (run `{fix}`)")?;
        }
        Ok(())
    }
}

/// Repairs what a killed writer left, if a record is there and no writer is running.
/// Cheap when there is nothing: one `stat`.
pub(crate) fn recover(repo: &GitRepo) -> Result<Vec<Repair>> {
    if !repo.git_dir().join(RECORD).exists() {
        return Ok(Vec::new());
    }
    match WriteLock::acquire_within(repo.git_dir().join(WRITE_LOCK), Duration::ZERO)? {
        Some(_lock) => recover_locked(repo),
        None => Ok(Vec::new()), // a writer is at work: its record is live
    }
}

/// Repairs what the writer of a left-over record did, while holding the write lock (so that
/// writer is dead).
fn recover_locked(repo: &GitRepo) -> Result<Vec<Repair>> {
    let path = repo.git_dir().join(RECORD);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("cannot read", &path)(e)),
    };
    let recorded = fs::metadata(&path).and_then(|m| m.modified()).ok();
    let Some(record) = Record::parse(&text) else {
        return Ok(vec![Repair {
            path,
            what: "a record of an unfinished write that cannot be read: left as it is".to_owned(),
            fix: Some("journal doctor".to_owned()),
        }]);
    };
    let mut repairs = Vec::new();
    let by = format!(
        "a journal {} (pid {}) killed meanwhile",
        record.op, record.pid
    );
    if let Some((branch, head)) = &record.head {
        repairs.extend(crate::sync::recover_rebase(repo, branch, head, &by));
    }
    remove_own_locks(repo, &record, recorded, &by, &mut repairs);
    let mut index_pending = false;
    for change in &record.files {
        match recover_file(repo, &record, change, &by) {
            Ok(Some(repair)) => repairs.push(repair),
            Ok(None) => {}
            Err(err) => {
                index_pending = true;
                repairs.push(Repair {
                    path: PathBuf::from(&change.path),
                    what: format!(
                        "committed by {by}, but git's index cannot be updated yet ({err}); \
                         the next journal command tries again"
                    ),
                    fix: Some("journal doctor".to_owned()),
                });
            }
        }
    }
    for name in [
        INDEX_COPY.to_owned(),
        format!("{INDEX_COPY}.lock"),
        format!("{RECORD}.tmp"),
    ] {
        let _ = fs::remove_file(repo.git_dir().join(name));
    }
    if !index_pending {
        let _ = fs::remove_file(&path);
    }
    Ok(repairs)
}

/// Removes the git locks the record names that are the dead writer's own.
fn remove_own_locks(
    repo: &GitRepo,
    record: &Record,
    recorded: Option<SystemTime>,
    by: &str,
    repairs: &mut Vec<Repair>,
) {
    for lock in &record.locks {
        let Ok(meta) = fs::metadata(lock) else {
            continue;
        };
        let is_index = lock == &repo.git_dir().join("index.lock");
        let ours = if is_index && let Some((dev, ino)) = record.index_lock {
            meta.dev() == dev && meta.ino() == ino
        } else {
            // Created by libgit2 for this write (the branch, HEAD), or index.lock between
            // the record and its inode: the writer's if nobody has it open and it was made
            // around the writer's last record (the file system's times, not the clock: a
            // lock a live git took long after is not taken for the dead writer's).
            let unheld = locks::holders(lock).is_some_and(|h| h.is_empty());
            let slack = Duration::from_secs(10);
            unheld
                && match (meta.modified().ok(), recorded) {
                    (Some(made), Some(last)) => made + slack >= last && made <= last + slack,
                    _ => false,
                }
        };
        if ours && fs::remove_file(lock).is_ok() {
            repairs.push(Repair {
                path: lock.clone(),
                what: format!("removed the git lock left by {by}"),
                fix: None,
            });
        }
    }
}

/// Finishes or undoes one file of a dead writer, as HEAD says how far it got.
fn recover_file(
    repo: &GitRepo,
    record: &Record,
    change: &FileChange,
    by: &str,
) -> Result<Option<Repair>> {
    let rel = Path::new(&change.path);
    let abs = repo.workdir().join(rel);
    // Its temporary files (see `write_atomic`: `.<name>.<pid>.t<random>.tmp`).
    if let (Some(dir), Some(name)) = (abs.parent(), abs.file_name()) {
        let prefix = crate::fsutil::temporary_prefix(&name.to_string_lossy(), record.pid);
        for item in fs::read_dir(dir).into_iter().flatten().flatten() {
            let file = item.file_name();
            let file = file.to_string_lossy();
            if file.starts_with(&prefix) && file.ends_with(".tmp") {
                let _ = fs::remove_file(item.path());
            }
        }
    }
    let head = repo.blob_at_head(rel)?;
    let disk = if abs.is_file() {
        Some(Oid::hash_file(ObjectType::Blob, &abs).map_err(Error::git("cannot hash a file"))?)
    } else {
        None
    };
    let repair = |what: String, fix: Option<String>| {
        Some(Repair {
            path: rel.to_owned(),
            what,
            fix,
        })
    };
    if head == change.after {
        // Committed: git's index must hold it too, or a plain `git commit` would undo it.
        if repo.blob_in_index(rel)? == change.after {
            return Ok(None);
        }
        repo.stage_blob(rel, change.after, disk == change.after)?;
        let what = match change.after {
            Some(_) => format!("committed by {by}; added to git's index"),
            None => format!("removal committed by {by}; removed from git's index"),
        };
        return Ok(repair(what, None));
    }
    if head != change.before {
        return Ok(repair(
            format!("left by {by}, and HEAD has changed it since: left as it is"),
            Some(format!("git status -- {}", change.path)),
        ));
    }
    // Not committed: nothing was reported as recorded, so the write is undone.
    if disk == change.before {
        return Ok(None);
    }
    if disk != change.after {
        return Ok(repair(
            format!("left uncommitted by {by}, and changed since: left as it is"),
            Some(format!("git diff -- {}", change.path)),
        ));
    }
    match change.before {
        None => {
            fs::remove_file(&abs).map_err(Error::io("cannot remove", &abs))?;
            if let Some(dir) = abs.parent() {
                let _ = fs::remove_dir(dir); // only when empty
            }
            Ok(repair(
                format!("written by {by} before its commit: removed (nothing was recorded)"),
                None,
            ))
        }
        Some(before) => {
            let blob = repo
                .raw()
                .find_blob(before)
                .map_err(Error::git("cannot read a blob"))?;
            if let Some(dir) = abs.parent() {
                fs::create_dir_all(dir).map_err(Error::io("cannot create", dir))?;
            }
            crate::fsutil::write_atomic(&abs, blob.content())?;
            Ok(repair(
                format!("changed by {by} before its commit: put back as committed"),
                None,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_as_written_and_a_torn_one_is_none() {
        let record = Record {
            pid: 42,
            op: "add".to_owned(),
            locks: vec![PathBuf::from("/r/.git/index.lock")],
            index_lock: Some((2049, 77)),
            head: Some(("refs/heads/main".to_owned(), "ab".repeat(20))),
            files: vec![FileChange {
                path: "journal/2026/12/a b.md".to_owned(),
                before: None,
                after: Some(Oid::hash_object(ObjectType::Blob, b"x").unwrap()),
            }],
        };
        assert_eq!(Record::parse(&record.to_text()), Some(record.clone()));
        assert_eq!(Record::parse(""), None);
        assert_eq!(Record::parse("journal-pending 1\npid x\n"), None);
    }
}
