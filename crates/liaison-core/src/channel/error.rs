//! Errors of channel operations. The rule violations themselves are the
//! rulebook's ([`liaison_rules::RuleViolation`]).

use thiserror::Error;

use crate::engine::{ChannelAnchor, PinError, list_anchors};
use crate::store::StoreError;
use liaison_identity::CredentialError;
use liaison_rules::{ChannelPolicyError, RuleViolation};

/// Errors of the channel engine.
///
/// Not `non_exhaustive`: the desktop runtime maps every variant to what the
/// window shows, and a new variant must fail its build until it is mapped.
#[derive(Debug, Error)]
pub enum EngineError {
    /// A channel rule was broken; nothing was sent or applied.
    #[error("refused: {0}")]
    Rule(#[from] RuleViolation),
    /// The encrypted store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// A database statement failed.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// No channel with this identifier in this profile.
    #[error("unknown channel")]
    UnknownChannel,
    /// The channel is archived, or we are no longer a member.
    #[error("the channel is read-only (archived, left or removed)")]
    ReadOnly,
    /// No stored message with this identifier.
    #[error("no message {0} in this profile")]
    UnknownMessage(String),
    /// No member with this officer identifier.
    #[error("{0} is not a member of this channel")]
    UnknownMember(String),
    /// The profile has no identity yet.
    #[error("no profile in this store")]
    NoProfile,
    /// Our own credential does not verify against the channel's anchors.
    #[error("own credential refused: {0}")]
    OwnCredential(CredentialError),
    /// The policy given is invalid.
    #[error("invalid channel policy: {0}")]
    Policy(#[from] ChannelPolicyError),
    /// Bytes from outside (the delivery service, a peer, an archive) are
    /// not what they claim to be: the peer sent garbage.
    #[error("malformed MLS message: {0}")]
    MalformedMessage(String),
    /// Our own store holds a value this code cannot read: corruption, or a
    /// store written by a newer version. Distinct from
    /// [`EngineError::MalformedMessage`]: nobody outside sent it.
    #[error("the local store is inconsistent: {0}")]
    CorruptStore(String),
    /// openmls (or the randomness it draws on) refused an operation; the
    /// source is openmls's own error, kept for the logs.
    #[error("MLS {operation} failed: {source}")]
    Mls {
        /// What we were doing.
        operation: &'static str,
        /// openmls's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A commit of ours is waiting for the delivery service's answer.
    #[error("a commit is already pending in this channel")]
    CommitPending,
    /// The message was already received (same bytes or same relay position).
    #[error("duplicate delivery ignored")]
    Duplicate,
    /// The channel trusts partner authorities this profile has not pinned:
    /// it is not joined without the officer's confirmation. Nothing was
    /// consumed (`Engine::join` rolled back); `sync` holds such a Welcome
    /// as an invitation.
    #[error(
        "channel {channel:?} trusts partner authorities not pinned on this profile: {}",
        list_anchors(anchors)
    )]
    UnpinnedAuthorities {
        /// The channel's name, as its policy gives it.
        channel: String,
        /// Its anchors not pinned here, each with its name and fingerprint.
        anchors: Vec<ChannelAnchor>,
    },
    /// A change to the pinned authorities, or a decision on an invitation,
    /// was refused.
    #[error(transparent)]
    Pinning(#[from] PinError),
}

impl EngineError {
    pub(crate) fn mls(
        operation: &'static str,
        error: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Self::Mls {
            operation,
            source: error.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use super::*;

    #[test]
    fn an_mls_failure_keeps_the_error_it_wraps_as_its_source() {
        let inner = std::io::Error::other("tree broken");
        let error = EngineError::mls("merging commit", inner);
        let source = error.source().map(ToString::to_string);
        assert!(
            source.as_deref().is_some_and(|s| s.contains("tree broken")),
            "{source:?}"
        );
        assert!(error.to_string().starts_with("MLS merging commit failed: "));
    }

    #[test]
    fn garbage_from_outside_and_a_corrupt_store_are_told_apart() {
        let peer = EngineError::MalformedMessage("not a Welcome".into());
        let ours = EngineError::CorruptStore("outbox kind x".into());
        assert!(peer.to_string().starts_with("malformed MLS message"));
        assert!(
            ours.to_string()
                .starts_with("the local store is inconsistent")
        );
    }
}
