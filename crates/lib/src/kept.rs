//! [`KeptJournal`]: a journal kept open between the calls of a long-running front end (the
//! MCP server, the web page), rather than opened anew by each.
//!
//! Opening costs journal.toml's parse, the repository's discovery and the index's open
//! (tantivy's segments, SQLite); at 100,000 entries that was most of a search call. A kept
//! journal is checked at each call instead: journal.toml unchanged ([`Journal::is_current`],
//! else it is opened again, so an edit of the configuration is seen by the next call), a
//! killed writer's leftovers put right ([`Journal::recover`]), and the index made current by
//! its reading operation (reloaded when another process committed, opened again when its
//! folder was rebuilt). Calls run in parallel: each takes an idle journal or opens another,
//! and gives it back when done.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, FixedOffset};

use crate::error::Result;
use crate::journal::{Journal, OpenOptions};
use crate::memo::Memo;

/// Returns now, with the local offset: the moment of a call. The binary gives the system's
/// clock; a test a fixed one. Shown by `Debug` as `Clock` (no time is read to show it).
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<FixedOffset> + Send + Sync>);

impl Clock {
    /// A clock that asks `now` for the time.
    pub fn new(now: impl Fn() -> DateTime<FixedOffset> + Send + Sync + 'static) -> Self {
        Self(Arc::new(now))
    }

    /// Returns the time now.
    pub fn now(&self) -> DateTime<FixedOffset> {
        (self.0)()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

/// How many idle journals are kept (one per call that ran at the same time, up to this).
const IDLE: usize = 4;

/// A journal kept open between calls; see the module's overview.
pub struct KeptJournal {
    options: OpenOptions,
    clock: Clock,
    idle: Mutex<Vec<Journal>>,
    /// Shared by every journal handed out.
    memo: Arc<Memo>,
}

impl std::fmt::Debug for KeptJournal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeptJournal")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl KeptJournal {
    /// Opens the journal `options` finds (failing as [`Journal::open`] does, so that a
    /// misconfigured server says so at start), to be kept.
    pub fn open(options: OpenOptions, clock: Clock) -> Result<Self> {
        let journal = Journal::open(&options)?;
        Ok(Self {
            options,
            clock,
            idle: Mutex::new(vec![journal]),
            memo: Arc::default(),
        })
    }

    /// Returns where the journal is found.
    pub fn options(&self) -> &OpenOptions {
        &self.options
    }

    /// Returns now, by the clock given.
    pub fn now(&self) -> DateTime<FixedOffset> {
        self.clock.now()
    }

    /// Runs `work` on the journal, current (see the module's overview), with the moment of
    /// the call. Blocks: a server runs it on a thread that may block.
    pub fn call<T>(
        &self,
        work: impl FnOnce(&Journal, DateTime<FixedOffset>) -> Result<T>,
    ) -> Result<T> {
        let now = self.now();
        let mut journal = self.take()?;
        journal.memo = Some(Arc::clone(&self.memo));
        let result = work(&journal, now);
        self.give_back(journal);
        result
    }

    /// [`KeptJournal::call`], first handing `report` each repair of what a killed journal
    /// write left (a server logs them, one line each, as the CLI prints them).
    pub fn call_reporting_repairs<T>(
        &self,
        mut report: impl FnMut(&journal_store::Repair),
        work: impl FnOnce(&Journal, DateTime<FixedOffset>) -> Result<T>,
    ) -> Result<T> {
        self.call(|journal, now| {
            for repair in journal.take_repairs() {
                report(&repair);
            }
            work(journal, now)
        })
    }

    /// [`KeptJournal::call_reporting_repairs`] on tokio's pool of threads that may block: how
    /// a server runs each request. The outer `Err` says the work did not finish (it
    /// panicked; the memo it held is reset on the next call).
    pub async fn call_blocking<T, F>(
        self: &Arc<Self>,
        report: fn(&journal_store::Repair),
        work: F,
    ) -> std::result::Result<Result<T>, tokio::task::JoinError>
    where
        T: Send + 'static,
        F: FnOnce(&Journal, DateTime<FixedOffset>) -> Result<T> + Send + 'static,
    {
        let kept = Arc::clone(self);
        tokio::task::spawn_blocking(move || kept.call_reporting_repairs(report, work)).await
    }

    /// Takes an idle journal that is still current, or opens one.
    fn take(&self) -> Result<Journal> {
        loop {
            let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
            match idle {
                Some(journal) if journal.is_current() => {
                    journal.recover();
                    return Ok(journal);
                }
                Some(_) => {} // journal.toml changed: dropped, try the next
                None => return Journal::open(&self.options),
            }
        }
    }

    fn give_back(&self, journal: Journal) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < IDLE
        {
            idle.push(journal);
        }
    }
}

