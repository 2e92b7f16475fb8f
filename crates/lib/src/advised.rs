//! `add_advised`: recording an observation the way an agent should be answered, with the
//! existing entries that look like the same observation (supersede one of them next time
//! rather than record a duplicate).

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::add::{AddReport, Draft, EntryText};
use crate::error::Result;
use crate::journal::Journal;
use crate::search::Similar;

/// What [`Journal::add_advised`] did.
#[derive(Debug, Clone, Serialize)]
pub struct Advised {
    /// The entry recorded.
    pub added: AddReport,
    /// Existing entries that look like the same observation, most alike first (the new
    /// entry left out). Advice only: the entry was written.
    pub similar: Vec<Similar>,
}

impl Journal {
    /// Records the entry as [`Journal::add`] does and, beside the write, looks up at most
    /// `limit` existing entries that look like the same observation ([`Journal::similar`]).
    /// The lookup runs on a journal of its own (a git handle is not shared between threads),
    /// so the advice costs no time; a lookup that fails (the index busy) costs the advice,
    /// never the entry.
    pub fn add_advised(
        &self,
        draft: Draft,
        text: EntryText,
        date: DateTime<FixedOffset>,
        now: DateTime<FixedOffset>,
        host: Option<String>,
        limit: usize,
    ) -> Result<Advised> {
        let title = match &text {
            EntryText::Split { title, .. } => title.clone(),
            EntryText::Joined { text, title } => crate::add::split_text(text, title.as_deref()).0,
        };
        let (similar, added) = std::thread::scope(|scope| {
            let root = self.root();
            let identity = journal_store::IdentityOverrides::default();
            let title = title.as_str();
            let lookup = scope.spawn(move || {
                Self::open_root(root, identity)
                    .and_then(|j| j.similar(title, limit + 1))
                    .unwrap_or_default()
            });
            let added = self.add(draft, text, date, now, host);
            (lookup.join().unwrap_or_default(), added)
        });
        let added = added?;
        let mut similar = similar;
        similar.retain(|s| s.id != added.id);
        similar.truncate(limit);
        Ok(Advised { added, similar })
    }
}

#[cfg(test)]
mod tests {
    use journal_testutils::TestRepo;

    use crate::{EntryFields, EntryText, Journal, OpenOptions};

    #[test]
    fn the_advice_names_the_alike_entries_but_not_the_new_one() {
        let repo = TestRepo::journal();
        let journal = Journal::open(&OpenOptions {
            start: repo.root.clone(),
            ..OpenOptions::default()
        })
        .unwrap();
        let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
        let add = |title: &str, when: &str| {
            let draft = journal.prepare(EntryFields::default()).unwrap();
            let text = EntryText::Split {
                title: title.to_owned(),
                body: String::new(),
            };
            journal
                .add_advised(draft, text, at(when), at(when), None, 5)
                .unwrap()
        };
        let first = add(
            "LUKS unlock over SSH works on Hetzner",
            "2026-10-01T10:00:00Z",
        );
        assert!(first.similar.is_empty());
        let _other = add("Zerotier mesh is up", "2026-10-02T10:00:00Z");
        let second = add("LUKS unlock over SSH works on GCP", "2026-10-03T10:00:00Z");
        let ids: Vec<&str> = second.similar.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.first(), Some(&first.added.id.as_str()), "{ids:?}");
        assert!(!ids.contains(&second.added.id.as_str()));
    }
}
