//! [`Memo`]: what a long-running front end (the MCP server, the web page) keeps between
//! calls, so that the operations over every entry (the confidence table, coverage, the
//! review's evidence) cost what changed since the last call rather than a read of every
//! entry and a question to git per cited commit (at 100,000 entries, 2 s a call).
//!
//! - **The entries without their bodies** (an assessment keeps its body: the rationale), by
//!   path, each with the content hash the index recorded for its file. At each call the
//!   index is made fresh as usual; when its stamp of the file rows
//!   ([`journal_index::JournalIndex::files_stamp`]) is the one last seen, nothing changed;
//!   otherwise the rows are compared by hash and only the files that differ are read again.
//!   The first call fills it from the front matter the index stores.
//! - **What git says of each cited commit**, while [`journal_store::Store::evidence_state`]
//!   is unchanged (no reference moved, no remote changed, no pack fetched); once it changes,
//!   every cited commit is asked again.
//! - Both are kept for one journal.toml: a journal opened again after an edit of it starts
//!   afresh.
//!
//! A process that runs one operation (the CLI) keeps none: it reads as it always did. The
//! memo answers exactly what a fresh read would (tests compare the two).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use journal_compile::{CommitStatus, SourceEntry};
use journal_entry::{Entry, Evidence};
use journal_store::{CommitCheck, EvidenceState, Fingerprint, RepoCheck};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::coverage::CoverageReport;
use crate::error::Result;
use crate::fields::Filters;
use crate::journal::{FileStamp, Fresh, Journal, SkippedFile};
use crate::since_review::EvidenceSnapshot;

/// What a long-running front end keeps between calls; see the module's overview. Shared by
/// the journals a [`crate::KeptJournal`] hands out.
#[derive(Debug, Default)]
pub(crate) struct Memo {
    fronts: Mutex<Fronts>,
    evidence: Mutex<KnownEvidence>,
    /// The review's evidence snapshot, for what it was made from.
    snapshot: Mutex<Option<(SnapshotKey, Arc<EvidenceSnapshot>)>>,
    /// The entry files not committed, for what git's status of them depends on.
    status: Mutex<Option<(StatusKey, Arc<Vec<String>>)>>,
    /// The evidence pushed and missing since a review (its `evidence.json` blob), for what
    /// it was made from.
    changes: Mutex<Option<(String, SnapshotKey, Arc<EvidenceChanges>)>>,
    /// The last coverage report, for what it was made from.
    coverage: Mutex<Option<(CoverageKey, Arc<CoverageReport>)>>,
}

/// What a coverage report is made from: journal.toml, the entries, the repositories (the
/// evidence, the remotes, HEAD), git's index (which entry files are committed), and what
/// was asked (the story, the lists' limit).
#[derive(Debug, PartialEq, Eq)]
struct CoverageKey {
    snapshot: SnapshotKey,
    staging: Option<Staging>,
    story: Option<String>,
    limit: usize,
}

/// git's index file as last written: staging or unstaging moves it.
type Staging = (u64, u64, std::time::SystemTime);

/// What git's status of the entry files depends on: the files (the index's stamp), HEAD,
/// and git's own index (staging): a file added, committed, reset or unstaged moves one.
#[derive(Debug, PartialEq, Eq)]
struct StatusKey {
    files: String,
    head: Option<String>,
    staging: Option<Staging>,
}

/// The evidence commits pushed since a review, and those missing since.
pub(crate) type EvidenceChanges = (Vec<String>, Vec<String>);

/// What an evidence snapshot is made from: journal.toml, the entries (the index's stamp)
/// and the repositories' state.
#[derive(Debug, PartialEq, Eq)]
struct SnapshotKey {
    config: Option<FileStamp>,
    files: String,
    evidence: EvidenceState,
}

/// The entries, as of the index's stamp `stamp`, for journal.toml as stamped `config`.
#[derive(Debug, Default)]
struct Fronts {
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

/// What git said of cited commits, while the repositories' state is `state`.
#[derive(Debug, Default)]
struct KnownEvidence {
    config: Option<FileStamp>,
    state: Option<EvidenceState>,
    commits: Arc<FxHashMap<Evidence, CommitStatus>>,
    repos: BTreeMap<Option<String>, RepoCheck>,
    /// The last answer, with a hash of what was cited: the same commits cited again (the
    /// same entries) get it without a lookup each (30 ms at 100,000 entries).
    last: Option<(u64, EvidenceFound)>,
}

/// Every good entry without its body (an assessment's kept), by path, with the files that
/// could not be read and what else was noticed.
pub(crate) struct AllFronts {
    /// `(entry, path relative to the working tree, `/`-separated)`, by path.
    pub entries: Vec<(Arc<Entry>, String)>,
    pub skipped: Vec<SkippedFile>,
    pub warnings: Vec<String>,
}

fn lock<T: Default>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A call that panicked while holding it left it half-updated: start afresh.
    mutex.lock().unwrap_or_else(|poisoned| {
        let mut guard = poisoned.into_inner();
        *guard = T::default();
        guard
    })
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
                entries.push(SourceEntry { entry, path });
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

