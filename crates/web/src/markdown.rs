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

#[cfg(test)]
mod tests {
    use super::body_html;

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
