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
    /// `content_hash` of the file's bytes: tells an edit from a mere touch.
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

impl EntryStat {
    /// Returns the month folder of the file, `YYYY/MM`.
    pub fn month(&self) -> String {
        self.path.parent().map(month_label).unwrap_or_default()
    }
}

/// Returns a 64-bit hash of `bytes`, eight bytes per step (FNV-1a, a byte per step, was 2% of
/// a rebuild). Each step (xor a word, multiply by an odd constant) is a bijection of the state,
/// so an edit confined to one 8-byte word always changes the hash; it tells an edit from a touch
/// and is not meant to resist anyone.
pub fn content_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let step = |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    let mut hash = (&mut chunks).fold(0xcbf2_9ce4_8422_2325, |hash, chunk| {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        step(hash, u64::from_le_bytes(word))
    });
    let rest = chunks.remainder();
    let mut tail = [0; 8];
    tail[..rest.len()].copy_from_slice(rest);
    hash = step(hash, u64::from_le_bytes(tail));
    step(hash, bytes.len() as u64)
}

/// A summary of the entry files' names, sizes and modification times, cheap to compute and to
/// compare: when two fingerprints are equal, no entry file was added, removed, renamed or
/// written in between (barring a 64-bit hash coincidence).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fingerprint {
    /// Number of entry files.
    pub files: u64,
    /// Order-independent sum of one hash per file.
    pub sum: u64,
}

