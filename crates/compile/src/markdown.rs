//! Markdown that passes markdownlint's default rules (MD013 aside): entry bodies are normalised
//! before they are embedded (the rendered document is tidied as it is written: tidy.rs), and
//! documents are split into sections for `--check` reports.

/// Escapes text for inline Markdown: what would otherwise read as emphasis, code, links,
/// HTML, a quote or a line break, and nothing else, since people read the documents as text
/// too: a `>` only where it would start a quote (`~> 1.0` stays as written), a `_` only at
/// the edge of a word (`hcloud_server` stays as written: CommonMark never reads an
/// underscore inside a word as emphasis).
pub(crate) fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let word = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_alphanumeric())
    };
    for (i, &c) in chars.iter().enumerate() {
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '|' => true,
            '>' => chars[..i].iter().all(|c| c.is_whitespace()),
            '_' => !(word(i.checked_sub(1)) && word(Some(i + 1))),
            _ => false,
        };
        match c {
            '\n' | '\r' => out.push(' '),
            _ if escape => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

fn fence_of(line: &str) -> Option<&'static str> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    ["```", "~~~"].into_iter().find(|f| t.starts_with(f))
}

/// Whether `line` closes a block opened by `open`: the marker alone, no info string.
fn closes(line: &str, open: &str) -> bool {
    let t = line.trim();
    t.starts_with(open) && t.trim_start_matches(open).is_empty()
}

/// Follows fenced code blocks line by line.
#[derive(Default)]
pub(crate) struct Fences {
    open: Option<&'static str>,
}

impl Fences {
    /// Feeds the next line; returns whether it is part of a fenced block, fences included.
    pub(crate) fn step(&mut self, line: &str) -> bool {
        match self.open {
            Some(open) => {
                if closes(line, open) {
                    self.open = None;
                }
                true
            }
            None => {
                self.open = fence_of(line);
                self.open.is_some()
            }
        }
    }
}

fn is_list_item(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with("- ") || t.starts_with("* ") || t.starts_with("+ ") {
        return true;
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && (t[digits..].starts_with(". ") || t[digits..].starts_with(") "))
}

/// What an embedded body's own headings become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyHeadings {
    /// Bold lines: the document's own headings stay unique and in order (the compiled
    /// documents).
    Bold,
    /// Headings this many levels further down (at most `######`): under an entry's heading
    /// (the exported journal).
    Demoted(usize),
}

/// Returns the body as Markdown that embeds cleanly under a section: headings become bold
/// lines (the document's own headings must stay unique and in order), fenced code gets blank
/// lines around it and a language, lists get a blank line before them, bare URLs get angle
/// brackets, trailing spaces and tabs go, and runs of blank lines become one.
pub(crate) fn body(text: &str) -> String {
    embeddable_body(text, BodyHeadings::Bold)
}