    /// Asks git about each commit in `cited` ([`journal_store::Store::verify_evidence`]); a
    /// journal kept by a server asks only about those it has not asked about since the
    /// repositories last changed. The map answers for every commit cited (and, from a memo,
    /// for others asked about before: look up, do not list); the repositories are those
    /// cited.
    pub(crate) fn evidence_found<'a>(
        &self,
        cited: impl IntoIterator<Item = &'a Evidence>,
    ) -> Result<EvidenceFound> {
        let Some(memo) = &self.memo else {
            let report = self.store.verify_evidence(cited)?;
            return Ok(EvidenceFound {
                commits: Arc::new(statuses(report.commits).collect()),
                repos: report.repos,
            });
        };
        let state = self.store.evidence_state()?;
        let mut known = lock(&memo.evidence);
        if known.state.as_ref() != Some(&state) {
            // Before the map is changed: a second holder would make it a copy.
            known.last = None;
        }
        if known.config != self.config_stamp || !self.still_known(&mut known, &state)? {
            *known = KnownEvidence {
                config: self.config_stamp.clone(),
                ..KnownEvidence::default()
            };
        }
        known.state = Some(state);
        let cited: Vec<&Evidence> = cited.into_iter().collect();
        let print = {
            use std::hash::{Hash as _, Hasher as _};
            let mut hasher = rustc_hash::FxHasher::default();
            cited.hash(&mut hasher);
            hasher.finish()
        };
        if let Some((last, found)) = &known.last
            && *last == print
        {
            return Ok(found.clone());
        }
        let mut unknown: FxHashSet<&Evidence> = FxHashSet::default();
        let mut labels: BTreeSet<&Option<String>> = BTreeSet::new();
        let mut last_label: Option<&Option<String>> = None;
        for evidence in cited {
            if !known.commits.contains_key(evidence) || !known.repos.contains_key(&evidence.repo) {
                unknown.insert(evidence);
            }
            // Nearly every commit is the journal's own: one set insert per run of a label.
            if last_label != Some(&evidence.repo) {
                labels.insert(&evidence.repo);
                last_label = Some(&evidence.repo);
            }
        }
        if !unknown.is_empty() {
            known.last = None;
            let asked = self.store.verify_evidence(unknown)?;
            Arc::make_mut(&mut known.commits).extend(statuses(asked.commits));
            known.repos.extend(asked.repos);
        }
        let repos = labels
            .into_iter()
            .filter_map(|label| Some((label.clone(), known.repos.get(label)?.clone())))
            .collect();
        let found = EvidenceFound {
            commits: Arc::clone(&known.commits),
            repos,
        };
        known.last = Some((print, found.clone()));
        Ok(found)
    }
}

impl Journal {
    /// Brings what `known` says in line with the repositories' `state`: `false` when every
    /// answer must be asked again. When only local references moved (a commit, a reset, a
    /// branch: what the journal's own `add` does), only the commits known missing that are
    /// reachable now are forgotten, to be asked again.
    fn still_known(&self, known: &mut KnownEvidence, state: &EvidenceState) -> Result<bool> {
        let Some(before) = &known.state else {
            return Ok(false);
        };
        if before == state {
            return Ok(true);
        }
        if before.shared != state.shared || !before.local.keys().eq(state.local.keys()) {
            return Ok(false);
        }
        let mut appeared = Vec::new();
        for (label, tips) in &state.local {
            let old = &before.local[label];
            if old == tips {
                continue;
            }
            let Some(new) = self
                .store
                .commits_since(label.as_deref(), old, tips, NEW_COMMITS)?
            else {
                return Ok(false);
            };
            appeared.extend(new.into_iter().map(|sha| Evidence {
                repo: label.clone(),
                sha,
            }));
        }
        let commits = Arc::make_mut(&mut known.commits);
        for evidence in appeared {
            if commits.get(&evidence).is_some_and(|c| !c.exists) {
                commits.remove(&evidence);
            }
        }
        Ok(true)
    }
}

