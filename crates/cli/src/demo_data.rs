//! The data of `journal demo`, embedded at build time (`crates/cli/build.rs`): the sample
//! journal of Phase 0 (the repository's `journal/` folder) and the infrastructure history its
//! entries cite (`crates/cli/demo-history/`).

use journal_lib::demo::DemoData;

include!(concat!(env!("OUT_DIR"), "/sample_journal.rs"));
include!(concat!(env!("OUT_DIR"), "/demo_history.rs"));

/// Returns the demo's data.
pub fn data() -> DemoData<'static> {
    DemoData {
        entries: SAMPLE_ENTRIES,
        history_toml: HISTORY_TOML,
        history_files: HISTORY_FILES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_entry_parses_and_cites_only_demo_commits() {
        let dir = tempfile::tempdir().expect("tempdir");
        let made = journal_lib::demo::create(&dir.path().join("demo"), &data()).expect("demo");
        assert_eq!(made.infra.len(), 20);
        let shas: Vec<&str> = made.infra.iter().map(|(sha, _)| sha.as_str()).collect();
        assert!(SAMPLE_ENTRIES.len() >= 60, "{}", SAMPLE_ENTRIES.len());
        for (rel, text) in SAMPLE_ENTRIES {
            let stem = rel.rsplit('/').next().and_then(|n| n.strip_suffix(".md"));
            let entry = journal_entry::parse_entry(text, stem)
                .unwrap_or_else(|e| panic!("journal/{rel}: {e}"))
                .entry;
            for cited in &entry.commits {
                assert!(
                    shas.contains(&cited.sha.as_str()),
                    "journal/{rel} cites {}, not a demo commit",
                    cited.sha
                );
            }
        }
    }

    #[test]
    fn every_history_file_is_used() {
        for (name, _) in HISTORY_FILES {
            let cited = format!("\"{name}\"]");
            assert!(
                HISTORY_TOML.contains(&cited),
                "demo-history/{name} is not used"
            );
        }
    }
}
