//! Members, candidates from the relay's directory or a certificate file,
//! and the admin operations that add, remove and promote.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::SystemTime;

use super::error::{DeskError, ErrorKind, params};
use super::events::DeskEvent;
use super::files::{FilePurpose, FileToken};
use super::policy_check::admission_reason;
use super::shared::Shared;
use super::views::{AdmissionReason, CandidateView, MemberView, Role};
use super::{Desk, parse_channel, pem};
use liaison_core::{
    ChannelId, DeliveryService as _, Engine, EngineError, MemberInfo, RelayClient,
    clearance_marking, commit_with_retry,
};
use liaison_identity::{CertificateChain, Fingerprint, verify_credential};
use liaison_rules::ChannelPolicy;
use liaison_rules::Clearance;

/// Attempts of an admin commit that keeps losing the epoch race.
const COMMIT_ATTEMPTS: u32 = 5;
/// Most officers read from the relay's directory.
const DIRECTORY_LIMIT: u32 = 1000;

/// Members by officer (one entry per officer, whatever their devices).
pub(crate) fn member_views(members: Vec<MemberInfo>, me: &str) -> Vec<MemberView> {
    let mut by_officer: BTreeMap<String, MemberView> = BTreeMap::new();
    for member in members {
        by_officer
            .entry(member.officer_id.clone())
            .or_insert_with(|| MemberView {
                is_self: member.officer_id == me,
                role: if member.admin {
                    Role::Admin
                } else {
                    Role::Member
                },
                officer_id: member.officer_id,
                display_name: member.display_name,
                organisation: member.organisation,
                nationality: member.nationality,
                clearance: member.clearance,
            });
    }
    by_officer.into_values().collect()
}

/// Whether an officer with this chain could join under `policy`: it
/// must verify against the channel's authorities, and the clearance and
/// nationality must admit the ceiling (rule 2). The reason is plain words.
fn candidate(
    engine: &Engine,
    policy: &ChannelPolicy,
    officer_id: &str,
    chain: &CertificateChain,
    members: &BTreeSet<String>,
    reachable: bool,
) -> CandidateView {
    let mut view = CandidateView {
        officer_id: officer_id.to_owned(),
        display_name: officer_id.to_owned(),
        organisation: String::new(),
        nationality: String::new(),
        clearance: String::new(),
        is_member: members.contains(officer_id),
        eligible: false,
        reason: None,
        reason_code: None,
        reachable,
        authority: None,
    };
    let verified = chain
        .leaf_public_key()
        .map_err(|e| e.to_string())
        .and_then(|key| {
            verify_credential(chain, policy.anchors(), SystemTime::now(), &key)
                .map_err(|e| e.to_string())
        });
    let verified = match verified {
        Ok(verified) => verified,
        Err(error) => {
            view.reason = Some(format!(
                "The certificate is not accepted by this channel's partner authorities: {error}."
            ));
            view.reason_code = Some(AdmissionReason::AuthorityNotTrusted);
            return view;
        }
    };
    view.authority = Some(hex::encode(verified.anchor_fingerprint().as_bytes()));
    let officer = verified.attributes();
    view.officer_id = officer.officer_id().to_owned();
    view.display_name = officer.display_name().to_owned();
    view.organisation = officer.organisation().to_owned();
    view.nationality = officer.nationality().to_string();
    view.clearance = clearance_marking(officer.clearance(), engine.registry());
    view.is_member = members.contains(officer.officer_id());
    let admitted = Clearance::from_attribute(officer.clearance(), engine.registry())
        .map_err(|e| {
            (
                format!("Their clearance is not understood here: {e}."),
                AdmissionReason::ClearanceUnknown,
            )
        })
        .and_then(|clearance| {
            clearance
                .admits(policy.ceiling(), officer.nationality())
                .map_err(|reason| {
                    (
                        format!(
                            "They may not read the ceiling {}: {reason}.",
                            policy.ceiling().marking()
                        ),
                        admission_reason(reason),
                    )
                })
        });
    match admitted {
        Ok(()) if view.is_member => view.reason = Some("Already a member.".into()),
        Ok(()) => view.eligible = true,
        Err((reason, code)) => {
            view.reason = Some(reason);
            view.reason_code = Some(code);
        }
    }
    view
}

/// Runs an admin commit with the relay: gate first, then the engine for
/// the whole exchange (the user waits for the answer anyway).
async fn admin_commit<F>(
    shared: &Shared,
    client: &RelayClient,
    channel: &ChannelId,
    operation: F,
) -> Result<(), DeskError>
where
    F: FnMut(&mut Engine) -> Result<i64, EngineError>,
{
    let _gate = shared.gate().await;
    let mut engine = shared.engine().await;
    commit_with_retry(&mut engine, client, channel, COMMIT_ATTEMPTS, operation).await?;
    drop(engine);
    shared.emit(DeskEvent::Channels);
    Ok(())
}

