//! Reading entry files: splitting the front matter into top-level keys, then typing each value.
//!
//! Each key is parsed on its own so that every problem carries the line of its key, unknown
//! keys can be kept byte for byte, and one bad value does not hide the others.

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};
use serde::de::DeserializeOwned;

use crate::error::{EntryError, Problem};
use crate::evidence::{Evidence, is_full_sha};
use crate::model::{Confidence, Entry, ExtraField};

/// An entry read from a file, with the line of each front-matter key for later checks.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedEntry {
    /// The entry.
    pub entry: Entry,
    /// 1-based line of each front-matter key present in the file.
    pub lines: BTreeMap<String, usize>,
    /// What was read in a form the tool does not write and taken as meant (a date without an
    /// offset as local time, a short commit id to be expanded by the store): `check` says so
    /// and `check --fix` rewrites the file in the canonical form.
    pub normalized: Vec<Problem>,
}

impl ParsedEntry {
    /// Returns the line of `key`, or the line of the opening `---` when the key is absent.
    pub fn line_of(&self, key: &str) -> usize {
        self.lines.get(key).copied().unwrap_or(1)
    }
}

/// One top-level key of the front matter and its raw value text.
struct RawField<'a> {
    key: &'a str,
    line: usize,
    /// The value: the rest of the key line, then any continuation lines.
    value: String,
    /// The key's lines verbatim, each ending in `\n`.
    raw: String,
}

/// Parses an entry file. `file_id` is the file stem when the text comes from
/// `<entries>/YYYY/MM/<id>.md`: the id when the front matter has none, and the id it must have
/// otherwise. All problems found are returned together, in file order.
pub fn parse_entry(text: &str, file_id: Option<&str>) -> Result<ParsedEntry, EntryError> {
    let (front, body, body_line) = split(text)?;
    let fields = split_fields(front)?;
    let mut problems = Vec::new();
    let mut lines = BTreeMap::new();
    let mut b = Builder::default();
    for field in fields {
        if lines.insert(field.key.to_owned(), field.line).is_some() {
            problems.push(Problem::at(field.line, field.key, "duplicate key"));
            continue;
        }
        if let Err(message) = b.set(&field) {
            problems.push(Problem::at(field.line, field.key, message));
        }
    }
    if let (Some(id), Some(stem)) = (&b.id, file_id)
        && id != stem
    {
        problems.push(Problem::at(
            lines.get("id").copied().unwrap_or(2),
            "id",
            format!("`{id}` does not match the file name `{stem}.md`"),
        ));
    }
    let id = b.id.take().or_else(|| file_id.map(str::to_owned));
    for (key, missing) in [
        ("id", id.is_none()),
        ("date", b.date.is_none()),
        ("title", b.title.is_none()),
    ] {
        if missing && !problems.iter().any(|p| p.field.as_deref() == Some(key)) {
            problems.push(Problem {
                line: Some(body_line.saturating_sub(1)),
                field: Some(key.to_owned()),
                message: "required field is missing".to_owned(),
            });
        }
    }
    // Without problems, id, date and title are all present (each missing one is a problem):
    // the placeholders only ever fill the partial entry of a bad file.
    let entry = Entry {
        id: id.unwrap_or_default(),
        date: b.date.unwrap_or_default(),
        title: b.title.take().unwrap_or_default(),
        author: b.author,
        host: b.host,
        agent: b.agent,
        provider: b.provider,
        pattern: b.pattern,
        confidence: b.confidence,
        kind: b.kind,
        story: b.story,
        commits: b.commits,
        supersedes: b.supersedes,
        head: b.head,
        // (Read as ordered maps, a repeated key's last value winning; kept compact.)
        tags: b.tags.into_iter().collect(),
        metrics: b.metrics.into_iter().collect(),
        extra: b.extra,
        body: body.to_owned(),
    };
    if !problems.is_empty() {
        return Err(EntryError {
            problems,
            partial: crate::error::Partial(Some(Box::new(ParsedEntry {
                entry,
                lines,
                normalized: b.normalized,
            }))),
        });
    }
    Ok(ParsedEntry {
        entry,
        lines,
        normalized: b.normalized,
    })
}

/// Splits the file into front matter text, body text and the body's first line number.
fn split(text: &str) -> Result<(&str, &str, usize), EntryError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let missing = || {
        EntryError::single(Problem {
            line: Some(1),
            field: None,
            message: "missing front matter: the file must start with a `---` line".to_owned(),
        })
    };
    let first_end = text.find('\n').ok_or_else(missing)?;
    if text[..first_end].trim_end() != "---" {
        return Err(missing());
    }
    let front_start = first_end + 1;
    let mut pos = front_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "---" {
            return Ok((&text[front_start..pos], &text[end..], line + 1));
        }
        pos = end;
        line += 1;
    }
    Err(EntryError::single(Problem {
        line: Some(line - 1),
        field: None,
        message: "front matter is not closed: add a `---` line after the last field".to_owned(),
    }))
}

