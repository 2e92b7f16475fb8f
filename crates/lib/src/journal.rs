//! [`Journal`]: an open journal (its journal.toml and its store), and the freshness policy
//! every reading operation goes through.
//!
//! With a healthy watcher (`journal watch`: lock held, first sync done, heartbeat younger than
//! [`STUCK_AFTER`]) the index is as fresh as the watcher's last batch, and a reader uses it at
//! once. Otherwise the reader syncs by itself, waiting at most [`STUCK_AFTER`] for another
//! process's sync before it reads what that process last committed.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use journal_daemon::{STUCK_AFTER, WatchFiles, WatcherHealth, probe, wall_clock};
use journal_entry::Problem;
use journal_index::{Access, JournalIndex, SyncReport};
use journal_store::{IdentityOverrides, Store};
use serde::Serialize;

use crate::config::{self, JournalConfig};
use crate::error::Result;

/// Where to find a journal and who writes to it: everything a front end reads from its
/// environment, passed in.
#[derive(Debug, Clone, Default)]
pub struct OpenOptions {
    /// The folder to start from (the current folder of a command), absolute.
    pub start: PathBuf,
    /// The journal root given explicitly (`--journal`, `JOURNAL_DIR`), relative to `start`.
    pub journal_dir: Option<PathBuf>,
    /// The git identity from git's environment variables (`GIT_AUTHOR_NAME`, ...).
    pub identity: IdentityOverrides,
    /// git's `GIT_DIR` and `GIT_WORK_TREE`, absolute, when set: the journal finds its
    /// repository from the journal folder, and refuses to open when they name another one
    /// (rather than write where the operator's git would not look).
    pub git_env: GitEnv,
}

/// git's `GIT_DIR` and `GIT_WORK_TREE`, as the front end read them (absolute).
#[derive(Debug, Clone, Default)]
pub struct GitEnv {
    /// `GIT_DIR`.
    pub git_dir: Option<PathBuf>,
    /// `GIT_WORK_TREE`.
    pub work_tree: Option<PathBuf>,
}

/// An open journal: its configuration and its store.
#[derive(Debug)]
pub struct Journal {
    pub(crate) config: JournalConfig,
    pub(crate) store: Store,
    /// journal.toml as it was when read: a journal kept open between calls is opened again
    /// when it changed ([`Journal::is_current`]).
    pub(crate) config_stamp: Option<FileStamp>,
    /// The index between two reading operations: kept open, made current by each
    /// ([`JournalIndex::refresh`]), rather than opened anew.
    kept_index: Mutex<Option<JournalIndex>>,
    /// What a server keeps between calls ([`crate::memo`]); none in a one-operation process.
    pub(crate) memo: Option<std::sync::Arc<crate::memo::Memo>>,
}

/// What tells a file changed: its inode, size and modification time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileStamp {
    ino: u64,
    len: u64,
    mtime: Option<std::time::SystemTime>,
}

impl FileStamp {
    fn of(path: &Path) -> Option<Self> {
        use std::os::unix::fs::MetadataExt as _;
        let meta = std::fs::metadata(path).ok()?;
        Some(Self {
            ino: meta.ino(),
            len: meta.len(),
            mtime: meta.modified().ok(),
        })
    }
}

/// A file a reading operation could not read, skipped: its path and its problems.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SkippedFile {
    /// Path relative to the working tree.
    pub path: String,
    /// Why it was skipped, in file order (at least one).
    pub problems: Vec<Problem>,
}

impl SkippedFile {
    /// Returns each problem as every front end reports it: `path:line: field `f`: message`.
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.problems
            .iter()
            .map(|p| p.located(&self.path).to_string())
    }
}

/// The index, brought up to date, and what that found.
pub(crate) struct Fresh<'j> {
    pub index: KeptIndex<'j>,
    pub skipped: Vec<SkippedFile>,
    pub warnings: Vec<String>,
}

/// The index of a reading operation; given back to its journal when the operation is done
/// (a server's next call reuses it), unless it could not be opened writable in its folder.
pub(crate) struct KeptIndex<'j> {
    index: Option<JournalIndex>,
    home: &'j Mutex<Option<JournalIndex>>,
}

impl std::ops::Deref for KeptIndex<'_> {
    type Target = JournalIndex;
    fn deref(&self) -> &JournalIndex {
        self.index
            .as_ref()
            .unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl std::ops::DerefMut for KeptIndex<'_> {
    fn deref_mut(&mut self) -> &mut JournalIndex {
        self.index
            .as_mut()
            .unwrap_or_else(|| unreachable!("taken only on drop"))
    }
}

impl Drop for KeptIndex<'_> {
    fn drop(&mut self) {
        if let Some(index) = self.index.take()
            && *index.access() == Access::Writable
            && let Ok(mut home) = self.home.lock()
        {
            *home = Some(index);
        }
    }
}

impl Journal {
    /// Finds the journal (`journal_dir`, or the nearest folder from `start` upwards holding
    /// journal.toml), reads journal.toml and opens the store.
    pub fn open(options: &OpenOptions) -> Result<Self> {
        let root = config::locate(options.journal_dir.as_deref(), &options.start)?;
        let journal = Self::open_root(&root, options.identity.clone())?;
        journal.check_git_env(&options.git_env)?;
        Ok(journal)
    }

