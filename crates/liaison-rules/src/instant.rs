//! The instant a commit is judged at, and how far it may be from a clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use liaison_proto::{CommitStamp, DecodeError};

use crate::error::RuleViolation;

/// How far a commit's instant may be from the relay's clock when the relay
/// orders it, and ahead of a member's clock when the member reads it.
pub const CLOCK_SKEW: Duration = Duration::from_secs(300);

/// The commit stamp for a commit built at `now` (whole seconds).
pub fn stamp_at(now: SystemTime) -> CommitStamp {
    CommitStamp {
        instant: now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
    }
}

/// The instant a commit states in its authenticated data.
pub fn commit_instant(authenticated_data: &[u8]) -> Result<SystemTime, RuleViolation> {
    let stamp = CommitStamp::decode(authenticated_data).map_err(RuleViolation::MissingStamp)?;
    // Untrusted: an instant past what the platform's clock can hold is
    // refused, not added (`+` would panic).
    UNIX_EPOCH
        .checked_add(Duration::from_secs(stamp.instant))
        .ok_or(RuleViolation::MissingStamp(DecodeError::InvalidValue(
            "commit instant",
        )))
}

/// The relay orders a commit only if its instant is within [`CLOCK_SKEW`]
/// of the relay's clock, either way: so the instant members judge at is
/// close to when the commit was really made.
pub fn check_instant_at_relay(instant: SystemTime, now: SystemTime) -> Result<(), RuleViolation> {
    let distance = match instant.duration_since(now) {
        Ok(ahead) => ahead,
        Err(behind) => behind.duration(),
    };
    within_skew(instant, distance)
}

/// A member reads a commit whose instant is at most [`CLOCK_SKEW`] ahead
/// of its own clock. An instant in the past is normal (a backlog read
/// days later) and is judged as stated.
pub fn check_instant_at_member(instant: SystemTime, now: SystemTime) -> Result<(), RuleViolation> {
    let ahead = instant.duration_since(now).unwrap_or(Duration::ZERO);
    within_skew(instant, ahead)
}

fn within_skew(instant: SystemTime, distance: Duration) -> Result<(), RuleViolation> {
    if distance <= CLOCK_SKEW {
        Ok(())
    } else {
        Err(RuleViolation::InstantOutOfRange {
            instant,
            seconds: distance.as_secs(),
            allowed: CLOCK_SKEW.as_secs(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn relay_allows_the_skew_either_way_and_members_only_ahead() {
        let now = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let skew = CLOCK_SKEW;
        let second = Duration::from_secs(1);
        assert!(check_instant_at_relay(now + skew, now).is_ok());
        assert!(check_instant_at_relay(now - skew, now).is_ok());
        assert!(check_instant_at_relay(now + skew + second, now).is_err());
        assert!(check_instant_at_relay(now - skew - second, now).is_err());
        assert!(check_instant_at_member(now + skew, now).is_ok());
        assert!(check_instant_at_member(now + skew + second, now).is_err());
        // A week-old commit read from a backlog is judged as stated.
        let week = Duration::from_secs(7 * 86_400);
        assert!(check_instant_at_member(now - week, now).is_ok());
    }

    #[test]
    fn the_instant_round_trips_through_the_stamp() {
        let now = UNIX_EPOCH + Duration::from_secs(1_800_000_123);
        let bytes = stamp_at(now).encode();
        assert_eq!(commit_instant(&bytes).unwrap(), now);
        assert!(matches!(
            commit_instant(b""),
            Err(RuleViolation::MissingStamp(_))
        ));
    }

    #[test]
    fn an_instant_past_the_clocks_range_is_refused_not_a_panic() {
        // Found by the `binding` fuzz target.
        let stamp = liaison_proto::CommitStamp { instant: u64::MAX }.encode();
        assert!(matches!(
            commit_instant(&stamp),
            Err(RuleViolation::MissingStamp(_))
        ));
    }
}
