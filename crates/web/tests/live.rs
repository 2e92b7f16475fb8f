//! `/events`: a page is told about a change once the journal's watcher has synced it.

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{HOST, get, journal};
use http_body_util::BodyExt as _;
use journal_lib::{Journal, OpenOptions, WatchOptions};
use journal_testutils::entry_text;
use tower::ServiceExt as _;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_written_entry_is_announced_to_open_pages() {
    let repo = journal();
    let opened = Journal::open(&OpenOptions {
        start: repo.root.clone(),
        ..OpenOptions::default()
    })
    .unwrap();
    let probe = opened.change_probe();
    // No separate build: the watcher builds in its own thread.
    let watcher = opened.watch_in_background(WatchOptions::default()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while probe.last_sync().is_none() {
        assert!(Instant::now() < deadline, "the watcher never synced");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let response = common::app(&repo)
        .oneshot(
            Request::get("/events")
                .header(header::HOST, HOST)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut body = response.into_body();
    let mut next_event = async || -> String {
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(30), body.frame())
                .await
                .expect("an event within the deadline")
                .expect("the stream goes on")
                .unwrap();
            if let Ok(data) = frame.into_data() {
                let text = String::from_utf8_lossy(&data).into_owned();
                if text.contains("event:") {
                    return text;
                }
            }
        }
    };
    assert!(next_event().await.contains("event: ready"));
    repo.write(
        "journal/2026/11/20261110T090000Z-live.md",
        &entry_text(
            "20261110T090000Z-live",
            "2026-11-10T10:00:00+01:00",
            "Written while the page is open",
            &[],
            "",
        ),
    );
    assert!(next_event().await.contains("event: change"));
    let (_, html, _) = get(&repo, "/").await;
    assert!(html.contains("Written while the page is open"));
    watcher.stop().unwrap();
}
