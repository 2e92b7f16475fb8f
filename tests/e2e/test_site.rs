//! `journal site DIR`: the web page as a static site, from the demo journal.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::TestEnv;

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.strip_prefix(dir).unwrap().to_owned(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    out
}

#[test]
fn the_site_holds_every_page_with_links_that_resolve_on_disk_and_is_the_same_twice() {
    let env = TestEnv::bare_repo();
    let demo = env.repo.parent().unwrap().join("demo");
    env.run(&["demo", demo.to_str().unwrap()]).ok();
    let in_demo = |args: &[&str]| {
        let out = env
            .journal()
            .current_dir(&demo)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let site = env.repo.parent().unwrap().join("site");
    let (code, stderr, stdout) = in_demo(&["site", site.to_str().unwrap(), "--json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let written = files(&site);
    let entries = written.keys().filter(|p| p.starts_with("entries")).count();
    let listed = in_demo(&["list", "--json"]).2.lines().count();
    assert_eq!(entries, listed, "a page per entry");
    for page in [
        "index.html",
        "search.html",
        "search-index.js",
        "confidence.html",
        "metrics.html",
        "documents/INTEGRATION-FINDINGS.html",
        "documents/ARCHITECTURAL-DECISIONS.html",
        "documents/charts/latency_p50_ms.svg",
        "static/journal.css",
        "static/site-search.js",
    ] {
        assert!(written.contains_key(Path::new(page)), "{page}");
    }
    assert_eq!(
        report["pages"].as_u64().unwrap() as usize,
        written
            .keys()
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .count()
    );
    // Every link of every page resolves to a file of the site; none leads to the server.
    let mut checked = 0;
    for (path, bytes) in &written {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for attr in ["href=\"", "src=\"", "action=\""] {
            for (at, _) in html.match_indices(attr) {
                let rest = &html[at + attr.len()..];
                let value = rest[..rest.find('"').unwrap()]
                    .replace("&#x2f;", "/")
                    .replace("&amp;", "&");
                if value.contains("://")
                    || value.starts_with(['#', '?'])
                    || value.starts_with("mailto:")
                {
                    continue;
                }
                assert!(
                    !value.starts_with('/'),
                    "{}: {value} is a server path",
                    path.display()
                );
                let target = value.split(['?', '#']).next().unwrap();
                let resolved = site.join(path.parent().unwrap()).join(target);
                assert!(
                    resolved.exists(),
                    "{}: {value} does not resolve",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(
            !html.contains("live.js"),
            "{}: no live updates",
            path.display()
        );
        assert!(
            !html.contains("mark-review"),
            "{}: no review button",
            path.display()
        );
    }
    assert!(checked > 1000, "{checked}");
    // Deterministic: written again, the same bytes.
    let again = in_demo(&["site", site.to_str().unwrap()]);
    assert_eq!(again.0, Some(0), "{}", again.1);
    assert_eq!(files(&site), written);
    // A folder it did not write is refused, and left alone.
    let other = env.repo.parent().unwrap().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    let refused = in_demo(&["site", other.to_str().unwrap()]);
    assert_eq!(refused.0, Some(1));
    assert!(
        refused
            .1
            .contains("was not written by `journal site`: nothing was written"),
        "{}",
        refused.1
    );
    assert_eq!(
        std::fs::read_to_string(other.join("notes.txt")).unwrap(),
        "mine"
    );
}
