//! Reviews of a phase: "reviewed up to here" for the current git user
//! ([`Journal::mark_review`], kept in git under `refs/journal/reviews/`), and what changed
//! since ([`Journal::since_review`]): the entries added, edited and removed in the commits
//! since, the assessments among them, the entries they supersede, and the entry files not
//! committed yet.

use std::collections::BTreeSet;

use journal_store::FileChange;
use serde::Serialize;

use crate::error::Result;
use crate::journal::Journal;
use crate::review::EntryRef;

/// What changed since the current user's last review.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SinceReview {
    /// The git user (`user.email`) the review belongs to.
    pub user: String,
    /// The commit the last review reached; none: never reviewed (everything is new).
    pub reviewed: Option<String>,
    /// That commit's date, RFC 3339 (UTC).
    pub reviewed_at: Option<String>,
    /// Entries added since (committed), oldest first.
    pub added: Vec<EntryRef>,
    /// Entries edited since.
    pub changed: Vec<EntryRef>,
    /// Entry files removed since, by path.
    pub removed: Vec<String>,
    /// Of the added and edited entries, the assessments: a confidence that changed.
    pub assessments: Vec<EntryRef>,
    /// Entries an added or edited entry supersedes: no longer current.
    pub superseded: Vec<EntryRef>,
    /// Entry files written but not committed: not part of any review yet.
    pub uncommitted: Vec<String>,
    /// Evidence commits (as cited) that were not pushed at the review and are now.
    pub became_pushed: Vec<String>,
    /// Evidence commits that existed at the review and are missing now (a rewritten
    /// history, a deleted branch).
    pub became_missing: Vec<String>,
}

/// The evidence as a review records it: what was missing and what was not pushed.
#[derive(Debug, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
pub(crate) struct EvidenceSnapshot {
    missing: BTreeSet<String>,
    not_pushed: BTreeSet<String>,
}

impl EvidenceSnapshot {
    /// The commits not pushed then and pushed `now`, and those missing `now` that were not.
    fn changes(&self, now: &Self) -> (Vec<String>, Vec<String>) {
        let pushed = self
            .not_pushed
            .iter()
            .filter(|c| !now.not_pushed.contains(*c) && !now.missing.contains(*c))
            .cloned()
            .collect();
        let missing = now
            .missing
            .iter()
            .filter(|c| !self.missing.contains(*c))
            .cloned()
            .collect();
        (pushed, missing)
    }
}

impl SinceReview {
    /// How many entries are new or edited since the review.
    pub fn count(&self) -> usize {
        self.added.len() + self.changed.len()
    }
}

/// A review just marked.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReviewMarked {
    /// The commit reviewed up to (HEAD).
    pub commit: String,
    /// The one the previous review reached, if any.
    pub previous: Option<String>,
    /// What this review covered: the changes from the previous mark to this one.
    pub covered: SinceReview,
}

impl Journal {
    /// Returns which evidence commits the current entries cite that are missing, and which
    /// are not pushed (as cited).
    pub(crate) fn evidence_snapshot(&self) -> Result<std::sync::Arc<EvidenceSnapshot>> {
        self.remembered_snapshot(|| self.evidence_snapshot_afresh())
    }

    fn evidence_snapshot_afresh(&self) -> Result<EvidenceSnapshot> {
        let selection = self.all_fronts()?;
        let cited = || selection.entries.iter().flat_map(|(e, _)| e.commits.iter());
        let report = self.evidence_found(cited())?;
        let mut snapshot = EvidenceSnapshot::default();
        for evidence in cited() {
            let Some(check) = report.commits.get(evidence) else {
                continue;
            };
            if !check.exists {
                snapshot.missing.insert(evidence.to_string());
            } else if !check.pushed {
                snapshot.not_pushed.insert(evidence.to_string());
            }
        }
        Ok(snapshot)
    }

    /// Returns what changed since the current git user last marked a review.
    pub fn since_review(&self) -> Result<SinceReview> {
        self.since_review_listing(true)
    }

    /// As [`Journal::since_review`], but a user who never reviewed gets no list of every
    /// entry (which reads every file), and the files not committed are not listed: what a
    /// page shows on each visit.
    pub fn since_review_brief(&self) -> Result<SinceReview> {
        self.since_review_listing(false)
    }

    /// How many entry files are new or edited in the commits since the current git user's
    /// last review; none before a first review. Reads no entry file: what every page's
    /// header shows.
    pub fn since_review_count(&self) -> Result<Option<usize>> {
        let user = self.store.author()?.email;
        let repo = self.store.repo();
        let Some(mark) = repo.reviewed(&user)? else {
            return Ok(None);
        };
        let entries = self.store.rel_path(self.store.entries_dir());
        let changes = repo.changes_since(&mark.commit, &entries)?;
        Ok(Some(
            changes
                .iter()
                .filter(|(path, change)| path.ends_with(".md") && *change != FileChange::Deleted)
                .count(),
        ))
    }

