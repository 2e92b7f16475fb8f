//! `journal site DIR`: the pages of `journal serve` as a static site, for a teammate who will
//! not run a server. Every page the timeline reaches (its pages, each entry, the documents and
//! their charts, confidence, metrics) is asked of the same router, in process, and written
//! with its links made relative (`entries/<id>.html`, `../static/journal.css`), so that it
//! opens from `file://` and from any static host. Search runs in the browser over a prebuilt
//! index (`search-index.js`: the entries' fields and text). The output is deterministic: the
//! same journal gives the same bytes.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt as _;
use journal_lib::{Error, Filters, Journal};
use serde::Serialize;
use tower::ServiceExt as _;

use crate::WebOptions;

/// The host name the pages are asked under.
const SITE_HOST: &str = "journal.site";
/// The marker of a folder this command wrote: only such a folder is written over.
const MARKER: &str = ".journal-site";
/// The most text of an entry the search index holds.
const TEXT_CHARS: usize = 4_000;

/// What [`write_site`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct SiteReport {
    /// The folder.
    pub dir: PathBuf,
    /// Pages written (HTML).
    pub pages: usize,
    /// Other files (styles, scripts, charts, the search index).
    pub files: usize,
}

/// One entry in the search index.
#[derive(Serialize)]
struct Indexed {
    id: String,
    date: String,
    title: String,
    kind: Option<String>,
    confidence: Option<String>,
    story: Option<String>,
    provider: Vec<String>,
    pattern: Vec<String>,
    tags: Vec<String>,
    text: String,
}

/// Writes the static site of the journal `options` finds into `dir` (made if missing; an
/// existing folder is written over only when this command wrote it, else refused).
pub async fn write_site(options: WebOptions, dir: &Path) -> Result<SiteReport, Error> {
    prepare(dir)?;
    let open = options.open.clone();
    let options = WebOptions {
        hosts: vec![SITE_HOST.to_owned()],
        ..options
    };
    let router = crate::router_for(options, true)?;
    let mut written: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut queue: VecDeque<String> = VecDeque::from(["/".to_owned(), "/search".to_owned()]);
    queue.extend(
        ["journal.css", "keys.js", "favicon.svg", "site-search.js"].map(|f| format!("/static/{f}")),
    );
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    while let Some(path) = queue.pop_front() {
        let (status, bytes) = get(&router, &path).await?;
        if status != StatusCode::OK {
            return Err(Error::Internal(format!(
                "the page {path} answered {status} while the site was written"
            )));
        }
        let Some(file) = file_of(&path) else { continue };
        let bytes = if file.ends_with(".html") {
            let html = String::from_utf8_lossy(&bytes);
            for link in links(&html, &path) {
                if file_of(&link).is_some() && seen.insert(link.clone()) {
                    queue.push_back(link);
                }
            }
            let mut html = relative(&html, depth(&file));
            if file == "search.html" {
                html = html.replace(
                    "</body>",
                    "<script src=\"search-index.js\"></script>\n<script src=\"static/site-search.js\"></script>\n</body>",
                );
            }
            html.into_bytes()
        } else {
            bytes
        };
        written.insert(file, bytes);
    }
    written.insert("search-index.js".to_owned(), search_index(&open).await?);
    let mut report = SiteReport {
        dir: dir.to_owned(),
        pages: 0,
        files: 0,
    };
    for (file, bytes) in &written {
        let path = dir.join(file);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
        if file.ends_with(".html") {
            report.pages += 1;
        } else {
            report.files += 1;
        }
    }
    Ok(report)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::Internal(format!("cannot write {}: {e}", path.display()))
}