impl Fingerprint {
    /// Adds the file `name` of the folder `YYYY/MM` (as `year`, `month`).
    fn add(&mut self, year: &str, month: &str, name: &str, mtime_ns: i64, size: u64) {
        let mut hash = 0xcbf2_9ce4_8422_2325_u64;
        let parts: [&[u8]; 5] = [
            year.as_bytes(),
            month.as_bytes(),
            name.as_bytes(),
            &mtime_ns.to_le_bytes(),
            &size.to_le_bytes(),
        ];
        for part in parts {
            for b in part.iter().chain([&0xff]) {
                hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        // splitmix64's finaliser spreads FNV's weak high bits before summing.
        hash = (hash ^ (hash >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        hash = (hash ^ (hash >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        hash ^= hash >> 31;
        self.files += 1;
        self.sum = self.sum.wrapping_add(hash);
    }

    /// Returns the fingerprint of each month folder among the files `stats` describe, as
    /// [`Store::month_fingerprints`] would compute it from disk.
    ///
    /// [`Store::month_fingerprints`]: crate::Store::month_fingerprints
    pub fn by_month(stats: &[EntryStat]) -> std::collections::BTreeMap<String, Self> {
        let mut months = std::collections::BTreeMap::<String, Self>::new();
        for stat in stats {
            let month = stat.month();
            let (year, month_name) = month.split_once('/').unwrap_or_default();
            let name = stat
                .path
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default();
            let fp = months.entry(month.clone()).or_default();
            fp.add(year, month_name, &name, stat.mtime_ns, stat.size);
        }
        months
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{:016x}", self.files, self.sum)
    }
}

/// Runs `visit` on each month folder, sharing the folders out between threads, and returns
/// the results in folder order.
fn per_month<T: Send>(months: &[PathBuf], visit: fn(&Path) -> Result<T>) -> Result<Vec<T>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(months.len())
        .max(1);
    let chunk = months.len().div_ceil(threads).max(1);
    let parts: Vec<Result<Vec<T>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = months
            .chunks(chunk)
            .map(|dirs| scope.spawn(move || dirs.iter().map(|d| visit(d)).collect()))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut all = Vec::with_capacity(months.len());
    for part in parts {
        all.extend(part?);
    }
    Ok(all)
}

/// Returns the size and modification time of the entry files of the month folders `months`
/// (`YYYY/MM`; all of them when `None`), without reading them, oldest id first. Each file is
/// stat-ed relative to its open folder (no path walk per file).
pub(crate) fn entry_stats(entries: &Path, months: Option<&[String]>) -> Result<Vec<EntryStat>> {
    let dirs: Vec<PathBuf> = match months {
        None => month_dirs(entries, "")?,
        Some(months) => months.iter().map(|m| entries.join(m)).collect(),
    };
    Ok(per_month(&dirs, stats_in)?.into_iter().flatten().collect())
}

/// Returns the fingerprint of each month folder's entry files (`YYYY/MM`, oldest first) as
/// they are on disk: the first, cheap step of a freshness check, which allocates nothing per
/// file.
pub(crate) fn month_fingerprints(entries: &Path) -> Result<Vec<(String, Fingerprint)>> {
    let months = month_dirs(entries, "")?;
    let prints = per_month(&months, fingerprint_in)?;
    Ok(months
        .iter()
        .map(|dir| month_label(dir))
        .zip(prints)
        .collect())
}

/// Returns `YYYY/MM` for a month folder.
fn month_label(dir: &Path) -> String {
    let name = |p: Option<&Path>| {
        p.and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned()
    };
    format!("{}/{}", name(dir.parent()), name(Some(dir)))
}

fn fingerprint_in(dir: &Path) -> Result<Fingerprint> {
    let label = month_label(dir);
    let (year, month) = label.split_once('/').unwrap_or_default();
    let mut fp = Fingerprint::default();
    let read = match fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(fp),
        Err(e) => return Err(Error::io("cannot read the folder", dir)(e)),
    };
    for item in read {
        let item = item.map_err(Error::io("cannot read the folder", dir))?;
        let file_name = item.file_name();
        let file_name = file_name.to_string_lossy();
        if entry_id_of(&file_name).is_none() {
            continue;
        }
        if let Some(meta) = file_metadata(&item)? {
            fp.add(year, month, &file_name, mtime_ns(&meta), meta.len());
        }
    }
    Ok(fp)
}

/// Returns the metadata of an entry path (following a link when it can be followed, else
/// the link's own), or `None` for a path deleted since the listing. Anything named `<id>.md`
/// counts, whatever it is: what cannot be read as an entry is reported when it is read.
fn file_metadata(item: &fs::DirEntry) -> Result<Option<fs::Metadata>> {
    // DirEntry::metadata stats relative to the open folder and does not follow links.
    let meta = match item.metadata() {
        Ok(link) if link.file_type().is_symlink() => Ok(fs::metadata(item.path()).unwrap_or(link)),
        other => other,
    };
    match meta {
        Ok(meta) => Ok(Some(meta)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("cannot read", item.path())(e)),
    }
}

fn mtime_ns(meta: &fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .and_then(|d| i64::try_from(d.as_nanos()).ok())
        .unwrap_or(0)
}

fn stats_in(dir: &Path) -> Result<Vec<EntryStat>> {
    let mut stats = Vec::new();
    for (name, path, item) in entries_in(dir)? {
        let Some(id) = entry_id_of(&name) else {
            continue;
        };
        if let Some(meta) = file_metadata(&item)? {
            stats.push(EntryStat {
                id: id.to_owned(),
                mtime_ns: mtime_ns(&meta),
                size: meta.len(),
                path,
            });
        }
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
        // A name that is not UTF-8 is listed under its lossy form: an entry file so named is
        // then a bad entry (see `read_entry`), never silently left out.
        let name = item.file_name().to_string_lossy().into_owned();
        items.push((name, item.path(), item));
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
        for (name, path, _) in entries_in(&dir)? {
            let Some(id) = entry_id_of(&name).filter(|id| id.starts_with(prefix)) else {
                continue;
            };
            // Whatever it is: a path that cannot be read as an entry is reported when read.
            found.push((id.to_owned(), path));
        }
    }
    Ok(found)
}

/// Reads and parses one entry file. A path that cannot be read as an entry file (a link
/// that loops, dangles or points outside the working tree, a folder, a FIFO, a file that
/// cannot be opened or vanished) is not an error: it is returned as a bad entry with one
/// problem saying why, like a file that does not parse, for the caller to report and skip.
pub(crate) fn read_entry(id: String, path: PathBuf, workdir: &Path) -> Result<EntryFile> {
    let rel_path = path.strip_prefix(workdir).unwrap_or(&path).to_owned();
    if path.file_name().and_then(|n| n.to_str()).is_none() {
        let why = "the file name is not valid UTF-8: git and journal cannot name it; rename it";
        return Ok(EntryFile {
            id,
            path,
            rel_path,
            hash: content_hash(why.as_bytes()),
            entry: Err(unreadable(why)),
        });
    }
    let (hash, entry) = match read_checked(&path, workdir) {
        Ok(bytes) => {
            let hash = content_hash(&bytes);
            let entry = match String::from_utf8(bytes) {
                Ok(text) => parse_entry(&text, Some(&id)),
                Err(_) => Err(unreadable("the file is not valid UTF-8")),
            };
            (hash, entry)
        }
        Err(why) => (content_hash(why.as_bytes()), Err(unreadable(&why))),
    };
    Ok(EntryFile {
        id,
        path,
        rel_path,
        hash,
        entry,
    })
}

/// Returns the bytes of the entry file at `path`, or why it is not read: a link is followed
/// only to a regular file inside `workdir`, and only regular files are opened (a FIFO would
/// block).
pub(crate) fn read_checked(path: &Path, workdir: &Path) -> std::result::Result<Vec<u8>, String> {
    use std::io::Read as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    // The common case in one path lookup (a scan opens 100,000 files): open without
    // following a link and without waiting on a pipe, then ask the open file what it is.
    let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
    let opened = fs::OpenOptions::new()
        .read(true)
        .custom_flags(flags.bits().cast_signed())
        .open(path);
    match opened {
        Ok(mut file) => {
            let meta = file
                .metadata()
                .map_err(|e| format!("cannot read the file: {e}"))?;
            if meta.is_file() {
                let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
                file.read_to_end(&mut bytes)
                    .map_err(|e| format!("cannot read the file: {e}"))?;
                return Ok(bytes);
            }
        }
        // A link: checked below.
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => {}
        Err(e) => return Err(format!("cannot read the file: {e}")),
    }
    let link = fs::symlink_metadata(path).map_err(|e| format!("cannot read the file: {e}"))?;
    let meta = if link.file_type().is_symlink() {
        let target = fs::canonicalize(path).map_err(|e| format!("cannot follow the link: {e}"))?;
        let inside = workdir
            .canonicalize()
            .is_ok_and(|root| target.starts_with(root));
        if !inside {
            return Err(format!(
                "the link points outside the repository ({}): not read",
                target.display()
            ));
        }
        fs::metadata(&target).map_err(|e| format!("cannot follow the link: {e}"))?
    } else {
        link
    };
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file"
        };
        return Err(format!("{what}, not an entry file: not read"));
    }
    fs::read(path).map_err(|e| format!("cannot read the file: {e}"))
}

fn unreadable(message: &str) -> EntryError {
    EntryError::single(journal_entry::Problem {
        line: None,
        field: None,
        message: message.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn content_hash_sees_any_one_byte_edit_and_trailing_zeros() {
        let text = b"---\nid: 20261101T080000Z-a\ntitle: LUKS over SSH\n---\nbody\n".to_vec();
        let base = content_hash(&text);
        for i in 0..text.len() {
            let mut edited = text.clone();
            edited[i] ^= 0x20;
            assert_ne!(content_hash(&edited), base, "byte {i}");
        }
        assert_ne!(content_hash(b"ab"), content_hash(b"ab\0"));
        assert_ne!(content_hash(b""), content_hash(b"\0"));
        assert_eq!(content_hash(&text), base);
    }

    #[test]
    fn fingerprints_from_disk_and_from_stats_agree_and_see_every_change() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "2026/10/20261001T080000Z-a.md", "a");
        write(root, "2026/10/20261002T080000Z-b.md", "bb");
        write(root, "2026/11/20261101T080000Z-c.md", "ccc");
        write(root, "2026/11/.20261101T080000Z-c.md.123.tmp", "partial");
        write(root, "README.md", "not an entry");
        write(root, "2026/11/notes.txt", "not an entry");
        let from_disk = || {
            month_fingerprints(root)
                .unwrap()
                .into_iter()
                .collect::<Vec<_>>()
        };
        let from_stats = || {
            Fingerprint::by_month(&entry_stats(root, None).unwrap())
                .into_iter()
                .collect::<Vec<_>>()
        };
        let before = from_disk();
        assert_eq!(before, from_stats());
        assert_eq!(
            before
                .iter()
                .map(|(m, fp)| (m.as_str(), fp.files))
                .collect::<Vec<_>>(),
            [("2026/10", 2), ("2026/11", 1)]
        );
        // A rename within the month changes its fingerprint, and only its.
        fs::rename(
            root.join("2026/10/20261002T080000Z-b.md"),
            root.join("2026/10/20261002T080000Z-x.md"),
        )
        .unwrap();
        let after = from_disk();
        assert_eq!(after, from_stats());
        assert_ne!(after[0], before[0]);
        assert_eq!(after[1], before[1]);
        // A same-size rewrite with another time changes it too.
        let file = fs::File::options()
            .write(true)
            .open(root.join("2026/11/20261101T080000Z-c.md"))
            .unwrap();
        file.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000))
            .unwrap();
        assert_ne!(from_disk()[1], after[1]);
        assert_eq!(
            entry_stats(root, Some(&["2026/11".to_owned()]))
                .unwrap()
                .len(),
            1
        );
    }
}
