//! What `journal doctor` looks at in git and on disk, beyond the repair every command makes
//! of a killed writer's leftovers (`crate::txn`): git's locks held or left, temporary files of
//! dead journal processes, and entry files whose state in git's index would make a plain
//! `git commit` record their deletion or an old version.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::locks;
use crate::store::Store;
use crate::txn::Repair;

impl Store {
    /// Looks for what a journal or git command that died may have left, repairs what is the
    /// journal's own and safe (temporary files of journal processes that no longer run), and
    /// reports the rest with the command that clears it. Also returns the repairs made since
    /// the store was opened.
    pub fn inspect(&self, other_folders: &[PathBuf]) -> Result<Vec<Repair>> {
        self.recover();
        let mut found = self.take_repairs();
        let repo = self.repo();
        let branch = repo.head_branch()?;
        let mut lock_paths =
            locks::commit_locks(repo.git_dir(), repo.common_dir(), branch.as_deref());
        lock_paths.push(repo.common_dir().join("packed-refs.lock"));
        for path in lock_paths.into_iter().filter(|p| p.exists()) {
            let holders = locks::holders(&path);
            let (what, fix) = match holders.as_deref() {
                Some([]) => (
                    "git's lock, which no running process has open: a git command was interrupted"
                        .to_owned(),
                    format!("rm {}", path.display()),
                ),
                Some(holders) => (
                    format!(
                        "git's lock, held by {}: journal writes wait for it",
                        holders
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                    "wait for that git command to finish".to_owned(),
                ),
                None => (
                    "git's lock: another git command is at work, or was interrupted".to_owned(),
                    format!(
                        "rm {}   # only if no git command is running",
                        path.display()
                    ),
                ),
            };
            found.push(Repair {
                path,
                what,
                fix: Some(fix),
            });
        }
        let mut folders = vec![self.entries_dir().to_owned()];
        folders.extend(other_folders.iter().cloned());
        for folder in &folders {
            remove_dead_temporaries(folder, self, &mut found)?;
        }
        found.extend(self.index_out_of_line()?);
        Ok(found)
    }

    /// Removes the temporary files that journal processes which no longer run left for the
    /// files `files` (paths): what a compile killed while writing its documents leaves
    /// beside them. Only the journal's own names (`.<name>.<pid>.t<random>.tmp`, see
    /// [`crate::AtomicFile`]) of those very files are touched: an output folder may be
    /// anyone's. Returns what was removed.
    pub fn remove_dead_temporaries_of(&self, files: &[PathBuf]) -> Result<Vec<Repair>> {
        let mut found = Vec::new();
        let mut folders: Vec<(&Path, Vec<String>)> = Vec::new();
        for file in files {
            let (Some(dir), Some(name)) = (file.parent(), file.file_name()) else {
                continue;
            };
            let name = name.to_string_lossy().into_owned();
            match folders.iter_mut().find(|(d, _)| *d == dir) {
                Some((_, names)) => names.push(name),
                None => folders.push((dir, vec![name])),
            }
        }
        for (dir, names) in folders {
            let Ok(read) = fs::read_dir(dir) else {
                continue;
            };
            for item in read.flatten() {
                let file = item.file_name().to_string_lossy().into_owned();
                let Some(pid) = temporary_pid(&file) else {
                    continue;
                };
                let ours = names
                    .iter()
                    .any(|name| file.starts_with(&crate::fsutil::temporary_prefix(name, pid)));
                if !ours || Path::new("/proc").join(pid.to_string()).exists() {
                    continue;
                }
                let path = item.path();
                fs::remove_file(&path).map_err(Error::io("cannot remove", &path))?;
                found.push(Repair {
                    path: self.rel_path(&path),
                    what: format!("temporary file of a journal (pid {pid}) that died: removed"),
                    fix: None,
                });
            }
        }
        Ok(found)
    }

    /// Entry files that HEAD has, whose entry in git's index differs from HEAD's while the
    /// file on disk is HEAD's: a plain `git commit` would record their deletion (or an old
    /// version). What a killed journal left is repaired by every command; this is what
    /// anything else left.
    fn index_out_of_line(&self) -> Result<Vec<Repair>> {
        let repo = self.repo();
        let rel = self.rel_path(self.entries_dir());
        let mut options = git2::StatusOptions::new();
        options
            .include_untracked(false)
            .exclude_submodules(true)
            .pathspec(rel.to_string_lossy().replace('\\', "/"));
        let statuses = repo
            .raw()
            .statuses(Some(&mut options))
            .map_err(Error::git("cannot read the status of"))?;
        let mut found = Vec::new();
        for status in statuses.iter() {
            let flags = status.status();
            let staged =
                flags.intersects(git2::Status::INDEX_DELETED | git2::Status::INDEX_MODIFIED);
            let Some(path) = status.path().ok().map(PathBuf::from) else {
                continue;
            };
            if !staged || !path.to_string_lossy().ends_with(".md") {
                continue;
            }
            let on_disk_is_head = flags.contains(git2::Status::INDEX_DELETED)
                && self.repo().workdir().join(&path).is_file();
            let what = if on_disk_is_head {
                "committed, but missing from git's index: a plain `git commit` would record its deletion"
            } else {
                "git's index holds another version than HEAD: a plain `git commit` would record it"
            };
            found.push(Repair {
                fix: Some(format!("git reset -q -- {}", path.display())),
                path,
                what: what.to_owned(),
            });
        }
        Ok(found)
    }
}

/// Removes the temporary files (`.<name>.<pid>.t<random>.tmp`, written by `write_atomic`; or
/// `.<name>.<pid>.tmp`, as earlier versions named them) of journal
/// processes that no longer run, under `folder` (two levels: `YYYY/MM`); reports those of
/// live ones.
fn remove_dead_temporaries(folder: &Path, store: &Store, found: &mut Vec<Repair>) -> Result<()> {
    let mut dirs = vec![(folder.to_owned(), 0)];
    while let Some((dir, depth)) = dirs.pop() {
        let Ok(read) = fs::read_dir(&dir) else {
            continue;
        };
        for item in read.flatten() {
            let path = item.path();
            let name = item.file_name().to_string_lossy().into_owned();
            if item.file_type().is_ok_and(|t| t.is_dir()) {
                if depth < 2 && !name.starts_with('.') {
                    dirs.push((path, depth + 1));
                }
                continue;
            }
            let Some(pid) = temporary_pid(&name) else {
                continue;
            };
            let rel = store.rel_path(&path);
            if Path::new("/proc").join(pid.to_string()).exists() {
                continue; // a journal at work
            }
            fs::remove_file(&path).map_err(Error::io("cannot remove", &path))?;
            found.push(Repair {
                path: rel,
                what: format!("temporary file of a journal (pid {pid}) that died: removed"),
                fix: None,
            });
        }
    }
    Ok(())
}

/// Returns the pid in a temporary file name `.<name>.<pid>.t<random>.tmp` (or the earlier
/// `.<name>.<pid>.tmp`).
fn temporary_pid(name: &str) -> Option<u32> {
    let stem = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (rest, last) = stem.rsplit_once('.')?;
    if let Ok(pid) = last.parse() {
        return Some(pid);
    }
    let (_, pid) = rest.rsplit_once('.')?;
    pid.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_dead_temporaries_of_the_named_files_are_removed() {
        let repo = journal_testutils::TestRepo::journal();
        let store = Store::open(&repo.root, crate::StoreOptions::default()).unwrap();
        let docs = repo.root.join("docs");
        fs::create_dir_all(&docs).unwrap();
        // 99999999 is above any pid Linux gives: dead. This process is alive.
        let alive = std::process::id();
        let names = [
            ".FINDINGS.md.99999999.tAbC12.tmp".to_owned(),
            format!(".FINDINGS.md.{alive}.tAbC12.tmp"),
            ".OTHER.md.99999999.tAbC12.tmp".to_owned(),
            ".notes.txt.99999999.tmp".to_owned(),
        ];
        for name in &names {
            fs::write(docs.join(name), "x").unwrap();
        }
        let removed = store
            .remove_dead_temporaries_of(&[docs.join("FINDINGS.md")])
            .unwrap();
        assert_eq!(removed.len(), 1, "{removed:?}");
        assert!(removed[0].what.contains("99999999"));
        let left: Vec<bool> = names.iter().map(|n| docs.join(n).exists()).collect();
        assert_eq!(left, [false, true, true, true]);
    }

    #[test]
    fn temporary_names_give_their_pid() {
        assert_eq!(temporary_pid(".20261126T1-a.md.4242.tmp"), Some(4242));
        assert_eq!(
            temporary_pid(".20261126T1-a.md.4242.t7Qz91.tmp"),
            Some(4242)
        );
        assert_eq!(
            temporary_pid(".20261126T1-a.md.4242.t123456.tmp"),
            Some(4242)
        );
        assert_eq!(temporary_pid("20261126T1-a.md"), None);
        assert_eq!(temporary_pid(".a.md.x.tmp"), None);
    }
}