    fn since_review_listing(&self, list_all: bool) -> Result<SinceReview> {
        let user = self.store.author()?.email;
        let repo = self.store.repo();
        let mark = repo.reviewed(&user)?;
        let entries = self.store.rel_path(self.store.entries_dir());
        let mut report = SinceReview {
            user,
            reviewed: mark.as_ref().map(|m| m.commit.clone()),
            reviewed_at: mark
                .as_ref()
                .and_then(|m| chrono::DateTime::from_timestamp(m.time, 0).map(|d| d.to_rfc3339())),
            // A status of every entry file: 0.5 s at 100,000 files not committed, too slow
            // for a page shown on every visit.
            uncommitted: if list_all {
                self.uncommitted()?.to_vec()
            } else {
                Vec::new()
            },
            ..SinceReview::default()
        };
        if let Some(blob) = mark.as_ref().and_then(|m| m.evidence.as_deref()) {
            (report.became_pushed, report.became_missing) = self.evidence_changes(blob)?;
        }
        // Each changed entry file, with its contents when already read (the scan of a user
        // who never reviewed reads every file once; a diff gives paths only).
        let changes: Vec<(String, FileChange, Option<journal_store::EntryFile>)> = match &mark {
            Some(m) => repo
                .changes_since(&m.commit, &entries)?
                .into_iter()
                .map(|(path, change)| (path, change, None))
                .collect(),
            None if !list_all => Vec::new(),
            // Never reviewed: every committed entry is new.
            None => self
                .store
                .scan()?
                .into_iter()
                .map(|f| (f.rel_path.to_string_lossy().replace('\\', "/"), f))
                .filter(|(path, _)| !report.uncommitted.contains(path))
                .map(|(path, f)| (path, FileChange::Added, Some(f)))
                .collect(),
        };
        self.list_changes(changes, &mut report);
        Ok(report)
    }

    /// The evidence commits pushed since the review whose `evidence.json` is `blob`, and
    /// those missing since; on the page too: a server keeps them until an entry or the
    /// repositories change.
    fn evidence_changes(&self, blob: &str) -> Result<(Vec<String>, Vec<String>)> {
        let changes = self.remembered_changes(blob, || {
            let then = self.store.repo().review_evidence(blob);
            let Some(then) = then.and_then(|t| serde_json::from_str::<EvidenceSnapshot>(&t).ok())
            else {
                return Ok((Vec::new(), Vec::new()));
            };
            Ok(then.changes(&*self.evidence_snapshot()?))
        })?;
        Ok((*changes).clone())
    }

    /// Lists each changed entry file in `report`: added, edited (by date), removed, the
    /// assessments among them and the entries they supersede.
    fn list_changes(
        &self,
        changes: Vec<(String, FileChange, Option<journal_store::EntryFile>)>,
        report: &mut SinceReview,
    ) {
        let mut superseded = Vec::new();
        let (mut added, mut changed) = (Vec::new(), Vec::new());
        for (path, change, file) in changes {
            if !path.ends_with(".md") {
                continue;
            }
            if change == FileChange::Deleted {
                report.removed.push(path);
                continue;
            }
            let file = match file {
                Some(file) => file,
                None => match self.store.load(std::path::Path::new(&path)) {
                    Ok(file) => file,
                    Err(_) => continue,
                },
            };
            let Ok(parsed) = file.entry else {
                continue;
            };
            let entry = parsed.entry;
            let reference = EntryRef {
                id: entry.id.clone(),
                title: entry.title.clone(),
            };
            if entry.kind.as_deref() == Some(journal_entry::ASSESSMENT) {
                report.assessments.push(reference.clone());
            }
            superseded.extend(entry.supersedes.iter().cloned());
            match change {
                FileChange::Added => added.push((entry.date, reference)),
                _ => changed.push((entry.date, reference)),
            }
        }
        added.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
        changed.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
        report.added = added.into_iter().map(|(_, r)| r).collect();
        report.changed = changed.into_iter().map(|(_, r)| r).collect();
        for id in superseded {
            if let Ok(file) = self.store.find(&id)
                && let Ok(parsed) = file.entry
            {
                report.superseded.push(EntryRef {
                    id: parsed.entry.id,
                    title: parsed.entry.title,
                });
            }
        }
    }

    /// Marks "reviewed up to here" (HEAD) for the current git user, in git (a ref under
    /// `refs/journal/reviews/`, which `sync` pushes); returns what the review covered.
    pub fn mark_review(&self) -> Result<ReviewMarked> {
        let covered = self.since_review()?;
        let snapshot = serde_json::to_string_pretty(&*self.evidence_snapshot()?)
            .map_err(|e| crate::Error::Internal(format!("cannot record the evidence: {e}")))?;
        let who = self.store.author()?;
        let (mark, previous) = self.store.repo().mark_reviewed(&who, &snapshot)?;
        Ok(ReviewMarked {
            commit: mark.commit,
            previous: previous.map(|p| p.commit),
            covered,
        })
    }
}
