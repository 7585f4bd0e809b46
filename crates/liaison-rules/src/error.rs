//! The rule violations every member, and the relay, report when a message
//! or commit breaks the channel's rules.

use std::time::SystemTime;

use liaison_proto::DecodeError;
use thiserror::Error;

use crate::channel_policy::ChannelPolicyError;
use crate::labels::{Excess, LabelError, NotAdmitted};
use liaison_identity::CredentialError;

/// A broken channel rule (docs/design.md, "The rules every client enforces").
/// The same variants are used on send and on receipt.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RuleViolation {
    /// Rule 1: the message's label is not dominated by the channel ceiling.
    #[error(
        "label {label} is above the channel ceiling {ceiling}: {}",
        join(excess)
    )]
    AboveCeiling {
        /// The message's marking.
        label: String,
        /// The ceiling's marking.
        ceiling: String,
        /// What exceeds it: the level, a caveat the ceiling lacks, the
        /// nations a REL TO leaves out (at least one).
        excess: Vec<Excess>,
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
    /// The signed envelope names another channel or epoch than the one the
    /// message arrived in: a genuinely signed message replayed elsewhere.
    #[error(
        "the signed envelope was written for another channel or epoch (epoch {signed}, arrived in {arrived})"
    )]
    ContextMismatch {
        /// The epoch the envelope names.
        signed: u64,
        /// The epoch the message arrived in.
        arrived: u64,
    },
    /// A message of an epoch after ours: the commit that leads there was
    /// never delivered to us (a relay withholding it from this member).
    /// The delivery is kept waiting, not refused: once the commit comes,
    /// it reads.
    #[error(
        "a message of epoch {theirs} arrived while this member is at epoch {ours}: the relay withheld the commit between"
    )]
    CommitWithheld {
        /// Our epoch.
        ours: u64,
        /// The message's epoch.
        theirs: u64,
    },
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
    /// A commit would keep a member whose credential does not verify at the
    /// commit's instant (expired, revoked): it must remove that member.
    #[error(
        "the commit keeps {officer}, whose credential is no longer valid ({error}); it must remove them"
    )]
    InvalidMemberKept {
        /// The member the commit should have removed.
        officer: String,
        /// Why the credential does not verify.
        error: CredentialError,
    },
    /// A message's epoch check differs from ours for its epoch: the sender
    /// and this member hold different branches of the channel (a relay gave
    /// them different commits).
    #[error(
        "the channel has forked at epoch {epoch}: the sender holds another branch of it than this member"
    )]
    ForkDetected {
        /// The epoch whose authenticators differ.
        epoch: u64,
    },
    /// A commit carries no commit stamp, or a malformed one.
    #[error("the commit carries no valid commit stamp: {0}")]
    MissingStamp(DecodeError),
    /// The commit's instant is too far from the judge's clock.
    #[error("the commit's instant is {seconds} s from this clock, beyond the {allowed} s allowed")]
    InstantOutOfRange {
        /// The commit's instant.
        instant: SystemTime,
        /// How far it is from the judge's clock, in seconds.
        seconds: u64,
        /// The allowance, in seconds.
        allowed: u64,
    },
}

/// Reasons joined for a message: `A; B`.
fn join(excess: &[Excess]) -> String {
    let reasons: Vec<String> = excess.iter().map(Excess::to_string).collect();
    reasons.join("; ")
}
