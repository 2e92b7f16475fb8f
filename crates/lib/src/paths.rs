//! The paths journal.toml gives (the entries folder, compile's output folder, the index's)
//! must stay inside the repository's working tree: a journal never creates or writes files
//! elsewhere because of a line in a file that arrived by `git pull`.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// Returns `base.join(rel)` resolved (`..` taken lexically, links of the part that exists
/// followed), or an error naming `key` and the resolved path when it leaves `workdir`
/// (canonical).
pub(crate) fn inside_work_tree(
    workdir: &Path,
    base: &Path,
    rel: &Path,
    key: &str,
) -> Result<PathBuf> {
    let resolved = resolve(&base.join(rel));
    if resolved.starts_with(workdir) {
        return Ok(resolved);
    }
    Err(Error::refused(format!(
        "journal.toml: `{key}` = \"{}\" resolves to {}, outside the repository's working tree {}",
        rel.display(),
        resolved.display(),
        workdir.display()
    ))
    .hint("paths in journal.toml are relative, and stay inside the repository"))
}

/// Resolves `..` and `.` lexically, then follows links through the longest part that exists.
fn resolve(path: &Path) -> PathBuf {
    let mut lexical = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(ToOwned::to_owned),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_owned();
            }
            _ => return lexical,
        }
    }
    let Ok(mut real) = existing.canonicalize() else {
        return lexical;
    };
    for name in rest.iter().rev() {
        real.push(name);
    }
    real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_pass_and_outside_ones_are_refused_with_the_resolved_path() {
        let dir = tempfile::tempdir().unwrap();
        let work = dir.path().canonicalize().unwrap().join("repo");
        std::fs::create_dir_all(work.join("notes")).unwrap();
        let ok = inside_work_tree(&work, &work, Path::new("journal/../notes/x"), "entries");
        assert_eq!(ok.unwrap(), work.join("notes/x"));
        let err = inside_work_tree(
            &work,
            &work.join("notes"),
            Path::new("../../../../etc"),
            "entries",
        )
        .unwrap_err();
        assert!(
            err.message().contains("resolves to /etc, outside"),
            "{}",
            err.message()
        );
        // A link inside that points outside counts as outside.
        std::os::unix::fs::symlink("/tmp", work.join("out")).unwrap();
        let err = inside_work_tree(&work, &work, Path::new("out/docs"), "compile.out").unwrap_err();
        assert!(err.message().contains("`compile.out`"), "{}", err.message());
    }
}