/// Makes `dir` ready: missing, empty, or a site this command wrote (emptied then).
fn prepare(dir: &Path) -> Result<(), Error> {
    let refuse =
        |why: String| Error::refused(why).hint("give a new folder, or one `journal site` wrote");
    match std::fs::read_dir(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(refuse(format!("cannot read {}: {e}", dir.display()))),
        Ok(mut entries) => {
            if entries.next().is_some() {
                if !dir.join(MARKER).is_file() {
                    return Err(refuse(format!(
                        "{} is not empty and was not written by `journal site`: nothing was written",
                        dir.display()
                    )));
                }
                std::fs::remove_dir_all(dir).map_err(io(dir))?;
            }
        }
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    std::fs::write(
        dir.join(MARKER),
        "written by journal site: it replaces this folder\n",
    )
    .map_err(io(dir))
}

async fn get(router: &axum::Router, path: &str) -> Result<(StatusCode, Vec<u8>), Error> {
    let request = Request::get(path)
        .header(header::HOST, SITE_HOST)
        .body(Body::empty())
        .map_err(|e| Error::Internal(e.to_string()))?;
    let response = router
        .clone()
        .oneshot(request)
        .await
        .map_err(|e| Error::Internal(e.to_string()))?;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .to_bytes();
    Ok((status, bytes.to_vec()))
}

/// The file a page of the server is written to, or none for what the site does not hold
/// (a filtered timeline, a search, the API, the review button).
fn file_of(path: &str) -> Option<String> {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    match path {
        "/" if query.is_empty() => Some("index.html".to_owned()),
        "/" => {
            let page = query.strip_prefix("page=")?;
            page.parse::<usize>().ok().map(|n| format!("page-{n}.html"))
        }
        "/search" if query.is_empty() => Some("search.html".to_owned()),
        "/confidence" => Some("confidence.html".to_owned()),
        "/metrics" => Some("metrics.html".to_owned()),
        "/documents" => Some("documents.html".to_owned()),
        _ if !query.is_empty() => None,
        _ => {
            let rest = path.strip_prefix('/')?;
            let safe = |s: &str| {
                !s.is_empty()
                    && s != ".."
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            };
            let parts: Vec<&str> = rest.split('/').collect();
            match parts.as_slice() {
                ["entries", id] if safe(id) => Some(format!("entries/{id}.html")),
                ["documents", "charts", file] if safe(file) => {
                    Some(format!("documents/charts/{file}"))
                }
                ["documents", name] if safe(name) => Some(format!("documents/{name}.html")),
                ["static", file] if safe(file) => Some(format!("static/{file}")),
                _ => None,
            }
        }
    }
}

/// How many folders deep `file` is.
fn depth(file: &str) -> usize {
    file.matches('/').count()
}

/// The server paths the page at `base` links to (`href`, `src` and `action` values): those
/// that start with `/`, a timeline page's `?page=N`, and a relative path (a document's
/// `charts/<metric>.svg`) resolved against `base`.
fn links(html: &str, base: &str) -> Vec<String> {
    let folder = &base[..base.rfind('/').map_or(0, |i| i + 1)];
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\"", "action=\""] {
        for (at, _) in html.match_indices(attr) {
            let rest = &html[at + attr.len()..];
            let Some(end) = rest.find('"') else { continue };
            let value = unescape(&rest[..end]);
            if value.starts_with('/') && !value.starts_with("//") {
                out.push(value);
            } else if let Some(page) = value.strip_prefix("?page=") {
                out.push(format!("/?page={page}"));
            } else if !value.is_empty()
                && !value.contains(':')
                && !value.starts_with(['#', '?', '.'])
                && !value.contains("/.")
            {
                out.push(format!("{folder}{value}"));
            }
        }
    }
    out
}

