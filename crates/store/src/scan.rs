//! Finding entry files: `<entries>/YYYY/MM/*.md`, and ids by unique prefix.

use std::fs;
use std::path::{Path, PathBuf};

use journal_entry::{EntryError, ParsedEntry, parse_entry};

use crate::error::{Error, Result};

/// An entry file and what reading it gave.
#[derive(Debug)]
pub struct EntryFile {
    /// The id the file name gives (`<id>.md`).
    pub id: String,
    /// Absolute path.
    pub path: PathBuf,
    /// Path relative to the repository's working tree.
    pub rel_path: PathBuf,
    /// FNV-1a 64 of the file's bytes: tells an edit from a mere touch.
    pub hash: u64,
    /// The parsed entry, or why it cannot be read.
    pub entry: Result<ParsedEntry, EntryError>,
}

/// An entry file as the folder listing and `stat` see it, without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryStat {
    /// The id the file name gives (`<id>.md`).
    pub id: String,
    /// Absolute path.
    pub path: PathBuf,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i64,
    /// Size in bytes.
    pub size: u64,
}

/// Returns FNV-1a 64 of `bytes`.
pub fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Returns the size and modification time of the entry files, without reading them, oldest
/// id first. Each file is stat-ed relative to its open folder (no path walk per file), and the
/// month folders are shared out between threads: this is the hot half of every freshness check.
pub(crate) fn entry_stats(entries: &Path) -> Result<Vec<EntryStat>> {
    let months = month_dirs(entries, "")?;
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(months.len())
        .max(1);
    let chunk = months.len().div_ceil(threads).max(1);
    let parts: Vec<Result<Vec<EntryStat>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = months
            .chunks(chunk)
            .map(|dirs| {
                scope.spawn(move || {
                    let mut stats = Vec::new();
                    for dir in dirs {
                        stats.extend(stats_in(dir)?);
                    }
                    Ok(stats)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut stats = Vec::new();
    for part in parts {
        stats.extend(part?);
    }
    Ok(stats)
}

fn stats_in(dir: &Path) -> Result<Vec<EntryStat>> {
    let mut stats = Vec::new();
    for (name, path, item) in entries_in(dir)? {
        let Some(id) = entry_id_of(&name) else {
            continue;
        };
        // DirEntry::metadata stats relative to the open folder and does not follow links.
        let meta = match item.metadata() {
            Ok(meta) if meta.file_type().is_symlink() => fs::metadata(&path),
            other => other,
        };
        let meta = match meta {
            Ok(meta) if meta.is_file() => meta,
            Ok(_) => continue,
            // Deleted between the listing and now: it is simply gone.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(Error::io("cannot read", &path)(e)),
        };
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .and_then(|d| i64::try_from(d.as_nanos()).ok())
            .unwrap_or(0);
        stats.push(EntryStat {
            id: id.to_owned(),
            path,
            mtime_ns,
            size: meta.len(),
        });
    }
    Ok(stats)
}

/// Returns the id of an entry file name: `<id>.md`, not hidden.
fn entry_id_of(name: &str) -> Option<&str> {
    name.strip_suffix(".md")
        .filter(|id| !id.is_empty() && !id.starts_with('.'))
}

/// Returns whether `name` is all ASCII digits and `len` long.
fn is_digits(name: &str, len: usize) -> bool {
    name.len() == len && name.bytes().all(|b| b.is_ascii_digit())
}

/// Returns the items of `dir` sorted by name; a missing folder has none.
fn entries_in(dir: &Path) -> Result<Vec<(String, PathBuf, fs::DirEntry)>> {
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("cannot read the folder", dir)(e)),
    };
    let mut items = Vec::new();
    for item in read {
        let item = item.map_err(Error::io("cannot read the folder", dir))?;
        if let Ok(name) = item.file_name().into_string() {
            items.push((name, item.path(), item));
        }
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(items)
}

/// Returns the `YYYY/MM` folders under `entries`, oldest first. `prefix` narrows them when it
/// starts with a year or a year and month.
fn month_dirs(entries: &Path, prefix: &str) -> Result<Vec<PathBuf>> {
    let year = prefix.get(..4).filter(|y| is_digits(y, 4));
    let month = year.and(prefix.get(4..6)).filter(|m| is_digits(m, 2));
    let mut dirs = Vec::new();
    for (y, year_dir, _) in entries_in(entries)? {
        if !is_digits(&y, 4) || year.is_some_and(|want| want != y) {
            continue;
        }
        for (m, month_dir, _) in entries_in(&year_dir)? {
            if is_digits(&m, 2) && month.is_none_or(|want| want == m) {
                dirs.push(month_dir);
            }
        }
    }
    Ok(dirs)
}

/// Returns the entry files under `entries` as (id, path), oldest first. Only the
/// `YYYY/MM/<id>.md` layout counts, so READMEs and templates beside the entries are left alone.
/// `prefix` narrows the folders read when it starts with a year or a year and month.
pub(crate) fn entry_paths(entries: &Path, prefix: &str) -> Result<Vec<(String, PathBuf)>> {
    let mut found = Vec::new();
    for dir in month_dirs(entries, prefix)? {
        for (name, path, item) in entries_in(&dir)? {
            let Some(id) = entry_id_of(&name).filter(|id| id.starts_with(prefix)) else {
                continue;
            };
            // The file type comes from the listing itself: no stat per file.
            let is_file = match item.file_type() {
                Ok(t) if t.is_symlink() => path.is_file(),
                Ok(t) => t.is_file(),
                Err(_) => false,
            };
            if is_file {
                found.push((id.to_owned(), path));
            }
        }
    }
    Ok(found)
}

/// Reads and parses one entry file.
pub(crate) fn read_entry(id: String, path: PathBuf, workdir: &Path) -> Result<EntryFile> {
    let text = fs::read(&path).map_err(Error::io("cannot read", &path))?;
    let hash = content_hash(&text);
    let entry = match String::from_utf8(text) {
        Ok(text) => parse_entry(&text, Some(&id)),
        Err(_) => Err(EntryError::single(journal_entry::Problem {
            line: None,
            field: None,
            message: "the file is not valid UTF-8".to_owned(),
        })),
    };
    let rel_path = path.strip_prefix(workdir).unwrap_or(&path).to_owned();
    Ok(EntryFile {
        id,
        path,
        rel_path,
        hash,
        entry,
    })
}
