//! "Did you mean": for a query that found nothing, the indexed words nearest to each of its
//! words that the index does not hold (edit distance at most 2, transpositions counting 1).

use std::collections::BTreeMap;

use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf};

use crate::error::Result;
use crate::index::JournalIndex;

/// The nearest indexed words to one word of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// The word as the query has it, lowercased.
    pub word: String,
    /// The nearest indexed words, nearest (then most used) first; at most three.
    pub nearest: Vec<String>,
}

/// At most this many words are offered for one word of the query.
const NEAREST: usize = 3;

/// Words within this edit distance are offered.
const MAX_DISTANCE: usize = 2;

impl JournalIndex {
    /// Returns, for each plain word of `text` that no entry or commit holds, the indexed
    /// words nearest to it. Field queries, phrases, prefixes and fuzzy words are left out.
    pub fn did_you_mean(&self, text: &str) -> Result<Vec<Suggestion>> {
        let mut words = Vec::new();
        if let Ok(ast) = query_grammar::parse_query(text) {
            plain_words(&ast, &mut words);
        }
        words.dedup();
        let searcher = self.reader.searcher();
        let s = &self.schema;
        let mut suggestions = Vec::new();
        for word in words {
            // Each candidate: its distance, how many documents hold it, and whether the
            // `words` field has it (as written for sure).
            let mut found: BTreeMap<String, (usize, u64)> = BTreeMap::new();
            let mut written: std::collections::HashSet<String> = std::collections::HashSet::new();
            let mut held = false;
            let first = word.chars().next().map(String::from).unwrap_or_default();
            // The words as written, and the stemmed fields, which hold as written the words
            // the stemmer leaves alone (and stems, sorted out below).
            let fields = [s.words, s.title, s.body];
            for (segment, field) in searcher
                .segment_readers()
                .iter()
                .flat_map(|segment| fields.iter().map(move |field| (segment, *field)))
            {
                let index = segment.inverted_index(field)?;
                let terms = index.terms();
                held |= terms.get(word.as_bytes())?.is_some();
                // Candidates share the first letter: a typo is rarely there, and the range
                // keeps this to a slice of the dictionary.
                let mut stream = terms
                    .range()
                    .ge(first.as_bytes())
                    .lt(upper(&first))
                    .into_stream()?;
                while stream.advance() {
                    let Ok(term) = std::str::from_utf8(stream.key()) else {
                        continue;
                    };
                    if term.len().abs_diff(word.len()) > MAX_DISTANCE || term == word {
                        continue;
                    }
                    let distance = strsim::damerau_levenshtein(&word, term);
                    if distance <= MAX_DISTANCE {
                        let entry = found.entry(term.to_owned()).or_insert((distance, 0));
                        entry.1 += u64::from(stream.value().doc_freq);
                        if field == s.words {
                            written.insert(term.to_owned());
                        }
                    }
                }
            }
            if held || found.is_empty() {
                continue;
            }
            // A stem (`zeroti`) is no word to offer when the word it comes from is offered.
            let stemmer = frostem::Stemmer::new(frostem::Algorithm::English);
            let stems: std::collections::HashSet<String> = written
                .iter()
                .map(|w| stemmer.stem(w).into_owned())
                .collect();
            found.retain(|term, _| written.contains(term) || !stems.contains(term));
            let mut nearest: Vec<(String, (usize, u64))> = found.into_iter().collect();
            nearest
                .sort_by(|(a, (da, na)), (b, (db, nb))| da.cmp(db).then(nb.cmp(na)).then(a.cmp(b)));
            suggestions.push(Suggestion {
                word,
                nearest: nearest.into_iter().take(NEAREST).map(|(t, _)| t).collect(),
            });
        }
        Ok(suggestions)
    }
}

/// The byte string just above every string that starts with `prefix`.
fn upper(prefix: &str) -> Vec<u8> {
    let mut bytes = prefix.as_bytes().to_vec();
    if let Some(last) = bytes.last_mut() {
        *last = last.saturating_add(1);
    }
    bytes
}

/// Collects the words of `ast` searched as plain terms: no field, no phrase, no prefix, no
/// fuzzy distance, not excluded.
fn plain_words(ast: &UserInputAst, out: &mut Vec<String>) {
    use tantivy::query_grammar::Occur;
    match ast {
        UserInputAst::Clause(clauses) => {
            for (occur, sub) in clauses {
                if *occur != Some(Occur::MustNot) {
                    plain_words(sub, out);
                }
            }
        }
        UserInputAst::Boost(inner, _) => plain_words(inner, out),
        UserInputAst::Leaf(leaf) => {
            if let UserInputLeaf::Literal(literal) = &**leaf
                && literal.field_name.is_none()
                && literal.delimiter == Delimiter::None
                && literal.slop == 0
                && !literal.prefix
                && !literal.phrase.contains(['*', ' ', ':', '/'])
                && !matches!(literal.phrase.as_str(), "AND" | "OR" | "NOT")
            {
                out.push(literal.phrase.to_lowercase());
            }
        }
    }
}
