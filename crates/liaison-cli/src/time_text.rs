//! Times as text: RFC 3339 in UTC, to the second (`2025-11-26T08:40:12Z`).

use std::time::{SystemTime, UNIX_EPOCH};

use time::OffsetDateTime;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_render_as_utc_seconds() {
        assert_eq!(rfc3339_ms(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_ms(1_764_146_412_999), "2025-11-26T08:40:12Z");
    }

    #[test]
    fn out_of_range_time_falls_back_to_the_epoch() {
        assert_eq!(rfc3339_ms(u64::MAX), "1970-01-01T00:00:00Z");
    }
}
