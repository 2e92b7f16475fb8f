//! Bounded results: a `limit` (1 to [`MAX_LIMIT`], default 20), an opaque `cursor` for the
//! next page, and a byte budget so that no result grows past what an agent's context can
//! take, however large the journal.

use journal_lib::Error;
use serde::Serialize;

/// The most items one call returns.
pub(crate) const MAX_LIMIT: usize = 200;

/// The most bytes of items one call returns. A result carries them twice (as structured
/// content and as its text), escaped once more in the text: 100 KB keeps it under 256 KB.
pub(crate) const BUDGET: usize = 100 * 1024;

/// Checks a `limit` argument.
pub(crate) fn limit(limit: usize) -> Result<usize, Error> {
    if (1..=MAX_LIMIT).contains(&limit) {
        Ok(limit)
    } else {
        Err(Error::refused(format!(
            "limit {limit} is out of range: give 1 to {MAX_LIMIT}"
        ))
        .hint("pass the `next_cursor` of a result as `cursor` for the next page"))
    }
}

/// Reads a `cursor` argument: the offset a previous result gave.
pub(crate) fn offset(cursor: Option<&str>) -> Result<usize, Error> {
    match cursor {
        None | Some("") => Ok(0),
        Some(text) => text
            .strip_prefix("o")
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| {
                Error::refused("cursor is not one this server gave: pass `next_cursor` as it came")
            }),
    }
}

/// Keeps the leading `items` that fit in [`BUDGET`] (at least one); returns them and whether
/// some were cut.
pub(crate) fn within_budget<T: Serialize>(items: Vec<T>) -> (Vec<T>, bool) {
    let mut used = 0;
    let mut kept = Vec::with_capacity(items.len());
    let total = items.len();
    for item in items {
        let size = serde_json::to_string(&item).map_or(0, |s| s.len());
        if !kept.is_empty() && used + size > BUDGET {
            break;
        }
        used += size;
        kept.push(item);
    }
    let cut = kept.len() < total;
    (kept, cut)
}

/// The cursor of the page after `offset + shown` items.
pub(crate) fn cursor(offset: usize, shown: usize) -> String {
    format!("o{}", offset + shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_cursors_and_the_budget() {
        assert!(limit(0).is_err() && limit(201).is_err());
        assert_eq!(limit(20).unwrap(), 20);
        assert_eq!(offset(None).unwrap(), 0);
        assert_eq!(offset(Some(&cursor(20, 20))).unwrap(), 40);
        assert!(offset(Some("40")).is_err());
        let big = vec!["x".repeat(60 * 1024); 5];
        let (kept, cut) = within_budget(big);
        assert_eq!(kept.len(), 1);
        assert!(cut);
    }
}
