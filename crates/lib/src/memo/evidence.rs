//! What git said of each cited commit, kept while the repositories' state is unchanged.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use journal_compile::CommitStatus;
use journal_entry::Evidence;
use journal_store::{CommitCheck, EvidenceState, RepoCheck};
use rustc_hash::{FxHashMap, FxHashSet};

use super::lock;
use crate::error::Result;
use crate::journal::{FileStamp, Journal};

/// What git said of cited commits, while the repositories' state is `state`.
#[derive(Debug, Default)]
pub(super) struct KnownEvidence {
    config: Option<FileStamp>,
    state: Option<EvidenceState>,
    commits: Arc<FxHashMap<Evidence, CommitStatus>>,
    repos: BTreeMap<Option<String>, RepoCheck>,
    /// The last answer, with a hash of what was cited: the same commits cited again (the
    /// same entries) get it without a lookup each (30 ms at 100,000 entries).
    last: Option<(u64, EvidenceFound)>,
}

impl Journal {
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
