//! `confidence`: the confidence table as a reviewer reads it (the web page's /confidence):
//! each row of the compiled documents' table, with the observations behind it placed on a
//! time axis.
//!
//! Built from the index (every entry without its body; kept between calls by a server, see
//! `memo.rs`) and the evidence verified by git: the table without a compile's reading of
//! every file nor its layout of the documents. The rows are the documents' rows ([`journal_compile::confidence_table`]);
//! the observations of a
//! row are the entries on its pattern (and provider), superseded ones left out, as the
//! assessment counts them.

use rustc_hash::{FxHashMap, FxHashSet};

use journal_compile::ConfidenceRow;
use journal_entry::Entry;
use serde::Serialize;

use crate::error::Result;
use crate::journal::{Journal, SkippedFile};

/// How many observations a row shows at most (the newest).
pub const OBSERVATIONS: usize = 200;

/// The rows of [`Journal::confidence`].
#[derive(Debug, Clone, Serialize)]
pub struct ConfidenceReport {
    /// One per pattern, or per provider × pattern, by pattern.
    pub rows: Vec<ConfidenceView>,
    /// Files that could not be read.
    pub skipped: Vec<SkippedFile>,
    /// What else the operation noticed.
    pub warnings: Vec<String>,
}

/// A row of the confidence table and the observations behind it.
#[derive(Debug, Clone, Serialize)]
pub struct ConfidenceView {
    /// The row, as the documents show it.
    pub row: ConfidenceRow,
    /// The newest [`OBSERVATIONS`] entries on the row's pattern (and provider), oldest first.
    pub observations: Vec<ConfidenceObservation>,
}

/// An entry on a confidence row's time axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfidenceObservation {
    /// Its id.
    pub id: String,
    /// Its date, RFC 3339.
    pub date: String,
    /// Its title.
    pub title: String,
    /// The level it states, if any.
    pub confidence: Option<String>,
    /// Where on the row's time axis, 0 (first shown) to 100 (last); 50 when all are at one
    /// time.
    pub at: f64,
}

impl Journal {
    /// Returns the confidence table with the observations behind each row.
    pub fn confidence(&self) -> Result<ConfidenceReport> {
        let (entries, skipped, warnings) = self.front_sources()?;
        let superseded: FxHashSet<String> = entries
            .iter()
            .flat_map(|s| s.entry.supersedes.iter().cloned())
            .collect();
        let input = journal_compile::Input {
            link_prefix: self.output(None).1,
            ..self.evidence_input(entries)?
        };
        // The current entries on each pattern, by date: each row picks its provider's.
        let mut on_pattern: FxHashMap<&str, Vec<&Entry>> = FxHashMap::default();
        for entry in input.entries.iter().map(|s| &*s.entry) {
            if superseded.contains(&entry.id) {
                continue;
            }
            for pattern in &entry.pattern {
                on_pattern.entry(pattern).or_default().push(entry);
            }
        }
        for list in on_pattern.values_mut() {
            list.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.id.cmp(&b.id)));
        }
        let rows = journal_compile::confidence_table(&input, &self.config.compile)
            .into_iter()
            .map(|row| {
                let all = on_pattern.get(row.pattern.as_str());
                // The newest OBSERVATIONS, taken from the end.
                let mut shown: Vec<&Entry> = all
                    .into_iter()
                    .flatten()
                    .rev()
                    .filter(|e| row.provider.as_ref().is_none_or(|p| e.provider.contains(p)))
                    .take(OBSERVATIONS)
                    .copied()
                    .collect();
                shown.reverse();
                ConfidenceView {
                    observations: placed(&shown),
                    row,
                }
            })
            .collect();
        Ok(ConfidenceReport {
            rows,
            skipped,
            warnings,
        })
    }
}

/// Places `entries` (oldest first) on a time axis from the first to the last.
fn placed(entries: &[&Entry]) -> Vec<ConfidenceObservation> {
    let times: Vec<i64> = entries.iter().map(|e| e.date.timestamp()).collect();
    let (first, last) = (
        times.iter().min().copied().unwrap_or_default(),
        times.iter().max().copied().unwrap_or_default(),
    );
    #[allow(clippy::cast_precision_loss)]
    let place = |t: i64| {
        if last > first {
            (t - first) as f64 * 100.0 / (last - first) as f64
        } else {
            50.0
        }
    };
    entries
        .iter()
        .map(|e| ConfidenceObservation {
            id: e.id.clone(),
            date: e.date_string(),
            title: e.title.clone(),
            confidence: e.confidence.map(|c| c.as_str().to_owned()),
            at: place(e.date.timestamp()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use journal_testutils::{TestRepo, entry_text};

    use crate::{CompileOptions, Journal, OpenOptions};

    #[test]
    fn the_table_is_the_documents_and_superseded_entries_are_not_observations() {
        let repo = TestRepo::journal();
        let sha = repo.commit("Set up LUKS", &[("luks.nix", "{ }\n")]);
        let files = [
            (
                "20260201T100000Z-old",
                "2026-02-01T10:00:00Z",
                "Old",
                "uncertain",
                "",
            ),
            (
                "20260202T100000Z-new",
                "2026-02-02T10:00:00Z",
                "New",
                "needs-testing",
                "supersedes: [20260201T100000Z-old]",
            ),
            (
                "20260203T100000Z-gcp",
                "2026-02-03T10:00:00Z",
                "On GCP",
                "proven",
                "",
            ),
        ];
        for (id, date, title, level, extra) in files {
            let provider = if title == "On GCP" { "gcp" } else { "hetzner" };
            // The newer two are assessments: the level of each provider's row.
            let kind = if title == "Old" {
                ""
            } else {
                "kind: assessment"
            };
            let fields = [
                format!("provider: [{provider}]"),
                "pattern: [luks]".to_owned(),
                format!("confidence: {level}"),
                format!("commits: [{sha}]"),
                extra.to_owned(),
                kind.to_owned(),
            ];
            let fields: Vec<&str> = fields
                .iter()
                .map(String::as_str)
                .filter(|f| !f.is_empty())
                .collect();
            repo.write(
                &format!("journal/2026/02/{id}.md"),
                &entry_text(id, date, title, &fields, "Body.\n"),
            );
        }
        let journal = Journal::open(&OpenOptions {
            start: repo.root.clone(),
            ..OpenOptions::default()
        })
        .unwrap();
        let report = journal.confidence().unwrap();
        let compiled = journal.compile_context(&CompileOptions::default()).unwrap();
        let rows: Vec<_> = report.rows.iter().map(|v| v.row.clone()).collect();
        assert_eq!(rows, compiled.context.confidence);
        let hetzner = report
            .rows
            .iter()
            .find(|v| v.row.pattern == "luks" && v.row.provider.as_deref() == Some("hetzner"))
            .unwrap_or_else(|| panic!("a hetzner row: {rows:?}"));
        let ids: Vec<&str> = hetzner.observations.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(
            ids,
            ["20260202T100000Z-new"],
            "the superseded entry is not shown"
        );
    }
}
