//! The entries without their bodies, kept by path and refreshed by month folder.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use journal_compile::SourceEntry;
use journal_entry::Entry;
use journal_store::Fingerprint;
use rustc_hash::FxHashSet;

use super::{Memo, lock};
use crate::error::Result;
use crate::fields::Filters;
use crate::journal::{FileStamp, Fresh, Journal, SkippedFile};

/// The entries, as of the index's stamp `stamp`, for journal.toml as stamped `config`.
#[derive(Debug, Default)]
pub(super) struct Fronts {
    config: Option<FileStamp>,
    filled: bool,
    stamp: Option<String>,
    /// By path (as SQLite orders text: bytewise, as `String` does): the path, the file's
    /// content hash as indexed, and its entry.
    entries: Vec<(String, String, Arc<Entry>)>,
    /// The fingerprint of each month folder when the entries were read.
    months: BTreeMap<String, Fingerprint>,
    /// The files indexed "racy" then: they may have changed with their month's fingerprint.
    racy: Vec<String>,
}

/// Every good entry without its body (an assessment's kept), by path, with the files that
/// could not be read and what else was noticed.
pub(crate) struct AllFronts {
    /// `(entry, path relative to the working tree, `/`-separated)`, by path.
    pub entries: Vec<(Arc<Entry>, String)>,
    pub skipped: Vec<SkippedFile>,
    pub warnings: Vec<String>,
}

impl Journal {
    /// Returns every good entry without its body (an assessment's kept: the confidence
    /// table's rationale), by path: from the memo when the journal is kept by a server, else
    /// from the index.
    pub(crate) fn all_fronts(&self) -> Result<AllFronts> {
        let fresh = self.fresh()?;
        let entries = match &self.memo {
            Some(memo) => self.remembered_fronts(memo, &fresh)?,
            None => {
                let mut entries: Vec<(Arc<Entry>, String)> = self
                    .fronts_in(&fresh, &Filters::default(), false)?
                    .into_iter()
                    .map(|(entry, path)| {
                        let entry = Arc::new(self.with_rationale(entry, &path));
                        (entry, crate::compile::slashed(&path))
                    })
                    .collect();
                entries.sort_by(|(_, a), (_, b)| a.cmp(b));
                entries
            }
        };
        Ok(AllFronts {
            entries,
            skipped: fresh.skipped,
            warnings: fresh.warnings,
        })
    }

    /// Returns every good entry without its body (an assessment's kept) as a compile takes
    /// them, by path: of two files with one id the first counts, the second is skipped.
    pub(crate) fn front_sources(
        &self,
    ) -> Result<(Vec<SourceEntry>, Vec<SkippedFile>, Vec<String>)> {
        let selection = self.all_fronts()?;
        let mut skipped = selection.skipped;
        let mut first: FxHashSet<&str> = FxHashSet::default();
        let keep: Vec<bool> = selection
            .entries
            .iter()
            .map(|(entry, _)| first.insert(entry.id.as_str()))
            .collect();
        drop(first);
        let mut entries = Vec::with_capacity(selection.entries.len());
        for ((entry, path), keep) in selection.entries.into_iter().zip(keep) {
            if keep {
                entries.push(SourceEntry {
                    entry,
                    path: path.into(),
                });
            } else {
                skipped.push(SkippedFile {
                    problems: vec![journal_entry::Problem::of_file(format!(
                        "duplicate id `{}`",
                        entry.id
                    ))],
                    path,
                });
            }
        }
        Ok((entries, skipped, selection.warnings))
    }

    /// An assessment with its body read from its file (the index keeps none); any other
    /// entry as it is.
    fn with_rationale(&self, mut entry: Entry, path: &Path) -> Entry {
        if entry.kind.as_deref() == Some(journal_entry::ASSESSMENT)
            && entry.body.is_empty()
            && let Ok(file) = self.store.load(path)
            && let Ok(parsed) = file.entry
        {
            entry.body = parsed.entry.body;
        }
        entry
    }

    /// The entry of a file as the memo keeps it, read from the file.
    fn front_from_file(&self, path: &Path) -> Option<Entry> {
        let file = self.store.load(path).ok()?;
        let mut entry = file.entry.ok()?.entry;
        if entry.kind.as_deref() != Some(journal_entry::ASSESSMENT) {
            entry.body.clear();
        }
        Some(entry)
    }

