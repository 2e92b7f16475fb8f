//! `review`: one entry as a reader reviews it (the web page's entry page): the entry, each
//! evidence commit verified (with its forge link), and the entries that replaced it.

use journal_compile::CommitLinks;
use serde::Serialize;

use crate::error::Result;
use crate::journal::Journal;
use crate::read::ShowReport;

/// An entry with its evidence checked and what superseded it.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewReport {
    /// The entry, as `show` finds it.
    #[serde(flatten)]
    pub shown: ShowReport,
    /// Each evidence commit and its state.
    pub evidence: Vec<EvidenceState>,
    /// The entries that name this one in their `supersedes`, newest first.
    pub superseded_by: Vec<EntryRef>,
}

/// An evidence commit as checked now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceState {
    /// As cited: `[NAME:]<sha>`.
    pub commit: String,
    /// The `[repos]` name, `None` for the journal's own repository.
    pub repo: Option<String>,
    /// `verified` (exists and is pushed), `not pushed` (a link would 404) or `missing`.
    pub state: &'static str,
    /// Its web page, when the repository has one.
    pub url: Option<String>,
    /// Its subject line, when it exists.
    pub subject: Option<String>,
}

/// Another entry, by id and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EntryRef {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

impl Journal {
    /// Returns how commits of `repo` (`None`: the journal's own) link to their forge page:
    /// journal.toml's `url` for it, else its remote's URL (`remote`, asked only then).
    pub(crate) fn commit_links(
        &self,
        repo: Option<&str>,
        remote: impl FnOnce() -> Option<String>,
    ) -> Option<CommitLinks> {
        let configured = match repo {
            None => self.config.compile.url.clone(),
            Some(name) => self.config.repos.get(name).and_then(|c| c.url.clone()),
        };
        configured
            .or_else(remote)
            .as_deref()
            .and_then(CommitLinks::from_url)
    }

    /// Returns the entry whose id is `prefix` or starts with it, its evidence verified and
    /// the entries that replaced it.
    pub fn review(&self, prefix: &str) -> Result<ReviewReport> {
        let shown = self.show(prefix)?;
        let report = self.evidence_found(shown.entry.commits.iter())?;
        let evidence = shown
            .entry
            .commits
            .iter()
            .map(|cited| {
                let check = report.commits.get(cited);
                let repo = report.repos.get(&cited.repo);
                let links = self.commit_links(cited.repo.as_deref(), || {
                    repo.and_then(|r| r.remote_url.clone())
                });
                let state = match check {
                    Some(c) if c.exists && c.pushed => "verified",
                    Some(c) if c.exists => "not pushed",
                    _ => "missing",
                };
                EvidenceState {
                    commit: cited.to_string(),
                    repo: cited.repo.clone(),
                    state,
                    url: links
                        .filter(|_| state != "missing")
                        .map(|l| l.commit(&cited.sha)),
                    subject: check.and_then(|c| c.subject.clone()),
                }
            })
            .collect();
        let fresh = self.fresh()?;
        let id = shown.entry.id.clone();
        let query = journal_index::SearchQuery {
            supersedes: Some(id),
            limit: 100,
            sort: journal_index::Sort::Date,
            ..journal_index::SearchQuery::default()
        };
        let superseded_by = fresh
            .index
            .search(&query, None)?
            .hits
            .into_iter()
            .map(|h| EntryRef {
                id: h.id,
                title: h.title,
            })
            .collect();
        Ok(ReviewReport {
            shown,
            evidence,
            superseded_by,
        })
    }
}
