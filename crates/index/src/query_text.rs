//! The query text as operators type it, made into tantivy's query language: a word holding
//! query syntax that is not a field query (the `:` of `fd00::1`, the `/` of a path) is
//! quoted, so it is searched as written; a word ending in `~` (or `~1`, `~2`) asks for a
//! fuzzy match (tantivy's grammar has no such thing for a single word: the word is kept
//! plain and listed apart).

/// The query text in tantivy's language, and its fuzzy words with their distances.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Literal {
    /// The text to parse.
    pub text: String,
    /// `word~N` words, lowercased, with N (2 for `word~`).
    pub fuzzy: Vec<(String, u8)>,
}

/// Returns `text` with each bare word that tantivy's grammar would misread quoted, and each
/// `word~` made plain and listed as fuzzy. `fields` are the names a `field:value` may use;
/// anything else before a `:` is part of the word.
pub(crate) fn literal(text: &str, fields: &[&str]) -> Literal {
    let mut fuzzy = Vec::new();
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(stripped) = rest.strip_prefix('"') {
            // A phrase: kept as typed, up to its closing quote (or the end).
            let end = stripped.find('"').map_or(rest.len(), |i| i + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '"')
            .unwrap_or(rest.len());
        out.push_str(&word(&rest[..end], fields, &mut fuzzy));
        rest = &rest[end..];
    }
    Literal { text: out, fuzzy }
}

/// One bare word (no whitespace), made literal where needed.
fn word(token: &str, fields: &[&str], fuzzy: &mut Vec<(String, u8)>) -> String {
    // Grouping and operators around the word stay syntax: `(fd00::1)`, `-/tmp/x`.
    let lead = token.len() - token.trim_start_matches(['(', '+', '-']).len();
    let trail = token.len() - token.trim_end_matches([')']).len();
    if lead + trail >= token.len() {
        return token.to_owned();
    }
    let (open, core, close) = (
        &token[..lead],
        &token[lead..token.len() - trail],
        &token[token.len() - trail..],
    );
    if let Some((stem, distance)) = core.rsplit_once('~')
        && !stem.is_empty()
        && !stem.contains(['~', ':', '"', '*', '/'])
        && let Some(distance) = match distance {
            "" | "2" => Some(2),
            "1" => Some(1),
            _ => None,
        }
    {
        fuzzy.push((stem.to_lowercase(), distance));
        return format!("{open}{stem}{close}");
    }
    // `field:value`, or `field:` before a phrase (`title:"a b"`); a near miss of a field
    // (`provdier:gcp`) stays a field query too, so that it is refused naming the field.
    let field_query = core.split_once(':').is_some_and(|(field, value)| {
        fields.contains(&field)
            || (field.len() > 2
                && field.chars().all(|c| c.is_ascii_alphabetic())
                && !value.contains([':', '/'])
                && fields
                    .iter()
                    .any(|f| strsim::damerau_levenshtein(f, field) <= 2))
    });
    let syntax = core.contains(':') || core.contains('/');
    if field_query || !syntax {
        return token.to_owned();
    }
    let escaped = core.replace('\\', "\\\\").replace('"', "\\\"");
    format!("{open}\"{escaped}\"{close}")
}

#[cfg(test)]
mod tests {
    fn literal(text: &str, fields: &[&str]) -> String {
        super::literal(text, fields).text
    }

    const FIELDS: &[&str] = &["title", "provider", "pattern"];

    #[test]
    fn addresses_and_paths_are_searched_as_written() {
        assert_eq!(literal("fd00::1", FIELDS), "\"fd00::1\"");
        assert_eq!(
            literal("ping fd00::1 fails", FIELDS),
            "ping \"fd00::1\" fails"
        );
        assert_eq!(
            literal("/etc/nixos/disko.nix", FIELDS),
            "\"/etc/nixos/disko.nix\""
        );
        assert_eq!(
            literal("(fd00::1 OR 10.0.0.1)", FIELDS),
            "(\"fd00::1\" OR 10.0.0.1)"
        );
        assert_eq!(literal("-/tmp/x", FIELDS), "-\"/tmp/x\"");
        assert_eq!(literal("https://x.org/a", FIELDS), "\"https://x.org/a\"");
    }

    #[test]
    fn field_queries_phrases_and_plain_words_are_left_alone() {
        for text in [
            "provider:hetzner luks",
            "title:zerotier*",
            "\"fd00::1 is up\" AND x",
            "a AND NOT b",
            "pattern:/zero.*/",
            "title:\"fd00::1 is up\"",
        ] {
            assert_eq!(literal(text, FIELDS), text);
        }
        // An unknown field is part of the word; a near miss of one is left to be refused.
        assert_eq!(literal("nixos:disko", FIELDS), "\"nixos:disko\"");
        assert_eq!(literal("provdier:gcp", FIELDS), "provdier:gcp");
        assert_eq!(literal("http://x.org", FIELDS), "\"http://x.org\"");
    }

    #[test]
    fn a_trailing_tilde_asks_for_a_fuzzy_match() {
        let found = super::literal("Zerotir~ luks cryptsetpu~1 a~b", FIELDS);
        assert_eq!(found.text, "Zerotir luks cryptsetpu a~b");
        assert_eq!(
            found.fuzzy,
            [("zerotir".to_owned(), 2), ("cryptsetpu".to_owned(), 1)]
        );
    }
}
