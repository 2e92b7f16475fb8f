//! Bringing the index up to date with the entry files: the freshness check.

use std::collections::{BTreeMap, HashMap, HashSet};

use journal_entry::Vocabulary;
use journal_store::{EntryStat, Fingerprint, GitRepo, Store, WriteLock};
use tantivy::{IndexWriter, Term};

use crate::commits::{CommitRule, CommitSource};
use crate::db::{FileRow, FilesTx};
use journal_entry::Problem;

use crate::error::{Error, Result};
use crate::index::{Access, JournalIndex};

/// What journal.toml decides about the index.
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// Entries with values outside it are reported as bad and left out.
    pub vocabulary: Vocabulary,
    /// How evidence commits are tagged.
    pub rules: Vec<CommitRule>,
}

/// An entry file that cannot be indexed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadFile {
    /// Path relative to the working tree.
    pub path: String,
    /// The problems, in file order, never empty.
    pub problems: Vec<journal_entry::Problem>,
}

impl BadFile {
    /// Returns the file's problems as stored in the `files` table's `error` column: one
    /// [`journal_entry::Problem::encode`]d problem per line.
    pub(crate) fn from_stored(path: String, error: &str) -> Self {
        let problems = error.lines().map(journal_entry::Problem::decode).collect();
        Self { path, problems }
    }

    /// Returns each problem as it is reported everywhere: `path:line: field `f`: message`.
    pub fn lines(&self) -> impl Iterator<Item = String> + '_ {
        self.problems
            .iter()
            .map(|p| p.located(&self.path).to_string())
    }
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Files seen on disk.
    pub files: usize,
    /// Files indexed for the first time.
    pub added: usize,
    /// Files indexed again because they changed.
    pub updated: usize,
    /// Files gone from disk, removed from the index.
    pub removed: usize,
    /// Evidence commits added.
    pub commits: usize,
    /// Every file that cannot be indexed (also those unchanged since the last sync).
    pub bad: Vec<BadFile>,
    /// The repositories (empty for the journal's own, else the `[repos]` name) whose history
    /// was indexed for the first time from a shallow clone: older commits cannot be found.
    pub shallow: Vec<String>,
}

impl SyncReport {
    /// Returns whether the index changed.
    pub fn changed(&self) -> bool {
        self.added + self.updated + self.removed + self.commits > 0
    }
}

/// Progress of a sync: files read so far out of those to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Files read.
    pub done: usize,
    /// Files to read.
    pub total: usize,
}

/// The SQLite writes of an entry sync, applied once tantivy has committed.
#[derive(Default)]
struct PendingFiles {
    rows: Vec<(String, FileRow, Option<i64>)>,
    touched: Vec<(String, i64)>,
    gone: Vec<String>,
    fingerprint: Option<String>,
    racy_from: i64,
}

impl PendingFiles {
    fn is_empty(&self) -> bool {
        self.rows.is_empty()
            && self.touched.is_empty()
            && self.gone.is_empty()
            && self.fingerprint.is_none()
    }

    fn apply(&self, tx: &FilesTx<'_>) -> Result<()> {
        for (path, row, date) in &self.rows {
            tx.upsert(path, row, *date)?;
        }
        for (path, mtime_ns) in &self.touched {
            tx.touch(path, *mtime_ns, self.racy_from)?;
        }
        for path in &self.gone {
            tx.delete(path)?;
        }
        if !self.rows.is_empty() || !self.gone.is_empty() {
            tx.set_meta(FILES_STAMP, &new_stamp())?;
        }
        match &self.fingerprint {
            Some(fingerprint) => tx.set_meta(FINGERPRINT, fingerprint),
            None => Ok(()),
        }
    }
}

/// Returns the recorded month fingerprints: one `YYYY/MM files:sum` per line.
pub(crate) fn decode_months(text: &str) -> BTreeMap<String, Fingerprint> {
    text.lines()
        .filter_map(|line| {
            let (month, print) = line.split_once(' ')?;
            let (files, sum) = print.split_once(':')?;
            let fp = Fingerprint {
                files: files.parse().ok()?,
                sum: u64::from_str_radix(sum, 16).ok()?,
            };
            Some((month.to_owned(), fp))
        })
        .collect()
}

fn encode_months(months: &BTreeMap<String, Fingerprint>) -> String {
    months
        .iter()
        .map(|(month, fp)| format!("{month} {fp}\n"))
        .collect()
}

/// The `meta` key holding the number of entry files (good or bad) as last indexed.
pub(crate) const FILE_COUNT: &str = "file_count";

