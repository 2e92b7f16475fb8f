//! The tools' arguments: the JSON a client sends, with the JSON Schemas `tools/list`
//! publishes (derived from these types: they are the public contract, pinned by a snapshot).
//!
//! Values an agent may get wrong (a provider outside the vocabulary, a confidence level, a
//! scope, a date) are plain strings here and checked by the tool, so that a wrong value is a
//! tool result naming the allowed values. A wrong type or an unknown argument name does not
//! fit the schema: rmcp answers it with an error result quoting serde's message.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};

/// `journal_add`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AddArgs {
    /// One line: what was observed ("sshd races cloud-init on first boot").
    pub title: String,
    /// Markdown: what happened, why, what it cost, what was decided. Multi-line text is fine.
    #[serde(default)]
    pub body: Option<String>,
    /// Cloud providers, from the journal's vocabulary (`journal_vocabulary`).
    #[serde(default, deserialize_with = "one_or_many")]
    pub provider: Vec<String>,
    /// Patterns, from the journal's vocabulary (`journal_vocabulary`).
    #[serde(default, deserialize_with = "one_or_many")]
    pub pattern: Vec<String>,
    /// Kind of observation, from the vocabulary: finding, decision, easy, hard, surprise, ...
    #[serde(default)]
    pub kind: Option<String>,
    /// How sure the pattern is.
    #[serde(default)]
    #[schemars(extend("enum" = ["proven", "needs-testing", "uncertain"]))]
    pub confidence: Option<String>,
    /// The story this belongs to, such as "1.11".
    #[serde(default)]
    pub story: Option<String>,
    /// Evidence commits: any revision git understands (HEAD, a SHA, a branch), or NAME:REV
    /// for a repository listed in journal.toml's `[repos]`.
    #[serde(default, deserialize_with = "one_or_many")]
    pub commits: Vec<String>,
    /// Measured numbers, the unit in the name: {"latency_ms": 23.4}.
    #[serde(default)]
    pub metrics: BTreeMap<String, f64>,
    /// Free tags: {"region": "fsn1"}.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Ids (or unique prefixes) of earlier entries this one replaces: use it when `similar`
    /// or a search shows the same observation, instead of recording a duplicate.
    #[serde(default, deserialize_with = "one_or_many")]
    pub supersedes: Vec<String>,
    /// When it was observed, if not now: RFC 3339, "YYYY-MM-DD HH:MM" (local time) or words
    /// such as "yesterday 15:00".
    #[serde(default)]
    pub at: Option<String>,
}

/// `journal_assess`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessArgs {
    /// The pattern assessed, from the journal's vocabulary (`journal_vocabulary`).
    pub pattern: String,
    /// The provider it is assessed for; left out: every provider without an assessment of
    /// its own.
    #[serde(default)]
    pub provider: Option<String>,
    /// The level the evidence supports.
    #[schemars(extend("enum" = ["proven", "needs-testing", "uncertain"]))]
    pub confidence: String,
    /// Why this level, in Markdown: what was tried, what held, what is still open.
    pub rationale: String,
    /// Evidence commits, as `journal_add`'s `commits`.
    #[serde(default, deserialize_with = "one_or_many")]
    pub commits: Vec<String>,
    /// The story this belongs to, such as "1.11".
    #[serde(default)]
    pub story: Option<String>,
    /// When it was assessed, if not now (as `journal_add`'s `at`).
    #[serde(default)]
    pub at: Option<String>,
}

/// The filters `journal_search` and `journal_list` share.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct FilterArgs {
    /// Only entries naming one of these providers.
    #[serde(default, deserialize_with = "one_or_many")]
    pub provider: Vec<String>,
    /// Only entries naming one of these patterns.
    #[serde(default, deserialize_with = "one_or_many")]
    pub pattern: Vec<String>,
    /// Only entries of this kind.
    #[serde(default)]
    pub kind: Option<String>,
    /// Only entries stating this confidence.
    #[serde(default)]
    #[schemars(extend("enum" = ["proven", "needs-testing", "uncertain"]))]
    pub confidence: Option<String>,
    /// Only entries of this story.
    #[serde(default)]
    pub story: Option<String>,
    /// Only entries recorded by this agent (its name; any version).
    #[serde(default)]
    pub agent: Option<String>,
    /// Only entries with all of these tags: {"region": "fsn1"}.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
    /// Only entries observed at or after this moment (RFC 3339, a date, or words such as
    /// "last monday").
    #[serde(default)]
    pub since: Option<String>,
    /// Only entries observed at or before this moment (a date alone includes that day).
    #[serde(default)]
    pub until: Option<String>,
}