impl Desk {
    /// The channel's members, one per officer.
    pub async fn list_members(&self, channel_id: &str) -> Result<Vec<MemberView>, DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        let mut engine = shared.engine().await;
        let members = engine.members(&channel)?;
        Ok(member_views(members, &shared.officer_id))
    }

    async fn channel_context(
        &self,
        channel: &ChannelId,
    ) -> Result<(Arc<Shared>, ChannelPolicy, BTreeSet<String>), DeskError> {
        let shared = self.shared().await?;
        let (policy, members) = {
            let mut engine = shared.engine().await;
            let policy = engine.policy(channel)?;
            let members = engine
                .members(channel)?
                .into_iter()
                .map(|m| m.officer_id)
                .collect();
            (policy, members)
        };
        Ok((shared, policy, members))
    }

    /// Officers the relay can reach (they hold key packages), each checked
    /// against this channel's rules. Needs the relay.
    pub async fn directory(&self, channel_id: &str) -> Result<Vec<CandidateView>, DeskError> {
        let channel = parse_channel(channel_id)?;
        let (shared, policy, members) = self.channel_context(&channel).await?;
        let client = shared.client()?;
        let officers = client.list_officers(DIRECTORY_LIMIT).await?;
        let engine = shared.engine().await;
        Ok(officers
            .iter()
            .filter(|(officer_id, _)| *officer_id != shared.officer_id)
            .map(|(officer_id, chain)| {
                candidate(&engine, &policy, officer_id, chain, &members, true)
            })
            .collect())
    }

    /// An officer from a PEM certificate file the officer chose in the open
    /// dialog (its token, consumed on success), checked against this
    /// channel's rules; `reachable` when the relay's directory lists them.
    pub async fn candidate_from_certificate(
        &self,
        channel_id: &str,
        file: &FileToken,
    ) -> Result<CandidateView, DeskError> {
        let channel = parse_channel(channel_id)?;
        let certificate = self.chosen_file(file, FilePurpose::OpenCertificate, "file")?;
        let chain = pem::read_chain(certificate.path())?;
        let (shared, policy, members) = self.channel_context(&channel).await?;
        let claimed = chain.claimed_officer_id().unwrap_or_default();
        let reachable = match shared.client() {
            Ok(client) => client
                .list_officers(DIRECTORY_LIMIT)
                .await
                .map(|officers| officers.iter().any(|(id, _)| *id == claimed))
                .unwrap_or(false),
            Err(_) => false,
        };
        let engine = shared.engine().await;
        let view = candidate(&engine, &policy, &claimed, &chain, &members, reachable);
        certificate.consume();
        Ok(view)
    }

    /// Adds an officer: claims one of their key packages at the relay and
    /// commits the addition (every member checks rule 2 again). `authority`
    /// is the candidate's [`CandidateView::authority`]: with it the claim is
    /// made in that authority's namespace, so an officer id that several
    /// partner authorities certify adds the officer the admin chose.
    pub async fn add_member(
        &self,
        channel_id: &str,
        officer_id: &str,
        authority: Option<&str>,
    ) -> Result<(), DeskError> {
        let channel = parse_channel(channel_id)?;
        let authority = authority.map(parse_authority).transpose()?;
        let (shared, _, members) = self.channel_context(&channel).await?;
        if members.contains(officer_id) {
            return Err(DeskError::explained(
                ErrorKind::RuleViolation,
                "alreadyMember",
                params([("officer", officer_id.into())]),
                format!("{officer_id} is already a member."),
            ));
        }
        let client = shared.client()?;
        let package = match &authority {
            Some(authority) => client.claim_key_package_from(officer_id, authority).await?,
            None => client.claim_key_package(officer_id).await?,
        };
        let packages = [package];
        admin_commit(&shared, &client, &channel, |engine| {
            engine.add_members(&channel, &packages)
        })
        .await
    }

    /// Removes an officer (all their devices).
    pub async fn remove_member(&self, channel_id: &str, officer_id: &str) -> Result<(), DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        if officer_id == shared.officer_id {
            return Err(DeskError::explained(
                ErrorKind::RuleViolation,
                "removeSelf",
                serde_json::Map::new(),
                "Use “leave channel” to remove yourself.",
            ));
        }
        let client = shared.client()?;
        admin_commit(&shared, &client, &channel, |engine| {
            engine.remove_members(&channel, &[officer_id])
        })
        .await
    }

    /// Promotes or demotes an officer (a policy change).
    pub async fn set_admin(
        &self,
        channel_id: &str,
        officer_id: &str,
        admin: bool,
    ) -> Result<(), DeskError> {
        let channel = parse_channel(channel_id)?;
        let (shared, _, members) = self.channel_context(&channel).await?;
        if admin && !members.contains(officer_id) {
            return Err(DeskError::explained(
                ErrorKind::NotFound,
                "unknownMember",
                params([("officer", officer_id.into())]),
                format!("{officer_id} is not a member of this channel."),
            ));
        }
        let client = shared.client()?;
        admin_commit(&shared, &client, &channel, |engine| {
            engine.set_admin(&channel, officer_id, admin)
        })
        .await
    }
}

/// A partner authority's fingerprint as the window sends it back: 64
/// hexadecimal digits.
fn parse_authority(hex_digits: &str) -> Result<Fingerprint, DeskError> {
    hex::decode(hex_digits)
        .ok()
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .map(Fingerprint::from_bytes)
        .ok_or_else(|| {
            DeskError::invalid(
                "authority",
                "not a partner authority fingerprint (64 hexadecimal digits)",
            )
        })
}
