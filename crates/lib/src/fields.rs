//! The entry fields that operations filter on and set, checked against the vocabulary, and
//! the values a front end parses from text (a confidence level, a tag, a metric).

use journal_entry::{Confidence, Vocabulary, VocabularyField, secret};
use journal_index::{SearchQuery, Sort};

use crate::error::{Error, Result};

/// Which entries: the fields given must all match (any of the providers, any of the
/// patterns), and the dates bound the observation time.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Any of these providers.
    pub provider: Vec<String>,
    /// Any of these patterns.
    pub pattern: Vec<String>,
    /// This confidence.
    pub confidence: Option<Confidence>,
    /// This kind.
    pub kind: Option<String>,
    /// This story.
    pub story: Option<String>,
    /// Every one of these tags.
    pub tags: Vec<(String, String)>,
    /// Recorded by this agent (its name, any version).
    pub agent: Option<String>,
    /// Observed at or after (seconds since the epoch).
    pub since: Option<i64>,
    /// Observed at or before (seconds since the epoch).
    pub until: Option<i64>,
}

impl Filters {
    /// Returns whether any filter is given.
    pub fn any(&self) -> bool {
        !self.provider.is_empty()
            || !self.pattern.is_empty()
            || self.confidence.is_some()
            || self.kind.is_some()
            || self.story.is_some()
            || !self.tags.is_empty()
            || self.agent.is_some()
            || self.since.is_some()
            || self.until.is_some()
    }

    /// Returns the search query holding these filters, newest first, for the caller to
    /// complete.
    pub(crate) fn query(&self) -> SearchQuery {
        SearchQuery {
            provider: self.provider.clone(),
            pattern: self.pattern.clone(),
            confidence: self.confidence.map(|c| c.as_str().to_owned()),
            kind: self.kind.clone(),
            story: self.story.clone(),
            tags: self.tags.clone(),
            agent: self.agent.clone(),
            since: self.since,
            until: self.until,
            sort: Sort::Date,
            ..SearchQuery::default()
        }
    }
}

/// Filters as text, as a front end receives them (an MCP call's arguments, a query string):
/// [`FilterText::parse`] turns them into [`Filters`], refusing a bad value by its field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterText {
    /// Any of these providers.
    pub provider: Vec<String>,
    /// Any of these patterns.
    pub pattern: Vec<String>,
    /// This kind.
    pub kind: Option<String>,
    /// This confidence level, as text.
    pub confidence: Option<String>,
    /// This story.
    pub story: Option<String>,
    /// Recorded by this agent.
    pub agent: Option<String>,
    /// Observed at or after: RFC 3339, a date, or words.
    pub since: Option<String>,
    /// Observed at or before (a date alone includes that day).
    pub until: Option<String>,
    /// Every one of these `key=value` tags.
    pub tags: Vec<String>,
}

impl FilterText {
    /// Returns the filters, the dates read relative to `now`; a confidence or date that does
    /// not parse is refused naming the field, the value and what is allowed.
    pub fn parse(&self, now: chrono::DateTime<chrono::FixedOffset>) -> Result<Filters> {
        use crate::when::{Bound, timestamp_option};
        let when = |field: &str, text: Option<&str>, bound| {
            timestamp_option(text, now, bound).map_err(|e| {
                Error::refused(format!(
                    "{field} `{}`: {}",
                    text.unwrap_or_default(),
                    e.message()
                ))
            })
        };
        Ok(Filters {
            provider: self.provider.clone(),
            pattern: self.pattern.clone(),
            confidence: self
                .confidence
                .as_deref()
                .map(confidence_field)
                .transpose()?,
            kind: self.kind.clone(),
            story: self.story.clone(),
            tags: self
                .tags
                .iter()
                .map(|t| parse_tag(t).map_err(|e| Error::refused(format!("tag `{t}`: {e}"))))
                .collect::<Result<_>>()?,
            agent: self.agent.clone(),
            since: when("since", self.since.as_deref(), Bound::At)?,
            until: when("until", self.until.as_deref(), Bound::Until)?,
        })
    }
}

/// Parses a search scope as a front end receives it (`entries`, the default, `commits` or
/// `all`), refusing any other.
pub fn parse_scope(value: Option<&str>) -> Result<journal_index::Scope> {
    use journal_index::Scope;
    match value {
        None | Some("" | "entries") => Ok(Scope::Entries),
        Some("commits") => Ok(Scope::Commits),
        Some("all") => Ok(Scope::All),
        Some(other) => Err(Error::refused(format!(
            "scope `{other}` is not one of entries, commits, all"
        ))),
    }
}

/// Parses a search order (`score`, the default, or `date`), refusing any other.
pub fn parse_sort(value: Option<&str>) -> Result<Sort> {
    match value {
        None | Some("" | "score") => Ok(Sort::Score),
        Some("date") => Ok(Sort::Date),
        Some(other) => Err(Error::refused(format!(
            "sort `{other}` is not one of score, date"
        ))),
    }
}

/// Parses a confidence level given as a field's value: the refusal names the field, the value
/// and the allowed levels (with the closest on a typo).
pub fn confidence_field(value: &str) -> Result<Confidence> {
    parse_confidence(value).map_err(|allowed| {
        Error::refused(format!("confidence `{value}` is not a level: {allowed}"))
    })
}

