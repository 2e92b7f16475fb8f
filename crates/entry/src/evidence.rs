//! Evidence commits: a full SHA, optionally in another configured repository (`NAME:<sha>`).

use std::fmt;
use std::str::FromStr;

/// A commit cited as evidence for an entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Evidence {
    /// The `[repos.NAME]` it lives in; `None` for the journal's own repository.
    pub repo: Option<String>,
    /// The full commit id, lowercase hex (40 characters for SHA-1, 64 for SHA-256).
    pub sha: String,
}

impl Evidence {
    /// Returns evidence in the journal's own repository.
    pub fn local(sha: impl Into<String>) -> Self {
        Self {
            repo: None,
            sha: sha.into(),
        }
    }
}

/// Returns whether `s` is a full commit id: 40 or 64 lowercase hex digits.
/// Seconds a commit may be newer than the entry citing it (the clocks of two machines).
pub const CLOCK_SKEW_S: i64 = 300;

/// The one rule for late evidence: a commit made (committer time `commit_time`, seconds
/// since the epoch) more than [`CLOCK_SKEW_S`] after the observation it supports, dated
/// `entry_date`. Returns the commit's time as messages show it (`2026-10-08 09:20 UTC`).
pub fn made_after(
    entry_date: &chrono::DateTime<chrono::FixedOffset>,
    commit_time: i64,
) -> Option<String> {
    (commit_time > entry_date.timestamp() + CLOCK_SKEW_S).then(|| {
        chrono::DateTime::from_timestamp(commit_time, 0)
            .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default()
    })
}

pub fn is_full_sha(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Returns whether `s` can name a configured repository (or anything else named in
/// journal.toml that must be safe in `NAME:` forms and file names): letters, digits, `-`, `_`, `.`.
pub fn is_repo_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repo {
            Some(repo) => write!(f, "{repo}:{}", self.sha),
            None => f.write_str(&self.sha),
        }
    }
}

impl FromStr for Evidence {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (repo, sha) = match s.rsplit_once(':') {
            Some((repo, sha)) if is_repo_name(repo) => (Some(repo.to_owned()), sha),
            Some(_) => return Err(format!("`{s}` is not `[NAME:]<full sha>`")),
            None => (None, s),
        };
        if !is_full_sha(sha) {
            return Err(format!(
                "`{s}` is not a full commit id (40 or 64 lowercase hex digits, optionally \
                 prefixed by `NAME:` for a repository in journal.toml)"
            ));
        }
        Ok(Self {
            repo,
            sha: sha.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_local_and_remote_evidence() {
        let sha = "9f1c2e7b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f";
        assert_eq!(sha.parse::<Evidence>(), Ok(Evidence::local(sha)));
        let remote: Evidence = format!("test-clan:{sha}").parse().unwrap();
        assert_eq!(remote.repo.as_deref(), Some("test-clan"));
        assert_eq!(remote.to_string(), format!("test-clan:{sha}"));
        assert!("HEAD".parse::<Evidence>().is_err());
        assert!("9f1c2e7".parse::<Evidence>().is_err());
    }
}

#[cfg(test)]
mod late_tests {
    use super::made_after;

    #[test]
    fn evidence_is_late_beyond_the_clock_skew_only() {
        let date = chrono::DateTime::parse_from_rfc3339("2026-10-08T11:00:00+02:00").unwrap();
        let at = date.timestamp();
        assert_eq!(made_after(&date, at + 300), None, "within the skew");
        assert_eq!(made_after(&date, at - 3600), None);
        assert_eq!(
            made_after(&date, at + 301).as_deref(),
            Some("2026-10-08 09:05 UTC")
        );
    }
}
