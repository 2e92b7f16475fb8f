//! `Store`: the journal folder, its entries and the commits that record them.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::Utc;
use journal_entry::{Entry, Evidence, entry_id};

use crate::commit::Change;
use crate::error::{Error, Result};
use crate::faults;
use crate::fsutil::write_atomic;
use crate::repo::{GitRepo, Identity, IdentityOverrides};
use crate::scan::{
    EntryFile, EntryStat, Fingerprint, entry_paths, entry_stats, month_fingerprints, read_entry,
};
use crate::txn::{Repair, Txn};

/// A repository other than the journal's own, whose commits can be cited as `NAME:REV`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoOptions {
    /// Its path, relative to the journal repository's working tree (or absolute).
    pub path: PathBuf,
    /// Its web URL, when the remote's cannot be used for links.
    pub url: Option<String>,
}

/// Where things are, as journal.toml says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// The entries folder, relative to the journal root (the folder holding journal.toml).
    pub entries: PathBuf,
    /// Evidence repositories by name.
    pub repos: BTreeMap<String, RepoOptions>,
    /// Identity values that take precedence over the git configuration.
    pub identity: IdentityOverrides,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            entries: PathBuf::from("journal"),
            repos: BTreeMap::new(),
            identity: IdentityOverrides::default(),
        }
    }
}

/// What [`Store::add`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The new entry's id.
    pub id: String,
    /// Its file, relative to the working tree.
    pub rel_path: PathBuf,
    /// The journal commit, when one was made.
    pub commit: Option<String>,
    /// Why git's index could not be updated after the commit, when it could not: the entry
    /// is committed, and the next journal command updates the index.
    pub index_error: Option<String>,
}

/// What [`Store::import`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The entries written: id and path relative to the working tree.
    pub written: Vec<(String, PathBuf)>,
    /// The ids whose file already existed.
    pub existing: Vec<String>,
    /// The commit, when one was made.
    pub commit: Option<String>,
    /// Why git's index could not be updated after the commit (see [`Written::index_error`]).
    pub index_error: Option<String>,
}

/// A journal: its root folder, entries folder and git repository.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    entries: PathBuf,
    repo: GitRepo,
    options: StoreOptions,
    /// What recovery found since the store was opened.
    repairs: std::sync::Mutex<Vec<Repair>>,
    /// Says whether the caller gave up (an agent cancelled its call): checked once the write
    /// lock is held, before anything is written.
    cancelled: std::sync::Mutex<Option<Cancelled>>,
}

/// A caller's "I gave up" flag.
pub struct Cancelled(pub Box<dyn Fn() -> bool + Send + Sync>);

impl std::fmt::Debug for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cancelled(..)")
    }
}

impl Store {
    /// Opens the journal rooted at `root` (the folder holding journal.toml).
    pub fn open(root: &Path, options: StoreOptions) -> Result<Self> {
        let root = root
            .canonicalize()
            .map_err(Error::io("cannot open the journal folder", root))?;
        let repo = GitRepo::discover(&root)?;
        let entries = root.join(&options.entries);
        Ok(Self {
            root,
            entries,
            repo,
            options,
            repairs: std::sync::Mutex::default(),
            cancelled: std::sync::Mutex::new(None),
        })
    }

    /// Returns the journal's git repository.
    pub fn repo(&self) -> &GitRepo {
        &self.repo
    }

    /// Returns the journal root (the folder holding journal.toml), canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Returns the entries folder (absolute).
    pub fn entries_dir(&self) -> &Path {
        &self.entries
    }

    /// Returns `path` relative to the working tree when it lies inside it.
    pub fn rel_path(&self, path: &Path) -> PathBuf {
        path.strip_prefix(self.repo.workdir())
            .unwrap_or(path)
            .to_owned()
    }

    /// Returns the entry files that are not committed as they are on disk, relative to the
    /// working tree: written by hand, or by `add` with `commit = false`.
    pub fn uncommitted(&self) -> Result<Vec<String>> {
        let rel = self.rel_path(&self.entries);
        Ok(self
            .repo
            .uncommitted(&rel)?
            .into_iter()
            .filter(|p| p.ends_with(".md"))
            .collect())
    }

    /// Returns who authors entries and commits, or git's kind of error when nobody is set.
    pub fn author(&self) -> Result<Identity> {
        self.repo.author(&self.options.identity)
    }

