//! Throttling wrong unlock secrets (PIN or passphrase), across restarts.
//!
//! `<home>/unlock-attempts.json` counts the wrong secrets since the last
//! unlock and when the last one was typed. The first [`FREE_ATTEMPTS`] cost
//! nothing; each later one makes the officer wait before the next try,
//! twice as long as the one before, at most [`MAX_DELAY`]. There is no
//! lockout that loses data: the wait never grows beyond the cap, and a
//! right secret clears the count. The file holds no secret; deleting it
//! only resets the wait (the key derivation still costs every guess its
//! Argon2id work, and a guesser also needs the keyring secret).

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::error::DeskError;
use super::home::write_atomically;

/// Wrong secrets allowed without any wait.
pub const FREE_ATTEMPTS: u32 = 3;
/// The wait after the first wrong secret past the free ones.
pub const FIRST_DELAY: Duration = Duration::from_secs(30);
/// The longest wait between two tries.
pub const MAX_DELAY: Duration = Duration::from_secs(3600);

/// The record on disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Record {
    failures: u32,
    last_failure_ms: u64,
}

/// The attempts file of one home.
pub(crate) struct Attempts {
    path: PathBuf,
}

impl Attempts {
    /// The attempts file in the data directory `dir`.
    pub(crate) fn new(dir: &Path) -> Self {
        Self {
            path: dir.join("unlock-attempts.json"),
        }
    }

    /// Fails with [`DeskError::TooManyAttempts`] while the wait after the
    /// last wrong secret is not over.
    pub(crate) fn check(&self, now: SystemTime) -> Result<(), DeskError> {
        let record = self.read();
        let wait = delay_after(record.failures);
        if wait.is_zero() {
            return Ok(());
        }
        let last = UNIX_EPOCH + Duration::from_millis(record.last_failure_ms);
        // A clock set back makes the officer wait the whole delay again,
        // never less.
        let waited = now.duration_since(last).unwrap_or(Duration::ZERO);
        match wait.checked_sub(waited) {
            Some(left) if !left.is_zero() => Err(DeskError::TooManyAttempts {
                retry_after_seconds: u32::try_from(
                    left.as_secs()
                        .saturating_add(u64::from(left.subsec_nanos() > 0)),
                )
                .unwrap_or(u32::MAX),
            }),
            _ => Ok(()),
        }
    }

    /// Records a wrong secret typed at `now`.
    pub(crate) fn failed(&self, now: SystemTime) -> Result<(), DeskError> {
        let mut record = self.read();
        record.failures = record.failures.saturating_add(1);
        record.last_failure_ms = now
            .duration_since(UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        let text = serde_json::to_vec(&record)
            .map_err(|_| DeskError::internal("encoding the unlock attempts"))?;
        write_atomically(&self.path, &text)
    }

    /// The wrong secrets typed since the last unlock (the audit log tells
    /// them at the next one).
    pub(crate) fn failures(&self) -> u32 {
        self.read().failures
    }

    /// Clears the count after a right secret.
    pub(crate) fn succeeded(&self) -> Result<(), DeskError> {
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(DeskError::io("clearing the unlock attempts", &e)),
        }
    }

    /// The record; a missing file is no failures, and a damaged one counts
    /// as the free attempts used up (never as a reset).
    fn read(&self) -> Record {
        match fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or(Record {
                failures: FREE_ATTEMPTS + 1,
                last_failure_ms: 0,
            }),
            Err(_) => Record::default(),
        }
    }
}

/// The wait after `failures` wrong secrets in a row.
pub(crate) fn delay_after(failures: u32) -> Duration {
    let Some(extra) = failures.checked_sub(FREE_ATTEMPTS + 1) else {
        return Duration::ZERO;
    };
    let factor = 1u32.checked_shl(extra.min(16)).unwrap_or(u32::MAX);
    FIRST_DELAY.saturating_mul(factor).min(MAX_DELAY)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_wait_doubles_past_the_free_attempts_up_to_the_cap() {
        assert_eq!(delay_after(0), Duration::ZERO);
        assert_eq!(delay_after(FREE_ATTEMPTS), Duration::ZERO);
        assert_eq!(delay_after(FREE_ATTEMPTS + 1), FIRST_DELAY);
        assert_eq!(delay_after(FREE_ATTEMPTS + 2), FIRST_DELAY * 2);
        assert_eq!(delay_after(FREE_ATTEMPTS + 3), FIRST_DELAY * 4);
        assert_eq!(delay_after(1000), MAX_DELAY);
    }

    #[test]
    fn attempts_survive_a_new_reader_and_clear_on_success() {
        let dir = tempfile::tempdir().unwrap();
        let now = SystemTime::now();
        let attempts = Attempts::new(dir.path());
        for _ in 0..=FREE_ATTEMPTS {
            attempts.check(now).unwrap();
            attempts.failed(now).unwrap();
        }
        // A restart reads the same file.
        let again = Attempts::new(dir.path());
        match again.check(now + Duration::from_secs(1)) {
            Err(DeskError::TooManyAttempts {
                retry_after_seconds,
            }) => assert_eq!(retry_after_seconds, 29),
            other => panic!("expected a wait, got {other:?}"),
        }
        again.check(now + FIRST_DELAY).unwrap();
        again.succeeded().unwrap();
        again.check(now).unwrap();
        assert!(!dir.path().join("unlock-attempts.json").exists());
    }
}
