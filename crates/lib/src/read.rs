//! The reading operations that answer with whole entries or counts: `select` (behind list,
//! metrics and export), `show` and `tags`. Each goes through the freshness policy and
//! answers from the good files, listing the files it skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use journal_entry::{Entry, Problem};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::fields::{Filters, check_vocabulary};
use crate::journal::{Journal, SkippedFile};
use crate::record::EntryRecord;

/// Entries picked by [`Journal::select`], newest first.
#[derive(Debug, Clone)]
pub struct Selection {
    /// Each entry and its file, relative to the working tree.
    pub entries: Vec<(Entry, PathBuf)>,
    /// Files that could not be read.
    pub skipped: Vec<SkippedFile>,
    /// What else the operation noticed.
    pub warnings: Vec<String>,
}

/// One entry, as [`Journal::show`] found it.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ShowReport {
    /// The entry.
    #[serde(flatten)]
    pub record: EntryRecord,
    /// The entry itself, for rendering.
    #[serde(skip)]
    pub entry: Entry,
    /// Its file, relative to the working tree.
    #[serde(skip)]
    pub rel_path: PathBuf,
    /// Its problems (values outside the vocabulary): it is shown all the same, with them.
    /// Absent when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
    /// Other files that could not be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedFile>,
    /// What else the operation noticed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// How many entries carry each value of each field: what `journal tags` prints.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TagsReport {
    /// Per provider.
    pub provider: BTreeMap<String, u64>,
    /// Per pattern.
    pub pattern: BTreeMap<String, u64>,
    /// Per kind.
    pub kind: BTreeMap<String, u64>,
    /// Per confidence level.
    pub confidence: BTreeMap<String, u64>,
    /// Per story; serialised as people count stories (`1.9` before `1.10`).
    #[serde(serialize_with = "in_story_order")]
    pub story: BTreeMap<String, u64>,
    /// Per `key=value` tag.
    pub tags: BTreeMap<String, u64>,
    /// Files that could not be read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<SkippedFile>,
    /// What else the operation noticed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Serialises the story counts in story order ([`journal_entry::story_order`]).
fn in_story_order<S: serde::Serializer>(
    stories: &BTreeMap<String, u64>,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    let mut ordered: Vec<(&String, &u64)> = stories.iter().collect();
    ordered.sort_by(|a, b| journal_entry::story_order(a.0, b.0));
    serializer.collect_map(ordered)
}

impl TagsReport {
    /// Returns the fields with their counts, in print order.
    pub fn groups(&self) -> [(&'static str, &BTreeMap<String, u64>); 6] {
        [
            ("provider", &self.provider),
            ("pattern", &self.pattern),
            ("kind", &self.kind),
            ("confidence", &self.confidence),
            ("story", &self.story),
            ("tags", &self.tags),
        ]
    }
}

/// The allowed values of journal.toml and how many entries carry each: what an agent needs to
/// fill an entry's fields (MCP `journal_vocabulary`).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VocabularyReport {
    /// Allowed providers.
    pub providers: Vec<String>,
    /// Allowed patterns.
    pub patterns: Vec<String>,
    /// Allowed kinds.
    pub kinds: Vec<String>,
    /// The confidence levels.
    pub confidence: Vec<&'static str>,
    /// How many entries carry each value (what `journal tags --json` counts).
    pub counts: TagsReport,
}

impl Journal {
    /// Returns the vocabulary with the counts of the entries.
    pub fn vocabulary(&self) -> Result<VocabularyReport> {
        let v = &self.config.vocabulary;
        Ok(VocabularyReport {
            providers: v.providers.clone(),
            patterns: v.patterns.clone(),
            kinds: v.kinds.clone(),
            confidence: journal_entry::confidence_levels(),
            counts: self.tags()?,
        })
    }

    /// Returns at most `limit` entries (all with `None`) that match `filters`, newest first.
    /// The index finds them; the files themselves are read, so what is returned is exactly
    /// what is on disk.
    pub fn select(&self, filters: &Filters, limit: Option<usize>) -> Result<Selection> {
        self.select_from(filters, 0, limit)
    }

