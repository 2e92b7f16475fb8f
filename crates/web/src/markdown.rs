//! Entry bodies as HTML: CommonMark with tables and strikethrough; raw HTML in a body is
//! shown as text, never passed through (an entry is data, not code). What Markdown itself
//! renders is then sanitized by ammonia: links and images keep only http, https, mailto and
//! relative URLs (`[x](javascript:…)`, its case and entity variants, `data:` are dropped),
//! event attributes and styles go, and links get `rel="noopener noreferrer"`.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// The one sanitizer of rendered entry text and documents.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(Some("noopener noreferrer"))
            .strip_comments(true);
        builder
    })
}

/// Returns `html` with everything that could run, load or navigate somewhere unsafe removed.
fn sanitized(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

/// Returns the body rendered as HTML, every raw HTML block or inline tag escaped as text.
pub fn body_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    sanitized(&out)
}

/// Returns a compiled document rendered as HTML: raw HTML escaped as in a body, but for the
/// collapsed blocks the documents use for a run's output (`<details>`, `<summary>…</summary>`
/// on lines of their own, which compile writes itself).
pub(crate) fn document_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: entry_page(dest_url),
            title,
            id,
        }),
        Event::Html(raw) if is_details_tag(&raw) => Event::Html(raw),
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    sanitized(&out)
}

/// Returns a document's link to an entry file (`../../journal/2026/10/<id>.md`, relative to
/// the documents' folder) as the entry's page; other links as they are.
fn entry_page(dest: CowStr<'_>) -> CowStr<'_> {
    // An entry file sits in its month's folder: a link into a folder, relative, to `<id>.md`.
    let relative = !dest.contains("://") && !dest.starts_with('/') && dest.contains('/');
    match dest.rsplit('/').next().and_then(|f| f.strip_suffix(".md")) {
        Some(id) if relative && journal_lib::is_file_id(id) => {
            CowStr::from(format!("/entries/{id}"))
        }
        _ => dest,
    }
}

/// Whether `raw` is one of compile's own tags: `<details>`, `</details>` or a summary line
/// with text only.
fn is_details_tag(raw: &str) -> bool {
    let tag = raw.trim();
    if tag == "<details>" || tag == "</details>" {
        return true;
    }
    tag.strip_prefix("<summary>")
        .and_then(|t| t.strip_suffix("</summary>"))
        .is_some_and(|text| !text.contains(['<', '>']))
}

#[cfg(test)]
mod tests {
    use super::{body_html, document_html};

    #[test]
    fn a_document_keeps_its_details_blocks_only() {
        let html = document_html(
            "Text\n\n<details>\n<summary>Output</summary>\n\n```\nok\n```\n\n</details>\n\n<img src=x onerror=y>\n",
        );
        assert!(
            html.contains("<details>") && html.contains("<summary>Output</summary>"),
            "{html}"
        );
        assert!(html.contains("&lt;img src=x onerror=y&gt;"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        let html = document_html(
            "[A finding](../../journal/2026/10/20261013T114000Z-gcp-test.md) \
             [ARCHITECTURAL-DECISIONS](ARCHITECTURAL-DECISIONS.md) [forge](https://x.example/a.md)\n",
        );
        assert!(
            html.contains(r#"href="/entries/20261013T114000Z-gcp-test""#),
            "{html}"
        );
        assert!(
            html.contains(r#"href="ARCHITECTURAL-DECISIONS.md""#),
            "{html}"
        );
        assert!(html.contains(r#"href="https://x.example/a.md""#), "{html}");
    }

    #[test]
    fn hostile_links_and_images_lose_their_url() {
        for dest in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "&#106;avascript:alert(1)",
            "java\tscript:alert(1)",
            " javascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "file:///etc/passwd",
        ] {
            for markdown in [
                format!("[x]({dest})"),
                format!("[x][r]\n\n[r]: {dest}"),
                format!("![x]({dest})"),
                format!("<{dest}>"),
            ] {
                for html in [body_html(&markdown), document_html(&markdown)] {
                    // The text may show the URL; no attribute keeps it.
                    for attr in ["href=", "src="] {
                        for (i, _) in html.match_indices(attr) {
                            let value = html[i + attr.len()..].to_lowercase();
                            assert!(
                                !["\"javascript", "\"data", "\"vbscript", "\"file"]
                                    .iter()
                                    .any(|bad| value.starts_with(bad)),
                                "{markdown} -> {html}"
                            );
                        }
                    }
                    assert!(
                        !html.contains("onerror") && !html.contains("<script"),
                        "{html}"
                    );
                }
            }
        }
        let html =
            body_html("[ok](https://x.example/a) [rel](/entries/x) [mail](mailto:a@b.example)");
        assert!(html.contains(r#"href="https://x.example/a""#), "{html}");
        assert!(html.contains(r#"href="/entries/x""#), "{html}");
        assert!(html.contains(r#"href="mailto:a@b.example""#), "{html}");
        assert!(html.contains(r#"rel="noopener noreferrer""#), "{html}");
    }

    #[test]
    fn raw_html_is_text_and_markdown_is_rendered() {
        let html = body_html("**bold** <script>alert(1)</script>\n\n<div onclick=x>hi</div>\n");
        assert!(html.contains("<strong>bold</strong>"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;div onclick=x&gt;"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
    }
}
