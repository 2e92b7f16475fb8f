//! Every route through the router itself (tower's `oneshot`, no socket): the pages, the
//! filters, pagination, the 403 / 405 rules, escaping, the 404 page and a bad query's 400.

mod common;

use axum::http::{Request, StatusCode, header};
use common::{HOST, TOML, get, journal, request};
use journal_testutils::{TestRepo, entry_text};

#[tokio::test]
async fn the_timeline_groups_by_day_newest_first_with_facet_links_and_escapes_titles() {
    let repo = journal();
    let (status, html, _) = get(&repo, "/").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let newest = html.find("2026-11-02").unwrap();
    let oldest = html.find("2026-11-01").unwrap();
    assert!(newest < oldest, "newest day first");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;"), "{html}");
    assert!(
        !html.contains("<script>alert"),
        "nothing from an entry runs"
    );
    assert!(
        html.contains(r#"href="/?provider=hetzner">hetzner</a> 2"#),
        "{html}"
    );
    assert!(html.contains(r#"href="/entries/20261101T090000Z-luks-unlock""#));

    let (_, filtered, _) = get(&repo, "/?pattern=zerotier").await;
    assert!(filtered.contains("Zerotier latency"));
    assert!(!filtered.contains("LUKS unlock over SSH"));
    let (status, bad, _) = get(&repo, "/?provider=aws").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad.contains("unknown provider `aws`"), "{bad}");
    let (status, bad, _) = get(&repo, "/?confidence=sure").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(bad.contains("confidence `sure`"), "{bad}");
}

#[tokio::test]
async fn the_timeline_is_paginated() {
    let repo = sixty_notes("note");
    let (_, first, _) = get(&repo, "/").await;
    assert_eq!(first.matches("class=\"entry\"").count(), 50);
    assert!(first.contains("note 59") && !first.contains(">note 9<"));
    assert!(first.contains(r#"rel="next" href="?page=2""#));
    let (_, second, _) = get(&repo, "/?page=2").await;
    assert_eq!(second.matches("class=\"entry\"").count(), 10);
    assert!(second.contains(">note 0<") && second.contains(r#"rel="prev""#));
    assert!(!second.contains(r#"rel="next""#));
}

#[tokio::test]
async fn only_get_and_head_from_this_servers_own_name() {
    let repo = journal();
    for host in ["evil.example", "127.0.0.1:80", ""] {
        let (status, _, _) = request(&repo, Request::get("/").header(header::HOST, host)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "Host {host}");
    }
    let (status, _, _) = request(&repo, Request::get("/")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no Host");
    let (status, _, _) = request(
        &repo,
        Request::get("/").header(header::HOST, "LOCALHOST:7420"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let (status, _, headers) = request(
            &repo,
            Request::builder()
                .method(method)
                .uri("/")
                .header(header::HOST, HOST),
        )
        .await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
        assert_eq!(headers[header::ALLOW], "GET, HEAD");
    }
    let (status, body, _) = request(&repo, Request::head("/").header(header::HOST, HOST)).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, ""));
}

#[tokio::test]
async fn an_entry_page_renders_its_body_and_a_prefix_redirects() {
    let repo = journal();
    let (status, _, headers) = get(&repo, "/entries/20261101T0900").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        "/entries/20261101T090000Z-luks-unlock"
    );
    let (status, html, _) = get(&repo, "/entries/20261101T090000Z-luks-unlock").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<strong>fine</strong>"));
    assert!(
        html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains("<script>alert"));
    assert!(html.contains(r#"href="/?pattern=luks""#));
    let (status, html, _) = get(&repo, "/entries/2099").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        html.contains("404 Not Found") && html.contains("2099"),
        "{html}"
    );
    let (status, html, _) = get(&repo, "/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        html.contains("no page `") && html.contains("such"),
        "{html}"
    );
}

#[tokio::test]
async fn search_highlights_and_a_bad_query_is_400_with_the_parse_error() {
    let repo = journal();
    let (status, html, _) = get(&repo, "/search?q=latency").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<mark>Latency</mark>"), "{html}");
    assert!(
        html.contains(r#"value="latency""#),
        "the box keeps the query"
    );
    let (_, html, _) = get(&repo, "/search?q=unlock&provider=gcp").await;
    assert!(html.contains("No matches"));
    let (_, html, _) = get(&repo, "/search").await;
    assert!(html.contains("Type a query"));
    let (status, html, _) = get(&repo, "/search?q=title%3A%28unclosed").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("error: "), "{html}");
    let (status, html, _) = get(&repo, "/search?q=x&scope=everything").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("scope `everything`"));
    let (_, html, _) = get(&repo, "/search?q=%22%3E%3Cscript%3E").await;
    assert!(
        !html.contains("\"><script>"),
        "the query is escaped in the box"
    );
    assert!(!html.contains("<script>alert"), "{html}");
}

#[tokio::test]
async fn the_api_answers_the_clis_json_objects() {
    let repo = journal();
    let (status, body, headers) = get(&repo, "/api/entries?provider=hetzner").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let ids: Vec<&str> = json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "20261102T090000Z-zt-latency",
            "20261101T090000Z-luks-unlock"
        ]
    );
    let (_, body, _) = get(&repo, "/api/entries/20261101").await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["confidence"], "proven");
    let (_, body, _) = get(&repo, "/api/search?q=mesh").await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["hits"][0]["id"], "20261102T090000Z-zt-latency");
    let (_, body, _) = get(&repo, "/api/search?tag=region%3Dfsn1").await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["total"], 1, "{json}");
    assert_eq!(json["hits"][0]["id"], "20261101T090000Z-luks-unlock");
    let (status, body, _) = get(&repo, "/api/search?tag=region").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("tag `region`"), "{body}");
    let (_, body, _) = get(&repo, "/api/search?provider=hetzner&sort=date").await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        json["hits"][0]["id"], "20261102T090000Z-zt-latency",
        "newest first"
    );
    let (status, _, _) = get(&repo, "/api/search?q=x&sort=random").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, body, _) = get(&repo, "/api/confidence").await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let luks = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["pattern"] == "luks")
        .unwrap();
    // Stated by an entry, not assessed: no level yet, and what the entry states.
    assert_eq!(
        (&luks["level"], &luks["assessed"], &luks["stated"]),
        (
            &serde_json::Value::Null,
            &serde_json::json!(false),
            &serde_json::json!("proven")
        )
    );
    let (_, body, _) = get(&repo, "/api/metrics").await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["rows"], serde_json::json!([]));
    let (status, body, _) = get(&repo, "/api/search").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("nothing to search for"));
    let (status, _, _) = get(&repo, "/api/entries/2099").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, body, _) = get(&repo, "/api/tags").await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["provider"]["gcp"], 2);
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_no_page_has_inline_script() {
    let repo = journal();
    for uri in [
        "/",
        "/search?q=zerotier",
        "/metrics",
        "/confidence",
        "/nowhere",
        "/static/live.js",
    ] {
        let (_, body, headers) = get(&repo, uri).await;
        let csp = headers["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
        ] {
            assert!(csp.contains(directive), "{uri}: {csp}");
        }
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{uri}");
        if uri != "/static/live.js" {
            assert!(!body.contains("<script>"), "{uri}: an inline script");
            assert!(!body.contains("<style>"), "{uri}: an inline style element");
        }
    }
    let (status, script, headers) = get(&repo, "/static/live.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(
        script.contains("pagehide"),
        "the live connection closes when the page is left"
    );
    let (status, _, headers) = get(&repo, "/static/journal.css").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn a_hostile_link_in_an_entry_loses_its_url_on_the_entry_page() {
    let repo = journal();
    let id = "20261104T080000Z-hostile-links";
    let body = "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(2)) [c](&#106;avascript:alert(3)) \
                [d](data:text/html,<script>alert(4)</script>) ![e](javascript:alert(5)) \
                [ok](https://forge.example/x)";
    repo.write(
        &format!("journal/2026/11/{id}.md"),
        &entry_text(id, "2026-11-04T08:00:00Z", "Hostile links", &[], body),
    );
    let (status, html, _) = get(&repo, &format!("/entries/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let lower = html.to_lowercase();
    for bad in [
        "href=\"javascript",
        "href=\"data:",
        "src=\"javascript",
        "href=\"&#",
    ] {
        assert!(!lower.contains(bad), "{bad} in {html}");
    }
    assert!(html.contains(r#"href="https://forge.example/x""#), "{html}");
}

#[tokio::test]
async fn a_bad_parameter_gets_this_servers_400_naming_it_and_documents_are_listed() {
    let repo = journal();
    let (status, html, _) = get(&repo, "/?page=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("id=\"error\""),
        "the page's own error page: {html}"
    );
    assert!(
        html.contains("the query parameter `page` is not valid"),
        "{html}"
    );
    let (status, json, headers) = get(&repo, "/api/entries?page=-1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(json["error"].as_str().unwrap().contains("`page`"), "{json}");
    let (status, html, _) = get(&repo, "/documents").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains(r#"href="/documents/INTEGRATION-FINDINGS""#),
        "{html}"
    );
    assert!(
        html.contains(r#"href="/documents/ARCHITECTURAL-DECISIONS""#),
        "{html}"
    );
    for uri in ["/nowhere", "/entries/nothing-here", "/?page=abc"] {
        let (status, body, _) = get(&repo, uri).await;
        assert!(
            status.is_client_error() && !body.is_empty(),
            "{uri}: {status}"
        );
    }
}

#[tokio::test]
async fn a_too_long_address_gets_414_with_a_body() {
    let repo = journal();
    let uri = format!("/search?q={}", "a".repeat(9000));
    let (status, body, _) = get(&repo, &uri).await;
    assert_eq!(status, StatusCode::URI_TOO_LONG);
    assert!(body.contains("URI too long"), "{body}");
}

#[tokio::test]
async fn search_pages_past_fifty_with_the_query_kept_in_the_links() {
    let repo = sixty_notes("cx32 note");
    // minijinja writes `/` in an attribute as `&#x2f;`, which a browser reads as `/`.
    let page = |html: String| html.replace("&#x2f;", "/");
    let (status, first, _) = get(&repo, "/search?q=cx32&sort=date").await;
    let first = page(first);
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first.matches("class=\"entry hit\"").count(), 50);
    assert!(first.contains("1–50 of 60 hits"), "{first}");
    assert!(
        first.contains(r#"rel="next" href="/search?q=cx32&amp;sort=date&amp;page=2""#),
        "{first}"
    );
    let (_, second, _) = get(&repo, "/search?q=cx32&sort=date&page=2").await;
    let second = page(second);
    assert_eq!(second.matches("class=\"entry hit\"").count(), 10);
    assert!(second.contains("51–60 of 60 hits"), "{second}");
    assert!(second.contains(r#"rel="prev""#) && !second.contains(r#"rel="next""#));
    // The oldest note is on the second page only.
    assert!(
        second.contains(">note 0<") || second.contains("note 0</a>"),
        "{second}"
    );
    let (_, api, _) = get(&repo, "/api/search?q=cx32&page=2").await;
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(api["hits"].as_array().unwrap().len(), 10);
    assert_eq!(api["next_page"], serde_json::Value::Null);
}

#[tokio::test]
async fn the_search_form_has_scope_order_and_facets_and_titles_are_highlighted() {
    let repo = journal();
    let (status, html, _) = get(&repo, "/search?q=latency&scope=all&provider=gcp").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(r#"<select name="scope">"#), "{html}");
    assert!(html.contains(r#"<option value="all" selected>"#), "{html}");
    assert!(html.contains(r#"<select name="sort">"#), "{html}");
    assert!(html.contains(r#"<select name="provider">"#), "{html}");
    assert!(
        html.contains(r#"<option value="gcp" selected>gcp"#),
        "{html}"
    );
    // The matched word is marked in the title as in the snippet.
    assert!(html.contains("<mark>latency</mark>") || html.contains("<mark>Latency</mark>"));
    assert!(html.contains(r#"class="title" href="/entries/"#), "{html}");
    let title = &html[html.find(r#"class="title""#).unwrap()..];
    let title = &title[..title.find("</a>").unwrap()];
    assert!(title.contains("<mark>"), "{title}");
}

#[tokio::test]
async fn a_typo_is_answered_with_did_you_mean_links() {
    let repo = journal();
    let (_, html, _) = get(&repo, "/search?q=latnecy").await;
    let html = html.replace("&#x2f;", "/");
    assert!(html.contains("No matches"), "{html}");
    assert!(
        html.contains(r#"Did you mean <a href="/search?q=latency">latency</a>"#),
        "{html}"
    );
}

#[tokio::test]
async fn a_commit_hit_links_to_its_forge_page() {
    let repo = journal();
    let sha = repo.commit(
        "terranix: latency probe",
        &[("infra/probe.tf", "# probe\n")],
    );
    journal_testutils::git(
        &repo.root,
        &[
            "remote",
            "add",
            "origin",
            "https://github.com/example-ops/infra.git",
        ],
    );
    let (status, html, _) = get(&repo, "/search?q=probe&scope=commits").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let html = html.replace("&#x2f;", "/");
    let link = format!(
        r#"<a class="commit" href="https://github.com/example-ops/infra/commit/{sha}" rel="noopener noreferrer"><code>{}</code></a>"#,
        &sha[..10]
    );
    assert!(html.contains(&link), "{html}");
    // A remote that is no web address gives no link, only the SHA.
    journal_testutils::git(
        &repo.root,
        &["remote", "set-url", "origin", "/srv/git/infra.git"],
    );
    let (_, html, _) = get(&repo, "/search?q=probe&scope=commits").await;
    assert!(!html.contains(r#"class="commit""#), "{html}");
    assert!(
        html.contains(&format!("<code>{}</code>", &sha[..10])),
        "{html}"
    );
}

/// A journal of 60 entries, one a minute, titled `<title> 0` to `<title> 59`.
fn sixty_notes(title: &str) -> TestRepo {
    let repo = TestRepo::journal_with(TOML);
    for i in 0..60 {
        let id = format!("20261103T08{i:02}00Z-note-{i}");
        let date = format!("2026-11-03T08:{i:02}:00Z");
        repo.write(
            &format!("journal/2026/11/{id}.md"),
            &entry_text(&id, &date, &format!("{title} {i}"), &[], ""),
        );
    }
    repo
}

#[tokio::test]
async fn story_facets_are_listed_as_people_count_them() {
    let repo = TestRepo::journal_with(TOML);
    for (i, story) in ["1.10", "1.9", "2.1"].iter().enumerate() {
        let id = format!("20261103T080{i}00Z-s-{i}");
        repo.write(
            &format!("journal/2026/11/{id}.md"),
            &entry_text(
                &id,
                &format!("2026-11-03T08:0{i}:00Z"),
                &format!("story {story}"),
                &[&format!("story: \"{story}\"")],
                "",
            ),
        );
    }
    let (_, html, _) = get(&repo, "/").await;
    let at = |s: &str| html.find(&format!(">{s}</a>")).unwrap();
    assert!(at("1.9") < at("1.10") && at("1.10") < at("2.1"), "{html}");
}

#[tokio::test]
async fn any_query_is_answered_or_refused_never_a_server_error() {
    let repo = journal();
    for q in [
        "%3A%3A",
        "fd00%3A%3A1~",
        "~~",
        "%22",
        "*%3A*",
        "a%2F%2Fb",
        "NOT",
        "(((",
        "%F0%9F%99%82",
        "title%3A",
        "zerotir~3",
        "-",
        "provdier%3Agcp",
    ] {
        let (status, html, _) = get(&repo, &format!("/search?q={q}")).await;
        assert!(
            status == StatusCode::OK || status == StatusCode::BAD_REQUEST,
            "{q}: {status} {html}"
        );
    }
}
