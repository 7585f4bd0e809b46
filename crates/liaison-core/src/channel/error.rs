//! Errors of channel operations, and the rule violations every member
//! reports when a message or commit breaks the channel's rules.

use liaison_proto::DecodeError;
use thiserror::Error;

use super::policy::ChannelPolicyError;
use crate::labels::{LabelError, NotAdmitted};
use crate::store::StoreError;
use liaison_identity::CredentialError;

/// A broken channel rule (DESIGN.md, "the rules every client enforces").
/// The same variants are used on send and on receipt.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RuleViolation {
    /// Rule 1: the message's label is not dominated by the channel ceiling.
    #[error("label {label} is above the channel ceiling {ceiling}")]
    AboveCeiling {
        /// The message's marking.
        label: String,
        /// The ceiling's marking.
        ceiling: String,
    },
    /// Rule 2: the officer's clearance or nationality does not fit the ceiling.
    #[error("{officer} may not join: {reason}")]
    NotAdmitted {
        /// The refused officer.
        officer: String,
        /// Why.
        reason: NotAdmitted,
    },
    /// Rule 3: a policy change leaves a member who no longer complies.
    #[error("the policy change leaves {officer} in the channel, who no longer complies")]
    TighteningIncomplete {
        /// The non-compliant member that the commit should have removed.
        officer: String,
    },
    /// Rule 4: the label is malformed or of an unknown policy.
    #[error("invalid label: {0}")]
    InvalidLabel(#[from] LabelError),
    /// Rule 4: the label belongs to another label policy than the channel's.
    #[error("label policy {found} differs from the channel's {expected}")]
    ForeignLabelPolicy {
        /// The channel's label policy.
        expected: String,
        /// The message's label policy.
        found: String,
    },
    /// Rule 5: the authenticated data does not match the signed envelope.
    #[error("the label binding in the authenticated data does not match the envelope")]
    BindingMismatch,
    /// Rule 6: a reply, quote or forward is labelled below its source.
    #[error("a {kind} must carry at least its source's label {source_label}")]
    InheritanceBroken {
        /// "reply", "quote" or "forward".
        kind: &'static str,
        /// The source's marking.
        source_label: String,
    },
    /// Rule 9: a non-admin tried an admin action.
    #[error("{officer} is not an admin of this channel and may not {action}")]
    NotAdmin {
        /// The officer who tried.
        officer: String,
        /// What they tried.
        action: &'static str,
    },
    /// A credential does not verify against the channel's trust anchors.
    #[error("credential of {officer} refused: {error}")]
    Credential {
        /// The officer named in the certificate, or "unknown".
        officer: String,
        /// The verification failure.
        error: CredentialError,
    },
    /// A member's leaf changed to another officer's credential.
    #[error("a member tried to change its identity from {from} to {to}")]
    IdentityChanged {
        /// The identity before.
        from: String,
        /// The identity claimed after.
        to: String,
    },
    /// Two members would share one officer identifier from different authorities.
    #[error("officer id {0} is already used by a member of another authority")]
    AmbiguousOfficerId(String),
    /// The envelope's signature does not verify with the sender's certificate key.
    #[error("the envelope signature does not verify")]
    BadEnvelopeSignature,
    /// The application payload or envelope is malformed.
    #[error("malformed payload: {0}")]
    MalformedPayload(#[from] DecodeError),
    /// A policy change carries an invalid policy.
    #[error("invalid channel policy: {0}")]
    InvalidPolicy(#[from] ChannelPolicyError),
    /// A proposal type Liaison channels never accept (PSK, ReInit, external, custom).
    #[error("{0} proposals are not allowed in Liaison channels")]
    ForbiddenProposal(&'static str),
    /// A message from outside the group (external sender or external commit).
    #[error("messages from non-members are not accepted")]
    ExternalSender,
}

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
}

impl EngineError {
    pub(crate) fn mls(operation: &'static str, error: impl std::fmt::Display) -> Self {
        Self::Mls {
            operation,
            reason: error.to_string(),
        }
    }
}
