//! The channel policy: the partnership's rules, carried in an MLS
//! group-context extension so every member holds the same copy and every
//! change goes through a commit.

use std::collections::BTreeSet;

use liaison_proto::codec::{DecodeError, Reader, Writer};
use thiserror::Error;

use crate::labels::{Label, LabelError, PolicyRegistry};
use liaison_identity::TrustAnchors;

/// Version of the canonical policy encoding.
const POLICY_VERSION: u8 = 1;
/// Longest partnership name, in bytes.
pub(crate) const MAX_PARTNERSHIP_LEN: usize = 256;
/// Longest officer identifier, in bytes.
pub(crate) const MAX_OFFICER_ID_LEN: usize = 128;
/// Most admins a channel may list.
pub(crate) const MAX_ADMINS: usize = 256;
/// Most trust anchors (and, separately, intermediate authorities) a channel may list.
pub(crate) const MAX_ANCHORS: usize = 64;
/// Most revocation lists a channel may carry.
pub(crate) const MAX_CRLS: usize = 64;
/// Largest certificate or revocation list, in bytes.
pub(crate) const MAX_DER_LEN: usize = 256 * 1024;
const MAX_LABEL_LEN: usize = liaison_proto::MAX_LABEL_LEN;

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
        let mut w = Writer::new();
        w.u8(POLICY_VERSION)
            .string(&self.partnership)
            .bytes(&self.ceiling.to_bytes())
            .bytes(&self.default_label.to_bytes());
        w.u32(count(self.admins.len()));
        for admin in &self.admins {
            w.string(admin);
        }
        w.u32(count(self.anchors.anchors().len()));
        for der in self.anchors.anchors() {
            w.bytes(der);
        }
        w.u32(count(self.anchors.intermediates().len()));
        for der in self.anchors.intermediates() {
            w.bytes(der);
        }
        w.u32(count(self.anchors.crls().len()));
        for der in self.anchors.crls() {
            w.bytes(der);
        }
        w.u32(self.retention_days.unwrap_or(0))
            .u8(match self.history_on_removal {
                HistoryOnRemoval::Keep => 0,
                HistoryOnRemoval::Purge => 1,
            });
        w.into_bytes()
    }

    /// Decodes and validates untrusted bytes.
    pub fn decode(bytes: &[u8], registry: &PolicyRegistry) -> Result<Self, ChannelPolicyError> {
        let mut r = Reader::new(bytes);
        let version = r.u8("policy version")?;
        if version != POLICY_VERSION {
            return Err(DecodeError::UnsupportedVersion {
                what: "channel policy",
                version,
            }
            .into());
        }
        let partnership = r.string("partnership", MAX_PARTNERSHIP_LEN)?.to_owned();
        let ceiling = Label::from_bytes(r.bytes("ceiling", MAX_LABEL_LEN)?, registry)?;
        let default_label = Label::from_bytes(r.bytes("default label", MAX_LABEL_LEN)?, registry)?;
        let mut admins = BTreeSet::new();
        for _ in 0..bounded(r.u32("admin count")?, MAX_ADMINS, "admins")? {
            let admin = r.string("admin", MAX_OFFICER_ID_LEN)?.to_owned();
            if !admins.insert(admin) {
                return Err(DecodeError::InvalidValue("duplicate admin").into());
            }
        }
        let mut anchor_ders = Vec::new();
        for _ in 0..bounded(r.u32("anchor count")?, MAX_ANCHORS, "trust anchors")? {
            anchor_ders.push(r.bytes("anchor", MAX_DER_LEN)?.to_vec());
        }
        let mut anchors = TrustAnchors::new(anchor_ders)?;
        for _ in 0..bounded(r.u32("intermediate count")?, MAX_ANCHORS, "intermediates")? {
            anchors = anchors.with_intermediate(r.bytes("intermediate", MAX_DER_LEN)?.to_vec())?;
        }
        for _ in 0..bounded(r.u32("crl count")?, MAX_CRLS, "revocation lists")? {
            anchors = anchors.with_crl(r.bytes("crl", MAX_DER_LEN)?.to_vec())?;
        }
        let retention_days = match r.u32("retention")? {
            0 => None,
            days => Some(days),
        };
        let history_on_removal = match r.u8("history on removal")? {
            0 => HistoryOnRemoval::Keep,
            1 => HistoryOnRemoval::Purge,
            _ => return Err(DecodeError::InvalidValue("history on removal").into()),
        };
        r.finish()?;
        let policy = Self {
            partnership,
            ceiling,
            default_label,
            admins,
            anchors,
            retention_days,
            history_on_removal,
        };
        policy.check()?;
        Ok(policy)
    }
}

/// Collections are bounded by the `MAX_*` limits checked in `check`, all far
/// below `u32::MAX`, so the conversion cannot saturate for a valid policy.
fn count(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

fn bounded(announced: u32, max: usize, what: &'static str) -> Result<usize, ChannelPolicyError> {
    match usize::try_from(announced) {
        Ok(n) if n <= max => Ok(n),
        _ => Err(ChannelPolicyError::TooMany(what)),
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
