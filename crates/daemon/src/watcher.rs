//! The watch loop: events in, debounced batches out, one sync per batch, a heartbeat between.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use journal_index::{JournalIndex, SyncOptions, SyncReport};
use journal_store::Store;
use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use tokio::time::{Instant, MissedTickBehavior, interval, timeout};
use tracing::{debug, error, info, warn};

use crate::WatchFiles;
use crate::error::{Error, Result};
use crate::heartbeat::{HEARTBEAT_INTERVAL, Heartbeat, wall_clock};
use crate::lock::WatchLock;
use crate::targets::{GitDirs, Targets};

/// A batch closes after this long without a new event...
const QUIET: Duration = Duration::from_millis(100);
/// ...or this long after its first event, so that a steady stream still gets synced.
const MAX_BATCH: Duration = Duration::from_secs(1);

/// One journal as the watcher needs it, loaded from journal.toml by the caller.
#[derive(Debug)]
pub struct Setup {
    /// The journal's files and repository.
    pub store: Store,
    /// Vocabulary and commit rules.
    pub options: SyncOptions,
    /// The index folder.
    pub index_dir: PathBuf,
    /// journal.toml: when it changes, [`Setup`] is loaded again.
    pub config_file: PathBuf,
    /// A command that builds the index from scratch (`journal reindex`), run as a separate
    /// process when the index is empty: a full build of a large journal peaks at hundreds of
    /// MB, which a long-running watcher would otherwise keep. `None`: build in process.
    pub build_command: Option<Vec<OsString>>,
}

impl Setup {
    fn targets(&self) -> Targets {
        let dirs = |repo: &journal_store::GitRepo| GitDirs {
            git_dir: normalize(repo.git_dir()),
            common_dir: normalize(repo.common_dir()),
        };
        let mut git_dirs = vec![dirs(self.store.repo())];
        let mut missing = Vec::new();
        for name in self.store.repo_names() {
            match self.store.named_repo(&name) {
                Ok(Some(repo)) => git_dirs.push(dirs(&repo)),
                _ => missing.extend(self.store.repo_path(&name).map(|p| normalize(&p))),
            }
        }
        Targets {
            entries: normalize(self.store.entries_dir()),
            root: normalize(self.store.root()),
            config: normalize(&self.config_file),
            index_dir: normalize(&self.index_dir),
            git_dirs,
            missing,
        }
    }
}

/// How many times the watches are set up again while the targets change under them.
const REWATCH_ROUNDS: usize = 4;

/// How a watcher is told to stop.
#[derive(Debug)]
pub enum Stop {
    /// SIGINT or SIGTERM: the watcher is the process (`journal watch`).
    Signals,
    /// A message, or its sender dropped: the watcher runs inside another program (`journal
    /// mcp`), whose signals stay its own (a handler here would keep SIGTERM from ending it).
    Channel(tokio::sync::oneshot::Receiver<()>),
}

/// Runs the watcher until SIGINT or SIGTERM: takes the lock, syncs once, then syncs after
/// each batch of relevant events. `load` reads the journal again when journal.toml changes.
/// Returns an error only for critical problems; runtime ones are logged.
pub fn run(
    files: &WatchFiles,
    load: impl FnMut() -> std::result::Result<Setup, String>,
) -> Result<()> {
    run_until(files, load, Stop::Signals)
}

/// As [`run`], until `stop` says so.
pub fn run_until(
    files: &WatchFiles,
    load: impl FnMut() -> std::result::Result<Setup, String>,
    stop: Stop,
) -> Result<()> {
    let lock = WatchLock::acquire(&files.lock)?;
    if let Some(pid) = &lock.previous_pid {
        info!("took over the lock of pid {pid}, which no longer runs");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::io("cannot start the event loop for", &files.dir))?;
    let result = runtime.block_on(async {
        let mut watcher = Watcher::new(files.clone(), load)?;
        watcher.watch(stop).await
    });
    // Whatever happened, a reader must not trust a heartbeat nobody writes any more.
    let _ = std::fs::remove_file(&files.heartbeat);
    lock.release();
    result
}

/// What the watch loop waits on to stop.
enum Stopping {
    Signals {
        term: tokio::signal::unix::Signal,
        int: tokio::signal::unix::Signal,
    },
    Channel(tokio::sync::oneshot::Receiver<()>),
}

impl Stopping {
    /// Waits for the stop; returns what it was.
    async fn stopped(&mut self) -> &'static str {
        match self {
            Self::Signals { term, int } => tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = int.recv() => "SIGINT",
            },
            Self::Channel(receiver) => {
                let _ = receiver.await;
                "asked"
            }
        }
    }
}

/// What a batch of events calls for.
#[derive(Debug, Default)]
struct Batch {
    sync: bool,
    reload: bool,
    structure: Vec<PathBuf>,
    first: Option<Instant>,
}

