//! `journal_code`: the tokenizer of the unstemmed `words` field, for terms as operators write
//! them: identifiers, addresses, paths, keys.
//!
//! A word is a run of letters, digits and the characters identifiers and addresses are made
//! of (`_ - . / : @ + ~ % =`), without those characters at its ends (`sentence.`, `(x)`). The
//! word is indexed whole, lowercased, so `fd00::1`, `10.0.0.1`, `/etc/nixos/disko.nix` and a
//! 62-character age key are found by the exact string; then, when it has several, its parts
//! at those characters and at case and digit boundaries (`hcloud_server` → hcloud, server;
//! `luksFormat` → luks, format; `LUKS2` → luks, 2), so each part is found on its own. The
//! whole word shares the first part's position and the parts follow each other, so a phrase
//! of parts (`"hcloud server"`) matches the identifier, and the next word comes after them.
//! Nothing is stemmed: a prefix query (`zerotier*`) matches what was written.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the `words` field's tokenizer is registered under.
pub(crate) const CODE_TOKENIZER: &str = "journal_code";

/// Words longer than this many bytes are indexed by their parts only.
pub(crate) const MAX_TOKEN_BYTES: usize = 256;

/// Characters that join the parts of one word (and split it into parts).
fn is_joiner(c: char) -> bool {
    matches!(c, '_' | '-' | '.' | '/' | ':' | '@' | '+' | '~' | '%' | '=')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_joiner(c)
}

/// The tokenizer (see the module's overview).
#[derive(Debug, Clone, Default)]
pub(crate) struct CodeTokenizer {
    tokens: Vec<Token>,
}

impl Tokenizer for CodeTokenizer {
    type TokenStream<'a> = CodeTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CodeTokenStream<'a> {
        self.tokens.clear();
        tokenize(text, &mut self.tokens);
        CodeTokenStream {
            tokens: &mut self.tokens,
            at: None,
        }
    }
}

/// The tokens of one text.
pub(crate) struct CodeTokenStream<'a> {
    tokens: &'a mut [Token],
    at: Option<usize>,
}

impl TokenStream for CodeTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let next = self.at.map_or(0, |i| i + 1);
        self.at = Some(next);
        next < self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.at.unwrap_or(0)]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.at.unwrap_or(0)]
    }
}

/// Appends the tokens of `text` to `out`.
fn tokenize(text: &str, out: &mut Vec<Token>) {
    let mut position = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !is_word_char(c) {
            continue;
        }
        let mut end = start + c.len_utf8();
        while let Some(&(i, c)) = chars.peek() {
            if !is_word_char(c) {
                break;
            }
            end = i + c.len_utf8();
            chars.next();
        }
        position = word_tokens(text, start, end, position, out);
    }
}

/// Appends the tokens of the word `text[start..end]` from `position`; returns the position
/// of the next word.
fn word_tokens(
    text: &str,
    start: usize,
    end: usize,
    position: usize,
    out: &mut Vec<Token>,
) -> usize {
    let word = &text[start..end];
    let trimmed = word.trim_matches(is_joiner);
    if trimmed.is_empty() {
        return position;
    }
    let from = start + (word.len() - word.trim_start_matches(is_joiner).len());
    let parts = parts(trimmed, from);
    if trimmed.len() <= MAX_TOKEN_BYTES
        && (parts.len() != 1 || parts[0].1 - parts[0].0 != trimmed.len())
    {
        out.push(token(trimmed, from, position));
    }
    for (i, (part_start, part_end)) in parts.iter().enumerate() {
        let part = &text[*part_start..*part_end];
        if part.len() <= MAX_TOKEN_BYTES {
            out.push(token(part, *part_start, position + i));
        }
    }
    position + parts.len().max(1)
}

fn token(text: &str, offset_from: usize, position: usize) -> Token {
    Token {
        offset_from,
        offset_to: offset_from + text.len(),
        position,
        text: text.to_lowercase(),
        position_length: 1,
    }
}

