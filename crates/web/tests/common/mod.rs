//! The test journal and a request through the router (no socket).
#![allow(dead_code)] // each test file uses a part

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::DateTime;
use http_body_util::BodyExt as _;
use journal_lib::OpenOptions;
use journal_testutils::{TestRepo, entry_text};
use journal_web::{WebOptions, router};
use tower::ServiceExt as _;

pub const HOST: &str = "127.0.0.1:7420";
pub const TOML: &str = "entries = \"journal\"\ncommit = true\n\n[vocabulary]\nproviders = \
    [\"hetzner\", \"gcp\"]\npatterns = [\"luks\", \"zerotier\"]\nkinds = [\"finding\", \
    \"decision\", \"hard\"]\n";

pub fn journal() -> TestRepo {
    let repo = TestRepo::journal_with(TOML);
    let entries = [
        (
            "20261101T090000Z-luks-unlock",
            "2026-11-01T10:00:00+01:00",
            "LUKS unlock over SSH",
            vec![
                "provider: [hetzner]",
                "pattern: [luks]",
                "kind: finding",
                "confidence: proven",
                "tags: {region: fsn1}",
            ],
            "Unlocks **fine**.\n\n<script>alert(2)</script>\n",
        ),
        (
            "20261102T090000Z-zt-latency",
            "2026-11-02T10:00:00+01:00",
            "Zerotier latency between clouds",
            vec![
                "provider: [gcp, hetzner]",
                "pattern: [zerotier]",
                "kind: finding",
            ],
            "Latency is 23 ms across the mesh.\n",
        ),
        (
            "20261102T100000Z-script",
            "2026-11-02T11:00:00+01:00",
            "<script>alert(1)</script>",
            vec!["provider: [gcp]"],
            "a title that is markup\n",
        ),
    ];
    for (id, date, title, fields, body) in entries {
        let title = if title.starts_with('<') {
            format!("\"{title}\"")
        } else {
            title.to_owned()
        };
        repo.write(
            &format!("journal/2026/11/{id}.md"),
            &entry_text(id, date, &title, &fields, body),
        );
    }
    repo
}

pub async fn get(repo: &TestRepo, uri: &str) -> (StatusCode, String, axum::http::HeaderMap) {
    request(repo, Request::get(uri).header(header::HOST, HOST)).await
}

pub async fn request(
    repo: &TestRepo,
    builder: axum::http::request::Builder,
) -> (StatusCode, String, axum::http::HeaderMap) {
    let app = app(repo);
    let response = app
        .oneshot(builder.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        String::from_utf8_lossy(&bytes).into_owned(),
        headers,
    )
}

/// Returns the router on `repo`'s journal, answering the names [`HOST`] and localhost.
pub fn app(repo: &TestRepo) -> axum::Router {
    router(WebOptions {
        open: OpenOptions {
            start: repo.root.clone(),
            ..OpenOptions::default()
        },
        hosts: vec![HOST.to_owned(), "localhost:7420".to_owned()],
        clock: journal_lib::Clock::new(|| {
            DateTime::parse_from_rfc3339("2026-11-20T10:00:00+01:00").unwrap()
        }),
    })
    .unwrap()
}
