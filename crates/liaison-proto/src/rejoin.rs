//! A member's request to be added back to a channel it diverged from.
//!
//! A relay that gives members different commits for one epoch splits a
//! channel into branches (detected by the epoch authenticator every message
//! carries). The member who finds itself on a branch the admins do not
//! hold cannot send them anything through the channel: their keys differ.
//! So it asks through the relay, with this request, signed by the same
//! device key as its leaf in the channel. An admin whose own authenticator
//! for that epoch differs re-adds the member (one commit removes the old
//! leaf and adds a fresh key package); an admin holding the same branch
//! declines. Layout in `docs/wire-format.md`.

use crate::codec::{DecodeError, Reader, Writer};
use crate::envelope::{EPOCH_CHECK_LEN, MAX_CONTEXT_GROUP_ID_LEN};

/// Current version of the [`RejoinRequest`] encoding.
pub const REJOIN_REQUEST_VERSION: u8 = 1;
/// Domain separator of the request's signature.
pub const REJOIN_SIGNATURE_CONTEXT: &[u8] = b"liaison rejoin request v1\0";
/// Longest signature accepted (Ed25519 signatures are 64 bytes).
pub const MAX_REJOIN_SIGNATURE_LEN: usize = 128;
/// Longest encoded request a relay stores.
pub const MAX_REJOIN_REQUEST_LEN: usize =
    1 + 4 + MAX_CONTEXT_GROUP_ID_LEN + 8 + 4 + EPOCH_CHECK_LEN + 4 + MAX_REJOIN_SIGNATURE_LEN;

/// What the member asks, before its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejoinClaim {
    /// The channel's MLS group id.
    pub group_id: Vec<u8>,
    /// The epoch at which the member found the channel forked.
    pub epoch: u64,
    /// The member's epoch authenticator for that epoch (truncated as in a
    /// message's binding): the branch it holds.
    pub authenticator: Vec<u8>,
}

impl RejoinClaim {
    /// The bytes the member signs: the context, then the claim's encoding.
    pub fn signing_input(&self) -> Vec<u8> {
        let mut writer = Writer::new();
        writer.raw(REJOIN_SIGNATURE_CONTEXT);
        self.write(&mut writer);
        writer.into_bytes()
    }

    fn write(&self, writer: &mut Writer) {
        writer
            .bytes(&self.group_id)
            .u64(self.epoch)
            .bytes(&self.authenticator);
    }
}

/// A signed [`RejoinClaim`], as the relay keeps it and admins read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejoinRequest {
    /// What is asked.
    pub claim: RejoinClaim,
    /// The member's signature over [`RejoinClaim::signing_input`], by the
    /// signature key of its leaf in the channel.
    pub signature: Vec<u8>,
}

impl RejoinRequest {
    /// The canonical encoding: version (1 byte), group id, epoch (u64),
    /// authenticator, signature (each variable field with a u32 length).
    pub fn encode(&self) -> Vec<u8> {
        let mut writer = Writer::new();
        writer.u8(REJOIN_REQUEST_VERSION);
        self.claim.write(&mut writer);
        writer.bytes(&self.signature);
        writer.into_bytes()
    }

    /// Decodes untrusted bytes; refuses other versions, oversized fields
    /// and trailing bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut reader = Reader::new(bytes);
        let version = reader.u8("rejoin request version")?;
        if version != REJOIN_REQUEST_VERSION {
            return Err(DecodeError::UnsupportedVersion {
                what: "rejoin request",
                version,
            });
        }
        let group_id = reader
            .bytes("rejoin group id", MAX_CONTEXT_GROUP_ID_LEN)?
            .to_vec();
        let epoch = reader.u64("rejoin epoch")?;
        let authenticator = reader
            .bytes("rejoin authenticator", EPOCH_CHECK_LEN)?
            .to_vec();
        let signature = reader
            .bytes("rejoin signature", MAX_REJOIN_SIGNATURE_LEN)?
            .to_vec();
        reader.finish()?;
        Ok(Self {
            claim: RejoinClaim {
                group_id,
                epoch,
                authenticator,
            },
            signature,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn request() -> RejoinRequest {
        RejoinRequest {
            claim: RejoinClaim {
                group_id: vec![7; 16],
                epoch: 42,
                authenticator: vec![9; EPOCH_CHECK_LEN],
            },
            signature: vec![1; 64],
        }
    }

    #[test]
    fn round_trips_within_the_bound_and_refuses_other_versions_and_trailing_bytes() {
        let bytes = request().encode();
        assert!(bytes.len() <= MAX_REJOIN_REQUEST_LEN);
        assert_eq!(RejoinRequest::decode(&bytes).unwrap(), request());
        let mut other = bytes.clone();
        other[0] = 2;
        assert!(matches!(
            RejoinRequest::decode(&other),
            Err(DecodeError::UnsupportedVersion { version: 2, .. })
        ));
        let mut long = bytes.clone();
        long.push(0);
        assert!(matches!(
            RejoinRequest::decode(&long),
            Err(DecodeError::TrailingBytes(1))
        ));
        for cut in 0..bytes.len() {
            assert!(
                RejoinRequest::decode(&bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn the_signing_input_is_bound_to_the_context_and_every_field() {
        let base = request().claim;
        let input = base.signing_input();
        assert!(input.starts_with(REJOIN_SIGNATURE_CONTEXT));
        let mut later = base.clone();
        later.epoch += 1;
        let mut other_group = base.clone();
        other_group.group_id[0] ^= 1;
        let mut other_branch = base.clone();
        other_branch.authenticator[0] ^= 1;
        for changed in [later, other_group, other_branch] {
            assert_ne!(changed.signing_input(), input);
        }
    }
}