/// The byte ranges (in the whole text, `word` starting at `offset`) of the parts of `word`:
/// split at joiners, between a lowercase letter and an uppercase one, before the last
/// capital of a run of capitals followed by a lowercase letter (`HTTPServer` → HTTP,
/// Server), and between letters and digits.
fn parts(word: &str, offset: usize) -> Vec<(usize, usize)> {
    #[derive(Clone, Copy, PartialEq)]
    enum Class {
        Lower,
        Upper,
        Digit,
        Other,
    }
    let class = |c: char| {
        if c.is_numeric() {
            Class::Digit
        } else if c.is_uppercase() {
            Class::Upper
        } else if c.is_lowercase() {
            Class::Lower
        } else {
            Class::Other
        }
    };
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut parts = Vec::new();
    let mut part_start: Option<usize> = None;
    for (k, &(i, c)) in chars.iter().enumerate() {
        if is_joiner(c) {
            if let Some(s) = part_start.take() {
                parts.push((offset + s, offset + i));
            }
            continue;
        }
        let Some(s) = part_start else {
            part_start = Some(i);
            continue;
        };
        let (_, prev) = chars[k - 1];
        let next = chars.get(k + 1).map(|&(_, n)| class(n));
        let (p, here) = (class(prev), class(c));
        let boundary = (p == Class::Lower && here == Class::Upper)
            || (p == Class::Upper && here == Class::Upper && next == Some(Class::Lower))
            || ((p == Class::Digit) != (here == Class::Digit)
                && p != Class::Other
                && here != Class::Other);
        if boundary && s != i {
            parts.push((offset + s, offset + i));
            part_start = Some(i);
        }
    }
    if let Some(s) = part_start {
        parts.push((offset + s, offset + word.len()));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        tokenize(text, &mut out);
        out.into_iter().map(|t| (t.text, t.position)).collect()
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn identifiers_are_indexed_whole_and_by_their_parts() {
        assert_eq!(texts("LUKS2"), ["luks2", "luks", "2"]);
        assert_eq!(
            texts("hcloud_server"),
            ["hcloud_server", "hcloud", "server"]
        );
        assert_eq!(texts("luksFormat"), ["luksformat", "luks", "format"]);
        assert_eq!(texts("zerotier-one"), ["zerotier-one", "zerotier", "one"]);
        assert_eq!(texts("HTTPServer"), ["httpserver", "http", "server"]);
        assert_eq!(texts("plain"), ["plain"]);
    }

    #[test]
    fn parts_follow_each_other_and_the_next_word_comes_after_them() {
        assert_eq!(
            tokens("use hcloud_server now"),
            [
                ("use".to_owned(), 0),
                ("hcloud_server".to_owned(), 1),
                ("hcloud".to_owned(), 1),
                ("server".to_owned(), 2),
                ("now".to_owned(), 3),
            ]
        );
    }

    #[test]
    fn addresses_paths_and_keys_are_found_by_the_exact_string() {
        assert_eq!(texts("fd00::1")[0], "fd00::1");
        assert_eq!(texts("(10.0.0.1).")[0], "10.0.0.1");
        assert_eq!(texts("see /etc/nixos/disko.nix.")[1], "etc/nixos/disko.nix");
        let key = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
        assert_eq!(key.len(), 62);
        assert_eq!(texts(key)[0], key);
    }

    #[test]
    fn a_word_longer_than_the_limit_keeps_its_parts() {
        let long = format!("{}_{}", "a".repeat(200), "b".repeat(100));
        assert_eq!(texts(&long), ["a".repeat(200), "b".repeat(100)]);
    }

    #[test]
    fn offsets_point_at_the_original_text() {
        let mut out = Vec::new();
        let text = "Run luksFormat.";
        tokenize(text, &mut out);
        let spans: Vec<&str> = out
            .iter()
            .map(|t| &text[t.offset_from..t.offset_to])
            .collect();
        assert_eq!(spans, ["Run", "luksFormat", "luks", "Format"]);
    }
}
