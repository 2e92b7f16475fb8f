//! Entry ids: `YYYYMMDDTHHMMSSZ-<slug>`, so that ids sort by time and say what they are about.

use chrono::{DateTime, TimeZone, Utc};

/// Longest slug kept from a title, in bytes; cut at a word boundary.
const MAX_SLUG: usize = 48;

/// Returns the id for an entry observed at `date` with `title`. `attempt` 1 gives the plain id;
/// attempts 2, 3, … append `-2`, `-3`, … for entries that share the second and the title.
pub fn entry_id<Tz: TimeZone>(date: &DateTime<Tz>, title: &str, attempt: u32) -> String {
    let stamp = date.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ");
    let slug = slug(title);
    match attempt {
        0 | 1 => format!("{stamp}-{slug}"),
        n => format!("{stamp}-{slug}-{n}"),
    }
}

/// Returns a lowercase ASCII slug of `title`: words joined by `-`, at most 48 bytes, `entry`
/// when nothing is left.
pub fn slug(title: &str) -> String {
    let mut slug = String::new();
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let extra = usize::from(!slug.is_empty()) + word.len();
        if slug.len() + extra > MAX_SLUG {
            if slug.is_empty() {
                slug.push_str(&word[..MAX_SLUG].to_ascii_lowercase());
            }
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    if slug.is_empty() {
        "entry".to_owned()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    #[test]
    fn ids_use_utc_and_a_slug() {
        let date = FixedOffset::east_opt(3600)
            .and_then(|tz| tz.with_ymd_and_hms(2026, 11, 26, 11, 59, 3).single())
            .unwrap();
        assert_eq!(
            entry_id(&date, "LUKS unlock over SSH works!", 1),
            "20261126T105903Z-luks-unlock-over-ssh-works"
        );
        assert_eq!(entry_id(&date, "LUKS", 3), "20261126T105903Z-luks-3");
    }

    #[test]
    fn slugs_are_short_and_never_empty() {
        assert_eq!(slug("Ünïcode only ✓"), "n-code-only");
        assert_eq!(slug("✓✓✓"), "entry");
        let long = slug(&"word ".repeat(40));
        assert!(long.len() <= MAX_SLUG && !long.ends_with('-'), "{long}");
        assert_eq!(slug(&"x".repeat(100)).len(), MAX_SLUG);
    }
}
