//! The Liaison rulebook: security labels and label policies, the channel
//! policy, and every message and commit rule, as pure functions.
//!
//! The client engine and the relay both link this crate and nothing else
//! decides: a commit the relay orders is one every honest member merges,
//! because both ran the same code on the same inputs at the same instant
//! (the instant the commit states, [`commit_instant`]). Had they decided
//! with different code, the relay could order a commit members refuse; its
//! epoch would move on without them and the channel would split for good.
//!
//! - [`labels`]: label policies as data, [`Label`] valid by construction,
//!   markings, canonical encoding, dominance, clearances.
//! - [`ChannelPolicy`]: the partnership's rules, carried in the group context.
//! - Message rules: [`check_message_label`] (ceiling, label policy),
//!   [`check_inheritance`] (replies, quotes, forwards).
//! - Membership rules: [`check_admission`], [`review_commit`],
//!   [`review_proposal`], [`invalid_members`].

mod admission;
mod channel_policy;
mod commit;
mod credentials;
mod error;
mod instant;
pub mod labels;
mod message;
#[cfg(any(test, feature = "test-utils"))]
pub mod test_utils;

pub use admission::check_admission;
pub use channel_policy::{ChannelPolicy, ChannelPolicyError, HistoryOnRemoval};
pub use commit::{
    CommitVerdict, GroupBefore, InvalidMember, Judge, invalid_members, review_commit,
    review_proposal,
};
pub use credentials::{AnchorsKey, CredentialCache, MAX_CACHED_CREDENTIALS};
pub use error::RuleViolation;
pub use instant::{
    CLOCK_SKEW, check_instant_at_member, check_instant_at_relay, commit_instant, stamp_at,
};
pub use labels::{
    Category, CategoryKind, Clearance, ClearanceBuilder, Colour, DecodeError, Excerpt, Excess,
    Label, LabelBuilder, LabelError, LabelPolicy, Level, MarkingError, NotAdmitted, PolicyError,
    PolicyRegistry, Tag,
};
pub use message::{check_inheritance, check_message_label};
