//! What the tools return: each tool's result as the structured content of its answer, with
//! the limits that keep an answer small (similar entries, the most frequent values).

use journal_lib::{
    AddReport, DidYouMean, EntryRecord, HitRecord, Similar, SinceReview, SkippedFile,
    VocabularyReport,
};
use schemars::JsonSchema;
use serde::Serialize;

/// `journal_review`'s result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Reviewed {
    /// What changed since the last review (before this one, when `mark` was given).
    #[serde(flatten)]
    pub(crate) since: SinceReview,
    /// The commit now marked as reviewed, when `mark` was given.
    pub(crate) marked: Option<String>,
}

/// How many similar entries `journal_add` returns at most.
pub(crate) const SIMILAR: usize = 5;

/// `journal_add`'s result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Added {
    #[serde(flatten)]
    pub(crate) added: AddReport,
    /// Existing entries that look like the same observation: supersede one of them next
    /// time rather than record a duplicate. Advice only: the entry was written.
    pub(crate) similar: Vec<Similar>,
}

/// `journal_vocabulary`'s result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Vocabulary {
    #[serde(flatten)]
    pub(crate) vocabulary: VocabularyReport,
    /// How many tag and story values were left out of `counts`: only the
    /// most frequent 100 of each are listed (a large journal carries thousands).
    pub(crate) omitted: Omitted,
}

/// Values left out of a count, by field.
#[derive(Debug, Default, Serialize, JsonSchema)]
pub struct Omitted {
    /// `key=value` tags.
    pub(crate) tags: usize,
    /// Stories.
    pub(crate) story: usize,
}

/// How many values of a free field (tags, stories) `journal_vocabulary` lists.
const MOST_FREQUENT: usize = 100;

impl Vocabulary {
    /// Keeps the [`MOST_FREQUENT`] tag and story values (by count, then name).
    pub(crate) fn bounded(mut vocabulary: VocabularyReport) -> Self {
        let mut omitted = Omitted::default();
        for (counts, left_out) in [
            (&mut vocabulary.counts.tags, &mut omitted.tags),
            (&mut vocabulary.counts.story, &mut omitted.story),
        ] {
            if counts.len() <= MOST_FREQUENT {
                continue;
            }
            let mut by_count: Vec<(String, u64)> = std::mem::take(counts).into_iter().collect();
            by_count.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            *left_out = by_count.len() - MOST_FREQUENT;
            counts.extend(by_count.into_iter().take(MOST_FREQUENT));
        }
        Self {
            vocabulary,
            omitted,
        }
    }
}

/// `journal_search`'s result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Found {
    /// The hits, best first: entries (with `path`) and, by scope, evidence commits (with
    /// `kind: "commit"`), as `journal search --json` prints them.
    pub(crate) hits: Vec<HitRecord>,
    /// How many matched in all (more than `hits` when the limit cut them).
    pub(crate) total: usize,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) next_cursor: Option<String>,
    /// When nothing matched: for each word no entry holds, the nearest indexed words (try
    /// them, or `word~`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) did_you_mean: Vec<DidYouMean>,
    /// Entry files that could not be read, skipped.
    pub(crate) skipped: Vec<SkippedFile>,
    /// What else the call noticed.
    pub(crate) warnings: Vec<String>,
}

/// `journal_list`'s result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Listed {
    /// The entries, newest first, as `journal list --json` prints them.
    pub(crate) entries: Vec<EntryRecord>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) next_cursor: Option<String>,
    /// Entry files that could not be read, skipped.
    pub(crate) skipped: Vec<SkippedFile>,
    /// What else the call noticed.
    pub(crate) warnings: Vec<String>,
}