    /// As [`Journal::select`], skipping the `skip` newest first (a page of a listing): the
    /// skipped ones are not read.
    pub fn select_from(
        &self,
        filters: &Filters,
        skip: usize,
        limit: Option<usize>,
    ) -> Result<Selection> {
        self.check_filters(filters)?;
        let fresh = self.fresh()?;
        let all = usize::try_from(fresh.index.len()).unwrap_or(usize::MAX);
        let query = journal_index::SearchQuery {
            limit: limit.map_or(all, |l| l.saturating_add(skip)).min(all),
            ..filters.query()
        };
        let mut entries = Vec::new();
        for hit in fresh
            .index
            .search(&query, None)?
            .hits
            .into_iter()
            .skip(skip)
        {
            let file = self.store.load(Path::new(&hit.path))?;
            // A file changed since the sync a moment ago is shown as it is now, if still good.
            if let Ok(parsed) = file.entry {
                entries.push((parsed.entry, file.rel_path));
            }
        }
        entries.sort_by(|(a, _), (b, _)| b.date.cmp(&a.date).then_with(|| b.id.cmp(&a.id)));
        Ok(Selection {
            entries,
            skipped: fresh.skipped,
            warnings: fresh.warnings,
        })
    }

    /// Returns the entry whose id is `prefix` or starts with it, refusing a prefix that
    /// names several.
    pub fn show(&self, prefix: &str) -> Result<ShowReport> {
        let fresh = self.fresh()?;
        let mut matches = fresh.index.find_ids(prefix, 20)?;
        if let Some(i) = matches.iter().position(|(id, _)| *id == prefix) {
            matches = vec![matches.swap_remove(i)];
        }
        let path = match matches.as_slice() {
            [] => return Err(journal_store::Error::NotFound(prefix.to_owned()).into()),
            [(_, path)] => path.clone(),
            many => {
                return Err(journal_store::Error::Ambiguous {
                    prefix: prefix.to_owned(),
                    candidates: many
                        .iter()
                        .map(|(id, path)| candidate(id, path, many))
                        .collect(),
                }
                .into());
            }
        };
        // The index finds the file; the file itself is the truth that is shown.
        let file = self.store.load(Path::new(&path))?;
        let rel = file.rel_path.to_string_lossy().into_owned();
        let parsed = file.entry.map_err(|err| Error::Refused {
            message: format!("{rel}: cannot read the entry"),
            hints: err
                .problems
                .iter()
                .map(|p| crate::Hint::text(p.located(&rel).to_string()))
                .collect(),
        })?;
        let problems = self.config.vocabulary.problems(&parsed);
        Ok(ShowReport {
            record: EntryRecord::new(&parsed.entry, &file.rel_path),
            problems,
            entry: parsed.entry,
            rel_path: file.rel_path,
            skipped: fresh
                .skipped
                .into_iter()
                .filter(|s| s.path != rel)
                .collect(),
            warnings: fresh.warnings,
        })
    }

    /// Counts the entries per provider, pattern, kind, confidence, story and free tag.
    pub fn tags(&self) -> Result<TagsReport> {
        let fresh = self.fresh()?;
        let f = fresh.index.facets()?;
        Ok(TagsReport {
            provider: f.provider,
            pattern: f.pattern,
            kind: f.kind,
            confidence: f.confidence,
            story: f.story,
            tags: f.tags,
            skipped: fresh.skipped,
            warnings: fresh.warnings,
        })
    }

    /// Refuses filter values outside the vocabulary.
    pub(crate) fn check_filters(&self, filters: &Filters) -> Result<()> {
        check_vocabulary(
            &self.config.vocabulary,
            &filters.provider,
            &filters.pattern,
            filters.kind.as_ref(),
        )
    }
}

/// Names a candidate by its id, or by its path when another file has the same id.
fn candidate(id: &str, path: &str, all: &[(String, String)]) -> String {
    if all.iter().filter(|(other, _)| other == id).count() > 1 {
        path.to_owned()
    } else {
        id.to_owned()
    }
}