    /// Refuses `GIT_DIR` / `GIT_WORK_TREE` that name another repository than the journal's
    /// (the same one, as git hooks set it, is fine).
    fn check_git_env(&self, env: &GitEnv) -> Result<()> {
        let repo = self.store.repo();
        let same = |given: &Option<PathBuf>, actual: &Path| {
            given.as_ref().is_none_or(|g| {
                g.canonicalize()
                    .is_ok_and(|g| actual.canonicalize().is_ok_and(|a| a == g))
            })
        };
        for (name, given, actual) in [
            ("GIT_DIR", &env.git_dir, repo.git_dir()),
            ("GIT_WORK_TREE", &env.work_tree, repo.workdir()),
        ] {
            if !same(given, actual) {
                let given = given.as_deref().unwrap_or(Path::new("")).display();
                return Err(crate::error::Error::refused(format!(
                    "{name} is set to {given}, but the journal's repository (found from the \
                     journal folder {}) is at {}",
                    self.root().display(),
                    actual.display()
                ))
                .hint(format!(
                    "journal does not follow {name} to another repository: unset it, or run \
                     journal from that repository's working tree"
                )));
            }
        }
        Ok(())
    }

    /// Opens the journal whose journal.toml is in `root`.
    pub fn open_root(root: &Path, identity: IdentityOverrides) -> Result<Self> {
        let config = config::load(root)?;
        let store = Store::open(root, config.store_options(identity))?;
        let workdir = store.repo().workdir();
        crate::paths::inside_work_tree(workdir, store.root(), &config.entries, "entries")?;
        crate::paths::inside_work_tree(workdir, workdir, &config.compile.out, "compile.out")?;
        if let Some(dir) = &config.index_dir {
            crate::paths::inside_work_tree(workdir, workdir, dir, "index_dir")?;
        }
        // What a journal killed in the middle of a write left is put right before anything
        // reads or writes (one `stat` when there is nothing).
        store.recover();
        Ok(Self {
            config,
            store,
            config_stamp: FileStamp::of(&root.join(config::FILE_NAME)),
            kept_index: Mutex::new(None),
            memo: None,
        })
    }

    /// Says whether this journal, kept open by a server, still is what opening it again
    /// would give: journal.toml unchanged. A kept journal also needs [`Journal::recover`]
    /// before each call.
    pub fn is_current(&self) -> bool {
        self.config_stamp.is_some()
            && FileStamp::of(&self.root().join(config::FILE_NAME)) == self.config_stamp
    }

    /// Puts right what a journal write killed since the journal was opened left (as
    /// opening does), and forgets the cancellation check of the last call: what a server
    /// does before each call on a journal it keeps open.
    pub fn recover(&self) {
        self.store.clear_cancel();
        self.store.recover();
    }

    /// Returns, and forgets, what was repaired (or found and left for the user) of a journal
    /// write that was killed: one line each for the front end to show.
    pub fn take_repairs(&self) -> Vec<journal_store::Repair> {
        self.store.take_repairs()
    }

    /// Makes this journal's writes give up, writing nothing, when `cancelled` says so once
    /// they hold the write lock (an agent's cancelled call). See `Store::on_cancel`.
    pub fn on_cancel(&self, cancelled: impl Fn() -> bool + Send + Sync + 'static) {
        self.store.on_cancel(cancelled);
    }

    /// Returns journal.toml as read.
    pub fn config(&self) -> &JournalConfig {
        &self.config
    }

    /// Returns the store: the entry files and the repositories.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Returns the folder holding journal.toml.
    pub fn root(&self) -> &Path {
        self.store.root()
    }

    /// Returns the index folder: `index_dir` from journal.toml (relative to the repository
    /// root), by default `journal/` inside the git directory, where it is never committed.
    pub fn index_dir(&self) -> PathBuf {
        match &self.config.index_dir {
            Some(dir) => self.store.repo().workdir().join(dir),
            None => self.store.repo().git_dir().join("journal"),
        }
    }

    /// Returns the index options that journal.toml decides.
    pub fn sync_options(&self) -> journal_index::SyncOptions {
        let rules = self.config.rules.iter().map(|r| journal_index::CommitRule {
            paths: r.paths.clone(),
            subject: r.subject.clone(),
            author: r.author.clone(),
            provider: r.provider.clone(),
            pattern: r.pattern.clone(),
            effect: match r.effect {
                crate::config::RuleEffectConfig::Tag => journal_index::RuleEffect::Tag,
                crate::config::RuleEffectConfig::Lower => journal_index::RuleEffect::Lower,
                crate::config::RuleEffectConfig::Exclude => journal_index::RuleEffect::Exclude,
            },
        });
        journal_index::SyncOptions {
            vocabulary: self.config.vocabulary.clone(),
            rules: rules.collect(),
        }
    }

    /// Returns whether a commit should be made: journal.toml's `commit`, unless the caller
    /// said not to.
    pub(crate) fn commits(&self, no_commit: bool) -> bool {
        self.config.commit && !no_commit
    }

