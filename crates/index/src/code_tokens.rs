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
//!
//! A word that is one run of letters and digits and that the English stemmer leaves as it
//! is (`mesh`, `the`, `cryptsetup`) is left out: the stemmed fields hold it exactly as
//! written, and searches look there too (prefixes, fuzzy words, suggestions). So is such a
//! part between joiners (`mesh` and `17` of `fsn1-mesh-17`; `fsn` and `1` are kept: the
//! stemmed fields hold only `fsn1`). That is most words of a note, and it halves
//! what this field costs a reindex.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The name the `words` field's tokenizer is registered under (the indexing one in the
/// index's tokenizers, [`QueryWordTokenizer`] in the query parser's).
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

/// [`is_word_char`] of each ASCII byte: most text is ASCII, and a table lookup per byte is
/// what keeps this tokenizer as cheap as tantivy's own (a reindex tokenizes every body).
const WORD_BYTE: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8 as char;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(c, '_' | '-' | '.' | '/' | ':' | '@' | '+' | '~' | '%' | '=');
        b += 1;
    }
    table
};

/// The byte offset of the first character at or after `from` for which `is_word_char` is
/// `wanted`, or the text's end.
fn scan(text: &str, from: usize, wanted: bool) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 128 {
            if WORD_BYTE[b as usize] == wanted {
                return i;
            }
            i += 1;
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            if is_word_char(c) == wanted {
                return i;
            }
            i += c.len_utf8();
        }
    }
    bytes.len()
}

/// Whether `word` is one part for sure: ASCII letters, all lowercase after the first (most
/// words of most notes).
fn is_plain_word(word: &str) -> bool {
    let bytes = word.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes[1..].iter().all(u8::is_ascii_lowercase)
}

/// The indexing tokenizer (see the module's overview). It streams: one token buffer and one
/// list of the current word's parts, reused from word to word and text to text.
#[derive(Clone)]
pub(crate) struct CodeTokenizer {
    token: Token,
    parts: Vec<(usize, usize)>,
    stemmer: frostem::Stemmer,
}

impl Default for CodeTokenizer {
    fn default() -> Self {
        Self {
            token: Token::default(),
            parts: Vec::new(),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

impl Tokenizer for CodeTokenizer {
    type TokenStream<'a> = CodeTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CodeTokenStream<'a> {
        self.parts.clear();
        CodeTokenStream {
            text,
            cursor: 0,
            next_position: 0,
            token: &mut self.token,
            parts: &mut self.parts,
            part: 0,
            whole: None,
            stemmer: &self.stemmer,
        }
    }
}

/// The tokens of one text, word by word.
pub(crate) struct CodeTokenStream<'a> {
    text: &'a str,
    /// Where the next word is looked for.
    cursor: usize,
    /// The position of the next word.
    next_position: usize,
    token: &'a mut Token,
    /// The current word's parts, and the next one to give.
    parts: &'a mut Vec<(usize, usize)>,
    part: usize,
    /// The current word whole, when it is still to give (first).
    whole: Option<(usize, usize)>,
    stemmer: &'a frostem::Stemmer,
}

impl TokenStream for CodeTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some((start, end)) = self.whole.take() {
                let position = self.next_position;
                self.set(start, end, position);
                return true;
            }
            if self.part < self.parts.len() {
                let (start, end) = self.parts[self.part];
                let position = self.next_position + self.part;
                self.part += 1;
                if end - start <= MAX_TOKEN_BYTES {
                    self.set(start, end, position);
                    if self.stemmed_fields_token(start, end) && self.held_by_stemmed_fields() {
                        continue;
                    }
                    return true;
                }
                continue;
            }
            self.next_position += self.parts.len();
            if !self.next_word() {
                return false;
            }
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

impl CodeTokenStream<'_> {
    /// Finds the next word from the cursor and lays out its tokens; false at the end.
    fn next_word(&mut self) -> bool {
        let text = self.text;
        let start = scan(text, self.cursor, true);
        if start >= text.len() {
            self.cursor = text.len();
            return false;
        }
        let end = scan(text, start, false);
        self.cursor = end;
        let word = &text[start..end];
        let trimmed = word.trim_matches(is_joiner);
        self.parts.clear();
        self.part = 0;
        if trimmed.is_empty() {
            return true;
        }
        let from = start + (word.len() - word.trim_start_matches(is_joiner).len());
        if is_plain_word(trimmed) {
            self.parts.push((from, from + trimmed.len()));
        } else {
            parts(trimmed, from, self.parts);
        }
        let single = self.parts.len() == 1 && self.parts[0] == (from, from + trimmed.len());
        self.whole =
            (!single && trimmed.len() <= MAX_TOKEN_BYTES).then(|| (from, from + trimmed.len()));
        true
    }

    /// Whether the text from `start` to `end` is a token of the stemmed fields' tokenizer too
    /// (a run of letters and digits between two other characters): a word alone, or a part
    /// between joiners (`edge` of `fsn1-edge-17`), not one cut at a case or digit boundary
    /// (`fsn`, `1`).
    fn stemmed_fields_token(&self, start: usize, end: usize) -> bool {
        let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        !alnum(self.text[..start].chars().next_back()) && !alnum(self.text[end..].chars().next())
    }

    /// Whether the token just set, a token of the stemmed fields too, is in them as written.
    fn held_by_stemmed_fields(&self) -> bool {
        let word = self.token.text.as_str();
        word.len() <= crate::analyzer::STEMMED_TOKEN_BYTES
            && word.chars().all(char::is_alphanumeric)
            && crate::analyzer::is_own_stem(word, self.stemmer)
    }

    fn set(&mut self, start: usize, end: usize, position: usize) {
        let token = &mut *self.token;
        token.offset_from = start;
        token.offset_to = end;
        token.position = position;
        token.position_length = 1;
        token.text.clear();
        lowercase_into(&self.text[start..end], &mut token.text);
    }
}

fn lowercase_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        out.push_str(text);
        out.make_ascii_lowercase();
    } else {
        out.extend(text.chars().flat_map(char::to_lowercase));
    }
}

