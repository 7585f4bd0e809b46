//! The channel policy: the partnership's rules, carried in an MLS
//! group-context extension so every member holds the same copy and every
//! change goes through a commit.

use std::collections::BTreeSet;

use liaison_proto::codec::DecodeError;
use thiserror::Error;

use crate::labels::{Label, LabelError, PolicyRegistry};
use liaison_identity::TrustAnchors;
use openmls::prelude::GroupContext;

use liaison_proto::channel_policy::{
    MAX_ADMINS, MAX_AUTHORITIES as MAX_ANCHORS, MAX_CRLS, MAX_OFFICER_ID_LEN, MAX_PARTNERSHIP_LEN,
    PolicyWire,
};

/// What happens to a member's local history when it leaves or is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HistoryOnRemoval {
    /// History stays readable, read-only, like an archived channel.
    Keep,
    /// History is deleted from the removed member's store.
    Purge,
}

/// Why a channel policy could not be built or decoded.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ChannelPolicyError {
    /// The partnership name is empty or too long.
    #[error("the partnership name must be 1 to {MAX_PARTNERSHIP_LEN} bytes")]
    BadPartnershipName,
    /// Ceiling and default label belong to different label policies.
    #[error("the ceiling and the default label must use the same label policy")]
    MixedLabelPolicies,
    /// The default label is above the ceiling.
    #[error("the default label {default} is not dominated by the ceiling {ceiling}")]
    DefaultAboveCeiling {
        /// The ceiling's marking.
        ceiling: String,
        /// The default label's marking.
        default: String,
    },
    /// No admin is listed: nobody could ever manage the channel.
    #[error("a channel needs at least one admin")]
    NoAdmin,
    /// An officer identifier is empty or too long.
    #[error("officer identifiers must be 1 to {MAX_OFFICER_ID_LEN} bytes")]
    BadOfficerId,
    /// No trust anchor is listed: no credential could ever verify.
    #[error("a channel needs at least one trust anchor")]
    NoTrustAnchor,
    /// Too many admins, anchors or revocation lists.
    #[error("too many {0}")]
    TooMany(&'static str),
    /// A label inside the policy is invalid or of an unknown policy.
    #[error("invalid label in channel policy: {0}")]
    Label(#[from] LabelError),
    /// A trust anchor or revocation list is invalid.
    #[error("invalid trust anchors: {0}")]
    Anchors(#[from] liaison_identity::CredentialError),
    /// The encoding is malformed.
    #[error("malformed channel policy: {0}")]
    Malformed(#[from] DecodeError),
}

/// A partnership channel's policy, valid by construction.
#[derive(Debug, Clone)]
pub struct ChannelPolicy {
    partnership: String,
    ceiling: Label,
    default_label: Label,
    admins: BTreeSet<String>,
    anchors: TrustAnchors,
    retention_days: Option<u32>,
    history_on_removal: HistoryOnRemoval,
}

impl ChannelPolicy {
    /// Builds a policy, checking every invariant.
    pub fn new(
        partnership: impl Into<String>,
        ceiling: Label,
        default_label: Label,
        admins: impl IntoIterator<Item = String>,
        anchors: TrustAnchors,
    ) -> Result<Self, ChannelPolicyError> {
        let policy = Self {
            partnership: partnership.into(),
            ceiling,
            default_label,
            admins: admins.into_iter().collect(),
            anchors,
            retention_days: None,
            history_on_removal: HistoryOnRemoval::Keep,
        };
        policy.check()?;
        Ok(policy)
    }

    fn check(&self) -> Result<(), ChannelPolicyError> {
        if self.partnership.is_empty() || self.partnership.len() > MAX_PARTNERSHIP_LEN {
            return Err(ChannelPolicyError::BadPartnershipName);
        }
        if self.ceiling.policy_id() != self.default_label.policy_id() {
            return Err(ChannelPolicyError::MixedLabelPolicies);
        }
        if !self.ceiling.dominates(&self.default_label) {
            return Err(ChannelPolicyError::DefaultAboveCeiling {
                ceiling: self.ceiling.marking(),
                default: self.default_label.marking(),
            });
        }
        if self.admins.is_empty() {
            return Err(ChannelPolicyError::NoAdmin);
        }
        if self.admins.len() > MAX_ADMINS {
            return Err(ChannelPolicyError::TooMany("admins"));
        }
        if self
            .admins
            .iter()
            .any(|a| a.is_empty() || a.len() > MAX_OFFICER_ID_LEN)
        {
            return Err(ChannelPolicyError::BadOfficerId);
        }
        if self.anchors.anchors().is_empty() {
            return Err(ChannelPolicyError::NoTrustAnchor);
        }
        if self.anchors.anchors().len() > MAX_ANCHORS {
            return Err(ChannelPolicyError::TooMany("trust anchors"));
        }
        if self.anchors.intermediates().len() > MAX_ANCHORS {
            return Err(ChannelPolicyError::TooMany("intermediate authorities"));
        }
        if self.anchors.crls().len() > MAX_CRLS {
            return Err(ChannelPolicyError::TooMany("revocation lists"));
        }
        Ok(())
    }

    /// The partnership's name, e.g. "GBR-FRA-DEU border cell".
    pub fn partnership(&self) -> &str {
        &self.partnership
    }

    /// The highest label the channel may carry.
    pub fn ceiling(&self) -> &Label {
        &self.ceiling
    }

    /// The label given to a message sent without one.
    pub fn default_label(&self) -> &Label {
        &self.default_label
    }

    /// Officer identifiers allowed to add, remove and change the policy.
    pub fn admins(&self) -> &BTreeSet<String> {
        &self.admins
    }

    /// Whether `officer_id` is an admin.
    pub fn is_admin(&self, officer_id: &str) -> bool {
        self.admins.contains(officer_id)
    }

    /// The partner authorities' certificates and revocation lists.
    pub fn anchors(&self) -> &TrustAnchors {
        &self.anchors
    }

    /// Days messages are kept, if limited.
    pub fn retention_days(&self) -> Option<u32> {
        self.retention_days
    }

    /// What happens to a removed member's history.
    pub fn history_on_removal(&self) -> HistoryOnRemoval {
        self.history_on_removal
    }

    /// A copy with another ceiling and default label (a tightening or a relaxation).
    pub fn with_labels(
        &self,
        ceiling: Label,
        default_label: Label,
    ) -> Result<Self, ChannelPolicyError> {
        let policy = Self {
            ceiling,
            default_label,
            ..self.clone()
        };
        policy.check()?;
        Ok(policy)
    }

    /// A copy with `officer_id` added to or removed from the admins.
    pub fn with_admin(&self, officer_id: &str, admin: bool) -> Result<Self, ChannelPolicyError> {
        let mut policy = self.clone();
        if admin {
            policy.admins.insert(officer_id.to_owned());
        } else {
            policy.admins.remove(officer_id);
        }
        policy.check()?;
        Ok(policy)
    }

    /// A copy with other trust anchors (for example a new revocation list).
    pub fn with_anchors(&self, anchors: TrustAnchors) -> Result<Self, ChannelPolicyError> {
        let policy = Self {
            anchors,
            ..self.clone()
        };
        policy.check()?;
        Ok(policy)
    }

    /// A copy with another retention period and history rule.
    pub fn with_retention(
        &self,
        retention_days: Option<u32>,
        history_on_removal: HistoryOnRemoval,
    ) -> Self {
        Self {
            retention_days,
            history_on_removal,
            ..self.clone()
        }
    }

    /// The canonical encoding carried in the group context.
    pub fn encode(&self) -> Vec<u8> {
        PolicyWire {
            partnership: self.partnership.clone(),
            ceiling: self.ceiling.to_bytes(),
            default_label: self.default_label.to_bytes(),
            admins: self.admins.iter().cloned().collect(),
            anchors: self.anchors.anchors().to_vec(),
            intermediates: self.anchors.intermediates().to_vec(),
            crls: self.anchors.crls().to_vec(),
            retention_days: self.retention_days.unwrap_or(0),
            purge_on_removal: self.history_on_removal == HistoryOnRemoval::Purge,
        }
        .encode()
    }

    /// The policy a group context carries in its
    /// [`POLICY_EXTENSION_TYPE`](liaison_proto::POLICY_EXTENSION_TYPE) extension.
    pub fn from_group_context(
        context: &GroupContext,
        registry: &PolicyRegistry,
    ) -> Result<Self, ChannelPolicyError> {
        let bytes = context
            .extensions()
            .unknown(liaison_proto::POLICY_EXTENSION_TYPE)
            .map(|extension| extension.0.as_slice())
            .ok_or(ChannelPolicyError::Malformed(DecodeError::InvalidValue(
                "missing policy extension",
            )))?;
        Self::decode(bytes, registry)
    }

    /// Decodes and validates untrusted bytes.
    pub fn decode(bytes: &[u8], registry: &PolicyRegistry) -> Result<Self, ChannelPolicyError> {
        let wire = PolicyWire::decode(bytes)?;
        let mut anchors = TrustAnchors::new(wire.anchors)?;
        for der in wire.intermediates {
            anchors = anchors.with_intermediate(der)?;
        }
        for der in wire.crls {
            anchors = anchors.with_crl(der)?;
        }
        let policy = Self {
            partnership: wire.partnership,
            ceiling: Label::from_bytes(&wire.ceiling, registry)?,
            default_label: Label::from_bytes(&wire.default_label, registry)?,
            admins: wire.admins.into_iter().collect(),
            anchors,
            retention_days: (wire.retention_days != 0).then_some(wire.retention_days),
            history_on_removal: if wire.purge_on_removal {
                HistoryOnRemoval::Purge
            } else {
                HistoryOnRemoval::Keep
            },
        };
        policy.check()?;
        Ok(policy)
    }
}

impl PartialEq for ChannelPolicy {
    fn eq(&self, other: &Self) -> bool {
        self.encode() == other.encode()
    }
}

impl Eq for ChannelPolicy {}

#[cfg(test)]
mod tests;
