//! End-to-end tests: the real `journal` binary in temporary git repositories.
//!
//! One module per command. `common::TestEnv` isolates HOME and git configuration and pins the
//! clock, so that outputs are stable.

mod common;
mod test_add;
mod test_assess;
mod test_bad_files;
mod test_check;
mod test_cli;
mod test_commits;
mod test_compile;
mod test_completions;
mod test_concurrency;
mod test_demo;
mod test_edit;
mod test_errors;
mod test_faults;
mod test_hostile;
mod test_import_export;
mod test_index_faults;
mod test_init;
mod test_json;
mod test_list;
mod test_mcp;
mod test_metrics;
mod test_repos;
mod test_review;
mod test_rm;
mod test_run;
mod test_search;
mod test_search_terms;
mod test_serve;
mod test_show;
mod test_site;
mod test_sync;
mod test_tags;
mod test_watch;

/// Guards against a test file that exists but is not compiled because its `mod` line is
/// missing.
#[test]
fn every_test_file_is_a_module() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    let main = std::fs::read_to_string(dir.join("main.rs")).unwrap();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some(module) = name.strip_suffix(".rs").filter(|m| *m != "main") {
            assert!(
                main.contains(&format!("mod {module};")),
                "tests/e2e/{name} is not in main.rs"
            );
        }
    }
}