/// An attribute value as the browser reads it (minijinja escapes `/` and `&`).
fn unescape(value: &str) -> String {
    value
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// `html` with each link to a server path made relative to a page `depth` folders deep, and
/// pointing at the file the site holds (a filtered timeline becomes a search).
fn relative(html: &str, depth: usize) -> String {
    let up = "../".repeat(depth);
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some((at, attr)) = ["href=\"", "src=\"", "action=\""]
        .iter()
        .filter_map(|a| rest.find(a).map(|i| (i, *a)))
        .min()
    {
        let start = at + attr.len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let Some(end) = rest.find('"') else { break };
        let value = unescape(&rest[..end]);
        let target = if let Some(page) = value.strip_prefix("?page=") {
            Some(format!("page-{page}.html"))
        } else if value.starts_with('/') && !value.starts_with("//") {
            Some(site_link(&value))
        } else {
            None
        };
        match target {
            Some(t) => out.push_str(&format!("{up}{t}").replace('&', "&amp;")),
            None => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Where a server path points in the site.
fn site_link(path: &str) -> String {
    if let Some(file) = file_of(path) {
        return file;
    }
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    match path {
        // A filtered timeline or a search: the site's search, with the same parameters.
        "/" | "/search" => format!("search.html?{query}"),
        _ => "index.html".to_owned(),
    }
}

/// The search index: every entry's fields and the start of its text, newest first.
async fn search_index(open: &journal_lib::OpenOptions) -> Result<Vec<u8>, Error> {
    let open = open.clone();
    let entries = tokio::task::spawn_blocking(move || -> Result<Vec<Indexed>, Error> {
        let journal = Journal::open(&open)?;
        let selection = journal.select(&Filters::default(), None)?;
        Ok(selection
            .entries
            .into_iter()
            .map(|(e, _)| Indexed {
                date: e.date.to_rfc3339(),
                kind: e.kind.clone(),
                confidence: e.confidence.map(|c| c.as_str().to_owned()),
                story: e.story.clone(),
                tags: e.tags.iter().map(|(k, v)| format!("{k}={v}")).collect(),
                text: e.body.chars().take(TEXT_CHARS).collect(),
                provider: e.provider,
                pattern: e.pattern,
                title: e.title,
                id: e.id,
            })
            .collect())
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))??;
    let json = serde_json::to_string(&entries).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(format!("window.JOURNAL_ENTRIES = {json};\n").into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_paths_become_files_and_relative_links() {
        assert_eq!(file_of("/").as_deref(), Some("index.html"));
        assert_eq!(file_of("/?page=3").as_deref(), Some("page-3.html"));
        assert_eq!(file_of("/?provider=gcp"), None);
        assert_eq!(
            file_of("/entries/20261101T090000Z-a").as_deref(),
            Some("entries/20261101T090000Z-a.html")
        );
        assert_eq!(file_of("/entries/../x"), None);
        assert_eq!(file_of("/api/entries"), None);
        assert_eq!(file_of("/review"), None);
        let html = r#"<a href="/entries/e1">e</a><link href="/static/journal.css"><a href="/?provider=gcp&amp;kind=hard">f</a><a href="?page=2">n</a><a href="https://x.example/">x</a><form action="/search">"#;
        assert_eq!(
            relative(html, 1),
            r#"<a href="../entries/e1.html">e</a><link href="../static/journal.css"><a href="../search.html?provider=gcp&amp;kind=hard">f</a><a href="../page-2.html">n</a><a href="https://x.example/">x</a><form action="../search.html">"#
        );
        assert_eq!(
            links(html, "/entries/e0"),
            [
                "/entries/e1",
                "/static/journal.css",
                "/?provider=gcp&kind=hard",
                "/?page=2",
                "/search"
            ]
        );
        // minijinja escapes a link made of a variable: it is a link all the same.
        assert_eq!(
            relative(r#"<a href="&#x2f;entries&#x2f;e2">"#, 0),
            r#"<a href="entries/e2.html">"#
        );
        // A document's charts, relative to it; nothing outside the site's folders.
        assert_eq!(
            links(
                r#"<img src="charts/m.svg"><a href="../x">"#,
                "/documents/NAME"
            ),
            ["/documents/charts/m.svg"]
        );
    }
}
