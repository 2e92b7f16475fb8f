//! What the answers of [`Store::verify_evidence`] depend on: the same state, the same
//! answers. A long-running front end keeps the answers between calls while the state is
//! unchanged, rather than asking git about every cited commit again; when only local
//! references moved (a commit), it asks again about the commits that appeared only.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;

use git2::Oid;

use crate::error::{Error, Result};
use crate::repo::GitRepo;
use crate::store::Store;

/// What the answers of [`Store::verify_evidence`] depend on; see the module's overview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceState {
    /// What any change of invalidates every answer: the remote-tracking references (which
    /// commits are pushed), the remotes and their URLs (which remote links are made from),
    /// the modification time of the pack folders (objects fetched, repacked or pruned), and
    /// whether each `[repos]` repository could be opened.
    pub shared: String,
    /// For each repository (`None`: the journal's own; else its `[repos]` name), the commits
    /// its other references (branches, tags, HEAD) point at. When only these moved (a commit,
    /// a reset, a branch), the answers that can change are those of commits that were
    /// missing and are reachable now ([`Store::commits_since`]).
    pub local: BTreeMap<Option<String>, BTreeSet<String>>,
}

impl Store {
    /// Returns what the answers of [`Store::verify_evidence`] depend on, for the journal's
    /// repository and each `[repos]` one. A commit written with no reference moved (git's
    /// plumbing) and loose objects pruned without a repack are not seen: nothing the
    /// journal or git's porcelain does.
    pub fn evidence_state(&self) -> Result<EvidenceState> {
        let mut state = EvidenceState::default();
        describe(self.repo(), None, &mut state)?;
        for name in self.repo_names() {
            let _ = writeln!(state.shared, "[repos.{name}]");
            match self.named_repo(&name) {
                Ok(Some(repo)) => describe(&repo, Some(&name), &mut state)?,
                Ok(None) => state.shared.push_str("not configured\n"),
                Err(e) => {
                    let _ = writeln!(state.shared, "unavailable: {e}");
                }
            }
        }
        Ok(state)
    }

    /// Returns the commits reachable from `now` and not from `before` in a repository
    /// (`None`: the journal's own), or `None` when there are more than `limit` (asking about
    /// every commit again is then cheaper).
    pub fn commits_since(
        &self,
        repo: Option<&str>,
        before: &BTreeSet<String>,
        now: &BTreeSet<String>,
        limit: usize,
    ) -> Result<Option<HashSet<String>>> {
        let owned;
        let repo = match repo {
            None => self.repo(),
            Some(name) => match self.named_repo(name)? {
                Some(r) => {
                    owned = r;
                    &owned
                }
                None => return Ok(None),
            },
        };
        let raw = repo.raw();
        let mut walk = raw.revwalk().map_err(Error::git("cannot walk history"))?;
        for tip in now.difference(before) {
            let oid = Oid::from_str(tip).map_err(Error::git("cannot read a commit id"))?;
            walk.push(oid).map_err(Error::git("cannot walk history"))?;
        }
        for tip in before {
            // A tip whose commit is gone hides nothing.
            if let Ok(oid) = Oid::from_str(tip) {
                let _ = walk.hide(oid);
            }
        }
        let mut found = HashSet::new();
        for oid in walk {
            let oid = oid.map_err(Error::git("cannot walk history"))?;
            if found.len() == limit {
                return Ok(None);
            }
            found.insert(oid.to_string());
        }
        Ok(Some(found))
    }
}

/// Adds what `repo`'s evidence answers depend on to `state`.
fn describe(repo: &GitRepo, label: Option<&str>, state: &mut EvidenceState) -> Result<()> {
    let raw = repo.raw();
    let references = raw
        .references()
        .map_err(Error::git("cannot list the references"))?;
    let local = state.local.entry(label.map(str::to_owned)).or_default();
    for reference in references.flatten() {
        let name = reference.name().ok().unwrap_or_default();
        if name.starts_with("refs/remotes/") {
            match (
                reference.target(),
                reference.symbolic_target().ok().flatten(),
            ) {
                (Some(oid), _) => {
                    let _ = writeln!(state.shared, "{name} {oid}");
                }
                (None, Some(target)) => {
                    let _ = writeln!(state.shared, "{name} -> {target}");
                }
                (None, None) => {}
            }
        } else if let Ok(commit) = reference.peel_to_commit() {
            local.insert(commit.id().to_string());
        }
    }
    if let Ok(head) = raw.head()
        && let Ok(commit) = head.peel_to_commit()
    {
        local.insert(commit.id().to_string());
    }
    if let Ok(remotes) = raw.remotes() {
        for name in remotes.iter().flatten().flatten() {
            let url = raw
                .find_remote(name)
                .ok()
                .and_then(|r| r.url().ok().map(str::to_owned));
            let _ = writeln!(state.shared, "remote {name} {}", url.unwrap_or_default());
        }
    }
    let pack = repo.common_dir().join("objects").join("pack");
    let modified = std::fs::metadata(&pack).and_then(|m| m.modified()).ok();
    let _ = writeln!(state.shared, "packs {modified:?}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use journal_testutils::TestRepo;

    use crate::{Store, StoreOptions};

    #[test]
    fn a_commit_moves_the_local_state_and_a_remote_the_shared_one() {
        let repo = TestRepo::journal();
        let store = Store::open(&repo.root, StoreOptions::default()).unwrap();
        let first = store.evidence_state().unwrap();
        assert_eq!(store.evidence_state().unwrap(), first, "nothing changed");
        let made = repo.commit("Set up LUKS", &[("luks.nix", "{ }\n")]);
        let committed = store.evidence_state().unwrap();
        assert_eq!(committed.shared, first.shared, "no remote, no pack moved");
        assert_ne!(committed.local, first.local, "a commit moves HEAD's branch");
        let (before, now) = (&first.local[&None], &committed.local[&None]);
        let since = store.commits_since(None, before, now, 10).unwrap();
        assert_eq!(since, Some([made.clone()].into_iter().collect()));
        let second = repo.commit("Set up disko", &[("disko.nix", "{ }\n")]);
        let later = store.evidence_state().unwrap();
        let over = store.commits_since(None, before, &later.local[&None], 1);
        assert_eq!(over.unwrap(), None, "more than the limit: none");
        assert_ne!(second, made);

        journal_testutils::git(
            &repo.root,
            &["remote", "add", "origin", "https://example.org/infra.git"],
        );
        assert_ne!(
            store.evidence_state().unwrap().shared,
            later.shared,
            "a remote"
        );
    }
}