/// Checks provider, pattern and kind values against the vocabulary: an unknown one is
/// refused, naming the allowed values and the closest one.
pub fn check_vocabulary<'a>(
    vocabulary: &Vocabulary,
    provider: &'a [String],
    pattern: &'a [String],
    kind: Option<&'a String>,
) -> Result<()> {
    let values = provider.iter().map(|v| (VocabularyField::Provider, v));
    let values = values.chain(pattern.iter().map(|v| (VocabularyField::Pattern, v)));
    let mut values = values.chain(kind.map(|v| (VocabularyField::Kind, v)));
    match values.find_map(|(field, value)| vocabulary.check(field, value).err()) {
        None => Ok(()),
        Some(unknown) => {
            let (field, value) = (unknown.field, unknown.value.clone());
            Err(Error::refused(unknown.to_string()).hint(format!(
                "if `{value}` is a new {field}, add it to `{field}s` under [vocabulary] in \
                 journal.toml"
            )))
        }
    }
}

/// Refuses text holding credentials, unless `allow`; then returns a warning per credential
/// kept. `what` names the text in the messages ("the text", "title").
pub fn guard_secrets(text: &str, what: &str, allow: bool) -> Result<Vec<String>> {
    let findings = secret::scan(text);
    if findings.is_empty() {
        return Ok(Vec::new());
    }
    if allow {
        return Ok(findings
            .iter()
            .map(|f| {
                format!(
                    "{what}, line {}: {} ({}) kept: allowed as not a credential",
                    f.line, f.description, f.rule
                )
            })
            .collect());
    }
    Err(Error::Secret {
        what: what.to_owned(),
        findings: findings
            .iter()
            .map(|f| crate::error::SecretFound {
                line: f.line,
                description: f.description.to_string(),
                rule: f.rule.to_string(),
            })
            .collect(),
    })
}

/// Parses a `KEY=VALUE` tag.
pub fn parse_tag(value: &str) -> Result<(String, String), String> {
    match value.split_once('=') {
        Some((key, v)) if !key.trim().is_empty() => {
            Ok((key.trim().to_owned(), v.trim().to_owned()))
        }
        _ => Err("expected KEY=VALUE, such as region=fsn1".to_owned()),
    }
}

/// Checks a metric name: lowercase letters, digits and `_`.
pub fn check_metric_name(name: &str) -> Result<(), String> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!(
            "metric name `{name}`: use lowercase letters, digits and `_`"
        ));
    }
    Ok(())
}

/// Parses a `NAME=NUMBER[UNIT]` metric. A unit suffix moves into the name, where the
/// convention keeps it: `provision=185s` is `provision_s = 185`, `loss=0.5%` is
/// `loss_pct = 0.5`, `latency_ms=23.4` stays as it is.
pub fn parse_metric(value: &str) -> Result<(String, f64), String> {
    const HINT: &str = "expected NAME=NUMBER, such as latency_ms=23.4 or provision=185s";
    let (name, number) = value.split_once('=').ok_or_else(|| HINT.to_owned())?;
    let (name, number) = (name.trim(), number.trim());
    check_metric_name(name).map_err(|e| format!("{e} ({HINT})"))?;
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
pub fn parse_confidence(value: &str) -> Result<Confidence, String> {
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
    fn a_credential_is_a_typed_refusal_that_names_no_value_and_offers_no_flag() {
        let key = "AKIAIOSFODNN7EXAMPLE";
        let text = format!("first line\nkey {key}\nand again {key}");
        let err = guard_secrets(&text, "the text", false).unwrap_err();
        assert!(err.is_secret());
        let crate::Error::Secret { what, findings } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(what, "the text");
        assert_eq!(findings.iter().map(|f| f.line).collect::<Vec<_>>(), [2, 3]);
        assert!(
            err.message().starts_with("the text, line 2: looks like"),
            "{}",
            err.message()
        );
        let hints = err.hints(|_| None);
        assert!(hints[0].starts_with("also line 3:"), "{hints:?}");
        // The front end says whether a user may insist (the CLI's --allow-secret).
        assert_eq!(hints.len(), 2, "{hints:?}");
        let insist = err.hints(|p| (p == crate::Param::AllowSecret).then_some("--allow-secret"));
        assert_eq!(insist[2], "pass --allow-secret if it is not a credential");
        assert!(!format!("{}{hints:?}", err.message()).contains(key));
        assert_eq!(guard_secrets(&text, "the text", true).unwrap().len(), 2);
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

    #[test]
    fn unknown_vocabulary_values_are_refused_with_a_hint() {
        let v = Vocabulary::default();
        let err = check_vocabulary(&v, &["hetzner".into(), "aws".into()], &[], None).unwrap_err();
        assert!(err.message().contains("aws"), "{}", err.message());
        assert!(err.hints(|_| None)[0].contains("[vocabulary]"));
        assert!(check_vocabulary(&v, &["gcp".into()], &[], None).is_ok());
    }

    #[test]
    fn credentials_are_refused_unless_allowed() {
        let text = "key: AKIAIOSFODNN7EXAMPLE";
        let err = guard_secrets(text, "the text", false).unwrap_err();
        assert!(
            err.message().contains("nothing was written"),
            "{}",
            err.message()
        );
        assert!(!err.message().contains("AKIAIOSFODNN7EXAMPLE"));
        assert_eq!(guard_secrets(text, "the text", true).unwrap().len(), 1);
        assert!(
            guard_secrets("plain words", "the text", false)
                .unwrap()
                .is_empty()
        );
    }
}