impl Batch {
    /// Adds an event; returns whether it matters.
    fn add(&mut self, targets: &Targets, event: notify::Result<Event>) -> bool {
        use crate::targets::Relevance;
        let event = match event {
            Ok(event) => event,
            Err(err) => {
                // Lost events (a full queue) or a watch gone wrong: look at everything.
                warn!("file watching: {err}");
                self.sync = true;
                self.first.get_or_insert_with(Instant::now);
                return true;
            }
        };
        if let EventKind::Access(kind) = event.kind
            && kind != AccessKind::Close(AccessMode::Write)
        {
            return false; // reads, including the sync's own
        }
        let mut relevant = false;
        if event.need_rescan() {
            self.sync = true;
            relevant = true;
        }
        for path in &event.paths {
            let relevance = targets.classify(path);
            debug!("{:?} {} -> {relevance:?}", event.kind, path.display());
            match relevance {
                Relevance::Ignore => continue,
                Relevance::Entries | Relevance::Git => self.sync = true,
                Relevance::Config => self.reload = true,
                Relevance::Structure => self.structure.push(path.clone()),
            }
            relevant = true;
            self.first.get_or_insert_with(Instant::now);
        }
        relevant
    }

    fn is_empty(&self) -> bool {
        !self.sync && !self.reload && self.structure.is_empty()
    }
}

struct Watcher<L> {
    files: WatchFiles,
    setup: Setup,
    load: L,
    targets: Targets,
    watched: BTreeMap<PathBuf, bool>,
    notify: RecommendedWatcher,
    events: UnboundedReceiver<notify::Result<Event>>,
    heartbeat: Heartbeat,
    bad: Vec<String>,
}

impl<L: FnMut() -> std::result::Result<Setup, String>> Watcher<L> {
    fn new(files: WatchFiles, mut load: L) -> Result<Self> {
        let setup = load().map_err(Error::Setup)?;
        let (sender, events) = unbounded_channel();
        // The callback runs on notify's thread: it only forwards, the loop does the work.
        let notify = notify::recommended_watcher(move |event| {
            let _ = sender.send(event);
        })?;
        let heartbeat =
            Heartbeat::starting(std::process::id(), wall_clock(), setup.index_dir.clone());
        Ok(Self {
            targets: setup.targets(),
            files,
            setup,
            load,
            watched: BTreeMap::new(),
            notify,
            events,
            heartbeat,
            bad: Vec::new(),
        })
    }