    /// Returns the names of the configured evidence repositories.
    pub fn repo_names(&self) -> Vec<String> {
        self.options.repos.keys().cloned().collect()
    }

    /// Returns the path of the evidence repository `name`.
    pub fn repo_path(&self, name: &str) -> Option<PathBuf> {
        self.options
            .repos
            .get(name)
            .map(|r| self.repo.workdir().join(&r.path))
    }

    /// Resolves `--commit` values: `NAME:REV` when NAME is a configured repository, otherwise
    /// a revision of the journal's repository. Returns the commit as evidence with its full
    /// SHA; a revision that lands on one of the journal's own commits is followed down first
    /// parents to one that is not (the note says so).
    pub fn resolve_evidence(&self, spec: &str) -> Result<(Evidence, Option<String>)> {
        if let Some((name, rev)) = spec.split_once(':')
            && let Some(repo) = self.named_repo(name)?
        {
            let (sha, note) = repo.resolve_evidence_commit(rev, &format!("repository `{name}`"))?;
            let evidence = Evidence {
                repo: Some(name.to_owned()),
                sha,
            };
            return Ok((evidence, note));
        }
        let (sha, note) = match self
            .repo
            .resolve_evidence_commit(spec, "the journal's repository")
        {
            Ok(found) => found,
            // `NAME:REV` for a NAME journal.toml does not list: say that, not "unknown
            // revision".
            Err(Error::UnknownRevision { .. })
                if spec
                    .split_once(':')
                    .is_some_and(|(name, _)| journal_entry::is_repo_name(name)) =>
            {
                let name = spec.split_once(':').map(|(n, _)| n).unwrap_or_default();
                return Err(Error::UnknownRepo {
                    name: name.to_owned(),
                    configured: self.repo_names(),
                });
            }
            Err(e) => return Err(e),
        };
        Ok((Evidence::local(sha), note))
    }

    /// Opens the repository `[repos.NAME]`, or returns `None` when NAME is not configured.
    pub fn named_repo(&self, name: &str) -> Result<Option<GitRepo>> {
        let Some(path) = self.repo_path(name) else {
            return Ok(None);
        };
        GitRepo::discover(&path).map(Some).map_err(|e| match e {
            Error::NotARepository { source, .. } => Error::RepoUnavailable {
                name: name.to_owned(),
                path,
                source,
            },
            other => other,
        })
    }

    /// Returns the committer time (seconds since the epoch) of an evidence commit, when it
    /// exists.
    pub fn evidence_time(&self, evidence: &Evidence) -> Option<i64> {
        match &evidence.repo {
            None => self.repo.commit_time(&evidence.sha),
            Some(name) => self.named_repo(name).ok()??.commit_time(&evidence.sha),
        }
    }

    /// Returns whether the evidence commit exists in its repository.
    pub fn evidence_exists(&self, evidence: &Evidence) -> Result<bool> {
        match &evidence.repo {
            None => Ok(self.repo.has_commit(&evidence.sha)),
            Some(name) => match self.named_repo(name)? {
                Some(repo) => Ok(repo.has_commit(&evidence.sha)),
                None => Err(Error::NotFound(format!("{name}:{}", evidence.sha))),
            },
        }
    }

