//! Fuzzy words: `word~` (or every plain word, with `all`) matches the words as written
//! within an edit distance, transpositions counting 1. tantivy's parser makes a whole field
//! fuzzy or none of it, so the query is built here, leaf by leaf: fuzzy words become
//! [`FuzzyTermQuery`]s on the words as written (the `words` field, and the stemmed fields,
//! which hold as written the words the stemmer leaves alone), everything else is the
//! parser's.

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, QueryParser};
use tantivy::query_grammar::{Delimiter, Occur as GrammarOccur, UserInputAst, UserInputLeaf};
use tantivy::schema::Field;

use crate::error::{Error, Result};

/// Which words are fuzzy.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fuzzy {
    /// Every plain word.
    pub all: bool,
    /// These words (lowercased), with their distance.
    pub words: Vec<(String, u8)>,
}

/// Builds `ast` into a query: the parser's, but for fuzzy words.
pub(crate) fn build(
    parser: &QueryParser,
    fields: &[Field],
    ast: UserInputAst,
    fuzzy: &Fuzzy,
) -> Result<Box<dyn Query>> {
    // The parser refuses a query of exclusions alone (`NOT luks`); built here, it excludes
    // from everything.
    if !has_fuzzy(&ast, fuzzy) && !only_exclusions(&ast) {
        return parse(parser, ast);
    }
    match ast {
        UserInputAst::Clause(clauses) => {
            let mut built = Vec::with_capacity(clauses.len());
            let mut required = false;
            for (occur, sub) in clauses {
                let occur = match occur {
                    // The parser's default: every word is required.
                    None | Some(GrammarOccur::Must) => Occur::Must,
                    Some(GrammarOccur::Should) => Occur::Should,
                    Some(GrammarOccur::MustNot) => Occur::MustNot,
                };
                required |= occur != Occur::MustNot;
                built.push((occur, build(parser, fields, sub, fuzzy)?));
            }
            if !required {
                built.push((Occur::Must, Box::new(tantivy::query::AllQuery)));
            }
            Ok(Box::new(BooleanQuery::new(built)))
        }
        UserInputAst::Boost(inner, boost) => Ok(Box::new(BoostQuery::new(
            build(parser, fields, *inner, fuzzy)?,
            boost.into_inner() as f32,
        ))),
        UserInputAst::Leaf(leaf) => match fuzzy_word(&leaf, fuzzy) {
            Some((word, distance)) => {
                let any: Vec<(Occur, Box<dyn Query>)> = fields
                    .iter()
                    .map(|&field| {
                        let term = Term::from_field_text(field, &word);
                        let query: Box<dyn Query> =
                            Box::new(FuzzyTermQuery::new(term, distance, true));
                        (Occur::Should, query)
                    })
                    .collect();
                Ok(Box::new(BooleanQuery::new(any)))
            }
            None => parse(parser, UserInputAst::Leaf(leaf)),
        },
    }
}

fn parse(parser: &QueryParser, ast: UserInputAst) -> Result<Box<dyn Query>> {
    parser
        .build_query_from_user_input_ast(ast)
        .map_err(|e| Error::Query(e.to_string()))
}

fn only_exclusions(ast: &UserInputAst) -> bool {
    matches!(ast, UserInputAst::Clause(clauses)
        if !clauses.is_empty() && clauses.iter().all(|(o, _)| *o == Some(GrammarOccur::MustNot)))
}

fn has_fuzzy(ast: &UserInputAst, fuzzy: &Fuzzy) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().any(|(_, sub)| has_fuzzy(sub, fuzzy)),
        UserInputAst::Boost(inner, _) => has_fuzzy(inner, fuzzy),
        UserInputAst::Leaf(leaf) => fuzzy_word(leaf, fuzzy).is_some(),
    }
}

/// The word and distance of a fuzzy leaf: a plain word listed as fuzzy, or any plain word
/// with `all`. The distance is at most 2, and 1 for words under five letters.
fn fuzzy_word(leaf: &UserInputLeaf, fuzzy: &Fuzzy) -> Option<(String, u8)> {
    let UserInputLeaf::Literal(literal) = leaf else {
        return None;
    };
    let plain = literal.field_name.is_none()
        && literal.delimiter == Delimiter::None
        && !literal.prefix
        && !literal.phrase.contains(['*', ' ']);
    if !plain {
        return None;
    }
    let word = literal.phrase.to_lowercase();
    let asked = match fuzzy.words.iter().find(|(w, _)| *w == word) {
        Some((_, distance)) => *distance,
        None if fuzzy.all => 2,
        None => return None,
    };
    let most = if word.chars().count() < 5 { 1 } else { 2 };
    Some((word, asked.min(most)))
}
