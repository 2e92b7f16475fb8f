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

/// Returns the size and modification time of the entry files, without reading them.
pub(crate) fn entry_stats(entries: &Path) -> Result<Vec<EntryStat>> {
    let mut stats = Vec::new();
    for (id, path) in entry_paths(entries, "")? {
        let meta = match fs::metadata(&path) {
            Ok(meta) => meta,
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
            id,
            path,
            mtime_ns,
            size: meta.len(),
        });
    }
    Ok(stats)
}

/// Returns whether `name` is all ASCII digits and `len` long.
fn is_digits(name: &str, len: usize) -> bool {
    name.len() == len && name.bytes().all(|b| b.is_ascii_digit())
}

/// Returns the names in `dir`, sorted, with whether each is a regular file. The file type comes
/// from the folder listing itself, so no file is stat-ed here.
fn sorted_dir(dir: &Path) -> Result<Vec<(String, PathBuf, bool)>> {
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("cannot read the folder", dir)(e)),
    };
    let mut names = Vec::new();
    for item in read {
        let item = item.map_err(Error::io("cannot read the folder", dir))?;
        if let Ok(name) = item.file_name().into_string() {
            let path = item.path();
            let is_file = match item.file_type() {
                Ok(t) if t.is_symlink() => path.is_file(),
                Ok(t) => t.is_file(),
                Err(_) => false,
            };
            names.push((name, path, is_file));
        }
    }
    names.sort();
    Ok(names)
}

/// Returns the entry files under `entries` as (id, path), oldest first. Only the
/// `YYYY/MM/<id>.md` layout counts, so READMEs and templates beside the entries are left alone.
/// `prefix` narrows the folders read when it starts with a year or a year and month.
pub(crate) fn entry_paths(entries: &Path, prefix: &str) -> Result<Vec<(String, PathBuf)>> {
    let year = prefix.get(..4).filter(|y| is_digits(y, 4));
    let month = year.and(prefix.get(4..6)).filter(|m| is_digits(m, 2));
    let mut found = Vec::new();
    for (y, year_dir, _) in sorted_dir(entries)? {
        if !is_digits(&y, 4) || year.is_some_and(|want| want != y) {
            continue;
        }
        for (m, month_dir, _) in sorted_dir(&year_dir)? {
            if !is_digits(&m, 2) || month.is_some_and(|want| want != m) {
                continue;
            }
            for (name, path, is_file) in sorted_dir(&month_dir)? {
                let Some(id) = name.strip_suffix(".md") else {
                    continue;
                };
                if !id.starts_with('.') && id.starts_with(prefix) && is_file {
                    found.push((id.to_owned(), path));
                }
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
