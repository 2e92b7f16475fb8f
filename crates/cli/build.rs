//! Embeds what `journal demo` needs in the binary: the sample journal (`journal/`, the Phase 0
//! entries; the list of its Markdown files, each included with `include_str!`) and the demo's
//! infrastructure history (`crates/cli/demo-history/`: history.toml and the file versions).
//! The binary's package is the repository's root, so both are inside it (`cargo package`
//! takes them); journal-lib gets them as data (`journal_lib::demo::DemoData`).

use std::path::{Path, PathBuf};

fn main() {
    let crate_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    // The sample journal lives at the top of the repository, where readers find it.
    let sample = crate_dir.join("journal");
    println!("cargo::rerun-if-changed=journal");
    let mut files = Vec::new();
    collect(&sample, &mut files);
    files.sort();
    let mut out = String::from(
        "/// The sample journal: each entry's path under the entries folder, and its text.\n\
         pub static SAMPLE_ENTRIES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        let rel = file.strip_prefix(&sample).expect("under journal/");
        let rel: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        out.push_str(&format!(
            "    ({:?}, include_str!({:?})),\n",
            rel.join("/"),
            file.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    std::fs::write(dest.join("sample_journal.rs"), out).expect("write sample_journal.rs");

    let history = crate_dir.join("crates/cli/demo-history");
    println!("cargo::rerun-if-changed=crates/cli/demo-history");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&history)
        .expect("crates/cli/demo-history")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n != "history.toml"))
        .collect();
    names.sort();
    let mut out = format!(
        "/// The demo's commits: demo-history/history.toml.\n\
         pub static HISTORY_TOML: &str = include_str!({:?});\n\
         /// The file versions the commits write, by name in demo-history/.\n\
         pub static HISTORY_FILES: &[(&str, &str)] = &[\n",
        history.join("history.toml").display().to_string()
    );
    for path in &names {
        let name = path.file_name().expect("a file").to_string_lossy();
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    std::fs::write(dest.join("demo_history.rs"), out).expect("write demo_history.rs");
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in read.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
}
