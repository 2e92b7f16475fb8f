//! `watch`: the background watcher of a journal ([`journal_daemon`]), loading journal.toml
//! again whenever it changes.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use journal_daemon::{Setup, WatchFiles};
use journal_store::IdentityOverrides;

use crate::config::FILE_NAME;
use crate::error::{Error, Result};
use crate::journal::Journal;

/// How a watcher runs a full build (a rebuilt index, a changed vocabulary): in a process of
/// its own, so that the watcher never keeps a build's peak memory. The front end that starts
/// the watcher knows its own command line (`journal --journal ROOT reindex`).
#[derive(Debug, Clone)]
pub struct RebuildCommand {
    /// The program.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<OsString>,
}

/// What a watcher needs from the front end that starts it.
#[derive(Debug, Clone, Default)]
pub struct WatchOptions {
    /// The git identity overrides journal.toml is opened again with when it changes.
    pub identity: IdentityOverrides,
    /// How to run a full build; `None`: in the watcher's own process.
    pub rebuild: Option<RebuildCommand>,
}

impl RebuildCommand {
    fn argv(&self) -> Vec<OsString> {
        let mut argv = vec![self.program.clone().into_os_string()];
        argv.extend(self.args.iter().cloned());
        argv
    }
}

impl Journal {
    /// Returns the watcher's own files (lock, heartbeat, log folder).
    pub fn watch_files(&self) -> WatchFiles {
        WatchFiles::in_git_dir(self.store.repo().git_dir())
    }

    /// Runs the watcher until SIGINT or SIGTERM.
    pub fn watch(self, options: WatchOptions) -> Result<()> {
        let files = self.watch_files();
        journal_daemon::run(&files, self.loader(options))?;
        Ok(())
    }

    /// Returns how the watcher loads the journal: this one first, then journal.toml read
    /// again each time it changes.
    fn loader(self, options: WatchOptions) -> impl FnMut() -> Result<Setup, String> {
        let root: PathBuf = self.root().to_owned();
        let mut first = Some(self);
        move || {
            let journal = match first.take() {
                Some(journal) => journal,
                None => {
                    Self::open_root(&root, options.identity.clone()).map_err(|e| e.message())?
                }
            };
            let build = options.rebuild.as_ref().map(RebuildCommand::argv);
            Ok(setup(journal, &root, build))
        }
    }

    /// Runs the watcher on a thread of its own, for a long-lived front end (`journal mcp`):
    /// its calls then answer from an index kept fresh, as a `journal watch` process would
    /// make them. It stops when the returned handle is stopped or dropped. When another
    /// watcher holds the journal's lock, this one ends at once, and its handle says why.
    pub fn watch_in_background(self, options: WatchOptions) -> Result<BackgroundWatcher> {
        let files = self.watch_files();
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let load = self.loader(options);
        let thread = std::thread::Builder::new()
            .name("journal-watch".into())
            .spawn(move || {
                journal_daemon::run_until(&files, load, journal_daemon::Stop::Channel(stopped))
                    .map_err(Error::from)
            })
            .map_err(|e| Error::refused(format!("cannot start the watcher's thread: {e}")))?;
        Ok(BackgroundWatcher {
            stop: Some(stop),
            thread: Some(thread),
        })
    }
}

/// A watcher running on a thread ([`Journal::watch_in_background`]).
#[derive(Debug)]
pub struct BackgroundWatcher {
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<Result<()>>>,
}

impl BackgroundWatcher {
    /// Returns why the watcher ended, if it has (another watcher holds the lock, or a
    /// critical error); `None` while it runs.
    pub fn ended(&mut self) -> Option<Result<()>> {
        if !self
            .thread
            .as_ref()
            .is_some_and(std::thread::JoinHandle::is_finished)
        {
            return None;
        }
        self.join()
    }

    /// Stops the watcher after the batch in progress and returns how it ended.
    pub fn stop(mut self) -> Result<()> {
        self.join().unwrap_or(Ok(()))
    }

    fn join(&mut self) -> Option<Result<()>> {
        drop(self.stop.take());
        let thread = self.thread.take()?;
        Some(
            thread
                .join()
                .unwrap_or_else(|_| Err(Error::Internal("the watcher's thread panicked".into()))),
        )
    }
}

impl Drop for BackgroundWatcher {
    fn drop(&mut self) {
        let _ = self.join();
    }
}

fn setup(journal: Journal, root: &Path, build_command: Option<Vec<OsString>>) -> Setup {
    Setup {
        index_dir: journal.index_dir(),
        options: journal.sync_options(),
        config_file: root.join(FILE_NAME),
        store: journal.store,
        build_command,
    }
}

/// Tells a long-lived front end that the index changed: what the journal's watcher (this
/// process's or a `journal watch`) last synced, from its heartbeat. Cheap: one small file.
#[derive(Debug, Clone)]
pub struct ChangeProbe {
    files: WatchFiles,
}

impl ChangeProbe {
    /// Returns when a healthy watcher last synced (seconds since the epoch, with the
    /// milliseconds), or `None` without one.
    pub fn last_sync(&self) -> Option<i64> {
        match journal_daemon::probe(&self.files, journal_daemon::wall_clock()) {
            journal_daemon::WatcherHealth::Healthy(heartbeat) => {
                heartbeat.last_sync.map(|t| t.timestamp_millis())
            }
            _ => None,
        }
    }
}

impl Journal {
    /// Returns the probe of this journal's index changes.
    pub fn change_probe(&self) -> ChangeProbe {
        ChangeProbe {
            files: self.watch_files(),
        }
    }
}
