//! The review pages: documents, confidence, metrics, and an entry's evidence.

mod common;

use axum::http::{StatusCode, header};
use common::{get, journal};
use journal_testutils::entry_text;

#[tokio::test]
async fn documents_are_compiled_live_with_their_problems_first() {
    let repo = journal();
    let (status, html, _) = get(&repo, "/documents/INTEGRATION-FINDINGS").await;
    assert_eq!(status, StatusCode::OK);
    let problems = html.find("id=\"problems\"").expect("problems listed");
    let body = html.find("<article").unwrap();
    assert!(problems < body, "the problems come first");
    assert!(html.contains("required section"), "{html}");
    assert!(html.contains("Zerotier latency between clouds"));
    assert!(html.contains("<h1>Integration Findings</h1>"), "{html}");
    assert!(
        !html.contains("<script>alert"),
        "an entry's markup stays text"
    );
    assert!(!repo.path("docs").exists(), "nothing is written");
    let (status, html, _) = get(&repo, "/documents/NOPE").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("ARCHITECTURAL-DECISIONS"), "{html}");
}

#[tokio::test]
async fn confidence_shows_each_claim_its_check_and_the_observations_in_time() {
    let repo = journal();
    repo.write(
        "journal/2026/11/20261101T100000Z-assessment-of-luks-on-hetzner.md",
        &entry_text(
            "20261101T100000Z-assessment-of-luks-on-hetzner",
            "2026-11-01T11:00:00+01:00",
            "Assessment of luks on hetzner",
            &[
                "provider: [hetzner]",
                "pattern: [luks]",
                "kind: assessment",
                "confidence: proven",
            ],
            "Unlocked on every boot <img src=x onerror=alert(3)>.\n",
        ),
    );
    let (status, html, _) = get(&repo, "/confidence").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<strong>luks</strong>"), "{html}");
    assert!(html.contains("not supported: proven needs"), "{html}");
    assert!(html.contains(r#"href="/entries/20261101T090000Z-luks-unlock""#));
    assert!(html.contains("class=\"dot confidence-proven\""));
    // The assessment's rationale beside its level, its markup shown as text.
    assert!(html.contains("Unlocked on every boot &lt;img"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(html.contains(
        r#"<a href="/entries/20261101T100000Z-assessment-of-luks-on-hetzner">assessment</a>"#
    ));
    // zerotier has an observation and no assessment.
    assert!(
        html.contains("<strong>zerotier</strong>:\n<span class=\"label\">not assessed</span>"),
        "{html}"
    );
}

#[tokio::test]
async fn metrics_are_charted_with_their_summary() {
    let repo = journal();
    repo.write(
        "journal/2026/11/20261105T090000Z-ping.md",
        &entry_text(
            "20261105T090000Z-ping",
            "2026-11-05T10:00:00+01:00",
            "ping across the mesh",
            &["provider: [gcp, hetzner]", "metrics: {latency_ms: 23.5}"],
            "",
        ),
    );
    repo.write(
        "journal/2026/11/20261106T090000Z-ping.md",
        &entry_text(
            "20261106T090000Z-ping",
            "2026-11-06T10:00:00+01:00",
            "ping again",
            &["provider: [gcp, hetzner]", "metrics: {latency_ms: 25}"],
            "",
        ),
    );
    let (status, html, _) = get(&repo, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"metric-latency_ms\""));
    assert!(html.contains("<svg"), "the chart is inline");
    assert!(
        html.contains("<td>gcp+hetzner</td><td>2</td><td>23.5</td>"),
        "{html}"
    );
    let (_, html, _) = get(&repo, "/metrics?provider=hetzner&pattern=luks").await;
    assert!(html.contains("No entry records a metric"));
    let (status, svg, headers) = get(&repo, "/documents/charts/latency_ms.svg").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/svg+xml");
    assert!(svg.starts_with("<svg"));
    let (status, _, _) = get(&repo, "/documents/charts/nothing.svg").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_entry_shows_each_evidence_state_and_what_superseded_it() {
    let repo = journal();
    let head = repo.commit("terraform: servers", &[("main.tf", "x\n")]);
    let ghost = "0123456789abcdef0123456789abcdef01234567";
    repo.write(
        "journal/2026/11/20261103T090000Z-cited.md",
        &entry_text(
            "20261103T090000Z-cited",
            "2026-11-03T10:00:00+01:00",
            "Cited commits",
            &[&format!("commits: [{head}, {ghost}]")],
            "",
        ),
    );
    repo.write(
        "journal/2026/11/20261104T090000Z-newer.md",
        &entry_text(
            "20261104T090000Z-newer",
            "2026-11-04T10:00:00+01:00",
            "A newer finding",
            &["supersedes: [20261103T090000Z-cited]"],
            "",
        ),
    );
    let (status, html, _) = get(&repo, "/entries/20261103T090000Z-cited").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("state-not-pushed\">not pushed</span> terraform: servers"),
        "{html}"
    );
    assert!(html.contains("state-missing\">missing</span>"), "{html}");
    assert!(html.contains(
        r#"class="superseded-by" href="/entries/20261104T090000Z-newer">A newer finding"#
    ));
}

#[tokio::test]
async fn the_home_shows_what_changed_since_the_review_and_its_button_marks_it() {
    use axum::http::Request;
    let repo = journal();
    let (_, html, _) = get(&repo, "/").await;
    assert!(html.contains("Since your last review"), "{html}");
    assert!(html.contains("Not reviewed yet by"), "{html}");
    assert!(
        html.contains(r#"<form method="post" action="/review">"#),
        "{html}"
    );
    let post = |origin: Option<&'static str>, site: Option<&'static str>, path: &'static str| {
        let mut builder = Request::post(path).header(header::HOST, common::HOST);
        if let Some(origin) = origin {
            builder = builder.header(header::ORIGIN, origin);
        }
        if let Some(site) = site {
            builder = builder.header("sec-fetch-site", site);
        }
        builder
    };
    // Refused: no Origin, another site's, a cross-site fetch, another path.
    for (origin, site, path, status) in [
        (None, None, "/review", StatusCode::FORBIDDEN),
        (
            Some("http://evil.example"),
            None,
            "/review",
            StatusCode::FORBIDDEN,
        ),
        (Some("null"), None, "/review", StatusCode::FORBIDDEN),
        (
            Some("null"),
            Some("same-site"),
            "/review",
            StatusCode::FORBIDDEN,
        ),
        (None, Some("none"), "/review", StatusCode::FORBIDDEN),
        (
            Some("http://127.0.0.1:7420"),
            Some("cross-site"),
            "/review",
            StatusCode::FORBIDDEN,
        ),
        (
            Some("http://127.0.0.1:7420"),
            Some("same-origin"),
            "/entries",
            StatusCode::METHOD_NOT_ALLOWED,
        ),
    ] {
        let (got, body, _) = common::request(&repo, post(origin, site, path)).await;
        assert_eq!(got, status, "{origin:?} {site:?} {path}: {body}");
    }
    assert!(
        repo.git()
            .reviewed(&journal_testutils::operator().email)
            .unwrap()
            .is_none(),
        "nothing was marked"
    );
    // From the page itself (a browser under the page's no-referrer policy sends
    // `Origin: null` with `Sec-Fetch-Site: same-origin`): marked, and the browser goes home.
    let (got, _, headers) =
        common::request(&repo, post(Some("null"), Some("same-origin"), "/review")).await;
    assert_eq!(got, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/");
    let mark = repo
        .git()
        .reviewed(&journal_testutils::operator().email)
        .unwrap()
        .expect("marked");
    assert_eq!(Some(mark.commit), repo.git().head().unwrap());
    let (_, html, _) = get(&repo, "/").await;
    assert!(html.contains("<strong>0</strong> new"), "{html}");
    assert!(
        !html.contains("review-badge"),
        "nothing new: no count in the header"
    );
    // An entry committed after the review: every page's header counts it.
    repo.commit(
        "journal: later",
        &[(
            "journal/2026/11/20261110T090000Z-later.md",
            &journal_testutils::entry_text(
                "20261110T090000Z-later",
                "2026-11-10T10:00:00+01:00",
                "Later finding",
                &["provider: [gcp]"],
                "",
            ),
        )],
    );
    for path in ["/", "/confidence", "/metrics", "/search?q=later"] {
        let (_, html, _) = get(&repo, path).await;
        assert!(
            html.contains(r#"class="review-badge">1 new since your review</a>"#),
            "{path}: {html}"
        );
    }
}

#[tokio::test]
async fn the_home_shows_evidence_that_became_pushed_or_missing_since_the_review() {
    use axum::http::Request;
    use journal_testutils::{entry_text, git};
    use tower::ServiceExt as _;

    let repo = journal();
    let pushed_later = repo.commit("infra: hcloud", &[("infra/main.tf", "# hcloud\n")]);
    git(&repo.root, &["checkout", "-q", "-b", "side"]);
    let lost_later = repo.commit("infra: an experiment", &[("infra/side.tf", "# try\n")]);
    git(&repo.root, &["checkout", "-q", "main"]);
    let cites = [
        ("20261103T090000Z-pushed", "Pushed later", &pushed_later),
        ("20261103T100000Z-lost", "Lost later", &lost_later),
    ];
    for (id, title, sha) in cites {
        let path = format!("journal/2026/11/{id}.md");
        let fields = [
            "provider: [hetzner]".to_owned(),
            format!("commits: [{sha}]"),
        ];
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        let text = entry_text(id, "2026-11-03T10:00:00+01:00", title, &fields, "Body.\n");
        repo.commit(&format!("journal: {title}"), &[(&path, &text)]);
    }
    // One server for every request: what it keeps between calls must follow the changes.
    let app = common::app(&repo);
    let send = |request: Request<axum::body::Body>| {
        let app = app.clone();
        async move {
            let response = app.oneshot(request).await.unwrap();
            let status = response.status();
            let bytes = http_body_util::BodyExt::collect(response.into_body())
                .await
                .unwrap()
                .to_bytes();
            (status, String::from_utf8_lossy(&bytes).into_owned())
        }
    };
    let home = || {
        Request::get("/")
            .header(header::HOST, common::HOST)
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let (_, before) = send(home()).await;
    assert!(!before.contains("evidence pushed"), "{before}");
    let mark = Request::post("/review")
        .header(header::HOST, common::HOST)
        .header(header::ORIGIN, "null")
        .header("sec-fetch-site", "same-origin")
        .body(axum::body::Body::empty())
        .unwrap();
    assert_eq!(send(mark).await.0, StatusCode::SEE_OTHER);
    let (_, reviewed) = send(home()).await;
    assert!(!reviewed.contains("evidence commit"), "{reviewed}");

    // Since: main is pushed to a remote; the side branch and its commit are gone.
    let parent = repo.root.parent().unwrap();
    git(parent, &["init", "-q", "--bare", "hub.git"]);
    let hub = parent.join("hub.git");
    git(
        &repo.root,
        &["remote", "add", "origin", hub.to_str().unwrap()],
    );
    git(&repo.root, &["push", "-q", "origin", "main"]);
    git(&repo.root, &["branch", "-q", "-D", "side"]);
    git(&repo.root, &["reflog", "expire", "--expire=now", "--all"]);
    git(&repo.root, &["gc", "-q", "--prune=now"]);
    let (_, after) = send(home()).await;
    assert!(
        after.contains("1 evidence commit pushed, 1 evidence commit missing"),
        "{after}"
    );
    assert!(
        after.contains(&format!(
            r#"<span class="label">evidence pushed</span> <code>{pushed_later}</code>"#
        )),
        "{after}"
    );
    assert!(
        after.contains(&format!(
            r#"<span class="label">evidence missing</span> <code>{lost_later}</code>"#
        )),
        "{after}"
    );
}

#[tokio::test]
async fn marking_while_another_writer_holds_the_review_ref_is_refused_and_marks_nothing() {
    use axum::http::Request;
    let repo = journal();
    let mark = || {
        Request::post("/review")
            .header(header::HOST, common::HOST)
            .header(header::ORIGIN, "null")
            .header("sec-fetch-site", "same-origin")
    };
    let email = journal_testutils::operator().email;
    let lock = repo
        .root
        .join(".git")
        .join(format!("refs/journal/reviews/{email}.lock"));
    std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
    std::fs::write(&lock, "").unwrap();
    let (status, body, _) = common::request(&repo, mark()).await;
    assert!(
        status.is_client_error() || status.is_server_error(),
        "{status}: {body}"
    );
    assert!(body.contains("exists"), "the page names the lock: {body}");
    assert!(
        repo.git().reviewed(&email).unwrap().is_none(),
        "nothing was marked"
    );
    // The lock gone, the same button marks.
    std::fs::remove_file(&lock).unwrap();
    let (status, _, _) = common::request(&repo, mark()).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(repo.git().reviewed(&email).unwrap().is_some());
}
