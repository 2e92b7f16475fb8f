//! One watcher per journal: an exclusive `flock` on a file that holds the watcher's pid.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How long a starting watcher keeps trying a lock that is held: readers take it shared for
/// an instant to see whether a watcher runs, and must not make a new watcher fail.
const START_PATIENCE: Duration = Duration::from_secs(1);

/// The width the pid is written at (padded with spaces), so that one write replaces it whole.
const PID_WIDTH: usize = 20;

/// How long a reader waits for a watcher that holds its lock to have written its pid.
const PID_PATIENCE: Duration = Duration::from_secs(2);

/// The lock of the running watcher. Released when dropped or when the process dies, however
/// it dies: a killed watcher's lock is free for the next one, whatever pid its file still says.
#[derive(Debug)]
pub struct WatchLock {
    file: File,
    /// The pid the file held before this watcher took it over, if it was another one.
    pub previous_pid: Option<String>,
}

impl WatchLock {
    /// Takes the lock at `path` (creating the file and its folder) and writes this process's
    /// pid into it; [`Error::AlreadyWatched`] when a live watcher holds it.
    pub fn acquire(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(Error::io("cannot create", dir))?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)
            .map_err(Error::io("cannot open the lock file", path))?;
        let deadline = Instant::now() + START_PATIENCE;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(TryLockError::WouldBlock) => {
                    let pid = read_pid(&mut file).unwrap_or_else(|| "?".to_owned());
                    return Err(Error::AlreadyWatched { pid });
                }
                Err(TryLockError::Error(err)) => return Err(Error::io("cannot lock", path)(err)),
            }
        }
        let own = std::process::id().to_string();
        let previous_pid = read_pid(&mut file).filter(|pid| *pid != own);
        // One write of a fixed width, with no truncation first: a reader never sees the file
        // empty or half written (see `lock_holder`).
        let write = |file: &mut File| -> std::io::Result<()> {
            file.seek(SeekFrom::Start(0))?;
            file.write_all(format!("{own:<PID_WIDTH$}\n").as_bytes())?;
            file.set_len(PID_WIDTH as u64 + 1)?;
            file.sync_all()
        };
        write(&mut file).map_err(Error::io("cannot write", path))?;
        Ok(Self { file, previous_pid })
    }
}

impl WatchLock {
    /// Releases the lock after a clean stop, emptying the file first: a pid left in it means
    /// the watcher died without stopping, which the next one reports when it takes over.
    pub fn release(self) {
        let _ = self.file.set_len(0);
    }
}

/// Returns the pid of the watcher holding the lock at `path`, or `None` when no watcher runs
/// (the file is missing, or nobody holds its lock). `Some("?")` when the pid cannot be read.
pub fn lock_holder(path: &Path) -> Option<String> {
    let mut file = File::open(path).ok()?;
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            None
        }
        Err(TryLockError::WouldBlock) => Some(holder_pid(&mut file)),
        Err(TryLockError::Error(_)) => None,
    }
}

/// Returns the pid of the live watcher holding the lock of `file`. A watcher that has just
/// taken the lock writes its pid an instant later, over the pid of the one before (which may
/// have been killed): the pid is read again until it names a live process, for up to
/// [`PID_PATIENCE`]. `"?"` after that.
fn holder_pid(file: &mut File) -> String {
    let deadline = Instant::now() + PID_PATIENCE;
    loop {
        if let Some(pid) = read_pid(file).filter(|pid| is_alive(pid)) {
            return pid;
        }
        if Instant::now() >= deadline {
            return "?".to_owned();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// Whether a process with this pid exists, where the system can say (`/proc`).
fn is_alive(pid: &str) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid).exists()
}

fn read_pid(file: &mut File) -> Option<String> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    let pid = text.trim();
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then(|| pid.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_at_a_time_and_a_released_lock_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("watch/lock");
        assert_eq!(lock_holder(&path), None, "no file yet");

        let first = WatchLock::acquire(&path).unwrap();
        let own = std::process::id().to_string();
        assert_eq!(lock_holder(&path), Some(own.clone()));
        match WatchLock::acquire(&path) {
            Err(Error::AlreadyWatched { pid }) => assert_eq!(pid, own),
            other => panic!("expected AlreadyWatched, got {other:?}"),
        }
        drop(first);
        assert_eq!(lock_holder(&path), None, "released");

        // A lock file left by a dead watcher: its pid is reported as taken over.
        std::fs::write(&path, "999999\n").unwrap();
        let second = WatchLock::acquire(&path).unwrap();
        assert_eq!(second.previous_pid.as_deref(), Some("999999"));
        // One fixed-width write: the pid, padded, then a newline.
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{own:<PID_WIDTH$}\n")
        );
    }
}