/// The body made Markdown that embeds cleanly under a heading (as the documents embed
/// entries), with its own headings made what `headings` says: what markdownlint asks
/// of any document that embeds entries.
pub fn embeddable_body(text: &str, headings: BodyHeadings) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<&str> = None;
    let mut in_list = false;
    for raw in text.lines() {
        let expanded = raw.replace('\t', "    ");
        let line = expanded.trim_end();
        if let Some(open) = fence {
            out.push(line.to_owned());
            if closes(line, open) {
                fence = None;
                out.push(String::new());
            }
            continue;
        }
        if let Some(marker) = fence_of(line) {
            blank_before(&mut out);
            let info = line.trim_start()[marker.len()..].trim();
            out.push(if info.is_empty() {
                format!("{marker}text")
            } else {
                line.trim_start().to_owned()
            });
            fence = Some(marker);
            in_list = false;
            continue;
        }
        if line.is_empty() {
            blank_before(&mut out);
            in_list = false;
            continue;
        }
        let t = line.trim_start();
        let hashes = t.bytes().take_while(|b| *b == b'#').count();
        if (1..=6).contains(&hashes) && (t.len() == hashes || t[hashes..].starts_with(' ')) {
            let title = t[hashes..].trim().trim_end_matches('#').trim();
            blank_before(&mut out);
            if !title.is_empty() {
                match headings {
                    BodyHeadings::Bold => {
                        let ends = title.ends_with(['.', ',', ';', ':', '!', '?']);
                        out.push(format!("**{}{}**", title, if ends { "" } else { ":" }));
                    }
                    BodyHeadings::Demoted(by) => {
                        out.push(format!("{} {title}", "#".repeat((hashes + by).min(6))));
                    }
                }
                out.push(String::new());
            }
            in_list = false;
            continue;
        }
        let item = is_list_item(line);
        if item && !in_list {
            blank_before(&mut out);
        } else if !item && in_list && !line.starts_with(' ') {
            blank_before(&mut out);
            in_list = false;
        }
        in_list |= item;
        out.push(angle_urls(line));
    }
    if fence.is_some() {
        // An unclosed fence would swallow the rest of the document.
        out.push(fence.unwrap_or("```").to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out.join("\n")
}

fn blank_before(out: &mut Vec<String>) {
    if out.last().is_some_and(|l| !l.is_empty()) {
        out.push(String::new());
    }
}

/// Wraps bare `http(s)://` URLs in angle brackets, outside code spans and existing links.
fn angle_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    let mut ticks = 0usize;
    while let Some(at) = rest.find("http") {
        let (before, from) = rest.split_at(at);
        ticks += before.matches('`').count();
        out.push_str(before);
        let bare = (from.starts_with("https://") || from.starts_with("http://"))
            && ticks.is_multiple_of(2)
            && !out.ends_with(['(', '<', '[', '"', '\'', '='])
            && !out.ends_with("](");
        if !bare {
            out.push_str("http");
            rest = &from[4..];
            continue;
        }
        let end = from
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | ')' | ']' | '`'))
            .unwrap_or(from.len());
        let url = from[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        out.push('<');
        out.push_str(url);
        out.push('>');
        rest = &from[url.len()..];
    }
    out.push_str(rest);
    out
}

/// Splits a document into (heading, text) parts at its `## ` headings; the part before the
/// first one is headed by the document title line.
pub(crate) fn sections(text: &str) -> Vec<(String, String)> {
    let mut parts: Vec<(String, String)> = Vec::new();
    let mut fences = Fences::default();
    for line in text.lines() {
        let in_code = fences.step(line);
        let starts = !in_code && (line.starts_with("## ") || parts.is_empty());
        if starts {
            let heading = line.trim_start_matches('#').trim().to_owned();
            parts.push((heading, String::new()));
        }
        if let Some((_, body)) = parts.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_lose_headings_and_gain_blank_lines_and_languages() {
        let text = "Intro\n## Steps\n1. one\n2. two\nafter\t \n\n\n```\ncode  \n```\nend http://x.org/a. \
                    and [l](https://y.org) `http://z`\n";
        assert_eq!(
            body(text),
            "Intro\n\n**Steps:**\n\n1. one\n2. two\n\nafter\n\n```text\ncode\n```\n\nend \
             <http://x.org/a>. and [l](https://y.org) `http://z`"
        );
        assert_eq!(body("```sh\nunclosed"), "```sh\nunclosed\n```");
    }

    #[test]
    fn inline_text_is_escaped() {
        assert_eq!(
            inline("a*b_c [x] `y` |z|\nw"),
            "a\\*b_c \\[x\\] \\`y\\` \\|z\\| w"
        );
    }

    #[test]
    fn documents_split_at_level_two_headings() {
        let parts = sections("# Doc\n\nintro\n\n## A\n\na\n```text\n## not\n```\n## B\n");
        let names: Vec<&str> = parts.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(names, ["Doc", "A", "B"]);
        assert!(parts[1].1.contains("## not"));
    }
}

#[cfg(test)]
mod inline_tests {
    use super::inline;

    #[test]
    fn only_what_markdown_would_misread_is_escaped() {
        assert_eq!(
            inline("~> 1.0 for hcloud_server, _x_ *y* a > b [l](u) <b>|"),
            r"~> 1.0 for hcloud_server, \_x\_ \*y\* a > b \[l\](u) \<b>\|"
        );
        assert_eq!(inline("> quoted"), r"\> quoted");
        assert_eq!(inline("  > quoted"), r"  \> quoted");
        assert_eq!(inline("line\nbreak"), "line break");
    }
}
