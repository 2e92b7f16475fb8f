//! The sync on a real journal (journal-testutils): what changed on disk is what changes in
//! the index, and a bad file is reported with its problems, every sync.

use journal_store::{Store, StoreOptions};
use journal_testutils::{TestRepo, entry_text};

use crate::{JournalIndex, SearchQuery, SyncOptions};

const LUKS: &str = "journal/2026/10/20261008T091500Z-luks.md";

#[test]
fn sync_follows_additions_edits_deletions_and_bad_files() {
    let repo = TestRepo::journal();
    let store = Store::open(&repo.root, StoreOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut index = JournalIndex::open(dir.path()).unwrap();
    let options = SyncOptions::default();
    let sync = |index: &mut JournalIndex| index.sync(&store, &options, &mut |_| {}).unwrap();
    let date = "2026-10-08T11:15:00+02:00";
    repo.write(
        LUKS,
        &entry_text(
            "20261008T091500Z-luks",
            date,
            "LUKS unlock",
            &[],
            "Over ssh.\n",
        ),
    );
    let report = sync(&mut index);
    assert_eq!((report.files, report.added, report.bad.len()), (1, 1, 0));
    let hits = |index: &JournalIndex, word: &str| {
        index
            .search(&SearchQuery::text(word), None)
            .unwrap()
            .hits
            .len()
    };
    assert_eq!(hits(&index, "ssh"), 1);
    // Nothing changed: nothing is read again.
    let report = sync(&mut index);
    assert!(!report.changed(), "{report:?}");
    // An edit (a different size) is indexed again.
    repo.write(
        LUKS,
        &entry_text(
            "20261008T091500Z-luks",
            date,
            "LUKS unlock",
            &[],
            "Over dropbear.\n",
        ),
    );
    assert_eq!(sync(&mut index).updated, 1);
    assert_eq!((hits(&index, "ssh"), hits(&index, "dropbear")), (0, 1));
    // A bad file is reported with its line and field, on every sync.
    repo.write(
        "journal/2026/10/20261009T080000Z-bad.md",
        &entry_text(
            "20261009T080000Z-bad",
            date,
            "Bad",
            &["provider: [aws]"],
            "",
        ),
    );
    for _ in 0..2 {
        let report = sync(&mut index);
        assert_eq!(report.bad.len(), 1);
        let lines: Vec<String> = report.bad[0].lines().collect();
        assert_eq!(
            lines,
            [
                "journal/2026/10/20261009T080000Z-bad.md:5: field `provider`: unknown provider \
              `aws` (allowed: hetzner, gcp)"
            ]
        );
    }
    std::fs::remove_file(repo.path(LUKS)).unwrap();
    assert_eq!(sync(&mut index).removed, 1);
    assert_eq!(hits(&index, "dropbear"), 0);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    /// Any query text is searched or refused as a query error; the normaliser never panics.
    #[test]
    fn any_query_text_is_searched_or_refused(
        text in proptest::prop_oneof![
            ".{0,80}",
            "([a-z]{1,6}\\*?|AND|OR|NOT|\"|\\(|\\)|-|\\+|:|title:|tag:|\\*|\\^2| ){0,14}",
        ]
    ) {
        thread_local! {
            static INDEX: (tempfile::TempDir, JournalIndex) = {
                let dir = tempfile::tempdir().unwrap();
                let index = JournalIndex::open(dir.path()).unwrap();
                (dir, index)
            };
        }
        INDEX.with(|(_, index)| match index.search(&SearchQuery::text(&text), None) {
            Ok(_) | Err(crate::Error::Query(_)) => Ok(()),
            Err(other) => Err(proptest::test_runner::TestCaseError::fail(format!("{other}"))),
        })?;
    }
}