/// The query side of the `words` field: a query word is one token, the word whole and
/// lowercased, which matches the word whole or one of its parts as indexed. A phrase (the
/// text has a space) gives none: phrases are the stemmed fields' (`words` keeps no
/// positions).
#[derive(Debug, Clone, Default)]
pub(crate) struct QueryWordTokenizer {
    token: Token,
}

impl Tokenizer for QueryWordTokenizer {
    type TokenStream<'a> = QueryWordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> QueryWordStream<'a> {
        let word = text.trim().trim_matches(is_joiner);
        let single = !word.is_empty() && !word.contains(char::is_whitespace);
        self.token = Token::default();
        if single {
            let from = text.len() - text.trim_start().trim_start_matches(is_joiner).len();
            self.token.offset_from = from;
            self.token.offset_to = from + word.len();
            lowercase_into(word, &mut self.token.text);
        }
        QueryWordStream {
            token: &mut self.token,
            left: single,
        }
    }
}

/// The one token of a query word.
pub(crate) struct QueryWordStream<'a> {
    token: &'a mut Token,
    left: bool,
}

impl TokenStream for QueryWordStream<'_> {
    fn advance(&mut self) -> bool {
        std::mem::take(&mut self.left)
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The byte ranges (in the whole text, `word` starting at `offset`) of the parts of `word`:
/// split at joiners, between a lowercase letter and an uppercase one, before the last
/// capital of a run of capitals followed by a lowercase letter (`HTTPServer` → HTTP,
/// Server), and between letters and digits.
fn parts(word: &str, offset: usize, parts: &mut Vec<(usize, usize)>) {
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
    let mut part_start: Option<usize> = None;
    let mut prev: Option<char> = None;
    let mut chars = word.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let before = prev.replace(c);
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
        let Some(before) = before else {
            continue;
        };
        let next = chars.peek().map(|&(_, n)| class(n));
        let (p, here) = (class(before), class(c));
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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<Token> {
        let mut tokenizer = CodeTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().clone());
        }
        out
    }

    fn tokens(text: &str) -> Vec<(String, usize)> {
        all(text)
            .into_iter()
            .map(|t| (t.text, t.position))
            .collect()
    }

    fn texts(text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|(t, _)| t).collect()
    }

    #[test]
    fn identifiers_are_indexed_whole_and_by_their_parts() {
        assert_eq!(texts("LUKS2"), ["luks2", "luks", "2"]);
        assert_eq!(texts("luksFormat"), ["luksformat", "luks", "format"]);
        assert_eq!(texts("HTTPServer"), ["httpserver", "http", "server"]);
        // Parts between joiners are the stemmed fields' tokens too: left to them when they
        // hold them as written, kept when they stem them.
        assert_eq!(texts("hcloud_server"), ["hcloud_server"]);
        assert_eq!(texts("zerotier-one"), ["zerotier-one", "zerotier"]);
        assert_eq!(texts("fsn1-mesh-17"), ["fsn1-mesh-17", "fsn", "1"]);
        assert_eq!(
            texts("running-services"),
            ["running-services", "running", "services"]
        );
        // A word the stemmed fields hold as written is left out; one they stem is kept.
        assert_eq!(texts("plain"), Vec::<String>::new());
        assert_eq!(texts("deployments"), ["deployments"]);
    }

    #[test]
    fn parts_follow_each_other_and_the_next_word_comes_after_them() {
        assert_eq!(
            tokens("used luksFormat nowadays"),
            [
                ("used".to_owned(), 0),
                ("luksformat".to_owned(), 1),
                ("luks".to_owned(), 1),
                ("format".to_owned(), 2),
                ("nowadays".to_owned(), 3),
            ]
        );
    }

    #[test]
    fn addresses_paths_and_keys_are_found_by_the_exact_string() {
        assert_eq!(texts("fd00::1")[0], "fd00::1");
        assert_eq!(texts("(10.0.0.1).")[0], "10.0.0.1");
        assert_eq!(texts("see /etc/nixos/disko.nix.")[0], "etc/nixos/disko.nix");
        let key = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
        assert_eq!(key.len(), 62);
        assert_eq!(texts(key)[0], key);
    }

    #[test]
    fn a_query_word_is_one_token_and_a_phrase_none() {
        let one = |text: &str| {
            let mut tokenizer = QueryWordTokenizer::default();
            let mut stream = tokenizer.token_stream(text);
            let mut out = Vec::new();
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        assert_eq!(one("hcloud_Server"), ["hcloud_server"]);
        assert_eq!(one("fd00::1"), ["fd00::1"]);
        assert_eq!(one("hcloud server"), Vec::<String>::new());
        assert_eq!(one("::"), Vec::<String>::new());
    }

    #[test]
    fn any_text_tokenizes_with_offsets_on_character_boundaries() {
        for text in [
            "ß_İ.ǅx-١٢٣ 🙂:/ é",
            "::--..",
            "Ǆemo_ǅemo",
            "İİİstanbul",
            "a\u{301}b_c\u{301}D",
            "日本語のテキスト_ID2",
        ] {
            for token in all(text) {
                assert!(
                    text.is_char_boundary(token.offset_from)
                        && text.is_char_boundary(token.offset_to)
                        && token.offset_from < token.offset_to,
                    "{text:?}: {token:?}"
                );
            }
            let mut query = QueryWordTokenizer::default();
            let mut stream = query.token_stream(text);
            while stream.advance() {
                let t = stream.token();
                assert!(text.is_char_boundary(t.offset_from) && text.is_char_boundary(t.offset_to));
            }
        }
    }

    #[test]
    fn a_word_longer_than_the_limit_keeps_its_parts() {
        let long = format!("{}_{}", "a".repeat(200), "b".repeat(100));
        assert_eq!(texts(&long), ["a".repeat(200), "b".repeat(100)]);
    }

    #[test]
    fn offsets_point_at_the_original_text() {
        let text = "Running luksFormat.";
        let out = all(text);
        let spans: Vec<&str> = out
            .iter()
            .map(|t| &text[t.offset_from..t.offset_to])
            .collect();
        assert_eq!(spans, ["Running", "luksFormat", "luks", "Format"]);
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;
    use tantivy::tokenizer::{TokenStream, Tokenizer};

    use super::{CodeTokenizer, QueryWordTokenizer};

    proptest! {
        #[test]
        fn any_text_gives_tokens_on_character_boundaries(text in "\\PC{0,60}") {
            let mut tokenizer = CodeTokenizer::default();
            let mut stream = tokenizer.token_stream(&text);
            while stream.advance() {
                let t = stream.token();
                prop_assert!(text.is_char_boundary(t.offset_from));
                prop_assert!(text.is_char_boundary(t.offset_to));
                prop_assert!(!t.text.is_empty());
            }
            let mut query = QueryWordTokenizer::default();
            let mut stream = query.token_stream(&text);
            while stream.advance() {
                prop_assert!(text.is_char_boundary(stream.token().offset_to));
            }
            // The query text rewriter takes anything a user types.
            let _ = crate::query_text::literal(&text, &["title", "provider"]);
        }
    }
}