fn split_fields(front: &str) -> Result<Vec<RawField<'_>>, EntryError> {
    let mut fields: Vec<RawField<'_>> = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in front.split_inclusive('\n').enumerate() {
        let number = i + 2;
        let content = line.trim_end_matches(['\n', '\r']);
        let continuation = content.is_empty()
            || content.starts_with([' ', '\t', '#'])
            || content == "-"
            || content.starts_with("- ");
        if continuation {
            match fields.last_mut() {
                Some(field) => {
                    field.value.push('\n');
                    field.value.push_str(content);
                    field.raw.push_str(line);
                    if !line.ends_with('\n') {
                        field.raw.push('\n');
                    }
                }
                None if content.trim().is_empty() || content.starts_with('#') => {}
                None => problems.push(Problem {
                    line: Some(number),
                    field: None,
                    message: "indented line before the first key".to_owned(),
                }),
            }
            continue;
        }
        let split_at = content
            .find(": ")
            .or_else(|| content.strip_suffix(':').map(str::len));
        let Some(colon) = split_at.filter(|&c| c > 0) else {
            problems.push(Problem {
                line: Some(number),
                field: None,
                message: format!("expected `key: value`, found `{content}`"),
            });
            continue;
        };
        let mut raw = line.to_owned();
        if !raw.ends_with('\n') {
            raw.push('\n');
        }
        fields.push(RawField {
            key: &content[..colon],
            line: number,
            value: content[colon + 1..].to_owned(),
            raw,
        });
    }
    if problems.is_empty() {
        Ok(fields)
    } else {
        Err(EntryError {
            problems,
            partial: crate::error::Partial::default(),
        })
    }
}

/// Collects typed values as the keys come.
#[derive(Default)]
struct Builder {
    id: Option<String>,
    date: Option<DateTime<FixedOffset>>,
    title: Option<String>,
    author: Option<String>,
    host: Option<String>,
    agent: Option<String>,
    provider: Vec<String>,
    pattern: Vec<String>,
    confidence: Option<Confidence>,
    kind: Option<String>,
    story: Option<String>,
    commits: Vec<Evidence>,
    supersedes: Vec<String>,
    head: Option<String>,
    tags: BTreeMap<String, String>,
    metrics: BTreeMap<String, f64>,
    extra: Vec<ExtraField>,
    normalized: Vec<Problem>,
}

impl Builder {
    fn set(&mut self, field: &RawField<'_>) -> Result<(), String> {
        let v = field.value.as_str();
        match field.key {
            "id" => self.id = Some(id_value(v)?),
            "date" => {
                let (date, local) = date_value(v)?;
                if local {
                    self.normalized.push(Problem::at(
                        field.line,
                        "date",
                        format!("no UTC offset: taken as local time, {}", date.to_rfc3339()),
                    ));
                }
                self.date = Some(date);
            }
            "title" => self.title = Some(required_string(v)?),
            "author" => self.author = string(v)?,
            "host" => self.host = string(v)?,
            "agent" => self.agent = string(v)?,
            "provider" => self.provider = list(v)?,
            "pattern" => self.pattern = list(v)?,
            "confidence" => {
                self.confidence = string(v)?.map(|s| confidence_value(&s)).transpose()?;
            }
            "kind" => self.kind = string(v)?,
            "story" => self.story = string(v)?,
            "commits" => {
                let mut commits = Vec::new();
                for s in list(v)? {
                    match s.parse::<Evidence>() {
                        Ok(evidence) => commits.push(evidence),
                        Err(e) => {
                            let short = short_evidence(&s).ok_or(e)?;
                            self.normalized.push(Problem::at(
                                field.line,
                                "commits",
                                format!("short commit id `{s}`: the full one is written by --fix"),
                            ));
                            commits.push(short);
                        }
                    }
                }
                self.commits = commits;
            }
            "supersedes" => {
                self.supersedes = list(v)?
                    .into_iter()
                    .map(|s| id_value(&s))
                    .collect::<Result<_, _>>()?;
            }
            "head" => self.head = string(v)?.map(|s| sha_value(&s)).transpose()?,
            "tags" => self.tags = tags_value(v)?,
            "metrics" => self.metrics = metrics_value(v)?,
            key => self.extra.push(ExtraField {
                key: key.to_owned(),
                raw: field.raw.clone(),
            }),
        }
        Ok(())
    }
}

