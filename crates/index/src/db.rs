//! `state.sqlite`: which file was indexed as what, and the index's own state.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension as _, params};

use crate::error::Result;

/// The migrations of `index/migrations/`, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../format/migrations/0001_files.sql"),
    include_str!("../format/migrations/0002_bad_files.sql"),
    include_str!("../format/migrations/0003_commits.sql"),
];

/// An evidence commit as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CommitRow {
    pub sha: String,
    pub author: String,
    pub date: i64,
    pub date_text: String,
    pub subject: String,
    pub body: String,
    pub paths: String,
}

/// What the index knows of one entry file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FileRow {
    pub id: String,
    pub mtime_ns: i64,
    pub size: i64,
    pub hash: String,
    pub error: Option<String>,
    /// When the sync that recorded the row started.
    pub scanned_ns: i64,
}

/// Returns the first path after every path under the folder `prefix` (ending in `/`): the
/// paths under it sort between it and the prefix with its last byte raised (`/` + 1).
fn above_folder(prefix: &str) -> String {
    let mut upper = prefix.to_owned();
    upper.pop();
    upper.push('0');
    upper
}

/// The state database.
#[derive(Debug)]
pub(crate) struct StateDb {
    conn: Connection,
}

impl StateDb {
    /// Opens (creating) the database at `path` and applies pending migrations.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        // Another process may hold the write lock briefly: wait rather than fail.
        conn.busy_timeout(Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        Self::migrate(&conn)?;
        Ok(Self { conn })
    }

