//! Conversions between the clocks of std, X.509 and the crates used here.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rustls_pki_types::UnixTime;
use time::OffsetDateTime;

/// Seconds since the Unix epoch; negative before it, saturating far away.
pub(crate) fn unix_seconds(at: SystemTime) -> i64 {
    match at.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs())
            .map(|s| -s)
            .unwrap_or(i64::MIN),
    }
}

/// The time for rustls-webpki, or `None` before the epoch (before any
/// certificate's notBefore).
pub(crate) fn webpki_time(at: SystemTime) -> Option<UnixTime> {
    at.duration_since(UNIX_EPOCH)
        .ok()
        .map(UnixTime::since_unix_epoch)
}

/// The time for rcgen, or `None` outside the years X.509 can encode
/// (rcgen writes UTCTime or GeneralizedTime; `time` stops at 9999).
pub(crate) fn offset_date_time(at: SystemTime) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(unix_seconds(at)).ok()
}

/// A certificate time (seconds since the epoch) as a `SystemTime`; the
/// epoch itself if the platform cannot represent it.
pub(crate) fn system_time(unix: i64) -> SystemTime {
    let shifted = match u64::try_from(unix) {
        Ok(after) => UNIX_EPOCH.checked_add(Duration::from_secs(after)),
        Err(_) => UNIX_EPOCH.checked_sub(Duration::from_secs(unix.unsigned_abs())),
    };
    shifted.unwrap_or(UNIX_EPOCH)
}