fn yaml<T: DeserializeOwned>(value: &str) -> Result<T, String> {
    serde_saphyr::from_str(value).map_err(|e| {
        let text = e.without_snippet().to_string();
        let first = text.lines().next().unwrap_or_default();
        let first = first.strip_prefix("error: ").unwrap_or(first);
        // The location points into the value alone; the caller reports the key's line.
        let message = match first.split_once(": ") {
            Some((place, rest)) if place.starts_with("line ") => rest,
            _ => first,
        };
        match message.rfind(" at line ") {
            Some(at) => message[..at].to_owned(),
            None => message.to_owned(),
        }
    })
}

/// Returns a value that reads the same as a plain YAML scalar without a YAML parser: one line,
/// no quotes, indicators, comments, control characters or null. `flow` (inside `[…]` or
/// `{…}`) also forbids the flow indicators. The tool writes such values almost always, so most
/// files never reach serde-saphyr, which is far slower (reindexing parses every file).
fn simple_plain(text: &str, flow: bool) -> Option<&str> {
    let t = text.trim_matches(' ');
    let first = t.chars().next()?;
    let special = "-?:,[]{}#&*!|>'\"%@`~".contains(first)
        || t.ends_with(':')
        || t.contains(": ")
        || t.contains(" #")
        || t.chars().any(|c| {
            c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
        })
        || (flow && t.contains([',', '[', ']', '{', '}']))
        || matches!(t, "null" | "Null" | "NULL");
    let plain = !special;
    plain.then_some(t)
}

/// Returns the items of a one-line flow collection `[…]` or `{…}` when every item is simple.
fn simple_flow(value: &str, open: char, close: char) -> Option<Vec<&str>> {
    let t = value.trim_matches(' ');
    let inner = t.strip_prefix(open)?.strip_suffix(close)?;
    if inner.contains(['\n', '\r']) {
        return None;
    }
    if inner.trim_matches(' ').is_empty() {
        return Some(Vec::new());
    }
    Some(inner.split(',').collect())
}

/// Returns the text of a one-line quoted scalar with nothing to unescape (`"1.4"`, `'x'`):
/// the writer quotes values that would read as numbers or booleans, such as stories.
fn simple_quoted(text: &str) -> Option<&str> {
    let t = text.trim_matches(' ');
    let inner = t
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|i| !i.contains(['"', '\\']))
        .or_else(|| {
            t.strip_prefix('\'')
                .and_then(|r| r.strip_suffix('\''))
                .filter(|i| !i.contains('\''))
        })?;
    let plain = !inner
        .chars()
        .any(|c| c.is_control() || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'));
    plain.then_some(inner)
}

fn string(value: &str) -> Result<Option<String>, String> {
    if let Some(text) = simple_plain(value, false).or_else(|| simple_quoted(value)) {
        return Ok(Some(text.to_owned()).filter(|s| !s.is_empty()));
    }
    yaml::<Option<String>>(value).map(|s| s.filter(|s| !s.is_empty()))
}

fn required_string(value: &str) -> Result<String, String> {
    string(value)?.ok_or_else(|| "must not be empty".to_owned())
}

fn id_value(value: &str) -> Result<String, String> {
    let id = required_string(value)?;
    if id.contains(['/', '\\']) || id.starts_with('.') || id.chars().any(char::is_whitespace) {
        return Err(format!(
            "`{id}` is not a valid id: no spaces, slashes or leading dot"
        ));
    }
    Ok(id)
}

/// Returns the date, and whether it had no offset and was taken as local time (as `--at`
/// takes `2025-12-03 09:15`; the system's time zone is the one thing read here).
fn date_value(value: &str) -> Result<(DateTime<FixedOffset>, bool), String> {
    let text = required_string(value)?;
    if let Ok(date) = DateTime::parse_from_rfc3339(&text) {
        return Ok((date, false));
    }
    for format in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(naive) = chrono::NaiveDateTime::parse_from_str(text.trim(), format)
            && let Some(local) = naive.and_local_timezone(chrono::Local).earliest()
        {
            return Ok((local.fixed_offset(), true));
        }
    }
    Err(format!(
        "`{text}` is not an RFC 3339 date with a UTC offset (for example \
         2026-11-26T11:59:03+01:00), nor a local YYYY-MM-DD HH:MM"
    ))
}

/// Returns `[NAME:]<short sha>` (7 to 39 hex digits) as evidence to expand.
fn short_evidence(text: &str) -> Option<Evidence> {
    let (repo, sha) = match text.rsplit_once(':') {
        Some((repo, sha)) if crate::is_repo_name(repo) => (Some(repo.to_owned()), sha),
        Some(_) => return None,
        None => (None, text),
    };
    let sha = sha.to_ascii_lowercase();
    ((7..40).contains(&sha.len()) && sha.bytes().all(|b| b.is_ascii_hexdigit()))
        .then_some(Evidence { repo, sha })
}