/// The `meta` key holding the fingerprint of the entry files as last indexed.
pub(crate) const FINGERPRINT: &str = "fingerprint";

/// The `meta` key holding a token drawn anew by each sync that added, changed or removed a
/// file's row: what tells a reader that keeps entries in memory (a server's memo) that it
/// need not compare the rows again.
pub(crate) const FILES_STAMP: &str = "files_stamp";

/// A token no earlier sync drew: 128 random bits (std's hasher keys are drawn from the
/// operating system's random source; the libraries read no clock).
fn new_stamp() -> String {
    use std::hash::{BuildHasher as _, Hasher as _};
    let random = || {
        std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish()
    };
    format!("{:016x}{:016x}", random(), random())
}

/// Memory for the tantivy writer of an incremental sync (one thread).
const SMALL_WRITER_BYTES: usize = 32_000_000;
/// Memory for the writer of a large sync, such as a rebuild.
const LARGE_WRITER_BYTES: usize = 100_000_000;
/// From this many files to read, a sync uses the large writer.
const LARGE_SYNC: usize = 2_000;

impl JournalIndex {
    /// Brings the index up to date with the entry files on disk: new, edited, deleted and
    /// renamed files, committed or not, whoever changed them. A file whose size and
    /// modification time match what was indexed is not read. One process syncs at a time;
    /// others wait for it.
    pub fn sync(
        &mut self,
        store: &Store,
        options: &SyncOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<SyncReport> {
        match self.access() {
            Access::Writable => {}
            Access::ReadOnly(reason) => return Err(Error::ReadOnly(reason.clone())),
            Access::InMemory(_) => return self.sync_locked(store, options, progress),
        }
        let _lock = WriteLock::acquire(self.dir.join("write.lock"))?;
        self.sync_locked(store, options, progress)
    }

    /// Like [`JournalIndex::sync`], but waits at most `wait` for another process's sync to
    /// end: `None` when it is still at work then, and the index holds what it last committed.
    pub fn try_sync(
        &mut self,
        store: &Store,
        options: &SyncOptions,
        progress: &mut dyn FnMut(Progress),
        wait: std::time::Duration,
    ) -> Result<Option<SyncReport>> {
        match self.access() {
            Access::Writable => {}
            Access::ReadOnly(reason) => return Err(Error::ReadOnly(reason.clone())),
            Access::InMemory(_) => return self.sync_locked(store, options, progress).map(Some),
        }
        match WriteLock::acquire_within(self.dir.join("write.lock"), wait)? {
            Some(_lock) => self.sync_locked(store, options, progress).map(Some),
            None => {
                self.reader.reload()?;
                Ok(None)
            }
        }
    }

    /// Syncs while the caller holds the folder's write lock (or the index is in memory).
    fn sync_locked(
        &mut self,
        store: &Store,
        options: &SyncOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<SyncReport> {
        // Created at the first document to change: a sync that finds nothing new, or only
        // touched files (a checkout of identical content), does not take tantivy's writer.
        let mut writer: Option<IndexWriter> = None;
        let (mut report, files) = self.sync_entries(store, options, progress, &mut writer)?;

        // Evidence commits: the journal's repository and each [repos.NAME] that exists.
        let named: Vec<(String, Option<GitRepo>)> = store
            .repo_names()
            .into_iter()
            .map(|name| {
                let repo = store.named_repo(&name).ok().flatten();
                (name, repo)
            })
            .collect();
        let mut sources = vec![CommitSource {
            name: None,
            repo: Some(store.repo()),
        }];
        sources.extend(named.iter().map(|(name, repo)| CommitSource {
            name: Some(name.as_str()),
            repo: repo.as_ref(),
        }));
        let commits = self.sync_commits(&sources, &options.rules, &mut writer)?;
        report.commits = commits.added();
        report.shallow.clone_from(&commits.shallow);

        // tantivy first: if the process dies before SQLite commits, the next sync sees the
        // old sizes, times and tips again and indexes the same things again, which is
        // idempotent by document key.
        if let Some(mut writer) = writer {
            writer.commit()?;
            writer.wait_merging_threads()?;
        }
        // The number of entry files, kept for readers (`recorded_report`) so that none has
        // to count the table.
        let count = report.files.to_string();
        let count_changed = self.db.meta(FILE_COUNT)?.as_deref() != Some(count.as_str());
        // An index written before the stamp was kept gets one at its next sync.
        let unstamped = self.db.meta(FILES_STAMP)?.is_none();
        if !files.is_empty() || !commits.is_empty() || count_changed || unstamped {
            self.db.transaction(|tx| {
                files.apply(tx)?;
                if unstamped {
                    tx.set_meta(FILES_STAMP, &new_stamp())?;
                }
                commits.apply(tx)?;
                tx.set_meta(FILE_COUNT, &count)
            })?;
        }
        // Always: another process may have committed since this index was opened, and what
        // it indexed is exactly what this sync found unchanged.
        self.reader.reload()?;
        self.rebuilt = false;
        report.bad.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(report)
    }

    /// Brings the entry documents up to date, leaving the SQLite writes to the caller.
    fn sync_entries(
        &mut self,
        store: &Store,
        options: &SyncOptions,
        progress: &mut dyn FnMut(Progress),
        writer: &mut Option<IndexWriter>,
    ) -> Result<(SyncReport, PendingFiles)> {
        // The common case, nothing changed, costs one stat per file and no allocation per
        // file: compare the fingerprint of each month folder (names, sizes and times of its
        // files) with the one of the last sync. Only the folders that differ are looked at
        // file by file.
        let on_disk = store.month_fingerprints()?;
        let recorded_text = self.db.meta(FINGERPRINT)?;
        let first_sync = recorded_text.is_none();
        let recorded = decode_months(&recorded_text.unwrap_or_default());
        let changed = changed_months(&on_disk, &recorded);
        let prefixes: Vec<String> = changed.iter().map(|m| store.month_prefix(m)).collect();
        let files = on_disk.iter().map(|(_, fp)| fp.files).sum::<u64>();
        let mut report = SyncReport {
            files: usize::try_from(files).unwrap_or(usize::MAX),
            ..SyncReport::default()
        };
        // The bad files of the months unchanged are reported from their rows.
        for (path, error) in self.db.bad_files()? {
            if !prefixes.iter().any(|p| path.starts_with(p.as_str())) {
                report.bad.push(BadFile::from_stored(path, &error));
            }
        }
        if changed.is_empty() {
            // Record even an empty journal as synced, for `has_synced`.
            let pending = PendingFiles {
                fingerprint: first_sync.then(String::new),
                ..PendingFiles::default()
            };
            return Ok((report, pending));
        }

        // Racy files (git's term): written in the same clock tick as this scan, they could be
        // written again without their time or size changing. They are read again by the next
        // sync, and their folder's fingerprint is not recorded.
        let racy_from = self.scan_start()?;
        let existing: Vec<String> = changed
            .iter()
            .filter(|m| on_disk.iter().any(|(d, _)| d == *m))
            .cloned()
            .collect();
        let stats = store.stat_entries(Some(&existing))?;
        let fingerprint = new_fingerprint(recorded, &changed, &existing, &stats, racy_from);
        let mut known = HashMap::new();
        for prefix in &prefixes {
            known.extend(self.db.files_under(prefix)?);
        }
        let (to_read, gone) = compare(store, &stats, &known, &mut report);
        if to_read.is_empty() && gone.is_empty() {
            let pending = PendingFiles {
                fingerprint: Some(fingerprint),
                ..PendingFiles::default()
            };
            return Ok((report, pending));
        }

        let mut pending = PendingFiles {
            fingerprint: Some(fingerprint),
            racy_from,
            ..PendingFiles::default()
        };
        let changes = Changes {
            to_read,
            gone,
            known: &known,
        };
        self.apply_changes(
            store,
            options,
            progress,
            writer,
            changes,
            &mut pending,
            &mut report,
        )?;
        Ok((report, pending))
    }

    /// Reads each changed file and replaces its document (a file only touched keeps it, its
    /// new time remembered), deletes the documents of the files gone.
    #[allow(clippy::too_many_arguments)] // the state of one sync, threaded through
    fn apply_changes(
        &mut self,
        store: &Store,
        options: &SyncOptions,
        progress: &mut dyn FnMut(Progress),
        writer: &mut Option<IndexWriter>,
        changes: Changes<'_>,
        pending: &mut PendingFiles,
        report: &mut SyncReport,
    ) -> Result<()> {
        let Changes {
            to_read,
            gone,
            known,
        } = changes;
        let total = to_read.len();
        let racy_from = pending.racy_from;
        for (done, (path, stat)) in to_read.into_iter().enumerate() {
            if done % 256 == 0 {
                progress(Progress { done, total });
            }
            let file = store.read(stat)?;
            let hash = format!("{:016x}", file.hash);
            let previous = known.get(&path);
            if previous.is_some_and(|r| r.hash == hash && r.error.is_none()) {
                // Touched (a checkout, a copy) but not changed: remember the new time only.
                pending.touched.push((path, stat.mtime_ns));
                continue;
            }
            let writer = self.writer_for(writer, total)?;
            let (error, date) = self.index_file(writer, &path, &file, options, report)?;
            if previous.is_some() {
                report.updated += 1;
            } else {
                report.added += 1;
            }
            let row = FileRow {
                id: stat.id.clone(),
                mtime_ns: stat.mtime_ns,
                size: size_of(stat),
                hash,
                error,
                scanned_ns: racy_from,
            };
            pending.rows.push((path, row, date));
        }
        for path in &gone {
            let writer = self.writer_for(writer, total)?;
            writer.delete_term(Term::from_field_text(self.schema.path, path));
        }
        report.removed = gone.len();
        progress(Progress { done: total, total });
        pending.gone = gone;
        Ok(())
    }

    /// Replaces the document of the file at `path`: the entry when it is good, none when it
    /// has problems (then listed in `report`). Returns the problems as stored, and the date.
    fn index_file(
        &self,
        writer: &mut IndexWriter,
        path: &str,
        file: &journal_store::EntryFile,
        options: &SyncOptions,
        report: &mut SyncReport,
    ) -> Result<(Option<String>, Option<i64>)> {
        let vocabulary = &options.vocabulary;
        writer.delete_term(Term::from_field_text(self.schema.path, path));
        let problems = match &file.entry {
            Ok(parsed) => vocabulary.problems(parsed),
            // Every problem at once: the fields that parsed are checked too.
            Err(err) => {
                let mut all = err.problems.clone();
                if let Some(partial) = err.partial.0.as_deref() {
                    all.extend(vocabulary.problems(partial));
                    all.sort_by_key(|p| p.line.unwrap_or(0));
                }
                all
            }
        };
        Ok(match &file.entry {
            Ok(parsed) if problems.is_empty() => {
                writer.add_document(self.schema.document(path, &parsed.entry))?;
                (None, Some(parsed.entry.date.timestamp()))
            }
            _ => {
                // Stored and reported alike, so a later read of the row says the same.
                let text: Vec<String> = problems.iter().map(Problem::encode).collect();
                let text = text.join("\n");
                report
                    .bad
                    .push(BadFile::from_stored(path.to_owned(), &text));
                (Some(text), None)
            }
        })
    }
}

/// The months whose fingerprint on disk differs from the recorded one, or that are gone.
fn changed_months(
    on_disk: &[(String, Fingerprint)],
    recorded: &BTreeMap<String, Fingerprint>,
) -> Vec<String> {
    on_disk
        .iter()
        .filter(|(month, fp)| recorded.get(month) != Some(fp))
        .map(|(month, _)| month.clone())
        .chain(
            recorded
                .keys()
                .filter(|m| !on_disk.iter().any(|(d, _)| d == *m))
                .cloned(),
        )
        .collect()
}

/// The fingerprint to record: the recorded one, with the changed months as found now (a
/// month with a racy file left out, so that the next sync looks at it again).
fn new_fingerprint(
    mut months: BTreeMap<String, Fingerprint>,
    changed: &[String],
    existing: &[String],
    stats: &[EntryStat],
    racy_from: i64,
) -> String {
    for month in changed {
        months.remove(month);
    }
    let racy_months: HashSet<String> = stats
        .iter()
        .filter(|stat| stat.mtime_ns >= racy_from)
        .map(EntryStat::month)
        .collect();
    let mut by_month = Fingerprint::by_month(stats);
    for month in existing {
        // A month folder with no entry file has the empty fingerprint on disk too.
        by_month.entry(month.clone()).or_default();
    }
    for (month, fp) in by_month {
        if !racy_months.contains(&month) {
            months.insert(month, fp);
        }
    }
    encode_months(&months)
}

/// What a sync found changed on disk: the files to read, the files gone, and the rows the
/// index had for their folders.
struct Changes<'s> {
    to_read: Vec<(String, &'s EntryStat)>,
    gone: Vec<String>,
    known: &'s HashMap<String, FileRow>,
}

/// Compares the files found with the rows indexed: the files to read (new, or another size
/// or time, or racy when indexed), and the rows whose file is gone. A bad file unchanged is
/// listed in `report` from its row.
fn compare<'s>(
    store: &Store,
    stats: &'s [EntryStat],
    known: &HashMap<String, FileRow>,
    report: &mut SyncReport,
) -> (Vec<(String, &'s EntryStat)>, Vec<String>) {
    let mut to_read = Vec::new();
    let mut seen = HashSet::with_capacity(stats.len());
    for stat in stats {
        let path = rel_string(store, stat);
        match known.get(&path) {
            Some(row)
                if row.mtime_ns == stat.mtime_ns
                    && row.size == size_of(stat)
                    && row.mtime_ns < row.scanned_ns =>
            {
                if let Some(error) = &row.error {
                    report.bad.push(BadFile::from_stored(path.clone(), error));
                }
            }
            _ => to_read.push((path.clone(), stat)),
        }
        seen.insert(path);
    }
    let gone = known
        .keys()
        .filter(|p| !seen.contains(*p))
        .cloned()
        .collect();
    (to_read, gone)
}

/// Returns a problem as `LINE: field `f`: message`, to follow `path:` in reports.
impl JournalIndex {
    /// Returns the writer in `slot`, creating it first: large when `files` is.
    pub(crate) fn writer_for<'a>(
        &self,
        slot: &'a mut Option<IndexWriter>,
        files: usize,
    ) -> Result<&'a mut IndexWriter> {
        if slot.is_none() {
            *slot = Some(if files >= LARGE_SYNC {
                self.index.writer(LARGE_WRITER_BYTES)?
            } else {
                self.index.writer_with_num_threads(1, SMALL_WRITER_BYTES)?
            });
        }
        match slot {
            Some(writer) => Ok(writer),
            None => unreachable!("the slot was filled above"),
        }
    }

