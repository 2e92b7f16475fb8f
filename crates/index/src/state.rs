//! What the index knows without syncing: its counts, its bad files, and whether it is fresh.

use journal_store::{Fingerprint, Store};

use crate::commits::OWN;
use crate::error::Result;
use crate::index::JournalIndex;
use crate::sync::{BadFile, FINGERPRINT, SyncReport, decode_months};

impl JournalIndex {
    /// Returns what the last sync recorded, as the report of a sync that found nothing new:
    /// the number of files and every bad file. For a reader that trusts another process (the
    /// watcher) to keep the index fresh.
    pub fn recorded_report(&self) -> Result<SyncReport> {
        let bad = self
            .db
            .bad_files()?
            .into_iter()
            .map(|(path, error)| BadFile::from_stored(path, &error))
            .collect();
        // Kept by each sync: one row read, where a count(*) of the files table reads every
        // page of it (~3 ms at 100,000 entries, on every reading operation with a watcher).
        // An index from before the key was kept counts, until its next sync.
        let files = match self
            .db
            .meta(crate::sync::FILE_COUNT)?
            .map(|n| n.parse::<usize>())
        {
            Some(Ok(n)) => n,
            _ => self.db.file_count()?,
        };
        Ok(SyncReport {
            files,
            bad,
            ..SyncReport::default()
        })
    }

    /// Returns whether a sync ever recorded the entry files here (an index just created or
    /// wiped has not).
    pub fn has_synced(&self) -> Result<bool> {
        Ok(self.db.meta(FINGERPRINT)?.is_some())
    }

    /// Returns a token that changes whenever a sync adds, changes or removes a file's row
    /// (`None` before the first such sync): unchanged, [`JournalIndex::good_files`] is too.
    pub fn files_stamp(&self) -> Result<Option<String>> {
        self.db.meta(crate::sync::FILES_STAMP)
    }

    /// Returns the path and content hash of every good entry file, by path: what a reader
    /// that keeps entries in memory compares with what it holds.
    pub fn good_files(&self) -> Result<Vec<(String, String)>> {
        self.db.good_files()
    }

    /// Returns the fingerprint of each month folder (`YYYY/MM`) as last indexed: a month
    /// whose fingerprint is unchanged holds the same files (names, sizes, times) as then.
    pub fn month_prints(&self) -> Result<std::collections::BTreeMap<String, Fingerprint>> {
        Ok(decode_months(
            &self.db.meta(FINGERPRINT)?.unwrap_or_default(),
        ))
    }

    /// Returns the path and content hash of the good entry files under `prefix` (a month
    /// folder's path, ending in `/`), by path.
    pub fn good_files_under(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        self.db.good_files_under(prefix)
    }

    /// Returns the files indexed "racy" (modified not before the sync that read them
    /// began): they can change again without their month's fingerprint changing, and the
    /// next sync reads them again.
    pub fn racy_files(&self) -> Result<Vec<String>> {
        self.db.racy_files()
    }

    /// Returns the entry files whose id starts with `prefix` (good or bad), as `(id, path)` by
    /// id, at most `limit`: how `show` finds an entry without listing the folders.
    pub fn find_ids(&self, prefix: &str, limit: usize) -> Result<Vec<(String, String)>> {
        self.db.ids_with_prefix(prefix, limit)
    }

    /// Returns the number of evidence commits indexed.
    pub fn commit_count(&self) -> Result<usize> {
        self.db.commit_count()
    }

    /// Returns the newest commit indexed for a repository (`None` for the journal's own),
    /// if any.
    pub fn commit_tip(&self, repo: Option<&str>) -> Result<Option<String>> {
        let key = format!("commits_tip/{}", repo.unwrap_or(OWN));
        Ok(self.db.meta(&key)?.filter(|tip| !tip.is_empty()))
    }

    /// Returns whether the index matches the entry files on disk and the heads of the
    /// evidence repositories, without changing anything (one stat per file).
    pub fn is_fresh(&self, store: &Store) -> Result<bool> {
        let recorded = decode_months(&self.db.meta(FINGERPRINT)?.unwrap_or_default());
        let on_disk = store.month_fingerprints()?;
        let same_months = on_disk.len() == recorded.len()
            && on_disk
                .iter()
                .all(|(month, fp)| recorded.get(month) == Some::<&Fingerprint>(fp));
        if !same_months {
            return Ok(false);
        }
        if self.commit_tip(None)? != store.repo().tips_key()? {
            return Ok(false);
        }
        for name in store.repo_names() {
            if let Some(repo) = store.named_repo(&name).ok().flatten()
                && self.commit_tip(Some(&name))? != repo.tips_key()?
            {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use journal_store::StoreOptions;

    use super::*;
    use crate::SyncOptions;

    fn git(dir: &std::path::Path, args: &[&str]) {
        let status = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "T")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "T")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    #[test]
    fn fresh_after_a_sync_stale_after_a_new_file_or_commit() {
        let repo = tempfile::tempdir().unwrap();
        git(repo.path(), &["init", "-q"]);
        git(
            repo.path(),
            &["commit", "-q", "--allow-empty", "-m", "first"],
        );
        let month = repo.path().join("journal/2026/10");
        std::fs::create_dir_all(&month).unwrap();
        let store = Store::open(repo.path(), StoreOptions::default()).unwrap();
        let index_dir = repo.path().join(".git/journal");
        let mut index = JournalIndex::open(&index_dir).unwrap();
        assert!(!index.is_fresh(&store).unwrap(), "never synced");
        index
            .sync(&store, &SyncOptions::default(), &mut |_| {})
            .unwrap();
        // A file written in the same clock tick as the sync may be read again; wait it out.
        std::thread::sleep(std::time::Duration::from_millis(20));
        index
            .sync(&store, &SyncOptions::default(), &mut |_| {})
            .unwrap();
        assert!(index.is_fresh(&store).unwrap());
        assert_eq!(index.commit_count().unwrap(), 1);
        assert_eq!(index.recorded_report().unwrap().files, 0);

        git(
            repo.path(),
            &["commit", "-q", "--allow-empty", "-m", "second"],
        );
        assert!(!index.is_fresh(&store).unwrap(), "a new commit");
        index
            .sync(&store, &SyncOptions::default(), &mut |_| {})
            .unwrap();
        assert!(index.is_fresh(&store).unwrap());

        std::fs::write(month.join("x.md"), "not an entry").unwrap();
        assert!(!index.is_fresh(&store).unwrap(), "a new file");
        let report = index
            .sync(&store, &SyncOptions::default(), &mut |_| {})
            .unwrap();
        assert_eq!(report.bad.len(), 1);
        let recorded = index.recorded_report().unwrap();
        assert_eq!(recorded.bad, report.bad);
        assert_eq!(
            recorded.files,
            index.db.file_count().unwrap(),
            "as the table counts"
        );
        assert_eq!(recorded.files, report.files);
    }
}
