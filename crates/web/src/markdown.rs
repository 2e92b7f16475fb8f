//! Entry bodies as HTML: CommonMark with tables and strikethrough; raw HTML in a body is
//! shown as text, never passed through (an entry is data, not code).

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Returns the body rendered as HTML, every raw HTML block or inline tag escaped as text.
pub fn body_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
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
    out
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