    /// Opens the index, fresh (the freshness policy above), with the files it could not read.
    /// The index is never trusted blindly: one found missing or incomplete is rebuilt here
    /// (even with a watcher), and one that cannot be written answers as last written, or is
    /// built in memory from the files, with one warning.
    pub(crate) fn fresh(&self) -> Result<Fresh<'_>> {
        let mut index = KeptIndex {
            index: Some(self.open_index()?),
            home: &self.kept_index,
        };
        let mut warnings = Vec::new();
        let report = match index.access().clone() {
            Access::ReadOnly(reason) => {
                if !index.is_fresh(&self.store)? {
                    warnings.push(format!(
                        "the index cannot be updated ({reason}): answers come from it as last \
                         written and may miss the latest changes"
                    ));
                }
                index.recorded_report()?
            }
            Access::InMemory(reason) => {
                warnings.push(format!(
                    "the index cannot be written ({reason}): it was built in memory from the \
                     entry files for this command"
                ));
                index.sync(&self.store, &self.sync_options(), &mut |_| {})?
            }
            Access::Writable
                if !index.rebuilt() && self.watcher_vouches() && index.has_synced()? =>
            {
                index.recorded_report()?
            }
            Access::Writable => {
                let options = self.sync_options();
                match index.try_sync(&self.store, &options, &mut |_| {}, STUCK_AFTER) {
                    Ok(Some(report)) => report,
                    Ok(None) => {
                        warnings.push(format!(
                            "another process has been updating the index for {} s: showing \
                             what it last committed",
                            STUCK_AFTER.as_secs()
                        ));
                        index.recorded_report()?
                    }
                    // A full disk: the old index is intact (tantivy and SQLite both commit
                    // whole or not at all), so it answers, with a warning.
                    Err(err) if err.is_unwritable() && index.has_synced()? => {
                        warnings.push(format!(
                            "the index could not be updated ({}): answers come from it as last \
                             written and may miss the latest changes",
                            crate::error::chain(&err)
                        ));
                        index.recorded_report()?
                    }
                    Err(err) => return Err(err.into()),
                }
            }
        };
        for repo in &report.shallow {
            let name = if repo.is_empty() {
                "the journal's repository".to_owned()
            } else {
                format!("repository `{repo}`")
            };
            warnings.push(format!(
                "{name} is a shallow clone: evidence commits older than its shallow history \
                 cannot be found (`git fetch --unshallow` fetches the rest)"
            ));
        }
        Ok(Fresh {
            index,
            skipped: skipped(&report),
            warnings,
        })
    }

    /// Closes the index kept from the last operation (before the folder is wiped).
    pub(crate) fn forget_index(&self) {
        if let Ok(mut kept) = self.kept_index.lock() {
            kept.take();
        }
    }

    /// Returns the index kept from the last operation when its folder still holds it (made
    /// current), else opens the folder.
    fn open_index(&self) -> Result<JournalIndex> {
        let dir = self.index_dir();
        let kept = self.kept_index.lock().ok().and_then(|mut k| k.take());
        if let Some(mut index) = kept
            && index.dir() == dir
            && index.refresh().unwrap_or(false)
        {
            return Ok(index);
        }
        Ok(JournalIndex::open_within(&dir, STUCK_AFTER)?)
    }

    /// After an operation wrote entry files: with a healthy watcher, readers will not look at
    /// the files themselves, so the writer brings the index up to date at once rather than
    /// leave a window until the watcher's next batch. Without one, the next reader does it.
    /// Returns a warning when that failed (the entry itself is saved).
    pub(crate) fn after_write(&self) -> Option<String> {
        if !self.watcher_vouches() {
            return None;
        }
        let result = self.open_index().and_then(|index| {
            let mut index = KeptIndex {
                index: Some(index),
                home: &self.kept_index,
            };
            index
                .try_sync(&self.store, &self.sync_options(), &mut |_| {}, STUCK_AFTER)
                .map_err(crate::Error::from)
        });
        result.err().map(|err| {
            format!(
                "the entry is saved, but the index was not updated: {}",
                crate::error::chain(&err)
            )
        })
    }

    /// Returns the watcher's health, as its lock and heartbeat say.
    pub(crate) fn watcher(&self) -> (WatchFiles, WatcherHealth) {
        let files = WatchFiles::in_git_dir(self.store.repo().git_dir());
        let health = probe(&files, wall_clock());
        (files, health)
    }

    /// Returns whether a healthy watcher keeps this journal's index fresh.
    fn watcher_vouches(&self) -> bool {
        match self.watcher().1 {
            WatcherHealth::Healthy(heartbeat) => heartbeat.index_dir == self.index_dir(),
            _ => false,
        }
    }
}

/// Returns the bad files of a sync as skipped files.
pub(crate) fn skipped(report: &SyncReport) -> Vec<SkippedFile> {
    report
        .bad
        .iter()
        .map(|bad| SkippedFile {
            path: bad.path.clone(),
            problems: bad.problems.clone(),
        })
        .collect()
}