    /// Applies the migrations `conn` lacks.
    fn migrate(conn: &Connection) -> Result<()> {
        let applied: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (number, migration) in (1_i64..).zip(MIGRATIONS).filter(|(n, _)| *n > applied) {
            let tx = conn.unchecked_transaction()?;
            tx.execute_batch(migration)?;
            tx.pragma_update(None, "user_version", number)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Opens an index's database for this process only, in memory (a folder that cannot be
    /// written).
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        Self::migrate(&conn)?;
        Ok(Self { conn })
    }

    /// Opens the database at `path` read-only, as it is (no migration): a read-only checkout
    /// or a full disk. A database in WAL mode on a read-only file system opens as immutable.
    pub fn open_read_only(path: &Path) -> Result<Self> {
        use rusqlite::OpenFlags as F;
        if !path.is_file() {
            return Err(rusqlite::Error::InvalidPath(path.to_owned()).into());
        }
        let plain =
            Connection::open_with_flags(path, F::SQLITE_OPEN_READ_ONLY | F::SQLITE_OPEN_NO_MUTEX)
                .and_then(|conn| {
                    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                        r.get::<_, i64>(0)
                    })?;
                    Ok(conn)
                });
        let conn = match plain {
            Ok(conn) => conn,
            Err(_) => {
                let uri = format!("file:{}?immutable=1", path.display());
                Connection::open_with_flags(
                    uri,
                    F::SQLITE_OPEN_READ_ONLY | F::SQLITE_OPEN_URI | F::SQLITE_OPEN_NO_MUTEX,
                )?
            }
        };
        let applied: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if applied != i64::try_from(MIGRATIONS.len()).unwrap_or_default() {
            return Err(crate::error::Error::OtherVersion(format!(
                "migration {applied}"
            )));
        }
        Ok(Self { conn })
    }

    /// Checks that the tables have the columns this version reads; an index written by a
    /// development build with other migrations fails here and is rebuilt.
    pub fn probe(&self) -> Result<()> {
        self.conn.prepare(
            "SELECT path, id, mtime_ns, size, hash, date, error, scanned_ns FROM files LIMIT 0",
        )?;
        self.conn.prepare(
            "SELECT repo, sha, author, date, date_text, subject, body, paths FROM commits LIMIT 0",
        )?;
        Ok(())
    }

    /// Returns a value of the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Sets a value of the `meta` table.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Returns the rows of the files whose path starts with `prefix` (a month folder's),
    /// by path.
    pub fn files_under(&self, prefix: &str) -> Result<HashMap<String, FileRow>> {
        let upper = above_folder(prefix);
        let mut stmt = self.conn.prepare_cached(
            "SELECT path, id, mtime_ns, size, hash, error, scanned_ns FROM files
             WHERE path >= ?1 AND path < ?2",
        )?;
        let rows = stmt.query_map([prefix, upper.as_str()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                FileRow {
                    id: r.get(1)?,
                    mtime_ns: r.get(2)?,
                    size: r.get(3)?,
                    hash: r.get(4)?,
                    error: r.get(5)?,
                    scanned_ns: r.get(6)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Returns whether any good entry file is recorded (stops at the first).
    pub fn has_good_file(&self) -> Result<bool> {
        Ok(self
            .conn
            .query_row(
                "SELECT 1 FROM files WHERE error IS NULL LIMIT 1",
                [],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Returns the number of files recorded, good or bad.
    pub fn file_count(&self) -> Result<usize> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM files", [], |r| r.get(0))?;
        Ok(usize::try_from(count).unwrap_or_default())
    }

    /// Returns the files whose entry id starts with `prefix`, by id then path: `(id, path)`,
    /// at most `limit`.
    pub fn ids_with_prefix(&self, prefix: &str, limit: usize) -> Result<Vec<(String, String)>> {
        // Ids are ASCII: those with the prefix sort from it up to the prefix with its last
        // byte raised, a range the `files_id` index answers.
        let upper = match prefix.as_bytes().last() {
            Some(&last) if last < 0x7f => {
                let mut upper = prefix[..prefix.len() - 1].to_owned();
                upper.push(char::from(last + 1));
                upper
            }
            _ => "\u{10ffff}".to_owned(),
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, path FROM files WHERE id >= ?1 AND id < ?2 AND substr(id, 1, length(?1)) = ?1
             ORDER BY id, path LIMIT ?3",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(rusqlite::params![prefix, upper, limit], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Returns the number of commits recorded, in every repository.
    pub fn commit_count(&self) -> Result<usize> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM commits", [], |r| r.get(0))?;
        Ok(usize::try_from(count).unwrap_or_default())
    }

    /// Returns the files that cannot be indexed, by path, with their problems.
    pub fn bad_files(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT path, error FROM files WHERE error IS NOT NULL ORDER BY path")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Returns `(path, hash)` of the good files whose path starts with `prefix` (a month
    /// folder's, ending in `/`), by path.
    pub fn good_files_under(&self, prefix: &str) -> Result<Vec<(String, String)>> {
        let upper = above_folder(prefix);
        let mut stmt = self.conn.prepare_cached(
            "SELECT path, hash FROM files WHERE path >= ?1 AND path < ?2 AND error IS NULL
             ORDER BY path",
        )?;
        let rows = stmt.query_map([prefix, upper.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Returns the files recorded "racy": modified not before the sync that read them
    /// began, so that they may change again with the same size and time.
    pub fn racy_files(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT path FROM files WHERE mtime_ns >= scanned_ns")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Returns `(path, hash)` of every good file, by path.
    pub fn good_files(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT path, hash FROM files WHERE error IS NULL ORDER BY path")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Returns the message body and changed paths of one recorded commit.
    pub fn commit_text(&self, repo: &str, sha: &str) -> Result<Option<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body, paths FROM commits WHERE repo = ?1 AND sha = ?2")?;
        Ok(stmt
            .query_row([repo, sha], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Returns every recorded commit with its repository label.
    pub fn commits(&self) -> Result<Vec<(String, CommitRow)>> {
        let mut stmt = self.conn.prepare(
            "SELECT repo, sha, author, date, date_text, subject, body, paths FROM commits",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                CommitRow {
                    sha: r.get(1)?,
                    author: r.get(2)?,
                    date: r.get(3)?,
                    date_text: r.get(4)?,
                    subject: r.get(5)?,
                    body: r.get(6)?,
                    paths: r.get(7)?,
                },
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Runs `f` in one transaction.
    pub fn transaction<T>(&mut self, f: impl FnOnce(&FilesTx<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let value = f(&FilesTx { tx: &tx })?;
        tx.commit()?;
        Ok(value)
    }
}

/// Writes to the `files` table inside a transaction.
pub(crate) struct FilesTx<'a> {
    tx: &'a rusqlite::Transaction<'a>,
}

impl FilesTx<'_> {
    /// Records what `path` was indexed as.
    pub fn upsert(&self, path: &str, row: &FileRow, date: Option<i64>) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO files (path, id, mtime_ns, size, hash, date, error, scanned_ns)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (path) DO UPDATE SET id = excluded.id, mtime_ns = excluded.mtime_ns,
                   size = excluded.size, hash = excluded.hash, date = excluded.date,
                   error = excluded.error, scanned_ns = excluded.scanned_ns",
            )?
            .execute(params![
                path,
                row.id,
                row.mtime_ns,
                row.size,
                row.hash,
                date,
                row.error,
                row.scanned_ns
            ])?;
        Ok(())
    }

    /// Records a new modification time for a file whose content did not change.
    pub fn touch(&self, path: &str, mtime_ns: i64, scanned_ns: i64) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE files SET mtime_ns = ?2, scanned_ns = ?3 WHERE path = ?1")?
            .execute(params![path, mtime_ns, scanned_ns])?;
        Ok(())
    }

    /// Sets a value of the `meta` table, in the transaction.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// Records a commit.
    pub fn upsert_commit(&self, repo: &str, row: &CommitRow) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR REPLACE INTO commits
                 (repo, sha, author, date, date_text, subject, body, paths)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                repo,
                row.sha,
                row.author,
                row.date,
                row.date_text,
                row.subject,
                row.body,
                row.paths
            ])?;
        Ok(())
    }

    /// Forgets the commits of a repository.
    pub fn delete_commits(&self, repo: &str) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM commits WHERE repo = ?1")?
            .execute([repo])?;
        Ok(())
    }

    /// Forgets a file.
    pub fn delete(&self, path: &str) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM files WHERE path = ?1")?
            .execute([path])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &str, error: Option<&str>) -> FileRow {
        FileRow {
            id: id.to_owned(),
            mtime_ns: 1,
            size: 2,
            hash: "h".to_owned(),
            error: error.map(str::to_owned),
            scanned_ns: 3,
        }
    }

    fn filled() -> StateDb {
        let mut db = StateDb::open_in_memory().unwrap();
        db.transaction(|tx| {
            tx.upsert("journal/2026/01/a1.md", &row("a1", None), Some(10))?;
            tx.upsert(
                "journal/2026/01/a2.md",
                &row("a2", Some("1\tdate\tbad")),
                None,
            )?;
            tx.upsert("journal/2026/010/x.md", &row("x", None), Some(11))?;
            tx.upsert("journal/2026/02/ab.md", &row("ab", None), Some(12))?;
            tx.upsert("other/2026/02/ab.md", &row("ab", None), Some(13))
        })
        .unwrap();
        db
    }

    #[test]
    fn files_under_a_month_are_that_folders_only() {
        let db = filled();
        let mut under: Vec<String> = db
            .files_under("journal/2026/01/")
            .unwrap()
            .into_keys()
            .collect();
        under.sort();
        assert_eq!(under, ["journal/2026/01/a1.md", "journal/2026/01/a2.md"]);
        assert_eq!(
            db.files_under("journal/2026/01/").unwrap()["journal/2026/01/a1.md"],
            row("a1", None)
        );
    }

    #[test]
    fn ids_by_prefix_bad_files_and_counts() {
        let db = filled();
        let ids = db.ids_with_prefix("a", 10).unwrap();
        let ids: Vec<(&str, &str)> = ids.iter().map(|(i, p)| (i.as_str(), p.as_str())).collect();
        assert_eq!(
            ids,
            [
                ("a1", "journal/2026/01/a1.md"),
                ("a2", "journal/2026/01/a2.md"),
                ("ab", "journal/2026/02/ab.md"),
                ("ab", "other/2026/02/ab.md"),
            ]
        );
        assert_eq!(db.ids_with_prefix("ab", 1).unwrap().len(), 1, "the limit");
        assert!(db.ids_with_prefix("b", 10).unwrap().is_empty());
        assert_eq!(
            db.bad_files().unwrap(),
            [(
                "journal/2026/01/a2.md".to_owned(),
                "1\tdate\tbad".to_owned()
            )]
        );
        assert_eq!(db.file_count().unwrap(), 5);
        assert!(db.has_good_file().unwrap());
        assert!(!StateDb::open_in_memory().unwrap().has_good_file().unwrap());
        db.set_meta("k", "v").unwrap();
        db.set_meta("k", "w").unwrap();
        assert_eq!(db.meta("k").unwrap().as_deref(), Some("w"));
        assert_eq!(db.meta("none").unwrap(), None);
    }
}
