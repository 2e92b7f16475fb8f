//! Entry bodies as HTML: CommonMark with tables and strikethrough; raw HTML in a body is
//! shown as text, never passed through (an entry is data, not code).

use pulldown_cmark::{Event, Options, Parser, html};

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
        Event::Html(raw) if is_details_tag(&raw) => Event::Html(raw),
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
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
