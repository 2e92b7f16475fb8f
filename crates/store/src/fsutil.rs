//! Crash-safe file writes and the journal's write lock.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How far [`write_atomic_with`] goes to make a write survive a crash of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync the file before the rename and the folder after it: a power loss leaves the old
    /// file or the whole new one. For entries and documents.
    Synced,
    /// Rename only: readers never see half a file while the system runs, but a power loss
    /// may. For files rewritten every second that only matter while it runs (the heartbeat).
    Unsynced,
}

/// Writes `bytes` to `path` so that a crash at any point leaves either the old file (or none)
/// or the whole new one: a hidden temporary file in the same folder, fsync, rename, fsync of
/// the folder. The one atomic write of the journal: entries, documents, the heartbeat.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, bytes, Durability::Synced)
}

/// Writes `bytes` to `path` through a temporary file renamed into place, as durable as
/// `durability` says (an [`AtomicFile`] written at once).
pub fn write_atomic_with(path: &Path, bytes: &[u8], durability: Durability) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)
        .map_err(Error::io("cannot write", file.temp.get_ref().path()))?;
    file.commit(durability)
}

/// A file written as a stream and put into place whole by [`AtomicFile::commit`], as
/// [`write_atomic`] does with bytes in memory: a document of hundreds of MB is written as it
/// is rendered, and a crash or an error before the commit leaves the old file (the temporary
/// one is removed when this is dropped uncommitted).
///
/// The temporary file is `.<name>.<pid>.t<random>.tmp` in the same folder, created
/// exclusively (tempfile): two writers of one path never share it, and the pid lets recovery
/// tell a dead writer's leftover from a live one's.
#[derive(Debug)]
pub struct AtomicFile {
    temp: std::io::BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
}

impl AtomicFile {
    /// Starts writing `path` (its folder must exist).
    pub fn create(path: &Path) -> Result<Self> {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = path.parent().unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        // As an ordinary new file (the umask applies), not tempfile's private 0600: the entry
        // keeps the permissions a file written by an editor would have.
        let temp = tempfile::Builder::new()
            .prefix(&temporary_prefix(&name, std::process::id()))
            .suffix(".tmp")
            .permissions(fs::Permissions::from_mode(0o666))
            .tempfile_in(dir)
            .map_err(Error::io("cannot create a temporary file in", dir))?;
        Ok(Self {
            temp: std::io::BufWriter::with_capacity(1 << 16, temp),
            path: path.to_owned(),
        })
    }

    /// The file this writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Puts the file written into place, as durable as `durability` says.
    pub fn commit(self, durability: Durability) -> Result<()> {
        let path = self.path;
        let shown = self.temp.get_ref().path().to_owned();
        let temp = self
            .temp
            .into_inner()
            .map_err(|e| Error::io("cannot write", &shown)(e.into_error()))?;
        if durability == Durability::Synced {
            temp.as_file()
                .sync_all()
                .map_err(Error::io("cannot sync", &shown))?;
            crate::faults::point("temporary-file-written");
        }
        // On failure the temporary file is removed when `temp` is dropped.
        temp.persist(&path)
            .map_err(|e| Error::io("cannot rename into place", &path)(e.error))?;
        if durability == Durability::Synced {
            sync_dir(path.parent().unwrap_or(Path::new(".")));
        }
        Ok(())
    }
}

impl std::io::Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.temp.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.temp.write_all(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.temp.flush()
    }
}

/// The start of the name of a temporary file [`write_atomic`] makes for the file `name` in
/// process `pid`: `.<name>.<pid>.t` (then random characters and `.tmp`; the `t` keeps the
/// random part from ever reading as a pid).
pub(crate) fn temporary_prefix(name: &str, pid: u32) -> String {
    format!(".{name}.{pid}.t")
}

/// Makes a rename durable. Best effort: not every platform can open a folder for syncing.
fn sync_dir(dir: &Path) {
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

/// An exclusive lock on a file, released when dropped or when the process dies, so a killed
/// writer never leaves a stale lock behind.
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
}

impl WriteLock {
    /// Blocks until the lock at `path` is held (creating the file).
    pub fn acquire(path: PathBuf) -> Result<Self> {
        let file = open_lock_file(&path)?;
        file.lock().map_err(Error::io("cannot lock", &path))?;
        Ok(Self { _file: file })
    }

    /// Like [`WriteLock::acquire`], but gives up after `wait`: `None` when another process
    /// still holds the lock then, so a reader is never held up by a stuck writer.
    pub fn acquire_within(path: PathBuf, wait: Duration) -> Result<Option<Self>> {
        let file = open_lock_file(&path)?;
        let deadline = Instant::now() + wait;
        let mut pause = Duration::from_millis(1);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Some(Self { _file: file })),
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(50));
                }
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(err)) => {
                    return Err(Error::io("cannot lock", &path)(err));
                }
            }
        }
    }
}

/// Opens (creating it) the file a lock is taken on; its content does not matter.
fn open_lock_file(path: &Path) -> Result<File> {
    OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(Error::io("cannot open the lock file", path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.md"]);
    }

    #[test]
    fn writers_of_one_path_in_one_process_never_share_a_temporary_file() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("heartbeat.json");
        std::thread::scope(|s| {
            for n in 0..8u8 {
                let path = &path;
                s.spawn(move || {
                    for _ in 0..50 {
                        write_atomic_with(path, &[b'0' + n; 64], Durability::Unsynced).unwrap();
                    }
                });
            }
        });
        // Whole: 64 times one writer's byte, never a mix of two.
        let text = fs::read(&path).unwrap();
        assert_eq!(text.len(), 64);
        assert!(text.iter().all(|b| *b == text[0]));
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
        // An ordinary file's permissions (as the umask makes them), not a temporary file's.
        let plain = dir.path().join("plain");
        File::create(&plain).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&plain));
    }

    #[test]
    fn acquire_within_gives_up_while_another_holds_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock");
        let held = WriteLock::acquire(path.clone()).unwrap();
        let wait = Duration::from_millis(20);
        assert!(
            WriteLock::acquire_within(path.clone(), wait)
                .unwrap()
                .is_none()
        );
        drop(held);
        assert!(WriteLock::acquire_within(path, wait).unwrap().is_some());
    }
}