impl Journal {
    /// Returns the review's evidence snapshot made by `make`, or the one a server kept when
    /// nothing it is made from changed since.
    pub(crate) fn remembered_snapshot(
        &self,
        make: impl FnOnce() -> Result<EvidenceSnapshot>,
    ) -> Result<Arc<EvidenceSnapshot>> {
        let Some(memo) = &self.memo else {
            return make().map(Arc::new);
        };
        let key = self.snapshot_key()?;
        if let Some(key) = &key
            && let Some((kept, snapshot)) = &*lock(&memo.snapshot)
            && kept == key
        {
            return Ok(Arc::clone(snapshot));
        }
        let snapshot = Arc::new(make()?);
        if let Some(key) = key {
            *lock(&memo.snapshot) = Some((key, Arc::clone(&snapshot)));
        }
        Ok(snapshot)
    }

    /// Returns the evidence changes since the review whose `evidence.json` is `blob`, made
    /// by `make`, or those a server kept when nothing they are made from changed since (a
    /// page shows them on every visit).
    pub(crate) fn remembered_changes(
        &self,
        blob: &str,
        make: impl FnOnce() -> Result<EvidenceChanges>,
    ) -> Result<Arc<EvidenceChanges>> {
        let Some(memo) = &self.memo else {
            return make().map(Arc::new);
        };
        let key = self.snapshot_key()?;
        if let Some(key) = &key
            && let Some((kept_blob, kept, changes)) = &*lock(&memo.changes)
            && kept_blob == blob
            && kept == key
        {
            return Ok(Arc::clone(changes));
        }
        let changes = Arc::new(make()?);
        if let Some(key) = key {
            *lock(&memo.changes) = Some((blob.to_owned(), key, Arc::clone(&changes)));
        }
        Ok(changes)
    }

    /// Returns the entry files git has not committed (new, changed, staged): a server keeps
    /// the list until the files, HEAD or git's index change (a status of every entry file
    /// costs 0.5 s at 100,000).
    pub(crate) fn uncommitted(&self) -> Result<Arc<Vec<String>>> {
        let Some(memo) = &self.memo else {
            return Ok(Arc::new(self.store.uncommitted()?));
        };
        let key = match self.fresh()?.index.files_stamp()? {
            Some(files) => Some(StatusKey {
                files,
                head: self.store.repo().head()?,
                staging: self.staging(),
            }),
            None => None,
        };
        if let Some(key) = &key
            && let Some((kept, list)) = &*lock(&memo.status)
            && kept == key
        {
            return Ok(Arc::clone(list));
        }
        let list = Arc::new(self.store.uncommitted()?);
        if let Some(key) = key {
            *lock(&memo.status) = Some((key, Arc::clone(&list)));
        }
        Ok(list)
    }

    /// Returns the coverage report of `story` cut to `limit` made by `make`, or the one a
    /// server kept when nothing it is made from changed since (an agent asks for it after
    /// each step; at 100,000 entries it takes half a second to make).
    pub(crate) fn remembered_coverage(
        &self,
        story: Option<&str>,
        limit: usize,
        make: impl FnOnce() -> Result<CoverageReport>,
    ) -> Result<Arc<CoverageReport>> {
        let Some(memo) = &self.memo else {
            return make().map(Arc::new);
        };
        let key = self.snapshot_key()?.map(|snapshot| CoverageKey {
            snapshot,
            staging: self.staging(),
            story: story.map(str::to_owned),
            limit,
        });
        if let Some(key) = &key
            && let Some((kept, report)) = &*lock(&memo.coverage)
            && kept == key
        {
            return Ok(Arc::clone(report));
        }
        let report = Arc::new(make()?);
        if let Some(key) = key {
            *lock(&memo.coverage) = Some((key, Arc::clone(&report)));
        }
        Ok(report)
    }

    /// git's index file's identity, size and time.
    fn staging(&self) -> Option<Staging> {
        use std::os::unix::fs::MetadataExt as _;
        let m = std::fs::metadata(self.store.repo().git_dir().join("index")).ok()?;
        Some((m.ino(), m.len(), m.modified().ok()?))
    }

    /// What the evidence snapshot is made from; `None` before the index has a stamp.
    fn snapshot_key(&self) -> Result<Option<SnapshotKey>> {
        let Some(files) = self.fresh()?.index.files_stamp()? else {
            return Ok(None);
        };
        Ok(Some(SnapshotKey {
            config: self.config_stamp.clone(),
            files,
            evidence: self.store.evidence_state()?,
        }))
    }
}

