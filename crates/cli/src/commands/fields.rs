//! The entry fields shared by the commands that set them (`add`) and those that filter on them
//! (`list`, and later `search`): one definition, one vocabulary check.

use clap::Args;
use journal_entry::{Confidence, Vocabulary, VocabularyField};
use journal_index::{SearchQuery, Sort};

use crate::error::CommandError;

/// `--provider`, `--pattern`, `--confidence`, `--kind`, `--story`.
#[derive(Debug, Args)]
pub struct FieldArgs {
    /// Cloud provider, from journal.toml's providers (repeatable, or comma-separated).
    #[arg(long, value_name = "P", value_delimiter = ',')]
    pub provider: Vec<String>,
    /// Pattern, from journal.toml's patterns (repeatable, or comma-separated).
    #[arg(long, value_name = "P", value_delimiter = ',')]
    pub pattern: Vec<String>,
    /// Confidence: proven, needs-testing or uncertain.
    #[arg(long, value_name = "C", value_parser = parse_confidence)]
    pub confidence: Option<Confidence>,
    /// Kind of observation: finding, decision, easy, hard, surprise, … (journal.toml's kinds).
    #[arg(long, value_name = "K")]
    pub kind: Option<String>,
    /// Story, such as 1.11.
    #[arg(long, value_name = "S")]
    pub story: Option<String>,
}

impl FieldArgs {
    /// Checks the values against the vocabulary: an unknown one is an error listing the allowed
    /// values and the closest one.
    pub fn check(&self, vocabulary: &Vocabulary) -> Result<(), CommandError> {
        let values = self.provider.iter().map(|v| (VocabularyField::Provider, v));
        let values = values.chain(self.pattern.iter().map(|v| (VocabularyField::Pattern, v)));
        let mut values = values.chain(self.kind.iter().map(|v| (VocabularyField::Kind, v)));
        match values.find_map(|(field, value)| vocabulary.check(field, value).err()) {
            None => Ok(()),
            Some(unknown) => {
                let (field, value) = (unknown.field, unknown.value.clone());
                Err(CommandError::user(unknown.to_string()).hint(format!(
                    "if `{value}` is a new {field}, add it to `{field}s` under [vocabulary] in \
                     journal.toml"
                )))
            }
        }
    }

    /// Returns a search query holding these filters (any of the providers, any of the
    /// patterns, and the confidence, kind and story given), newest first, for the caller to
    /// complete.
    pub fn search_query(&self) -> SearchQuery {
        SearchQuery {
            provider: self.provider.clone(),
            pattern: self.pattern.clone(),
            confidence: self.confidence.map(|c| c.as_str().to_owned()),
            kind: self.kind.clone(),
            story: self.story.clone(),
            sort: Sort::Date,
            ..SearchQuery::default()
        }
    }

    /// Returns whether any filter is given.
    pub fn any(&self) -> bool {
        !self.provider.is_empty()
            || !self.pattern.is_empty()
            || self.confidence.is_some()
            || self.kind.is_some()
            || self.story.is_some()
    }
}

/// Parses a `--tag KEY=VALUE`.
pub fn parse_tag(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((key, v)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), v.trim().to_owned()))
        }
        _ => Err("expected KEY=VALUE, such as region=fsn1".to_owned()),
    }
}

/// Parses a confidence level, suggesting the closest on a typo.
fn parse_confidence(value: &str) -> Result<Confidence, String> {
    value.parse().map_err(|()| {
        let allowed = journal_entry::confidence_levels();
        let mut message = format!("allowed: {}", allowed.join(", "));
        if let Some(best) = journal_entry::closest(value, allowed.iter().copied()) {
            message.push_str(&format!("; did you mean `{best}`?"));
        }
        message
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_typos_get_a_suggestion() {
        assert_eq!(
            parse_confidence("needs-testing"),
            Ok(Confidence::NeedsTesting)
        );
        let err = parse_confidence("proved").unwrap_err();
        assert!(err.contains("did you mean `proven`?"), "{err}");
    }
}