    /// Returns the file system's clock now, in nanoseconds: the modification time of a marker
    /// written for the purpose (the library does not read the system clock).
    fn scan_start(&self) -> Result<i64> {
        if matches!(self.access(), Access::InMemory(_)) {
            // Read once, by this process only: no later sync to re-read a racy file.
            return Ok(i64::MAX);
        }
        let marker = self.dir.join("scan-start");
        std::fs::write(&marker, b"").map_err(Error::io("cannot write", &marker))?;
        let meta = std::fs::metadata(&marker).map_err(Error::io("cannot read", &marker))?;
        Ok(meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .and_then(|d| i64::try_from(d.as_nanos()).ok())
            .unwrap_or(i64::MAX))
    }
}

fn rel_string(store: &Store, stat: &EntryStat) -> String {
    store
        .rel_path(&stat.path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn size_of(stat: &EntryStat) -> i64 {
    i64::try_from(stat.size).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use journal_store::{EntryStat, Fingerprint};

    use super::{changed_months, decode_months, new_fingerprint};

    fn stat(month: &str, id: &str, mtime_ns: i64) -> EntryStat {
        EntryStat {
            id: id.to_owned(),
            path: PathBuf::from(format!("/j/journal/{month}/{id}.md")),
            mtime_ns,
            size: 10,
        }
    }

    #[test]
    fn changed_months_are_the_different_and_the_gone() {
        let fp = |files, sum| Fingerprint { files, sum };
        let on_disk = vec![
            ("2026/01".to_owned(), fp(1, 1)),
            ("2026/02".to_owned(), fp(2, 2)),
            ("2026/04".to_owned(), fp(1, 4)),
        ];
        let recorded: BTreeMap<String, Fingerprint> = [
            ("2026/01".to_owned(), fp(1, 1)),
            ("2026/02".to_owned(), fp(2, 9)),
            ("2026/03".to_owned(), fp(1, 3)),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            changed_months(&on_disk, &recorded),
            ["2026/02", "2026/04", "2026/03"]
        );
    }

    #[test]
    fn a_month_with_a_racy_file_is_not_recorded_and_is_looked_at_again() {
        let stats = [stat("2026/02", "a", 100), stat("2026/03", "b", 500)];
        let changed = ["2026/02".to_owned(), "2026/03".to_owned()];
        // Files from 400 on are racy: March is left out of the fingerprint.
        let text = new_fingerprint(BTreeMap::new(), &changed, &changed, &stats, 400);
        let months = decode_months(&text);
        assert_eq!(months.keys().collect::<Vec<_>>(), ["2026/02"]);
        assert_eq!(months["2026/02"].files, 1);
        // A month folder left empty is recorded as empty, not forgotten.
        let text = new_fingerprint(BTreeMap::new(), &changed, &changed, &[], 400);
        assert_eq!(decode_months(&text)["2026/03"].files, 0);
    }
}