/// How many new commits are walked to find the cited ones among them, at most; past that,
/// every cited commit is asked about again.
const NEW_COMMITS: usize = 10_000;

/// What git says of cited commits, as the documents take it.
#[derive(Debug, Clone)]
pub(crate) struct EvidenceFound {
    /// By commit as cited; look up, do not list (see [`Journal::evidence_found`]).
    pub commits: Arc<FxHashMap<Evidence, CommitStatus>>,
    /// Each repository cited, by `[repos]` name (`None`: the journal's own).
    pub repos: BTreeMap<Option<String>, RepoCheck>,
}

fn statuses(
    commits: impl IntoIterator<Item = (Evidence, CommitCheck)>,
) -> impl Iterator<Item = (Evidence, CommitStatus)> {
    commits.into_iter().map(|(evidence, check)| {
        let status = CommitStatus {
            exists: check.exists,
            pushed: check.pushed,
            subject: check.subject,
            time: check.time,
        };
        (evidence, status)
    })
}

#[cfg(test)]
mod tests {

    use chrono::DateTime;
    use journal_testutils::{TestRepo, entry_text, git};

    use crate::{Clock, Journal, KeptJournal, OpenOptions};

    fn options(repo: &TestRepo) -> OpenOptions {
        OpenOptions {
            start: repo.root.clone(),
            ..OpenOptions::default()
        }
    }

    /// The confidence table, the review's evidence snapshot, the files not committed and
    /// the coverage report.
    fn answers(journal: &Journal) -> (serde_json::Value, String, Vec<String>, serde_json::Value) {
        let table = serde_json::to_value(journal.confidence().unwrap()).unwrap();
        let snapshot = serde_json::to_string(&*journal.evidence_snapshot().unwrap()).unwrap();
        let coverage = serde_json::to_value(journal.coverage(None, 50).unwrap()).unwrap();
        let uncommitted = journal.uncommitted().unwrap().to_vec();
        (table, snapshot, uncommitted, coverage)
    }

    /// A server's journal (its memo warm from earlier calls) answers as one opened afresh.
    fn same(kept: &KeptJournal, repo: &TestRepo, when: &str) {
        let remembered = kept.call(|j, _| Ok(answers(j))).unwrap();
        let fresh = answers(&Journal::open(&options(repo)).unwrap());
        assert_eq!(remembered, fresh, "{when}");
    }

    fn write(repo: &TestRepo, id: &str, day: u32, fields: &[&str]) {
        let text = entry_text(
            id,
            &format!("2026-02-{day:02}T10:00:00Z"),
            &format!("On day {day}"),
            fields,
            "Because.\n",
        );
        repo.write(&format!("journal/2026/02/{id}.md"), &text);
    }

