//! The parsed query, rewritten where tantivy's parser reads it differently from what users
//! mean, and checked for fields the schema does not have.

use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf};

/// Rewrites what tantivy's parser reads differently from what users mean:
/// - `a AND NOT b` parses as `+a +(-b)`, and a clause of exclusions alone matches nothing; its
///   exclusions are lifted into the enclosing clause (`+a -b`);
/// - `word*` becomes a prefix match on the word (over `default_fields` when no field is named),
///   since the parser only knows prefixes at the end of phrases.
pub(crate) fn normalise(ast: UserInputAst, default_fields: &[&str]) -> UserInputAst {
    use tantivy::query_grammar::Occur as O;
    match ast {
        UserInputAst::Clause(clauses) => {
            let mut out = Vec::with_capacity(clauses.len());
            for (occur, sub) in clauses {
                let sub = normalise(sub, default_fields);
                let required = matches!(occur, None | Some(O::Must));
                match sub {
                    UserInputAst::Clause(inner)
                        if required
                            && !inner.is_empty()
                            && inner.iter().all(|(o, _)| *o == Some(O::MustNot)) =>
                    {
                        out.extend(inner);
                    }
                    sub => out.push((occur, sub)),
                }
            }
            UserInputAst::Clause(out)
        }
        UserInputAst::Boost(inner, boost) => {
            UserInputAst::Boost(Box::new(normalise(*inner, default_fields)), boost)
        }
        UserInputAst::Leaf(leaf) => match *leaf {
            UserInputLeaf::Literal(literal)
                if literal.delimiter == Delimiter::None
                    && literal.phrase.len() > 1
                    && literal.phrase.ends_with('*')
                    && !literal.phrase[..literal.phrase.len() - 1].contains(['*', ' ']) =>
            {
                let word = literal.phrase[..literal.phrase.len() - 1].to_lowercase();
                let escaped = |text: &str| -> String {
                    text.chars()
                        .map(|c| {
                            if c.is_alphanumeric() {
                                c.to_string()
                            } else {
                                format!("\\{c}")
                            }
                        })
                        .collect()
                };
                // The stemmed fields hold `zerotier` as `zeroti`: the prefix as written, or
                // its stem (`title:zerotier*` finds the title that says zerotier).
                let stem = frostem::Stemmer::new(frostem::Algorithm::English)
                    .stem(&word)
                    .into_owned();
                let pattern = if stem == word || stem.is_empty() {
                    format!("{}.*", escaped(&word))
                } else {
                    format!("({}|{}).*", escaped(&word), escaped(&stem))
                };
                let regex = |field: &str| {
                    UserInputAst::Leaf(Box::new(UserInputLeaf::Regex {
                        field: Some(field.to_owned()),
                        pattern: pattern.clone(),
                    }))
                };
                match literal.field_name {
                    Some(field) => regex(&field),
                    None => UserInputAst::Clause(
                        default_fields
                            .iter()
                            .map(|f| (Some(O::Should), regex(f)))
                            .collect(),
                    ),
                }
            }
            leaf => UserInputAst::Leaf(Box::new(leaf)),
        },
    }
}

/// Returns what is wrong with a field the query names, which tantivy would only find while
/// searching, with an error that is not about the query: a field the schema does not have
/// (`a:word`), or `field:*` (exists) on a field that is not a fast field (`title:*`).
pub(crate) fn field_problem(
    ast: &UserInputAst,
    schema: &tantivy::schema::Schema,
) -> Option<String> {
    match ast {
        UserInputAst::Clause(clauses) => clauses
            .iter()
            .find_map(|(_, sub)| field_problem(sub, schema)),
        UserInputAst::Boost(inner, _) => field_problem(inner, schema),
        UserInputAst::Leaf(leaf) => {
            let (field, exists) = match &**leaf {
                UserInputLeaf::Literal(literal) => (literal.field_name.as_deref(), false),
                UserInputLeaf::Range { field, .. }
                | UserInputLeaf::Set { field, .. }
                | UserInputLeaf::Regex { field, .. } => (field.as_deref(), false),
                UserInputLeaf::Exists { field } => (Some(field.as_str()), true),
                UserInputLeaf::All => (None, false),
            };
            let field = field?;
            match schema.get_field(field) {
                Err(_) => Some(format!("unknown field `{field}`")),
                Ok(f) if exists && !schema.get_field_entry(f).is_fast() => Some(format!(
                    "`{field}:*` cannot be searched (it works on provider, pattern, kind, \
                     confidence and story)"
                )),
                Ok(_) => None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query_grammar;

    fn rewritten(text: &str) -> String {
        let ast = query_grammar::parse_query(text).unwrap();
        format!("{:?}", normalise(ast, &["title", "body"]))
    }

    #[test]
    fn and_not_becomes_an_exclusion_of_the_enclosing_clause() {
        assert_eq!(rewritten("a AND NOT b"), "(+a -b)");
        assert_eq!(rewritten("NOT a AND b"), "(-a +b)");
        assert_eq!(rewritten("a OR b"), "(?a ?b)");
    }

    #[test]
    fn a_trailing_star_is_a_prefix_match() {
        assert_eq!(
            rewritten("zero*"),
            "(?\"title\":/zero.*/ ?\"body\":/zero.*/)"
        );
        assert_eq!(rewritten("title:prov*"), "\"title\":/prov.*/");
        assert_eq!(rewritten("\"big bad wo\"*"), "\"big bad wo\"*");
    }
}