fn confidence_value(value: &str) -> Result<Confidence, String> {
    value.parse().map_err(|()| {
        let allowed: Vec<&str> = Confidence::ALL.iter().map(|c| c.as_str()).collect();
        crate::vocabulary::unknown_message(value, &allowed)
    })
}

fn sha_value(value: &str) -> Result<String, String> {
    if is_full_sha(value) {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "`{value}` is not a full commit id (40 or 64 lowercase hex digits)"
        ))
    }
}

/// A list, or a single value standing for a list of one.
fn list(value: &str) -> Result<Vec<String>, String> {
    let simple = simple_flow(value, '[', ']').and_then(|items| {
        items
            .into_iter()
            .map(|i| simple_plain(i, true).map(str::to_owned))
            .collect()
    });
    if let Some(items) = simple {
        return Ok(items);
    }
    let trimmed = value.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('-') {
        let items: Option<Vec<Option<String>>> = yaml(value)?;
        let items: Vec<String> = items.unwrap_or_default().into_iter().flatten().collect();
        if items.iter().any(String::is_empty) {
            return Err("list items must not be empty".to_owned());
        }
        Ok(items)
    } else {
        Ok(string(value)?.into_iter().collect())
    }
}

/// Returns the pairs of a one-line flow map whose keys and values are all simple.
fn simple_map(value: &str) -> Option<Vec<(&str, &str)>> {
    simple_flow(value, '{', '}')?
        .into_iter()
        .map(|item| {
            let (key, value) = item.split_once(": ")?;
            Some((simple_plain(key, true)?, simple_plain(value, true)?))
        })
        .collect()
}

fn tags_value(value: &str) -> Result<BTreeMap<String, String>, String> {
    match simple_map(value) {
        Some(pairs) => Ok(pairs
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()),
        None => Ok(yaml::<Option<_>>(value)?.unwrap_or_default()),
    }
}

fn metrics_value(value: &str) -> Result<BTreeMap<String, f64>, String> {
    let simple = simple_map(value).and_then(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| Some((k.to_owned(), v.parse::<f64>().ok()?)))
            .collect()
    });
    let metrics: BTreeMap<String, f64> = match simple {
        Some(metrics) => metrics,
        None => yaml::<Option<_>>(value)?.unwrap_or_default(),
    };
    if let Some((name, _)) = metrics.iter().find(|(_, v)| !v.is_finite()) {
        return Err(format!("metric `{name}` must be a finite number"));
    }
    Ok(metrics)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_reads_what_yaml_reads() {
        for value in [
            " LUKS unlock over SSH works",
            " 1.10",
            " a:b",
            " 2026-11-26T11:59:03+01:00",
            " yes",
            "   spaced out  ",
            " Zoë's café",
            " x#y",
            " 12e3",
        ] {
            let fast = simple_plain(value, false).map(str::to_owned);
            assert_eq!(fast, Some(yaml::<String>(value).unwrap()), "{value:?}");
        }
        for value in [
            " x # comment",
            " 'quoted'",
            " null",
            " ~",
            " a: b",
            " [a]",
            " -x",
            " \u{7}",
        ] {
            assert_eq!(simple_plain(value, false), None, "{value:?}");
        }
        for value in [
            " \"1.4\"",
            " '1.4'",
            " \"a: b # c\"",
            " 'it''s'",
            " \"tab\\there\"",
            " \"\"",
        ] {
            let fast = simple_quoted(value).map(str::to_owned);
            let slow = yaml::<String>(value).unwrap();
            assert!(fast.is_none() || fast == Some(slow), "{value:?}");
        }
        assert_eq!(simple_quoted(" \"1.4\""), Some("1.4"));
        assert_eq!(simple_quoted(" 'it''s'"), None, "needs unescaping");
        assert_eq!(simple_quoted(" \"tab\\there\""), None, "needs unescaping");
        assert_eq!(string(" \"\"").unwrap(), None);
        assert_eq!(list(" [ hetzner , gcp ]").unwrap(), ["hetzner", "gcp"]);
        assert_eq!(list(" []").unwrap(), Vec::<String>::new());
        assert_eq!(list(" [\"a, b\", c]").unwrap(), ["a, b", "c"]);
        assert_eq!(
            tags_value(" {region: fsn1, rack: 12}").unwrap()["rack"],
            "12"
        );
        assert_eq!(
            metrics_value(" {latency_ms: 23.4, n: 1e3}").unwrap()["n"],
            1000.0
        );
    }
}