#[cfg(test)]
mod tests {
    use journal_testutils::{TestRepo, entry_text};

    use super::*;
    use crate::Filters;

    fn kept(repo: &TestRepo) -> KeptJournal {
        let options = OpenOptions {
            start: repo.root.clone(),
            ..OpenOptions::default()
        };
        let clock = Clock::new(|| {
            DateTime::parse_from_rfc3339("2026-03-01T12:00:00+01:00").unwrap_or_default()
        });
        KeptJournal::open(options, clock).unwrap()
    }

    fn count(kept: &KeptJournal, filters: &Filters) -> Result<usize> {
        kept.call(|j, _| Ok(j.select(filters, None)?.entries.len()))
    }

    fn write_entry(repo: &TestRepo, id: &str, title: &str) {
        let text = entry_text(id, "2026-02-01T10:00:00+01:00", title, &[], "Body.");
        repo.write(&format!("journal/2026/02/{id}.md"), &text);
    }

    #[test]
    fn a_kept_journal_sees_new_entries_and_an_edited_configuration() {
        let repo = TestRepo::journal();
        let kept = kept(&repo);
        assert_eq!(count(&kept, &Filters::default()).unwrap(), 0);
        write_entry(&repo, "20260201-100000-aaaa", "First observation");
        assert_eq!(
            count(&kept, &Filters::default()).unwrap(),
            1,
            "a file written by another process is seen"
        );

        // journal.toml edited: the next call reads it again (here: a key it refuses).
        let toml = repo.path("journal.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        std::fs::write(&toml, format!("{text}\nno_such_key = 1\n")).unwrap();
        assert!(count(&kept, &Filters::default()).is_err());
        std::fs::write(&toml, text).unwrap();
        assert_eq!(count(&kept, &Filters::default()).unwrap(), 1);
    }

    #[test]
    fn a_kept_journal_answers_after_its_index_is_deleted_or_rebuilt() {
        let repo = TestRepo::journal();
        let kept = kept(&repo);
        write_entry(&repo, "20260201-100000-aaaa", "About zerotier");
        assert_eq!(count(&kept, &Filters::default()).unwrap(), 1);
        let dir = kept.call(|j, _| Ok(j.index_dir())).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            count(&kept, &Filters::default()).unwrap(),
            1,
            "a lost index never answers nothing"
        );
        // Rebuilt by another process (`journal reindex`): the kept index is replaced.
        let other = Journal::open(kept.options()).unwrap();
        other.reindex(&mut |_| {}).unwrap();
        write_entry(&repo, "20260201-110000-bbbb", "Another");
        assert_eq!(count(&kept, &Filters::default()).unwrap(), 2);
    }

    #[test]
    fn calls_at_the_same_time_each_get_a_journal() {
        let repo = TestRepo::journal();
        let kept = kept(&repo);
        write_entry(&repo, "20260201-100000-aaaa", "One");
        std::thread::scope(|s| {
            for _ in 0..6 {
                s.spawn(|| assert_eq!(count(&kept, &Filters::default()).unwrap(), 1));
            }
        });
        assert!(kept.idle.lock().unwrap().len() <= IDLE);
    }
}
