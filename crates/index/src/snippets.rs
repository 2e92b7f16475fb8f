//! Snippets and highlights: the piece of a body around the matched words, cut on word
//! boundaries, and the matched words of a title.

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;

use crate::error::Result;
use crate::search::Snippet;

/// Length of a snippet, in characters.
const SNIPPET_CHARS: usize = 160;

/// What marks the matched words: in the body (stemmed words, and the words as written for
/// what stemming does not find, such as `luks` in `luksFormat`) and in the title.
pub(crate) struct Highlighters {
    body: SnippetGenerator,
    words: SnippetGenerator,
    title: SnippetGenerator,
}

impl Highlighters {
    pub(crate) fn new(
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        schema: &crate::schema::IndexSchema,
    ) -> Result<Self> {
        let generator = |field: Field, chars: usize| -> Result<SnippetGenerator> {
            let mut g = SnippetGenerator::create(searcher, query, field)?;
            g.set_max_num_chars(chars);
            Ok(g)
        };
        Ok(Self {
            body: generator(schema.body, SNIPPET_CHARS)?,
            words: generator(schema.words, SNIPPET_CHARS)?,
            title: generator(schema.title, TITLE_CHARS)?,
        })
    }

    /// The body's snippet: the stemmed words' fragment, else the written words'.
    fn snippet(&self, body: &str) -> tantivy::snippet::Snippet {
        let stemmed = self.body.snippet(body);
        if stemmed.highlighted().is_empty() {
            let written = self.words.snippet(body);
            if !written.highlighted().is_empty() {
                return written;
            }
        }
        stemmed
    }

    /// The byte ranges of the matched words in `title`, stemmed or as written, in order.
    pub(crate) fn title(&self, title: &str) -> Vec<std::ops::Range<usize>> {
        let mut ranges = Vec::new();
        for generator in [&self.title, &self.words] {
            let found = generator.snippet(title);
            let Some(at) = title.find(found.fragment()) else {
                continue;
            };
            ranges.extend(found.highlighted().iter().map(|r| r.start + at..r.end + at));
        }
        ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        // Overlaps (`luksFormat` whole and `luks` its part) keep the widest.
        let mut merged: Vec<std::ops::Range<usize>> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start < last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
    }
}

/// Titles are at most 200 characters: the title's "snippet" is all of it.
const TITLE_CHARS: usize = 1000;

/// The piece of `body` around the matched words, or its start when none are in it.
pub(crate) fn snippet_of(highlighters: Option<&Highlighters>, body: &str) -> Snippet {
    let Some(found) = highlighters.map(|h| h.snippet(body)) else {
        return lead(body);
    };
    if found.fragment().is_empty() {
        lead(body)
    } else {
        whole_words(
            body,
            Snippet {
                text: found.fragment().to_owned(),
                highlights: found.highlighted().to_vec(),
            },
        )
    }
}

/// Trims a fragment of `body` that starts or ends inside a word to whole words, keeping its
/// highlights where they were: a snippet never shows half a word ("handmtumarker").
fn whole_words(body: &str, snippet: Snippet) -> Snippet {
    let Some(at) = body.find(&snippet.text) else {
        return snippet;
    };
    let text = &snippet.text;
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut start = 0;
    if is_word(body[..at].chars().next_back()) && is_word(text.chars().next()) {
        start = text
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(text.len());
    }
    let mut end = text.len();
    if is_word(body[at + text.len()..].chars().next()) && is_word(text.chars().next_back()) {
        end = text
            .rfind(|c: char| !c.is_alphanumeric())
            .map_or(0, |i| i + 1);
    }
    // Never cut into a matched word, and keep something.
    if let Some(first) = snippet.highlights.first() {
        start = start.min(first.start);
    }
    if let Some(last) = snippet.highlights.last() {
        end = end.max(last.end);
    }
    if start >= end {
        return snippet;
    }
    let trimmed = &text[start..end];
    let lead = trimmed.len() - trimmed.trim_start().len();
    let kept = trimmed.trim();
    let offset = start + lead;
    Snippet {
        text: kept.to_owned(),
        highlights: snippet
            .highlights
            .iter()
            .filter(|r| r.start >= offset && r.end <= offset + kept.len())
            .map(|r| r.start - offset..r.end - offset)
            .collect(),
    }
}

/// The start of the body, when no matched words are in it.
fn lead(body: &str) -> Snippet {
    let line = body
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let end = line
        .char_indices()
        .nth(SNIPPET_CHARS)
        .map_or(line.len(), |(i, _)| i);
    // Cut at the last whole word.
    let end = if end < line.len() {
        line[..end].rfind(char::is_whitespace).unwrap_or(end)
    } else {
        end
    };
    Snippet {
        text: line[..end].trim_end().to_owned(),
        highlights: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_hold_whole_words_only() {
        let body = "we fixed it (handmtu marker set) and the zerotier link held for a week";
        let at = body.find("mtu marker").unwrap();
        let cut = Snippet {
            text: body[at..at + 26].to_owned(),
            highlights: std::iter::once(4..10).collect(),
        };
        assert_eq!(&cut.text[4..10], "marker");
        let whole = whole_words(body, cut);
        assert_eq!(whole.text, "marker set) and the");
        assert_eq!(&whole.text[whole.highlights[0].clone()], "marker");
        let long = format!("{} tail", "word ".repeat(40));
        let lead = lead(&long);
        assert!(lead.text.ends_with("word"), "{}", lead.text);
        assert!(lead.text.chars().count() <= SNIPPET_CHARS);
    }
}
