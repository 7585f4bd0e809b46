//! Errors of channel operations. The rule violations themselves are the
//! rulebook's ([`liaison_rules::RuleViolation`]).

use thiserror::Error;

use crate::engine::{ChannelAnchor, PinError, list_anchors};
use crate::store::StoreError;
use liaison_identity::CredentialError;
use liaison_rules::{ChannelPolicyError, RuleViolation};

/// Errors of the channel engine.
#[derive(Debug, Error)]
#[non_exhaustive]
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
    /// A message from the delivery service could not be parsed.
    #[error("malformed MLS message: {0}")]
    MalformedMessage(String),
    /// openmls refused an operation; `reason` is openmls's description.
    #[error("MLS {operation} failed: {reason}")]
    Mls {
        /// What we were doing.
        operation: &'static str,
        /// openmls's error, rendered.
        reason: String,
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
    pub(crate) fn mls(operation: &'static str, error: impl std::fmt::Display) -> Self {
        Self::Mls {
            operation,
            reason: error.to_string(),
        }
    }
}