    async fn watch(&mut self, stop: Stop) -> Result<()> {
        let mut stopping = match stop {
            Stop::Signals => Stopping::Signals {
                term: signal(SignalKind::terminate())
                    .map_err(Error::io("cannot catch SIGTERM in", "."))?,
                int: signal(SignalKind::interrupt())
                    .map_err(Error::io("cannot catch SIGINT in", "."))?,
            },
            Stop::Channel(receiver) => Stopping::Channel(receiver),
        };
        self.beat()?;
        self.rewatch();
        // The first sync must work: a watcher that cannot write its index is no use.
        self.sync(None)?;
        info!(
            "watching {} ({} entries, {} commits indexed)",
            self.targets.root.display(),
            self.heartbeat.entries,
            self.heartbeat.commits
        );
        let mut tick = interval(HEARTBEAT_INTERVAL);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                why = stopping.stopped() => {
                    info!("{why}: stopping");
                    return Ok(());
                }
                event = self.events.recv() => {
                    let Some(event) = event else {
                        return Err(Error::Setup("the file watcher stopped".into()));
                    };
                    let batch = self.collect(event).await;
                    if !batch.is_empty() {
                        self.handle(batch)?;
                    }
                }
                _ = tick.tick() => self.beat()?,
            }
        }
    }

    /// Gathers events until a quiet period (or the batch's time is up).
    async fn collect(&mut self, first: notify::Result<Event>) -> Batch {
        let mut batch = Batch::default();
        batch.add(&self.targets, first);
        let deadline = Instant::now() + MAX_BATCH;
        // Only events that matter extend the quiet period: others (reads of entry files by
        // searches, git's own index) must not hold a batch open.
        let mut quiet_until = Instant::now() + QUIET;
        loop {
            let wait = quiet_until
                .min(deadline)
                .saturating_duration_since(Instant::now());
            match timeout(wait, self.events.recv()).await {
                Ok(Some(event)) => {
                    if batch.add(&self.targets, event) {
                        quiet_until = Instant::now() + QUIET;
                    }
                }
                Ok(None) | Err(_) => return batch,
            }
        }
    }

    fn handle(&mut self, batch: Batch) -> Result<()> {
        if !self.targets.root.is_dir() {
            return Err(Error::Setup(format!(
                "the journal folder {} is gone",
                self.targets.root.display()
            )));
        }
        if batch.reload {
            match (self.load)() {
                Ok(setup) => {
                    info!("journal.toml changed: configuration reloaded");
                    self.heartbeat.index_dir = setup.index_dir.clone();
                    self.setup = setup;
                }
                Err(err) => error!("journal.toml: {err} (keeping the previous configuration)"),
            }
        }
        if batch.reload || !batch.structure.is_empty() {
            // A watched folder that was removed and made again needs a new watch.
            for path in &batch.structure {
                let stale: Vec<PathBuf> = self
                    .watched
                    .keys()
                    .filter(|w| w.starts_with(path))
                    .cloned()
                    .collect();
                for dir in stale {
                    let _ = self.notify.unwatch(&dir);
                    self.watched.remove(&dir);
                }
            }
            self.targets = self.setup.targets();
            self.rewatch();
        }
        if let Err(err) = self.sync(batch.first) {
            error!("sync failed: {err}");
            self.heartbeat.last_error = Some(err.to_string());
            self.beat()?;
        }
        Ok(())
    }

    /// Makes the watches match the targets as they exist now. A folder made between reading
    /// the targets and adding the watches (a repository's `refs/` while `git init` runs) has
    /// no watch and gave no event: the targets are read again until they hold still, so that
    /// the sync that follows sees everything made before, and events cover everything after.
    fn rewatch(&mut self) {
        for _ in 0..REWATCH_ROUNDS {
            let wanted = self.targets.watches();
            if wanted == self.watched {
                return;
            }
            self.apply_watches(wanted);
            self.targets = self.setup.targets();
        }
    }

    /// Adds and removes watches so that they are `wanted`.
    fn apply_watches(&mut self, wanted: BTreeMap<PathBuf, bool>) {
        let gone: Vec<PathBuf> = self
            .watched
            .iter()
            .filter(|(path, recursive)| wanted.get(*path) != Some(recursive))
            .map(|(path, _)| path.clone())
            .collect();
        for path in gone {
            let _ = self.notify.unwatch(&path);
            self.watched.remove(&path);
        }
        for (path, recursive) in wanted {
            if self.watched.contains_key(&path) {
                continue;
            }
            let mode = if recursive {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            match self.notify.watch(&path, mode) {
                Ok(()) => {
                    debug!("watching {} (recursive: {recursive})", path.display());
                    self.watched.insert(path, recursive);
                }
                Err(err) => warn!("cannot watch {}: {err}", path.display()),
            }
        }
    }

    /// Brings the index up to date. `first` is when the batch's first event came.
    fn sync(&mut self, first: Option<Instant>) -> std::result::Result<(), journal_index::Error> {
        let started = Instant::now();
        if !self.setup.index_dir.is_dir() {
            // Deleted (or never built): readers must not trust it until it is rebuilt.
            self.heartbeat.ready = false;
            let _ = self.beat();
        }
        let mut index = JournalIndex::open(&self.setup.index_dir)?;
        if !index.has_synced()?
            && let Some((program, args)) = self
                .setup
                .build_command
                .as_ref()
                .and_then(|c| c.split_first())
        {
            info!("building the index in a separate process");
            drop(index);
            let status = Command::new(program)
                .args(args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .status();
            match status {
                Ok(status) if status.success() => {}
                other => warn!("the separate build failed ({other:?}): building in this process"),
            }
            index = JournalIndex::open(&self.setup.index_dir)?;
        }
        let report = index.sync(&self.setup.store, &self.setup.options, &mut |_| {})?;
        let elapsed = started.elapsed();
        self.log_report(&report, elapsed);
        self.heartbeat.entries = report.files.saturating_sub(report.bad.len());
        self.heartbeat.commits = index.commit_count()?;
        self.heartbeat.last_sync = Some(wall_clock());
        self.heartbeat.last_sync_ms = Some(millis(elapsed));
        self.heartbeat.lag_ms = first.map(|f| millis(f.elapsed()));
        self.heartbeat.last_error = None;
        self.heartbeat.ready = true;
        let _ = self.beat();
        Ok(())
    }

    fn log_report(&mut self, report: &SyncReport, elapsed: Duration) {
        if report.changed() {
            info!(
                "synced in {} ms: {} added, {} updated, {} removed, {} commits",
                elapsed.as_millis(),
                report.added,
                report.updated,
                report.removed,
                report.commits
            );
        } else {
            debug!("nothing changed ({} ms)", elapsed.as_millis());
        }
        // Each bad file is reported once, when it turns bad.
        let bad: Vec<String> = report.bad.iter().map(|b| b.path.clone()).collect();
        for file in &report.bad {
            if !self.bad.contains(&file.path) {
                for line in file.lines() {
                    warn!("{line}");
                }
            }
        }
        self.bad = bad;
    }

    fn beat(&mut self) -> Result<()> {
        self.heartbeat.beat = wall_clock();
        if let Err(err) = self.heartbeat.write(&self.files.heartbeat) {
            if !self.files.dir.is_dir() {
                // The git directory's folder was removed: the lock file with it.
                return Err(err);
            }
            warn!("{err}");
        }
        Ok(())
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Removes `.` and `..` components without touching the disk, so that a configured path such
/// as `../infra` compares equal to the paths events carry.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_removes_dot_and_dot_dot() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }
}
