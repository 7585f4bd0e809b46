//! The authenticated data of a commit: the instant at which every member
//! and the relay judge the credentials the commit touches.
//!
//! Certificates expire and are revoked while a channel lives. If each
//! member judged a commit at its own clock, a member reading a backlog
//! after a certificate expired would refuse a commit that the others
//! merged, and the channel would split for good. So the committer states
//! one instant, signed with the commit (the MLS `authenticated_data`), the
//! relay refuses an instant far from its own clock, and everyone judges
//! the commit at that instant. Layout in `docs/wire-format.md`.

use crate::codec::{DecodeError, Reader, Writer};

/// Current version of the [`CommitStamp`] encoding.
pub const COMMIT_STAMP_VERSION: u8 = 1;

/// What a Liaison commit carries in its MLS authenticated data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitStamp {
    /// Seconds since the Unix epoch at which the commit is judged.
    pub instant: u64,
}

impl CommitStamp {
    /// The canonical encoding: version (1 byte), then the instant (u64, big-endian).
    pub fn encode(&self) -> Vec<u8> {
        let mut writer = Writer::new();
        writer.u8(COMMIT_STAMP_VERSION).u64(self.instant);
        writer.into_bytes()
    }

    /// Decodes untrusted bytes; refuses other versions and trailing bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(bytes);
        let version = reader.u8("commit stamp version")?;
        if version != COMMIT_STAMP_VERSION {
            return Err(DecodeError::UnsupportedVersion {
                what: "commit stamp",
                version,
            });
        }
        let instant = reader.u64("commit instant")?;
        reader.finish()?;
        Ok(Self { instant })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn round_trips_and_refuses_other_versions_and_trailing_bytes() {
        let stamp = CommitStamp {
            instant: 1_800_000_000,
        };
        let bytes = stamp.encode();
        assert_eq!(bytes.len(), 9);
        assert_eq!(CommitStamp::decode(&bytes).unwrap(), stamp);
        let mut other = bytes.clone();
        other[0] = 2;
        assert!(matches!(
            CommitStamp::decode(&other),
            Err(DecodeError::UnsupportedVersion { version: 2, .. })
        ));
        let mut long = bytes.clone();
        long.push(0);
        assert!(matches!(
            CommitStamp::decode(&long),
            Err(DecodeError::TrailingBytes(1))
        ));
        assert!(matches!(
            CommitStamp::decode(&bytes[..5]),
            Err(DecodeError::Truncated(_))
        ));
        assert!(CommitStamp::decode(&[]).is_err());
    }
}
