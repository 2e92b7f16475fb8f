//! Dates on the command line: RFC 3339, `YYYY-MM-DD [HH:MM[:SS]]` in local time, or natural
//! language ("yesterday 15:00", "2 hours ago"), relative to a `now` the caller passes in
//! (the library reads no clock). Local time is the system's time zone.

use chrono::{DateTime, Duration, FixedOffset, Local, NaiveDate, NaiveDateTime, TimeZone as _};

/// What a date is for: a date alone as `--until` means the end of that day, otherwise its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// A moment, or the start of a day given alone.
    At,
    /// The end of a day given alone.
    Until,
}

/// Parses `text` relative to `now`. Returns a message listing the accepted forms on failure.
pub fn parse_when(
    text: &str,
    now: DateTime<FixedOffset>,
    bound: Bound,
) -> Result<DateTime<FixedOffset>, String> {
    let text = text.trim();
    if let Ok(date) = DateTime::parse_from_rfc3339(text) {
        return Ok(date);
    }
    for format in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return local(naive, text);
        }
    }
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let midnight = local(day.and_hms_opt(0, 0, 0).unwrap_or_default(), text)?;
        return Ok(match bound {
            Bound::At => midnight,
            // The last instant of that day, so that `date <= until` includes all of it.
            Bound::Until => {
                let next = local(
                    (day + Duration::days(1))
                        .and_hms_opt(0, 0, 0)
                        .unwrap_or_default(),
                    text,
                )?;
                next - Duration::nanoseconds(1)
            }
        });
    }
    let now_local = now.with_timezone(&Local);
    match interim::parse_date_string(text, now_local, interim::Dialect::Uk) {
        Ok(date) => Ok(date.fixed_offset()),
        Err(_) => Err(format!(
            "cannot read `{text}` as a date: use RFC 3339 (2026-11-26T11:59:03+01:00), \
             YYYY-MM-DD, YYYY-MM-DD HH:MM, or words such as \"yesterday 15:00\" or \"2 hours ago\""
        )),
    }
}

/// Parses an optional `since` / `until` value into seconds since the epoch.
pub fn timestamp_option(
    text: Option<&str>,
    now: DateTime<FixedOffset>,
    bound: Bound,
) -> crate::Result<Option<i64>> {
    text.map(|t| parse_when(t, now, bound).map(|d| d.timestamp()))
        .transpose()
        .map_err(crate::Error::refused)
}

fn local(naive: NaiveDateTime, text: &str) -> Result<DateTime<FixedOffset>, String> {
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|d| d.fixed_offset())
        .ok_or_else(|| format!("`{text}` does not exist in the local time zone"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-26T12:00:00+00:00").unwrap()
    }

    #[test]
    fn reads_the_documented_forms() {
        let at = parse_when("2026-11-20T08:30:00+01:00", now(), Bound::At).unwrap();
        assert_eq!(at.to_rfc3339(), "2026-11-20T08:30:00+01:00");
        let at = parse_when("2026-11-20 08:30", now(), Bound::At).unwrap();
        assert_eq!(at.naive_local().to_string(), "2026-11-20 08:30:00");
        let day = parse_when("2026-11-20", now(), Bound::Until).unwrap();
        assert_eq!(
            day.naive_local().to_string(),
            "2026-11-20 23:59:59.999999999"
        );
        let ago = parse_when("2 hours ago", now(), Bound::At).unwrap();
        assert_eq!(ago.timestamp(), now().timestamp() - 7200);
        assert!(parse_when("yesterday 15:00", now(), Bound::At).is_ok());
        assert!(
            parse_when("the day after the release", now(), Bound::At)
                .unwrap_err()
                .contains("RFC 3339")
        );
    }
}
