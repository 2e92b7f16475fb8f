//! What the watcher watches, and which of the events it receives call for a sync.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The places one journal's watcher cares about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    /// The entries folder (watched recursively).
    pub entries: PathBuf,
    /// The journal root, holding journal.toml.
    pub root: PathBuf,
    /// journal.toml: a change reloads the configuration.
    pub config: PathBuf,
    /// The index folder: deleting it calls for a rebuild.
    pub index_dir: PathBuf,
    /// The git directories of the repositories that exist: the journal's own first.
    pub git_dirs: Vec<GitDirs>,
    /// Evidence repositories configured but not there yet: watched through their nearest
    /// existing parent until they appear.
    pub missing: Vec<PathBuf>,
}

/// Where a repository keeps HEAD and where it keeps refs (they differ for linked worktrees).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitDirs {
    /// The git directory (HEAD).
    pub git_dir: PathBuf,
    /// The common directory (refs, packed-refs).
    pub common_dir: PathBuf,
}

/// What an event means to the watcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Relevance {
    /// Nothing the index depends on (swap files, git's own index, objects).
    Ignore,
    /// An entry file or folder was created, written, removed or renamed.
    Entries,
    /// A branch, HEAD or packed refs moved: there may be new commits, or other entry files.
    Git,
    /// journal.toml changed: reload it.
    Config,
    /// A watched folder appeared or vanished (the entries folder, an evidence repository, the
    /// index): set the watches up again.
    Structure,
}

impl Targets {
    /// Returns the paths to watch, each with whether recursively, as they exist now.
    pub fn watches(&self) -> BTreeMap<PathBuf, bool> {
        let mut watches = BTreeMap::new();
        let mut want = |path: PathBuf, recursive: bool| {
            let slot = watches.entry(path).or_insert(recursive);
            *slot |= recursive;
        };
        if self.entries.is_dir() {
            want(self.entries.clone(), true);
        } else if let Some(anchor) = nearest_existing(&self.entries) {
            want(anchor, false);
        }
        want(self.root.clone(), false);
        for dirs in &self.git_dirs {
            want(dirs.git_dir.clone(), false);
            want(dirs.common_dir.clone(), false);
            let refs = dirs.common_dir.join("refs");
            if refs.is_dir() {
                want(refs, true);
            }
        }
        if let Some(anchor) = nearest_existing(&self.index_dir) {
            let parent = if anchor == self.index_dir {
                self.index_dir.parent().map(Path::to_owned)
            } else {
                Some(anchor)
            };
            if let Some(parent) = parent {
                want(parent, false);
            }
        }
        for path in &self.missing {
            if let Some(anchor) = nearest_existing(path) {
                want(anchor, false);
            }
            // A repository being made (`git init`, `git clone`): its git directory exists
            // before it is a repository; the files still to come there tell when it is one.
            let git_dir = path.join(".git");
            if git_dir.is_dir() {
                want(git_dir, false);
            }
        }
        watches
    }

    /// Returns what an event on `path` means.
    pub fn classify(&self, path: &Path) -> Relevance {
        if path == self.index_dir || self.index_dir.starts_with(path) {
            return Relevance::Structure;
        }
        if path.starts_with(&self.index_dir) {
            // The index's own files, written by syncs.
            return Relevance::Ignore;
        }
        if path == self.config {
            return Relevance::Config;
        }
        if self.entries.starts_with(path)
            || self
                .missing
                .iter()
                .any(|m| m.starts_with(path) || path.starts_with(m))
        {
            // The entries folder or a missing repository (or a folder on the way to one)
            // appeared or changed: what to watch is read again. Inside a missing repository,
            // anything (its .git, a checked-out file) may mean it now is one.
            return Relevance::Structure;
        }
        if let Ok(rel) = path.strip_prefix(&self.entries) {
            return if is_entry_name(rel) {
                Relevance::Entries
            } else {
                Relevance::Ignore
            };
        }
        for dirs in &self.git_dirs {
            for dir in [&dirs.git_dir, &dirs.common_dir] {
                if let Ok(rel) = path.strip_prefix(dir)
                    && is_ref_path(rel)
                {
                    return Relevance::Git;
                }
            }
        }
        Relevance::Ignore
    }
}

