//! git's own lock files (`index.lock`, `HEAD.lock`, `refs/heads/<branch>.lock`): which ones a
//! journal commit takes, and who holds one that is there.
//!
//! git takes a lock by creating `<file>.lock` with `O_EXCL` and releases it by renaming or
//! deleting it; the file holds no owner. A live owner still has it open, so on Linux the
//! owner is found in `/proc/<pid>/fd`. A lock nobody has open is either stale (its owner
//! died) or between two steps of a live git; git itself then refuses and asks the user, and
//! so does the journal, unless its own record of a write it began says the lock is its own.

use std::fs;
use std::path::{Path, PathBuf};

/// A process that has a lock file open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockHolder {
    /// Its process id.
    pub pid: u32,
    /// Its command line, as `/proc/<pid>/cmdline` says (arguments joined by spaces).
    pub command: String,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "pid {}: {}", self.pid, self.command)
    }
}

/// Returns the processes that have `path` open, when the system can say (Linux's `/proc`);
/// `None` when it cannot.
pub fn holders(path: &Path) -> Option<Vec<LockHolder>> {
    let proc = fs::read_dir("/proc").ok()?;
    let me = std::process::id();
    let mut found = Vec::new();
    for process in proc.flatten() {
        let Some(pid) = process
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(fds) = fs::read_dir(process.path().join("fd")) else {
            continue; // gone, or another user's
        };
        let opens = fds
            .flatten()
            .any(|fd| fs::read_link(fd.path()).is_ok_and(|target| target == path));
        if opens {
            let command = fs::read(process.path().join("cmdline"))
                .map(|raw| {
                    String::from_utf8_lossy(&raw)
                        .split('\0')
                        .filter(|a| !a.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            found.push(LockHolder { pid, command });
        }
    }
    Some(found)
}

/// The lock files a commit on the current branch takes: git's index, HEAD and the branch's
/// ref (or, on a detached HEAD, HEAD alone). Paths are absolute.
pub(crate) fn commit_locks(
    git_dir: &Path,
    common_dir: &Path,
    branch: Option<&str>,
) -> Vec<PathBuf> {
    let mut locks = vec![git_dir.join("index.lock"), git_dir.join("HEAD.lock")];
    if let Some(branch) = branch {
        let mut lock = common_dir.join(branch).into_os_string();
        lock.push(".lock");
        locks.push(PathBuf::from(lock));
    }
    locks
}

/// Describes who holds `path`, for an error message: the holders, or what is known.
pub(crate) fn describe_holders(path: &Path) -> Option<String> {
    match holders(path) {
        Some(found) if !found.is_empty() => Some(
            found
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Some(_) => Some("no running process has it open".to_owned()),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_of_an_open_lock_is_found_and_a_closed_one_has_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().canonicalize().unwrap().join("index.lock");
        fs::write(&path, "").unwrap();
        let mut child = std::process::Command::new("sh")
            .arg("-c")
            .arg("exec 3<\"$0\"; echo ready; read _")
            .arg(&path)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut ready = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(child.stdout.as_mut().unwrap()),
            &mut ready,
        )
        .unwrap();
        let found = holders(&path).expect("Linux has /proc");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].pid, child.id());
        assert!(found[0].command.starts_with("sh -c"), "{found:?}");
        drop(child.stdin.take());
        child.wait().unwrap();
        assert_eq!(holders(&path), Some(Vec::new()));
    }
}
