//! The allowed providers, patterns and kinds, and "did you mean" suggestions.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::Confidence;

/// Which vocabulary a value is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VocabularyField {
    /// `provider` values, from `providers`.
    Provider,
    /// `pattern` values, from `patterns`.
    Pattern,
    /// `kind` values, from `kinds`.
    Kind,
}

impl VocabularyField {
    /// Returns the entry field name.
    pub fn field(self) -> &'static str {
        match self {
            Self::Provider => "provider",
            Self::Pattern => "pattern",
            Self::Kind => "kind",
        }
    }
}

/// The values journal.toml allows; confidence levels are fixed and not part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Vocabulary {
    /// Cloud providers.
    pub providers: Vec<String>,
    /// Infrastructure patterns.
    pub patterns: Vec<String>,
    /// Kinds of observation.
    pub kinds: Vec<String>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        let own = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
        Self {
            providers: own(&["hetzner", "gcp"]),
            patterns: own(&[
                "terranix",
                "clan-inventory",
                "service-instances",
                "zerotier",
                "luks",
                "disko",
                "clan-vars",
                "sops-nix",
                "dendritic",
                "flake-parts",
                "special-args",
                "multi-cloud",
            ]),
            kinds: own(&[
                "finding",
                "decision",
                "easy",
                "hard",
                "surprise",
                "limitation",
                "recommendation",
                "alternative",
                "measurement",
                "run",
                "question",
                ASSESSMENT,
            ]),
        }
    }
}

/// A value outside its vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {field} `{value}` ({})", unknown_hint(.value, .allowed))]
pub struct UnknownValue {
    /// The entry field.
    pub field: &'static str,
    /// The value given.
    pub value: String,
    /// The values allowed.
    pub allowed: Vec<String>,
}

impl UnknownValue {
    /// Returns the closest allowed value, if one is close enough to be a likely typo.
    pub fn suggestion(&self) -> Option<&str> {
        closest(&self.value, self.allowed.iter().map(String::as_str))
    }
}

impl Vocabulary {
    /// Returns the allowed values for `field`.
    pub fn allowed(&self, field: VocabularyField) -> &[String] {
        match field {
            VocabularyField::Provider => &self.providers,
            VocabularyField::Pattern => &self.patterns,
            VocabularyField::Kind => &self.kinds,
        }
    }

    /// Checks `value` against the vocabulary of `field`. [`ASSESSMENT`] is always a kind: a
    /// journal.toml written before it existed lists kinds without it.
    pub fn check(&self, field: VocabularyField, value: &str) -> Result<(), UnknownValue> {
        let allowed = self.allowed(field);
        if allowed.iter().any(|a| a == value)
            || (field == VocabularyField::Kind && value == ASSESSMENT)
        {
            return Ok(());
        }
        Err(UnknownValue {
            field: field.field(),
            value: value.to_owned(),
            allowed: allowed.to_vec(),
        })
    }

    /// Checks every vocabulary value of a parsed entry, and the shape of an assessment
    /// ([`assessment_problems`]), returning the problems with their lines.
    pub fn problems(&self, parsed: &crate::ParsedEntry) -> Vec<crate::Problem> {
        let e = &parsed.entry;
        let values = e.provider.iter().map(|v| (VocabularyField::Provider, v));
        let values = values.chain(e.pattern.iter().map(|v| (VocabularyField::Pattern, v)));
        let values = values.chain(e.kind.iter().map(|v| (VocabularyField::Kind, v)));
        let mut problems: Vec<crate::Problem> = values
            .filter_map(|(field, value)| self.check(field, value).err())
            .map(|err| crate::Problem::at(parsed.line_of(err.field), err.field, err.to_string()))
            .collect();
        problems.extend(assessment_problems(parsed));
        problems
    }
}

/// The kind of an assessment: the operator's verdict on one pattern (for one provider, or
/// for all), with the confidence level and its rationale (the body). The newest assessment
/// of a pattern × provider is the level the confidence table states.
pub const ASSESSMENT: &str = "assessment";

/// The problems of an assessment's shape: one pattern, at most one provider, a confidence
/// level and a rationale in the body. None for an entry of another kind.
pub fn assessment_problems(parsed: &crate::ParsedEntry) -> Vec<crate::Problem> {
    let e = &parsed.entry;
    if e.kind.as_deref() != Some(ASSESSMENT) {
        return Vec::new();
    }
    let at = |field: &str, message: &str| {
        crate::Problem::at(
            parsed.line_of(field),
            field,
            format!("an assessment {message}"),
        )
    };
    let mut problems = Vec::new();
    if e.pattern.len() != 1 {
        problems.push(at(
            "pattern",
            &format!("names exactly one pattern, this one {}", e.pattern.len()),
        ));
    }
    if e.provider.len() > 1 {
        problems.push(at(
            "provider",
            &format!(
                "names one provider or none (all), this one {}",
                e.provider.len()
            ),
        ));
    }
    if e.confidence.is_none() {
        // Missing: no line to point at.
        problems.push(crate::Problem {
            line: None,
            field: Some("confidence".to_owned()),
            message: "an assessment states a confidence level".to_owned(),
        });
    }
    if e.body.trim().is_empty() {
        problems.push(crate::Problem::of_file(
            "an assessment gives its rationale in the body, this one is empty",
        ));
    }
    problems
}

/// Returns "allowed: a, b, c; did you mean `b`?" for an unknown value.
fn unknown_hint(value: &str, allowed: &[String]) -> String {
    let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
    hint(value, &allowed)
}

fn hint(value: &str, allowed: &[&str]) -> String {
    let mut text = if allowed.is_empty() {
        "none are configured".to_owned()
    } else {
        format!("allowed: {}", allowed.join(", "))
    };
    if let Some(best) = closest(value, allowed.iter().copied()) {
        text.push_str(&format!("; did you mean `{best}`?"));
    }
    text
}

/// Returns the message for a value outside a fixed set, such as the confidence levels.
pub(crate) fn unknown_message(value: &str, allowed: &[&str]) -> String {
    format!("unknown value `{value}` ({})", hint(value, allowed))
}

/// Returns the candidate closest to `value` when it is a likely typo or abbreviation of it.
pub fn closest<'a>(value: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let value_lower = value.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = if candidate.starts_with(&value_lower) && !value_lower.is_empty() {
            1
        } else {
            strsim::levenshtein(&value_lower, &candidate.to_lowercase())
        };
        let limit = (candidate.chars().count().max(value.chars().count()) / 3).max(2);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

impl fmt::Display for VocabularyField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.field())
    }
}

/// The confidence levels as strings, for messages and completions.
pub fn confidence_levels() -> Vec<&'static str> {
    Confidence::ALL.iter().map(|c| c.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_value() {
        let v = Vocabulary::default();
        let err = v.check(VocabularyField::Provider, "hetzer").unwrap_err();
        assert_eq!(err.suggestion(), Some("hetzner"));
        assert_eq!(
            err.to_string(),
            "unknown provider `hetzer` (allowed: hetzner, gcp; did you mean `hetzner`?)"
        );
        assert_eq!(closest("aws", ["hetzner", "gcp"]), None);
        assert_eq!(closest("zero", ["zerotier", "luks"]), Some("zerotier"));
        assert!(v.check(VocabularyField::Pattern, "luks").is_ok());
    }
}
