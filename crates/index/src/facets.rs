//! Facet counts: how many entries have each provider, pattern, kind, confidence, story and tag.

use std::collections::BTreeMap;

use crate::commits::COMMIT_KIND;
use crate::error::Result;
use crate::index::JournalIndex;

/// Counts of entries per value, for each faceted field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// Per provider.
    pub provider: BTreeMap<String, u64>,
    /// Per pattern.
    pub pattern: BTreeMap<String, u64>,
    /// Per kind.
    pub kind: BTreeMap<String, u64>,
    /// Per confidence level.
    pub confidence: BTreeMap<String, u64>,
    /// Per story.
    pub story: BTreeMap<String, u64>,
    /// Per `key=value` tag.
    pub tags: BTreeMap<String, u64>,
}

impl JournalIndex {
    /// Counts the entries per value of each faceted field, from the fast fields (no document
    /// is loaded), skipping deleted documents.
    pub fn facets(&self) -> Result<Facets> {
        let searcher = self.reader.searcher();
        let mut facets = Facets::default();
        let fields = [
            ("provider", &mut facets.provider),
            ("pattern", &mut facets.pattern),
            ("kind", &mut facets.kind),
            ("confidence", &mut facets.confidence),
            ("story", &mut facets.story),
            ("tag_exact", &mut facets.tags),
        ];
        for (name, counts) in fields {
            for segment in searcher.segment_readers() {
                let Some(column) = segment.fast_fields().str(name)? else {
                    continue;
                };
                // Evidence commits are not entries: leave them out of the counts.
                let kinds = segment.fast_fields().str("kind")?;
                let commit_ord = match &kinds {
                    Some(kinds) => kinds.dictionary().term_ord(COMMIT_KIND)?,
                    None => None,
                };
                let is_commit = |doc| match (&kinds, commit_ord) {
                    (Some(kinds), Some(ord)) => kinds.term_ords(doc).any(|o| o == ord),
                    _ => false,
                };
                let mut per_ord = vec![0_u64; column.num_terms()];
                for doc in 0..segment.max_doc() {
                    if segment.is_deleted(doc) || is_commit(doc) {
                        continue;
                    }
                    for ord in column.term_ords(doc) {
                        if let Some(count) =
                            usize::try_from(ord).ok().and_then(|o| per_ord.get_mut(o))
                        {
                            *count += 1;
                        }
                    }
                }
                let mut value = String::new();
                for (ord, count) in per_ord.into_iter().enumerate().filter(|(_, c)| *c > 0) {
                    if column.ord_to_str(ord as u64, &mut value)? {
                        *counts.entry(value.clone()).or_default() += count;
                    }
                }
            }
        }
        Ok(facets)
    }
}