/// `journal_search`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchArgs {
    /// Words (stemmed, and as written: identifiers by their parts, addresses and paths as
    /// typed), "a phrase", AND / OR / NOT, field:value (title, body, tag, provider, pattern,
    /// kind, confidence, story, author), prefix*, word~ (within two typos). A word without a
    /// field searches title, body, tags, provider, pattern and kind. May be left out when a
    /// filter is given.
    #[serde(default)]
    pub query: Option<String>,
    /// Let every word match within two typos (one for words under five letters).
    #[serde(default)]
    pub fuzzy: bool,
    /// The filters.
    #[serde(flatten)]
    pub filters: FilterArgs,
    /// At most this many hits (1 to 200, default 20; fewer when they would pass 100 KB).
    #[serde(default = "default_limit")]
    pub limit: usize,
    /// The `next_cursor` of a previous result, for the next page.
    #[serde(default)]
    pub cursor: Option<String>,
    /// What to search: the entries (default), the evidence commits, or both.
    #[serde(default)]
    #[schemars(extend("enum" = ["entries", "commits", "all"]))]
    pub scope: Option<String>,
}

/// `journal_list`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListArgs {
    /// The filters.
    #[serde(flatten)]
    pub filters: FilterArgs,
    /// At most this many entries, newest first (1 to 200, default 20; fewer when they would
    /// pass 100 KB).
    #[serde(default = "default_limit")]
    pub limit: usize,
    /// The `next_cursor` of a previous result, for the next page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// `journal_show`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowArgs {
    /// The entry's id, or any unique prefix of it.
    pub id: String,
}

/// `journal_coverage`'s arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CoverageArgs {
    /// Only the entries of this story (all entries when left out).
    #[serde(default)]
    pub story: Option<String>,
    /// At most this many items in each list (1 to 200, default 20); `counts` says how many
    /// there are in all.
    #[serde(default = "default_limit")]
    pub limit: usize,
}

/// `journal_review`'s arguments.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewArgs {
    /// Mark "reviewed up to here" for the operator's git user (what the operator asked
    /// for); left out or false: only say what changed since the last review.
    #[serde(default)]
    pub mark: bool,
}

/// `journal_vocabulary` takes no arguments.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

fn default_limit() -> usize {
    20
}

/// Reads a list, or one string as a list of one: agents often send `"provider": "gcp"`.
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(deserializer)? {
        None => Vec::new(),
        Some(OneOrMany::One(one)) => vec![one],
        Some(OneOrMany::Many(many)) => many,
    })
}

/// Says which field of `tool`'s `arguments` does not fit, and how, when they do not:
/// serde's own message (which rmcp returns) names neither the field of a value of the wrong
/// type nor the field an unknown one was probably meant to be.
pub(crate) fn explain(tool: &str, arguments: &serde_json::Value) -> Option<String> {
    fn check<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Option<String> {
        let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
        let path = error.path().to_string();
        let inner = error.into_inner().to_string();
        let hint = inner
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once('`'))
            .and_then(|(field, rest)| {
                let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
                journal_entry::closest(field, expected).map(|c| format!("; did you mean `{c}`?"))
            })
            .unwrap_or_default();
        Some(if path == "." {
            format!("{inner}{hint}")
        } else {
            format!("argument `{path}`: {inner}{hint}")
        })
    }
    match tool {
        "journal_add" => check::<AddArgs>(arguments),
        "journal_assess" => check::<AssessArgs>(arguments),
        "journal_search" => check::<SearchArgs>(arguments),
        "journal_list" => check::<ListArgs>(arguments),
        "journal_show" => check::<ShowArgs>(arguments),
        "journal_coverage" => check::<CoverageArgs>(arguments),
        "journal_review" => check::<ReviewArgs>(arguments),
        "journal_vocabulary" => check::<NoArgs>(arguments),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_string_is_a_list_of_one_and_unknown_names_are_malformed() {
        let args: AddArgs =
            serde_json::from_str(r#"{"title": "t", "provider": "gcp", "pattern": ["luks"]}"#)
                .unwrap();
        assert_eq!(
            (args.provider, args.pattern),
            (vec!["gcp".into()], vec!["luks".into()])
        );
        let err =
            serde_json::from_str::<AddArgs>(r#"{"title": "t", "providers": ["gcp"]}"#).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `providers`"),
            "{err}"
        );
        let search: SearchArgs = serde_json::from_str(r#"{"story": "1.11"}"#).unwrap();
        assert_eq!(
            (search.limit, search.filters.story.as_deref()),
            (20, Some("1.11"))
        );
        let err = serde_json::from_str::<ListArgs>(r#"{"stories": "1.11"}"#).unwrap_err();
        assert!(err.to_string().contains("stories"), "{err}");
    }
}