    #[test]
    fn a_kept_journal_answers_as_a_fresh_one_after_each_change() {
        let repo = TestRepo::journal();
        let made = repo.commit("Set up LUKS", &[("luks.nix", "{ }\n")]);
        let missing = "0123456789abcdef0123456789abcdef01234567";
        let cites = |sha: &str| format!("commits: [{sha}]");
        write(
            &repo,
            "20260201T100000Z-a",
            1,
            &["provider: [hetzner]", "pattern: [luks]", &cites(&made)],
        );
        write(
            &repo,
            "20260202T100000Z-b",
            2,
            &["provider: [gcp]", "pattern: [luks]", &cites(missing)],
        );
        let clock =
            Clock::new(|| DateTime::parse_from_rfc3339("2026-03-01T12:00:00+01:00").unwrap());
        let kept = KeptJournal::open(options(&repo), clock).unwrap();
        same(&kept, &repo, "at first");

        write(
            &repo,
            "20260203T100000Z-c",
            3,
            &[
                "kind: assessment",
                "provider: [hetzner]",
                "pattern: [luks]",
                "confidence: proven",
                &cites(&made),
            ],
        );
        same(&kept, &repo, "an assessment added");
        write(
            &repo,
            "20260201T100000Z-a",
            1,
            &["provider: [hetzner]", "pattern: [disko]", &cites(&made)],
        );
        same(&kept, &repo, "an entry edited");
        std::fs::remove_file(repo.path("journal/2026/02/20260202T100000Z-b.md")).unwrap();
        same(&kept, &repo, "an entry removed");
        let who = ["-c", "user.name=Op", "-c", "user.email=op@example.org"];
        git(&repo.root, &["add", "journal"]);
        same(&kept, &repo, "the entries staged");
        git(
            &repo.root,
            &[
                who[0], who[1], who[2], who[3], "commit", "-q", "-m", "entries",
            ],
        );
        same(&kept, &repo, "the entries committed");
        let assessment = "journal/2026/02/20260203T100000Z-c.md";
        git(&repo.root, &["rm", "-q", "--cached", assessment]);
        same(
            &kept,
            &repo,
            "a committed entry taken out of git's index only",
        );
        git(&repo.root, &["reset", "-q"]);
        same(&kept, &repo, "git's index as HEAD again");
        git(&repo.root, &["reset", "-q", "--soft", "HEAD~1"]);
        same(&kept, &repo, "the commit undone, the entries staged");
        git(&repo.root, &["reset", "-q"]);
        same(&kept, &repo, "the entries unstaged");

        // Evidence cited before it is here: made in another clone, then fetched into a
        // local branch (only local references move; the objects come loose, no pack).
        let other = repo.root.parent().unwrap().join("other");
        git(
            repo.root.parent().unwrap(),
            &[
                "clone",
                "-q",
                repo.root.to_str().unwrap(),
                other.to_str().unwrap(),
            ],
        );
        git(
            &other,
            &[
                "-c",
                "user.name=Op",
                "-c",
                "user.email=op@example.org",
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                "Later work",
            ],
        );
        let later = git(&other, &["rev-parse", "HEAD"]);
        write(
            &repo,
            "20260204T100000Z-d",
            4,
            &["provider: [hetzner]", "pattern: [luks]", &cites(&later)],
        );
        same(&kept, &repo, "evidence not here yet");
        git(
            &repo.root,
            &[
                "fetch",
                "-q",
                other.to_str().unwrap(),
                "main:refs/heads/side",
            ],
        );
        same(&kept, &repo, "the evidence fetched into a branch");

        // Evidence that becomes pushed: a remote and a push move references only.
        let remote = repo.root.parent().unwrap().join("origin.git");
        git(
            repo.root.parent().unwrap(),
            &["init", "-q", "--bare", remote.to_str().unwrap()],
        );
        git(
            &repo.root,
            &["remote", "add", "origin", remote.to_str().unwrap()],
        );
        git(&repo.root, &["push", "-q", "origin", "main"]);
        same(&kept, &repo, "the evidence pushed");

        // journal.toml edited: its vocabulary refuses what was good.
        repo.write(
            "journal.toml",
            "entries = \"journal\"\ncommit = true\n[vocabulary]\nproviders = [\"gcp\"]\n",
        );
        same(&kept, &repo, "journal.toml edited");
    }

    /// Sets the file's modification time `days` days after 2026-01-01: older than any sync,
    /// so never racy (its month's fingerprint is recorded).
    fn age(repo: &TestRepo, id: &str, days: u64) {
        let file = std::fs::File::options()
            .write(true)
            .open(repo.path(&format!("journal/2026/02/{id}.md")))
            .unwrap();
        let when =
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_767_225_600 + days * 86_400);
        file.set_modified(when).unwrap();
    }

    #[test]
    fn a_kept_journal_follows_edits_of_files_that_are_not_racy() {
        let repo = TestRepo::journal();
        write(
            &repo,
            "20260201T100000Z-a",
            1,
            &["provider: [hetzner]", "pattern: [luks]"],
        );
        write(
            &repo,
            "20260202T100000Z-b",
            2,
            &["provider: [gcp]", "pattern: [luks]"],
        );
        age(&repo, "20260201T100000Z-a", 1);
        age(&repo, "20260202T100000Z-b", 2);
        let clock =
            Clock::new(|| DateTime::parse_from_rfc3339("2026-03-01T12:00:00+01:00").unwrap());
        let kept = KeptJournal::open(options(&repo), clock).unwrap();
        same(&kept, &repo, "at first");
        same(&kept, &repo, "again");
        write(
            &repo,
            "20260201T100000Z-a",
            1,
            &["provider: [hetzner]", "pattern: [disko]"],
        );
        age(&repo, "20260201T100000Z-a", 3);
        same(&kept, &repo, "an entry edited, not racy");
        std::fs::remove_file(repo.path("journal/2026/02/20260202T100000Z-b.md")).unwrap();
        same(&kept, &repo, "an entry removed");
    }
}
