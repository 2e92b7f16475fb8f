//! Entries without their bodies, from the index: what the metrics, the charts and the
//! confidence table need (every front-matter field), without reading every file.
//!
//! The index stores each entry's front matter as its file held it when indexed; parsing it
//! back costs a fraction of opening and reading the file. A document indexed before it was
//! stored (it cannot be: the field came with a format version, and another version is
//! rebuilt) or that does not parse is read from its file instead: never dropped.

use std::path::{Path, PathBuf};

use journal_entry::{Entry, parse_entry};

use crate::error::Result;
use crate::fields::Filters;
use crate::journal::{Fresh, Journal};
use crate::read::Selection;

impl Journal {
    /// Returns the entries `filters` picks (only those recording a metric when `measured`),
    /// newest first, each with every field but its body (empty), from the index.
    pub(crate) fn fronts(&self, filters: &Filters, measured: bool) -> Result<Selection> {
        self.check_filters(filters)?;
        let fresh = self.fresh()?;
        let entries = self.fronts_in(&fresh, filters, measured)?;
        Ok(Selection {
            entries,
            skipped: fresh.skipped,
            warnings: fresh.warnings,
        })
    }

    /// As [`Journal::fronts`], from an index made fresh by the caller.
    pub(crate) fn fronts_in(
        &self,
        fresh: &Fresh<'_>,
        filters: &Filters,
        measured: bool,
    ) -> Result<Vec<(Entry, PathBuf)>> {
        let all = usize::try_from(fresh.index.len()).unwrap_or(usize::MAX);
        let query = journal_index::SearchQuery {
            limit: all.max(1),
            measured,
            ..filters.query()
        };
        let mut entries = Vec::new();
        for hit in fresh.index.search(&query, None)?.hits {
            if let Some(entry) = self.front_of(hit.front.as_deref(), &hit.path) {
                entries.push((entry, PathBuf::from(hit.path)));
            }
        }
        entries.sort_by(|(a, _), (b, _)| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
        Ok(entries)
    }

    /// Returns the entry of an indexed front matter, else of its file (without its body).
    pub(crate) fn front_of(&self, front: Option<&str>, path: &str) -> Option<Entry> {
        let id = Path::new(path).file_stem().and_then(|s| s.to_str());
        if let Some(front) = front
            && let Ok(parsed) = parse_entry(front, id)
        {
            return Some(parsed.entry);
        }
        let file = self.store.load(Path::new(path)).ok()?;
        let mut entry = file.entry.ok()?.entry;
        entry.body.clear();
        Some(entry)
    }
}

#[cfg(test)]
mod tests {
    use journal_testutils::TestRepo;

    use crate::{Filters, Journal, OpenOptions};

    #[test]
    fn fronts_from_the_index_are_the_files_entries_without_their_bodies() {
        let repo = TestRepo::journal();
        let files = [
            (
                "journal/2026/02/20260201T100000Z-luks-unlock.md",
                "---\nid: 20260201T100000Z-luks-unlock\ndate: 2026-02-01T11:00:00+01:00\n\
                 title: \"LUKS unlock: 'quoted' # not a comment\"\nauthor: Op <op@example.org>\n\
                 provider: [hetzner, gcp]\npattern: [luks]\nconfidence: needs-testing\n\
                 kind: finding\nstory: \"1.11\"\nsupersedes: [20260101T100000Z-older]\n\
                 tags:\n  disk: nvme\n  region: fsn1\nmetrics:\n  unlock_s: 4.25\n  tries: 3\n\
                 custom_key: kept verbatim\n---\nThe body, with **Markdown**.\n",
            ),
            (
                "journal/2026/02/20260202T100000Z-plain.md",
                "---\nid: 20260202T100000Z-plain\ndate: 2026-02-02T10:00:00Z\ntitle: Plain\n---\n",
            ),
        ];
        for (path, text) in files {
            repo.write(path, text);
        }
        let journal = Journal::open(&OpenOptions {
            start: repo.root.clone(),
            ..OpenOptions::default()
        })
        .unwrap();
        let mut read = journal.select(&Filters::default(), None).unwrap().entries;
        for (entry, _) in &mut read {
            entry.body.clear();
        }
        assert_eq!(read.len(), 2, "both files are good entries");
        let fronts = journal.fronts(&Filters::default(), false).unwrap();
        assert_eq!(fronts.entries, read);
        assert!(fronts.skipped.is_empty());
        let measured = journal.fronts(&Filters::default(), true).unwrap().entries;
        assert_eq!(measured.len(), 1);
        assert_eq!(measured[0].0.metrics.get("unlock_s"), Some(&4.25));
    }
}
