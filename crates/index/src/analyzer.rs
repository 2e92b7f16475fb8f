//! `journal_en`: tantivy's English analyser (`en_stem`) with a memo of stems.
//!
//! Stemming was a third of the CPU time of a reindex, and deployment notes repeat their words
//! a lot, so each thread remembers the stems it computed, in a thread-local memo: an
//! indexing thread takes no lock per word, and a server's thread keeps its stems from one
//! request to the next (tantivy clones the analyser for every snippet: a memo held by the
//! analyser was empty each time, and a search page of 50 hits stemmed every word of 50
//! bodies). The output is exactly `en_stem`'s: the same tokenizer, filters and Snowball
//! algorithm.

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// The name the schema's text fields use.
pub(crate) const ANALYZER: &str = "journal_en";

/// At most this many words are remembered per thread; later ones are stemmed each time.
const MEMO_CAPACITY: usize = 200_000;

thread_local! {
    /// This thread's stems (see the module's overview).
    static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::default();
}

/// The memo, keyed by word. Its hasher is the one rustc uses for its own tables (FxHash):
/// SipHash, the default, was a tenth of the memo's time, and the words are not hostile.
type Memo = rustc_hash::FxHashMap<String, String>;

/// Returns the analyser to register under [`ANALYZER`].
pub(crate) fn journal_en() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(STEMMED_TOKEN_BYTES + 1))
        .filter(LowerCaser)
        .filter(MemoStemmer)
        .build()
}

/// The English Snowball stemmer with a memo.
#[derive(Debug, Clone, Copy)]
struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter { inner: tokenizer }
    }
}

#[derive(Clone)]
struct MemoStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

struct MemoStemmerStream<T> {
    tail: T,
    stemmer: frostem::Stemmer,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token.text.len() <= 2 {
            // Snowball's English stemmer leaves words of two letters or fewer as they are
            // (lowercased ASCII; anything else is longer in bytes): "a", "to", "of", "is"…
            return true;
        }
        let stemmer = &self.stemmer;
        MEMO.with_borrow_mut(|memo| {
            if let Some(stem) = memo.get(&token.text) {
                token.text.clear();
                token.text.push_str(stem);
                return;
            }
            let stem = stemmer.stem(&token.text).into_owned();
            if memo.len() < MEMO_CAPACITY {
                memo.insert(std::mem::replace(&mut token.text, stem.clone()), stem);
            } else {
                token.text = stem;
            }
        });
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Returns whether the English stemmer leaves `word` (lowercase) as it is: from this
/// thread's memo, which holds it when the stemmed fields analysed the same text just before.
pub(crate) fn is_own_stem(word: &str, stemmer: &frostem::Stemmer) -> bool {
    if word.len() <= 2 {
        return true;
    }
    MEMO.with_borrow_mut(|memo| {
        if let Some(stem) = memo.get(word) {
            return stem == word;
        }
        let stem = stemmer.stem(word).into_owned();
        let same = stem == word;
        if memo.len() < MEMO_CAPACITY {
            memo.insert(word.to_owned(), stem);
        }
        same
    })
}

/// The longest token the stemmed fields keep, in bytes (`RemoveLongFilter` drops longer).
pub(crate) const STEMMED_TOKEN_BYTES: usize = 39;

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::TokenizerManager;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn stems_exactly_as_en_stem_does() {
        let mut ours = journal_en();
        let mut theirs = TokenizerManager::default().get("en_stem").unwrap();
        let text = "Deploying deployments deployed; LUKS unlocking over SSH, zerotier's a I is \
                    to Ab ié é ß 's \
                    provisioning provisioned PROVISIONS and a verylongwordthatgoesonandonandon\
                    andonandonandon here";
        for _ in 0..2 {
            // The second round answers from the memo.
            assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text));
        }
    }
}