    /// Begins a write (see [`crate::txn`]): takes the write lock, repairs what a killed writer
    /// left, and when `commits`, checks and takes git's locks.
    fn begin(&self, op: &str, commits: bool) -> Result<Txn<'_>> {
        let mut repairs = Vec::new();
        let txn = Txn::begin(&self.repo, op, commits, &mut repairs);
        self.note_repairs(repairs);
        txn
    }

    /// Makes writes check `cancelled` once they hold the write lock (a writer waiting on
    /// another can be given up meanwhile): when it says so, nothing is written and
    /// [`Error::Cancelled`] is returned. Replaces the check set before, if any.
    pub fn on_cancel(&self, cancelled: impl Fn() -> bool + Send + Sync + 'static) {
        if let Ok(mut slot) = self.cancelled.lock() {
            *slot = Some(Cancelled(Box::new(cancelled)));
        }
    }

    /// Forgets the check [`Store::on_cancel`] set: the next caller of a store kept open
    /// between calls is not given up with the last one.
    pub fn clear_cancel(&self) {
        if let Ok(mut slot) = self.cancelled.lock() {
            *slot = None;
        }
    }

    fn check_cancelled(&self) -> Result<()> {
        match self.cancelled.lock().as_deref() {
            Ok(Some(Cancelled(cancelled))) if cancelled() => Err(Error::Cancelled),
            _ => Ok(()),
        }
    }

    fn note_repairs(&self, repairs: Vec<Repair>) {
        if !repairs.is_empty()
            && let Ok(mut noted) = self.repairs.lock()
        {
            noted.extend(repairs);
        }
    }

    /// Repairs what a journal killed in the middle of a write left (its stale locks, its
    /// temporary files, an entry written but not committed, one committed but not in git's
    /// index), when no writer is at work. Cheap when there is nothing: one `stat`. What was
    /// done, and what was left for the user, is kept for [`Store::take_repairs`].
    /// A failure to look is itself noted, never an error: reading goes on.
    pub fn recover(&self) {
        let repairs = crate::txn::recover(&self.repo).unwrap_or_else(|err| {
            vec![Repair {
                path: self.repo.git_dir().join(crate::txn::RECORD),
                what: format!(
                    "a journal write was interrupted, and what it left cannot be checked: {}",
                    crate::error::chain(&err)
                ),
                fix: Some("journal doctor".to_owned()),
            }]
        });
        self.note_repairs(repairs);
    }

    /// Returns, and forgets, the repairs made since the store was opened (by
    /// [`Store::recover`] or by a write that found a killed writer's leftovers first).
    pub fn take_repairs(&self) -> Vec<Repair> {
        self.repairs
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default()
    }

    /// Commits `changes` (whose files the caller wrote) in `txn`: the commit's SHA, and the
    /// reason when git's index could not follow (the commit stands; the record stays so the
    /// next command updates the index).
    fn commit_in(
        &self,
        txn: &mut Txn<'_>,
        changes: &[Change<'_>],
        message: &str,
    ) -> Result<(String, Option<String>)> {
        let committed = self
            .repo
            .commit_changes(changes, message, &self.options.identity)?;
        faults::point("index-written");
        let index_error = committed.index_error.map(|e| {
            txn.keep_record();
            crate::error::chain(&e)
        });
        Ok((committed.sha, index_error))
    }

    /// Writes a new entry to `<entries>/YYYY/MM/<id>.md` and, when `commit` is set, commits that
    /// file alone with `journal: <title>` and a `Journal-Id` trailer. The id comes from the
    /// entry's date (UTC) and title; entries sharing both get `-2`, `-3`, …. Writers take a lock
    /// so that concurrent adds never pick the same id or race on the branch. All or nothing:
    /// when the commit fails, the file is removed; a git lock held by another process stops
    /// the add before anything is written.
    pub fn add(&self, mut entry: Entry, commit: bool) -> Result<Written> {
        if commit {
            self.author()?; // fail before writing anything
        }
        let month = entry.date.with_timezone(&Utc).format("%Y/%m").to_string();
        let dir = self.entries.join(month);
        let mut txn = self.begin("add", commit)?;
        self.check_cancelled()?;
        let (id, path) = (1..)
            .map(|attempt| {
                let id = entry_id(&entry.date, &entry.title, attempt);
                let path = dir.join(format!("{id}.md"));
                (id, path)
            })
            .find(|(_, path)| !path.exists())
            .unwrap_or_else(|| unreachable!("an unbounded range always finds a free id"));
        entry.id = id.clone();
        let text = entry.to_file_string();
        let rel_path = self.rel_path(&path);
        txn.changes(&[(&rel_path, Some(text.as_bytes()))])?;
        fs::create_dir_all(&dir).map_err(Error::io("cannot create", &dir))?;
        if let Err(e) = write_atomic(&path, text.as_bytes()) {
            let _ = fs::remove_dir(&dir); // only when empty: a new month folder goes too
            return Err(e);
        }
        faults::point("file-written");
        let (commit, index_error) = if commit {
            let message = commit_message(&entry.title, &id);
            match self.commit_in(&mut txn, &[(&rel_path, Some(text.as_bytes()))], &message) {
                Ok((sha, index_error)) => (Some(sha), index_error),
                Err(e) => {
                    // Nothing was committed: leave the tree as it was before.
                    let _ = fs::remove_file(&path);
                    let _ = fs::remove_dir(&dir);
                    return Err(e);
                }
            }
        } else {
            (None, None)
        };
        drop(txn);
        Ok(Written {
            id,
            rel_path,
            commit,
            index_error,
        })
    }

    /// Writes the entries whose id (set by the caller) names no file yet, and commits them
    /// together with `message` when `commit` is set. Entries whose file exists are left alone
    /// and reported: importing the same entries twice changes nothing.
    pub fn import(&self, entries: Vec<Entry>, commit: bool, message: &str) -> Result<Imported> {
        if commit {
            self.author()?; // fail before writing anything
        }
        let mut txn = self.begin("import", commit)?;
        let mut planned: Vec<(String, PathBuf, String)> = Vec::new();
        let mut existing = Vec::new();
        for entry in entries {
            if !is_file_id(&entry.id) {
                return Err(Error::UnstorablePath(PathBuf::from(format!(
                    "{}.md",
                    entry.id
                ))));
            }
            let month = entry.date.with_timezone(&Utc).format("%Y/%m").to_string();
            let path = self.entries.join(month).join(format!("{}.md", entry.id));
            if path.exists() || planned.iter().any(|(id, _, _)| *id == entry.id) {
                existing.push(entry.id);
                continue;
            }
            let text = entry.to_file_string();
            planned.push((entry.id, path, text));
        }
        let rel: Vec<PathBuf> = planned.iter().map(|(_, p, _)| self.rel_path(p)).collect();
        let files: Vec<Change<'_>> = rel
            .iter()
            .zip(&planned)
            .map(|(r, (_, _, text))| (r.as_path(), Some(text.as_bytes())))
            .collect();
        txn.changes(&files)?;
        let undo = |written: &[&PathBuf]| {
            for path in written {
                let _ = fs::remove_file(path);
            }
        };
        let mut written = Vec::with_capacity(planned.len());
        for (_, path, text) in &planned {
            let result = match path.parent() {
                Some(dir) => fs::create_dir_all(dir).map_err(Error::io("cannot create", dir)),
                None => Ok(()),
            }
            .and_then(|()| write_atomic(path, text.as_bytes()));
            if let Err(e) = result {
                undo(&written);
                return Err(e);
            }
            written.push(path);
            faults::point("file-written");
        }
        let (commit, index_error) = if commit && !planned.is_empty() {
            match self.commit_in(&mut txn, &files, message) {
                Ok((sha, index_error)) => (Some(sha), index_error),
                Err(e) => {
                    undo(&written);
                    return Err(e);
                }
            }
        } else {
            (None, None)
        };
        drop(txn);
        Ok(Imported {
            written: planned.into_iter().map(|(id, _, _)| id).zip(rel).collect(),
            existing,
            commit,
            index_error,
        })
    }

    /// Replaces an existing entry file with `text` and, when `commit` is set, commits it alone.
    /// Returns the commit's SHA and, when git's index could not follow, why. If the commit
    /// fails, the file is put back as it was.
    pub fn replace(
        &self,
        file: &EntryFile,
        text: &str,
        title: &str,
        commit: bool,
    ) -> Result<(Option<String>, Option<String>)> {
        let mut txn = self.begin("edit", commit)?;
        let old = fs::read(&file.path).map_err(Error::io("cannot read", &file.path))?;
        txn.changes(&[(&file.rel_path, Some(text.as_bytes()))])?;
        write_atomic(&file.path, text.as_bytes())?;
        faults::point("file-written");
        if !commit {
            return Ok((None, None));
        }
        let message = commit_message(&format!("edit {title}"), &file.id);
        match self.commit_in(
            &mut txn,
            &[(&file.rel_path, Some(text.as_bytes()))],
            &message,
        ) {
            Ok((sha, index_error)) => Ok((Some(sha), index_error)),
            Err(e) => {
                let _ = write_atomic(&file.path, &old);
                Err(e)
            }
        }
    }

    /// Deletes an entry file and, when `commit` is set and the file is in HEAD, commits its
    /// removal alone (`journal: remove <title>`). Returns the commit's SHA. If the commit
    /// fails, the file is put back.
    pub fn remove(&self, file: &EntryFile, title: &str, commit: bool) -> Result<Option<String>> {
        let committed = commit && self.repo.is_committed(&file.rel_path)?;
        let mut txn = self.begin("remove", committed)?;
        txn.changes(&[(&file.rel_path, None)])?;
        let bytes = fs::read(&file.path).map_err(Error::io("cannot read", &file.path))?;
        fs::remove_file(&file.path).map_err(Error::io("cannot remove", &file.path))?;
        if let Some(folder) = file.path.parent() {
            // The month folder goes with its last entry, as git would leave it; not an error
            // when other files remain.
            let _ = fs::remove_dir(folder);
        }
        faults::point("file-removed");
        if !committed {
            return Ok(None);
        }
        let message = commit_message(&format!("remove {title}"), &file.id);
        match self.commit_in(&mut txn, &[(&file.rel_path, None)], &message) {
            Ok((sha, _)) => Ok(Some(sha)),
            Err(e) => {
                // Nothing was committed: put the file back as it was.
                if let Some(folder) = file.path.parent() {
                    let _ = fs::create_dir_all(folder);
                }
                let _ = write_atomic(&file.path, &bytes);
                Err(e)
            }
        }
    }

    /// Fetches, rebases and pushes (see [`GitRepo::sync`]) under the journal's write lock, so
    /// no journal write lands in the middle of a rebase, with a record that lets the next
    /// command abort a rebase a killed sync left.
    pub fn sync(
        &self,
        options: &crate::RemoteSyncOptions,
    ) -> std::result::Result<crate::RemoteSyncReport, crate::SyncError> {
        let journal = |e: Error| crate::SyncError::Journal(Box::new(e));
        let branch = self.repo.head_branch().map_err(journal)?;
        let head = self.repo.head().map_err(journal)?;
        let _txn = match (branch, head) {
            (Some(branch), Some(head)) => {
                let mut repairs = Vec::new();
                let txn = Txn::begin_sync(&self.repo, &branch, &head, &mut repairs);
                self.note_repairs(repairs);
                Some(txn.map_err(journal)?)
            }
            _ => None, // detached or unborn: the sync refuses
        };
        self.repo.sync(options)
    }

    /// Commits the file at `path` alone (used for journal.toml by `init`).
    pub fn commit_path(&self, path: &Path, message: &str) -> Result<String> {
        let bytes = fs::read(path).map_err(Error::io("cannot read", path))?;
        let rel = self.rel_path(path);
        let mut txn = self.begin("init", true)?;
        txn.changes(&[(&rel, Some(&bytes))])?;
        self.commit_in(&mut txn, &[(&rel, Some(&bytes))], message)
            .map(|(sha, _)| sha)
    }

    /// Reads every entry file, oldest id first. Files that cannot be parsed are returned with
    /// their problems, for the caller to report and skip.
    pub fn scan(&self) -> Result<Vec<EntryFile>> {
        self.scan_map(|file| file)
    }

    /// Like [`Store::scan`], but hands each file to `keep` on the thread that read it and
    /// collects what `keep` returns, in the same order: a caller that needs less than the
    /// whole file (compile keeps the entry, not its key lines, paths and hash) never holds
    /// every file's leftovers at once (at 100,000 entries, hundreds of MB).
    pub fn scan_map<T: Send>(&self, keep: impl Fn(EntryFile) -> T + Sync) -> Result<Vec<T>> {
        /// A file read by a worker: kept, or left for the calling thread to expand its short
        /// commit ids first (that asks git, whose handle stays on this thread).
        enum Read<T> {
            Kept(T),
            Short(Box<EntryFile>),
        }
        let paths = entry_paths(&self.entries, "")?;
        let workdir = self.repo.workdir();
        // Reading and parsing is CPU work per file: split it over the cores, in order.
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(8);
        let chunk = paths.len().div_ceil(threads).max(256);
        let keep = &keep;
        let read = std::thread::scope(|scope| {
            let workers: Vec<_> = paths
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|(id, path)| {
                                let file = read_entry(id.clone(), path.clone(), workdir)?;
                                Ok(if has_short_ids(&file) {
                                    Read::Short(Box::new(file))
                                } else {
                                    Read::Kept(keep(file))
                                })
                            })
                            .collect::<Result<Vec<_>>>()
                    })
                })
                .collect();
            let mut read = Vec::with_capacity(paths.len());
            for worker in workers {
                match worker.join() {
                    Ok(part) => read.extend(part?),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            Ok::<_, Error>(read)
        })?;
        Ok(read
            .into_iter()
            .map(|read| match read {
                Read::Kept(kept) => kept,
                Read::Short(mut file) => {
                    self.expand_short_ids(&mut file);
                    keep(*file)
                }
            })
            .collect())
    }

    /// Lists the entry files with their size and modification time, oldest id first, without
    /// reading them; only those of the month folders `months` (`YYYY/MM`) when given.
    pub fn stat_entries(&self, months: Option<&[String]>) -> Result<Vec<EntryStat>> {
        entry_stats(&self.entries, months)
    }

    /// Returns the fingerprint (names, sizes, modification times) of each month folder's entry
    /// files, `YYYY/MM` oldest first, without allocating per file: the cheap first step of a
    /// freshness check, equal to [`Fingerprint::by_month`] of the stats of unchanged folders.
    pub fn month_fingerprints(&self) -> Result<Vec<(String, Fingerprint)>> {
        month_fingerprints(&self.entries)
    }

    /// Returns the path, relative to the working tree and with `/`, of the month folder
    /// `YYYY/MM`, ending in `/`: the prefix of its entries' paths.
    pub fn month_prefix(&self, month: &str) -> String {
        let rel = self.rel_path(&self.entries.join(month));
        format!("{}/", rel.to_string_lossy().replace('\\', "/"))
    }

    /// Reads and parses the entry file at `rel_path` (relative to the working tree), as the
    /// index names it.
    pub fn load(&self, rel_path: &Path) -> Result<EntryFile> {
        let path = self.repo.workdir().join(rel_path);
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut file = read_entry(id, path, self.repo.workdir())?;
        self.expand_short_ids(&mut file);
        Ok(file)
    }

    /// Reads and parses one entry file found by [`Store::stat_entries`].
    pub fn read(&self, stat: &EntryStat) -> Result<EntryFile> {
        let mut file = read_entry(stat.id.clone(), stat.path.clone(), self.repo.workdir())?;
        self.expand_short_ids(&mut file);
        Ok(file)
    }

    /// Expands the short commit ids a hand-written file cites to full ones (git knows them);
    /// one that names no commit, or several, makes the file a bad one saying so.
    fn expand_short_ids(&self, file: &mut EntryFile) {
        if !has_short_ids(file) {
            return;
        }
        let Ok(parsed) = &mut file.entry else {
            return;
        };
        let line = parsed.line_of("commits");
        for evidence in &mut parsed.entry.commits {
            if evidence.sha.len() >= 40 {
                continue;
            }
            let resolved = match &evidence.repo {
                None => self
                    .repo
                    .resolve_commit(&evidence.sha, "the journal's repository"),
                Some(name) => match self.named_repo(name) {
                    Ok(Some(repo)) => repo.resolve_commit(&evidence.sha, name),
                    Ok(None) => Err(Error::NotFound(name.clone())),
                    Err(e) => Err(e),
                },
            };
            match resolved {
                Ok(full) => evidence.sha = full,
                Err(_) => {
                    let problem = journal_entry::Problem::at(
                        line,
                        "commits",
                        format!(
                            "short commit id `{evidence}` names no single commit of {}",
                            evidence
                                .repo
                                .as_deref()
                                .map_or("the journal's repository".to_owned(), |n| format!(
                                    "repository `{n}`"
                                ))
                        ),
                    );
                    file.entry = Err(journal_entry::EntryError::single(problem));
                    return;
                }
            }
        }
    }

    /// Returns the text of an entry file as it is on disk, with the checks of every read: a
    /// link is followed only inside the working tree, and only a regular file is opened.
    pub fn read_text(&self, file: &EntryFile) -> Result<String> {
        let unreadable = |reason: String| Error::Unreadable {
            path: file.rel_path.clone(),
            reason,
        };
        let bytes =
            crate::scan::read_checked(&file.path, self.repo.workdir()).map_err(unreadable)?;
        String::from_utf8(bytes).map_err(|_| unreadable("the file is not valid UTF-8".to_owned()))
    }

    /// Finds the entry whose id is `prefix`, or the only one starting with it.
    pub fn find(&self, prefix: &str) -> Result<EntryFile> {
        let mut matches = entry_paths(&self.entries, prefix)?;
        if let Some(i) = matches.iter().position(|(id, _)| id == prefix) {
            let (id, path) = matches.swap_remove(i);
            let mut file = read_entry(id, path, self.repo.workdir())?;
            self.expand_short_ids(&mut file);
            return Ok(file);
        }
        match matches.len() {
            0 => Err(Error::NotFound(prefix.to_owned())),
            1 => {
                let (id, path) = matches.remove(0);
                let mut file = read_entry(id, path, self.repo.workdir())?;
                self.expand_short_ids(&mut file);
                Ok(file)
            }
            _ => Err(Error::Ambiguous {
                prefix: prefix.to_owned(),
                candidates: matches.into_iter().map(|(id, _)| id).collect(),
            }),
        }
    }
}