    fn remembered_fronts(
        &self,
        memo: &Memo,
        fresh: &Fresh<'_>,
    ) -> Result<Vec<(Arc<Entry>, String)>> {
        let mut kept = lock(&memo.fronts);
        if kept.config != self.config_stamp {
            *kept = Fronts {
                config: self.config_stamp.clone(),
                ..Fronts::default()
            };
        }
        let stamp = fresh.index.files_stamp()?;
        if kept.filled && stamp.is_some() && kept.stamp == stamp {
            // Nothing indexed since.
        } else if kept.filled && stamp.is_some() {
            self.refresh_months(&mut kept, fresh)?;
            kept.stamp = stamp;
        } else {
            // The prints before the rows, the rows before the front matter: a sync in
            // between leaves what is kept older than it says, which the next call reads
            // again; never the other way round.
            kept.months = fresh.index.month_prints()?;
            kept.racy = fresh.index.racy_files()?;
            let rows = fresh.index.good_files()?;
            let mut indexed: HashMap<PathBuf, Entry> = self
                .fronts_in(fresh, &Filters::default(), false)?
                .into_iter()
                .map(|(entry, path)| (path, entry))
                .collect();
            let old = std::mem::take(&mut kept.entries);
            kept.entries = self.merged(old, rows, &mut indexed);
            kept.stamp = stamp;
            kept.filled = true;
        }
        Ok(kept
            .entries
            .iter()
            .map(|(path, _, entry)| (Arc::clone(entry), path.clone()))
            .collect())
    }

    /// Brings `kept` up to date by the month folders whose fingerprint changed, or that had
    /// or have a racy file (the index leaves such a month out of its fingerprints, and the
    /// file may change again with the same size and time): at 100,000 entries, one month's
    /// rows rather than all (40 ms).
    fn refresh_months(&self, kept: &mut Fronts, fresh: &Fresh<'_>) -> Result<()> {
        let months = fresh.index.month_prints()?;
        let racy = fresh.index.racy_files()?;
        let mut prefixes: BTreeSet<String> = months
            .iter()
            .filter(|(month, print)| kept.months.get(*month) != Some(print))
            .chain(kept.months.iter().filter(|(m, _)| !months.contains_key(*m)))
            .map(|(month, _)| self.store.month_prefix(month))
            .collect();
        let folder = |path: &String| path.rfind('/').map(|at| path[..=at].to_owned());
        prefixes.extend(racy.iter().chain(&kept.racy).filter_map(folder));
        let mut none = HashMap::new();
        for prefix in &prefixes {
            let rows = fresh.index.good_files_under(prefix)?;
            let start = kept
                .entries
                .partition_point(|(p, _, _)| p.as_str() < prefix.as_str());
            let end = start
                + kept.entries[start..].partition_point(|(p, _, _)| p.starts_with(prefix.as_str()));
            let old: Vec<_> = kept.entries.drain(start..end).collect();
            let new = self.merged(old, rows, &mut none);
            kept.entries.splice(start..start, new);
        }
        kept.months = months;
        kept.racy = racy;
        Ok(())
    }

    /// Merges `rows` (path and hash, by path) with `old` (by path): an old entry whose hash
    /// is the row's is kept, any other read from `indexed` or its file.
    fn merged(
        &self,
        old: Vec<(String, String, Arc<Entry>)>,
        rows: Vec<(String, String)>,
        indexed: &mut HashMap<PathBuf, Entry>,
    ) -> Vec<(String, String, Arc<Entry>)> {
        let mut old = old.into_iter().peekable();
        let mut entries = Vec::with_capacity(rows.len());
        for (path, hash) in rows {
            while old.next_if(|(p, _, _)| *p < path).is_some() {}
            if let Some((_, _, entry)) = old.next_if(|(p, h, _)| *p == path && *h == hash) {
                entries.push((path, hash, entry));
                continue;
            }
            let file = PathBuf::from(&path);
            let entry = match indexed.remove(&file) {
                Some(entry) => Some(self.with_rationale(entry, &file)),
                None => self.front_from_file(&file),
            };
            if let Some(entry) = entry {
                entries.push((path, hash, Arc::new(entry)));
            }
        }
        entries
    }
}