/// Returns whether a path under the entries folder may be an entry file or a folder of them:
/// editors' swap, backup and temporary files are not.
fn is_entry_name(rel: &Path) -> bool {
    let Some(name) = rel.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with('.') || name.ends_with('~') || name == "4913" {
        // Hidden (our own temporary files, vim's .swp, emacs's .#lock), backups, and the
        // file vim creates to test whether it may write in a folder.
        return false;
    }
    match Path::new(name).extension().and_then(|e| e.to_str()) {
        Some(ext) => ext == "md",
        None => true, // a folder: a month, a year, or one renamed
    }
}

/// Returns whether a path inside a git directory is HEAD or a ref (not a lock file).
fn is_ref_path(rel: &Path) -> bool {
    let text = rel.to_string_lossy();
    if text.ends_with(".lock") {
        return false;
    }
    text == "HEAD" || text == "packed-refs" || text == "refs" || rel.starts_with("refs")
}

/// Returns `path` or its nearest parent that exists.
fn nearest_existing(path: &Path) -> Option<PathBuf> {
    path.ancestors().find(|p| p.is_dir()).map(Path::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(root: &Path) -> Targets {
        Targets {
            entries: root.join("journal"),
            root: root.to_owned(),
            config: root.join("journal.toml"),
            index_dir: root.join(".git/journal"),
            git_dirs: vec![GitDirs {
                git_dir: root.join(".git"),
                common_dir: root.join(".git"),
            }],
            missing: vec![root.parent().unwrap().join("infra")],
        }
    }

    #[test]
    fn events_are_classified_by_place_and_name() {
        let t = targets(Path::new("/r"));
        let cases = [
            (
                "/r/journal/2026/10/20261001T000000Z-a.md",
                Relevance::Entries,
            ),
            ("/r/journal/2026/10", Relevance::Entries),
            (
                "/r/journal/2026/10/.20261001T000000Z-a.md.12.tmp",
                Relevance::Ignore,
            ),
            ("/r/journal/2026/10/.a.md.swp", Relevance::Ignore),
            ("/r/journal/2026/10/a.md~", Relevance::Ignore),
            ("/r/journal/2026/10/4913", Relevance::Ignore),
            ("/r/journal/templates/findings.md.j2", Relevance::Ignore),
            ("/r/journal", Relevance::Structure),
            ("/r/journal.toml", Relevance::Config),
            ("/r/.git/HEAD", Relevance::Git),
            ("/r/.git/packed-refs", Relevance::Git),
            ("/r/.git/refs/heads/main", Relevance::Git),
            ("/r/.git/refs/heads/main.lock", Relevance::Ignore),
            ("/r/.git/index", Relevance::Ignore),
            ("/r/.git/journal-watch/heartbeat.json", Relevance::Ignore),
            ("/r/.git/journal", Relevance::Structure),
            ("/r/.git/journal/state.sqlite", Relevance::Ignore),
            ("/infra", Relevance::Structure),
            ("/infra/.git", Relevance::Structure),
            ("/infra/.git/HEAD", Relevance::Structure),
            ("/infra/inventory.nix", Relevance::Structure),
            ("/r/README.md", Relevance::Ignore),
        ];
        for (path, want) in cases {
            assert_eq!(t.classify(Path::new(path)), want, "{path}");
        }
    }

    #[test]
    fn missing_folders_are_watched_through_their_nearest_parent() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join(".git/refs/heads")).unwrap();
        let t = targets(&root);
        let watches = t.watches();
        assert_eq!(watches.get(&root), Some(&false), "root, for journal.toml");
        assert!(
            !watches.contains_key(&root.join("journal")),
            "not there yet"
        );
        assert_eq!(watches.get(&root.join(".git")), Some(&false));
        assert_eq!(watches.get(&root.join(".git/refs")), Some(&true));
        // infra is missing: watched through `dir` (its nearest existing parent).
        assert_eq!(watches.get(dir.path()), Some(&false));

        std::fs::create_dir_all(root.join("journal")).unwrap();
        assert_eq!(t.watches().get(&root.join("journal")), Some(&true));

        // infra being made: its folder, and its git directory before it is a repository.
        let infra = dir.path().join("infra");
        std::fs::create_dir_all(infra.join(".git")).unwrap();
        let watches = t.watches();
        assert_eq!(watches.get(&infra), Some(&false));
        assert_eq!(watches.get(&infra.join(".git")), Some(&false));
    }
}