/// Whether `id` can name an entry file: letters, digits, `-`, `_` and `.`, not hidden.
pub fn is_file_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn commit_message(title: &str, id: &str) -> String {
    let subject: String = title
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(200)
        .collect();
    format!("journal: {subject}\n\nJournal-Id: {id}\n")
}

/// Whether the entry cites a commit by a short id (expanded by the store as it reads).
fn has_short_ids(file: &EntryFile) -> bool {
    file.entry
        .as_ref()
        .is_ok_and(|parsed| parsed.entry.commits.iter().any(|c| c.sha.len() < 40))
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use journal_entry::{Entry, Evidence};
    use journal_testutils::TestRepo;

    use super::{Store, StoreOptions, is_file_id};
    use crate::Error;

    fn entry(title: &str) -> Entry {
        let date = DateTime::parse_from_rfc3339("2026-10-08T11:15:00+02:00").unwrap();
        Entry::new(String::new(), date, title)
    }

    #[test]
    fn an_entry_is_found_by_its_id_or_a_unique_prefix_and_an_ambiguous_one_lists_both() {
        let repo = TestRepo::journal();
        let store = Store::open(&repo.root, StoreOptions::default()).unwrap();
        let a = store.add(entry("LUKS over ssh"), true).unwrap();
        let b = store.add(entry("LUKS with tpm"), true).unwrap();
        assert_eq!(store.find(&a.id).unwrap().id, a.id);
        assert_eq!(store.find(&b.id[..24]).unwrap().id, b.id);
        match store.find("20261008") {
            Err(Error::Ambiguous { candidates, .. }) => {
                assert_eq!(candidates.len(), 2, "{candidates:?}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(store.find("2099"), Err(Error::NotFound(_))));
    }

    #[test]
    fn a_file_that_does_not_parse_is_scanned_with_its_problem_not_dropped() {
        let repo = TestRepo::journal();
        let store = Store::open(&repo.root, StoreOptions::default()).unwrap();
        store.add(entry("good"), true).unwrap();
        repo.write(
            "journal/2026/10/20261009T080000Z-bad.md",
            "---\ndate: someday\ntitle: Bad\n---\n",
        );
        let files = store.scan().unwrap();
        assert_eq!(files.len(), 2);
        let bad = files.iter().find(|f| f.id.ends_with("-bad")).unwrap();
        let problems = &bad.entry.as_ref().unwrap_err().problems;
        assert_eq!(problems[0].field.as_deref(), Some("date"), "{problems:?}");
        let loaded = store.load(&bad.rel_path).unwrap();
        assert!(loaded.entry.is_err());
    }

    #[test]
    fn evidence_names_a_configured_repository_or_is_refused_with_its_name() {
        let repo = TestRepo::journal();
        let sha = repo.commit("infra: luks", &[("luks.nix", "# luks\n")]);
        let store = Store::open(&repo.root, StoreOptions::default()).unwrap();
        let (evidence, _) = store.resolve_evidence("HEAD").unwrap();
        assert_eq!(evidence, Evidence::local(sha));
        assert!(store.evidence_exists(&evidence).unwrap());
        match store.resolve_evidence("infra:HEAD") {
            Err(Error::UnknownRepo { name, .. }) => assert_eq!(name, "infra"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn file_ids_are_plain_names() {
        assert!(is_file_id("20261008T091500Z-luks-over-ssh"));
        assert!(is_file_id("a.b_c-1"));
        for bad in ["", ".hidden", "a/b", "a b", "../x"] {
            assert!(!is_file_id(bad), "{bad:?}");
        }
    }
}
