//! Times as text: RFC 3339 in UTC, to the second (`2025-11-26T08:40:12Z`).

use std::time::{SystemTime, UNIX_EPOCH};

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::error::CliError;

/// An `OffsetDateTime` in RFC 3339, UTC, whole seconds.
pub(crate) fn rfc3339(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// Milliseconds since the Unix epoch in RFC 3339 (the epoch itself for a
/// value no calendar holds).
pub(crate) fn rfc3339_ms(ms: u64) -> String {
    let at = i128::from(ms)
        .checked_mul(1_000_000)
        .and_then(|nanos| OffsetDateTime::from_unix_timestamp_nanos(nanos).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    rfc3339(at)
}

/// A `SystemTime` in RFC 3339.
pub(crate) fn rfc3339_system(at: SystemTime) -> String {
    let ms = at
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0);
    rfc3339_ms(ms)
}

/// Reads a time the user typed: `YYYY-MM-DD` (the start of that day, or
/// its last millisecond with `end_of_day`) or `YYYY-MM-DDTHH:MM:SSZ`, UTC.
/// Returns Unix milliseconds.
pub(crate) fn parse_time(text: &str, end_of_day: bool) -> Result<u64, CliError> {
    let bad = || {
        CliError::Usage(format!(
            "{text:?} is not a time: write YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)"
        ))
    };
    let number = |part: Option<&str>| -> Result<u32, CliError> {
        part.filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse().ok())
            .ok_or_else(bad)
    };
    let (day, clock) = match text.split_once('T') {
        Some((day, clock)) => (day, Some(clock.strip_suffix('Z').ok_or_else(bad)?)),
        None => (text, None),
    };
    let mut fields = day.split('-');
    let year = i32::try_from(number(fields.next())?).map_err(|_| bad())?;
    let month = u8::try_from(number(fields.next())?).map_err(|_| bad())?;
    let date_day = u8::try_from(number(fields.next())?).map_err(|_| bad())?;
    if fields.next().is_some() {
        return Err(bad());
    }
    let date = Month::try_from(month)
        .ok()
        .and_then(|m| Date::from_calendar_date(year, m, date_day).ok())
        .ok_or_else(bad)?;
    let time = match clock {
        Some(clock) => {
            let mut fields = clock.split(':');
            let h = u8::try_from(number(fields.next())?).map_err(|_| bad())?;
            let m = u8::try_from(number(fields.next())?).map_err(|_| bad())?;
            let s = u8::try_from(number(fields.next())?).map_err(|_| bad())?;
            if fields.next().is_some() {
                return Err(bad());
            }
            Time::from_hms(h, m, s).map_err(|_| bad())?
        }
        None if end_of_day => Time::from_hms_milli(23, 59, 59, 999).map_err(|_| bad())?,
        None => Time::MIDNIGHT,
    };
    let at = PrimitiveDateTime::new(date, time).assume_utc();
    u64::try_from(at.unix_timestamp_nanos() / 1_000_000).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn milliseconds_render_as_utc_seconds() {
        assert_eq!(rfc3339_ms(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_ms(1_764_146_412_999), "2025-11-26T08:40:12Z");
    }

    #[test]
    fn typed_dates_and_times_parse_as_utc() {
        assert_eq!(
            parse_time("2025-11-26T08:40:12Z", false).unwrap(),
            1_764_146_412_000
        );
        assert_eq!(parse_time("1970-01-02", false).unwrap(), 86_400_000);
        assert_eq!(parse_time("1970-01-01", true).unwrap(), 86_399_999);
        for bad in [
            "2025-13-01",
            "2025-11-26T08:40:12",
            "yesterday",
            "2025-11",
            "1969-12-31",
            "+2025-01-01",
        ] {
            assert!(parse_time(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn out_of_range_time_falls_back_to_the_epoch() {
        assert_eq!(rfc3339_ms(u64::MAX), "1970-01-01T00:00:00Z");
    }
}
