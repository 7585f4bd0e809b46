//! Members as officers and admins see them.

use openmls::prelude::Credential;

use super::{ChannelId, Engine};
use crate::channel::EngineError;
use liaison_identity::{CertificateChain, ClearanceAttribute, VerifiedCredential};
use liaison_rules::ChannelPolicy;
use liaison_rules::{Clearance, PolicyRegistry};

/// A channel member as shown to officers and admins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberInfo {
    /// Officer identifier from the certificate.
    pub officer_id: String,
    /// Display name from the certificate.
    pub display_name: String,
    /// Organisation from the certificate.
    pub organisation: String,
    /// ISO 3166 alpha-3 nationality.
    pub nationality: String,
    /// Clearance from the verified certificate, as a marking
    /// (`NATO SECRET`, caveats after it); empty when unverified.
    pub clearance: String,
    /// Whether the channel policy lists the officer as admin.
    pub admin: bool,
    /// MLS leaf index (one per device).
    pub leaf_index: u32,
}

impl MemberInfo {
    pub(super) fn verified(
        verified: &VerifiedCredential,
        policy: &ChannelPolicy,
        registry: &PolicyRegistry,
        leaf_index: u32,
    ) -> Self {
        let officer = verified.attributes();
        Self {
            officer_id: officer.officer_id().to_owned(),
            display_name: officer.display_name().to_owned(),
            organisation: officer.organisation().to_owned(),
            nationality: officer.nationality().to_string(),
            clearance: clearance_marking(officer.clearance(), registry),
            admin: policy.is_admin(officer.officer_id()),
            leaf_index,
        }
    }

    /// A member whose credential no longer verifies: named by what its
    /// certificate claims, marked as unverified.
    pub(super) fn unverified(credential: &Credential, leaf_index: u32) -> Self {
        let claimed = CertificateChain::from_mls_credential(credential)
            .ok()
            .and_then(|chain| chain.claimed_officer_id());
        Self {
            officer_id: claimed.unwrap_or_else(|| "unknown".into()),
            display_name: "(credential no longer verifies)".into(),
            organisation: String::new(),
            nationality: String::new(),
            clearance: String::new(),
            admin: false,
            leaf_index,
        }
    }
}

/// A certificate's clearance as people read it: the level's name, then
/// any caveats and permissive values held (`NATO SECRET ATOMAL, MISSION
/// KFOR`). A clearance of a policy this client does not know is named as
/// such rather than guessed.
pub fn clearance_marking(attribute: &ClearanceAttribute, registry: &PolicyRegistry) -> String {
    match Clearance::from_attribute(attribute, registry) {
        Ok(clearance) => {
            let mut text = clearance.level().name().to_owned();
            let tags: Vec<&str> = clearance
                .restrictive_tags()
                .iter()
                .chain(clearance.permissive_tags())
                .map(|tag| tag.value())
                .collect();
            if !tags.is_empty() {
                text.push(' ');
                text.push_str(&tags.join(", "));
            }
            text
        }
        Err(_) => format!("clearance of unknown policy {}", attribute.policy_oid),
    }
}

impl Engine {
    /// The channel's members, each verified against the channel's anchors.
    /// A member whose credential no longer verifies (expired, revoked) is
    /// reported as an error naming them, so the admin can remove them.
    pub fn members(&mut self, channel: &ChannelId) -> Result<Vec<MemberInfo>, EngineError> {
        let now = self.now();
        self.channel(channel)?;
        let loaded = self
            .channels
            .get(channel)
            .ok_or(EngineError::UnknownChannel)?;
        let mut out = Vec::new();
        for member in loaded.group.members() {
            let verified = self.verified.verify(
                &member.credential,
                &member.signature_key,
                loaded.policy.anchors(),
                now,
            )?;
            out.push(MemberInfo::verified(
                &verified,
                &loaded.policy,
                &self.registry,
                member.index.u32(),
            ));
        }
        Ok(out)
    }

    /// Each member leaf's certificate chain, unverified, with the officer
    /// id it claims (for explaining why a member would not comply).
    pub fn member_chains(
        &mut self,
        channel: &ChannelId,
    ) -> Result<Vec<(String, CertificateChain)>, EngineError> {
        let loaded = self.channel(channel)?;
        Ok(loaded
            .group
            .members()
            .filter_map(|member| {
                let chain = CertificateChain::from_mls_credential(&member.credential).ok()?;
                Some((chain.claimed_officer_id()?, chain))
            })
            .collect())
    }

    /// The channel's current policy.
    pub fn policy(&mut self, channel: &ChannelId) -> Result<ChannelPolicy, EngineError> {
        Ok(self.channel(channel)?.policy.clone())
    }

    /// The channel's current MLS epoch.
    pub fn epoch(&mut self, channel: &ChannelId) -> Result<u64, EngineError> {
        Ok(self.channel(channel)?.group.epoch().as_u64())
    }
}
