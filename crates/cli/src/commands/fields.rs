//! The entry fields shared by the commands that set them (`add`) and those that filter on them
//! (`list`, and later `search`): one definition, one vocabulary check.

use clap::Args;
use journal_entry::{Confidence, Vocabulary, VocabularyField};
use journal_index::{SearchQuery, Sort};

use crate::complete;
use crate::error::CommandError;

/// `--provider`, `--pattern`, `--confidence`, `--kind`, `--story`.
#[derive(Debug, Args)]
pub struct FieldArgs {
    /// Cloud provider, from journal.toml's providers (repeatable, or comma-separated).
    #[arg(long, value_name = "P", value_delimiter = ',',
          add = complete::vocabulary(VocabularyField::Provider))]
    pub provider: Vec<String>,
    /// Pattern, from journal.toml's patterns (repeatable, or comma-separated).
    #[arg(long, value_name = "P", value_delimiter = ',',
          add = complete::vocabulary(VocabularyField::Pattern))]
    pub pattern: Vec<String>,
    /// Confidence: proven, needs-testing or uncertain.
    #[arg(long, value_name = "C", value_parser = parse_confidence, add = complete::confidence())]
    pub confidence: Option<Confidence>,
    /// Kind of observation: finding, decision, easy, hard, surprise, … (journal.toml's kinds).
    #[arg(long, value_name = "K", add = complete::vocabulary(VocabularyField::Kind))]
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

/// Parses a `--metric NAME=NUMBER[UNIT]`. A unit suffix moves into the name, where the
/// convention keeps it: `provision=185s` is `provision_s = 185`, `loss=0.5%` is
/// `loss_pct = 0.5`, `latency_ms=23.4` stays as it is.
pub fn parse_metric(value: &str) -> Result<(String, f64), String> {
    const HINT: &str = "expected NAME=NUMBER, such as latency_ms=23.4 or provision=185s";
    let (name, number) = value.split_once('=').ok_or_else(|| HINT.to_owned())?;
    let (name, number) = (name.trim(), number.trim());
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!(
            "metric name `{name}`: use lowercase letters, digits and `_` ({HINT})"
        ));
    }
    let digits_end = number
        .rfind(|c: char| c.is_ascii_digit() || c == '.')
        .map_or(0, |i| i + 1);
    let (digits, unit) = number.split_at(digits_end);
    let unit = match unit.trim() {
        "%" => "pct",
        u => u,
    };
    if !unit.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(format!(
            "metric `{name}`: `{number}` is not a number ({HINT})"
        ));
    }
    let parsed: f64 = digits
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| format!("metric `{name}`: `{number}` is not a number ({HINT})"))?;
    let unit = unit.to_ascii_lowercase();
    let name = if unit.is_empty() || name.ends_with(&format!("_{unit}")) {
        name.to_owned()
    } else {
        format!("{name}_{unit}")
    };
    Ok((name, parsed))
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
    fn metrics_take_their_unit_into_the_name() {
        let ok = |v: &str| parse_metric(v).unwrap();
        assert_eq!(ok("latency_ms=23.4"), ("latency_ms".to_owned(), 23.4));
        assert_eq!(ok("provision=185s"), ("provision_s".to_owned(), 185.0));
        assert_eq!(ok("provision_s=185s"), ("provision_s".to_owned(), 185.0));
        assert_eq!(ok("loss=0.5%"), ("loss_pct".to_owned(), 0.5));
        assert_eq!(ok("delta=-3"), ("delta".to_owned(), -3.0));
        assert_eq!(ok("cost=1e3"), ("cost".to_owned(), 1000.0));
        for bad in [
            "latency",
            "=3",
            "Latency=3",
            "x=fast",
            "x=",
            "x=1.2.3",
            "x=inf",
            "x=3 m/s",
        ] {
            assert!(parse_metric(bad).is_err(), "{bad}");
        }
    }

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
