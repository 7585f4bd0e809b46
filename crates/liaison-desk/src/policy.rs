//! The channel policy as an admin edits it: view, preview of who a change
//! would remove (rule 3), and the change itself.

use std::collections::BTreeSet;
use std::time::SystemTime;

use super::error::DeskError;
use super::events::DeskEvent;
use super::members::member_views;
use super::views::{OnRemoval, PolicyPreview, PolicyView, RemovedMember};
use super::{Desk, parse_channel};
use liaison_core::{ChannelId, Engine, commit_with_retry};
use liaison_identity::{Nationality, verify_credential};
use liaison_rules::{CategoryKind, Clearance, Label, PolicyRegistry};
use liaison_rules::{ChannelPolicy, HistoryOnRemoval};

/// Attempts of a policy commit that keeps losing the epoch race.
const COMMIT_ATTEMPTS: u32 = 5;

fn view(policy: &ChannelPolicy) -> PolicyView {
    let ceiling = policy.ceiling();
    PolicyView {
        name: policy.partnership().to_owned(),
        policy_id: ceiling.policy_id().to_owned(),
        ceiling: ceiling.marking(),
        default_label: policy.default_label().marking(),
        releasable_to: ceiling
            .releasable_to()
            .iter()
            .map(|n| n.as_str().to_owned())
            .collect(),
        admins: policy.admins().iter().cloned().collect(),
        retention_days: policy.retention_days(),
        on_removal: match policy.history_on_removal() {
            HistoryOnRemoval::Keep => OnRemoval::Keep,
            HistoryOnRemoval::Purge => OnRemoval::Purge,
        },
    }
}

fn parse_label(
    text: &str,
    field: &'static str,
    registry: &PolicyRegistry,
) -> Result<Label, DeskError> {
    Label::parse_marking(text.trim(), registry)
        .map_err(|e| DeskError::invalid(field, format!("“{text}” is not a valid label: {e}")))
}

/// The ceiling with its releasability replaced by `nations` (when the
/// admin edited the nation list rather than the marking).
fn with_releasability(ceiling: &Label, nations: &[String]) -> Result<Label, DeskError> {
    let policy = ceiling.policy();
    let mut builder = Label::builder(policy, ceiling.classification());
    for tag in ceiling.restrictive_tags() {
        builder = builder.restrictive(tag.category(), tag.value());
    }
    for tag in ceiling.permissive_tags() {
        let releasability = policy
            .category(tag.category())
            .is_some_and(|c| c.kind() == CategoryKind::Releasability);
        if !releasability {
            builder = builder.permissive(tag.category(), tag.value());
        }
    }
    for nation in nations {
        builder = builder.releasable_to(nation);
    }
    builder
        .build()
        .map_err(|e| DeskError::invalid("releasableTo", format!("{e}")))
}

/// Builds the proposed policy: the edited fields over the current anchors.
fn proposed(
    current: &ChannelPolicy,
    edit: &PolicyView,
    registry: &PolicyRegistry,
) -> Result<ChannelPolicy, DeskError> {
    let mut ceiling = parse_label(&edit.ceiling, "ceiling", registry)?;
    let mut nations: Vec<String> = Vec::new();
    for nation in &edit.releasable_to {
        let code = Nationality::new(nation.trim()).map_err(|_| {
            DeskError::invalid(
                "releasableTo",
                format!("{nation:?} is not an ISO 3166 alpha-3 code"),
            )
        })?;
        nations.push(code.as_str().to_owned());
    }
    nations.sort();
    nations.dedup();
    let effective: Vec<String> = ceiling
        .releasable_to()
        .iter()
        .map(|n| n.as_str().to_owned())
        .collect();
    if !nations.is_empty() && nations != effective {
        ceiling = with_releasability(&ceiling, &nations)?;
    }
    let default_label = parse_label(&edit.default_label, "defaultLabel", registry)?;
    let name = edit.name.trim();
    if name.is_empty() {
        return Err(DeskError::invalid("name", "enter the partnership's name"));
    }
    let admins: BTreeSet<String> = edit.admins.iter().map(|a| a.trim().to_owned()).collect();
    let policy = ChannelPolicy::new(
        name,
        ceiling,
        default_label,
        admins,
        current.anchors().clone(),
    )
    .map_err(|e| DeskError::RuleViolation(format!("This policy is not valid: {e}.")))?;
    Ok(policy.with_retention(
        edit.retention_days.filter(|d| *d > 0),
        match edit.on_removal {
            OnRemoval::Keep => HistoryOnRemoval::Keep,
            OnRemoval::Purge => HistoryOnRemoval::Purge,
        },
    ))
}

/// Why a member would not comply with `policy`, in plain words.
fn removal_reason(
    engine: &Engine,
    policy: &ChannelPolicy,
    nationality: &str,
    member_chain: Option<&liaison_identity::CertificateChain>,
) -> String {
    let Some(chain) = member_chain else {
        return "Their certificate no longer verifies.".into();
    };
    let verified = chain
        .leaf_public_key()
        .ok()
        .and_then(|key| verify_credential(chain, policy.anchors(), SystemTime::now(), &key).ok());
    let Some(verified) = verified else {
        return "Their certificate is not accepted by the new policy's authorities.".into();
    };
    let officer = verified.attributes();
    match Clearance::from_attribute(officer.clearance(), engine.registry()) {
        Ok(clearance) => match clearance.admits(policy.ceiling(), officer.nationality()) {
            Ok(()) => "They no longer comply with the channel policy.".into(),
            Err(reason) => format!(
                "Under the new ceiling {}: {reason} ({nationality}).",
                policy.ceiling().marking()
            ),
        },
        Err(e) => format!("Their clearance is not understood here: {e}."),
    }
}

impl Desk {
    /// The channel's editable policy.
    pub async fn channel_policy(&self, channel_id: &str) -> Result<PolicyView, DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        let policy = shared.engine().await.policy(&channel)?;
        Ok(view(&policy))
    }

    /// Who a policy change would remove, and whether it is allowed at all.
    pub async fn preview_policy(
        &self,
        channel_id: &str,
        edit: &PolicyView,
    ) -> Result<PolicyPreview, DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        let mut engine = shared.engine().await;
        let current = engine.policy(&channel)?;
        let refuse = |reason: String| PolicyPreview {
            removed: Vec::new(),
            allowed: false,
            reason: Some(reason),
        };
        if !current.is_admin(&shared.officer_id) {
            return Ok(refuse(
                "Only the channel's admins may change its policy.".into(),
            ));
        }
        let new = match proposed(&current, edit, engine.registry()) {
            Ok(policy) => policy,
            Err(error) => return Ok(refuse(error.to_string())),
        };
        let removed = preview_removals(&mut engine, &channel, &new)?;
        if removed.iter().any(|r| r.member.is_self) {
            return Ok(PolicyPreview {
                removed,
                allowed: false,
                reason: Some("This change would remove you: an admin cannot tighten the channel past their own clearance.".into()),
            });
        }
        Ok(PolicyPreview {
            removed,
            allowed: true,
            reason: None,
        })
    }

    /// Changes the policy; members who no longer comply are removed in the
    /// same commit (rule 3). Needs the relay.
    pub async fn change_policy(
        &self,
        channel_id: &str,
        edit: &PolicyView,
    ) -> Result<(), DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        let new = {
            let mut engine = shared.engine().await;
            let current = engine.policy(&channel)?;
            proposed(&current, edit, engine.registry())?
        };
        let client = shared.client()?;
        let _gate = shared.gate().await;
        let mut engine = shared.engine().await;
        commit_with_retry(
            &mut engine,
            client.as_ref(),
            &channel,
            COMMIT_ATTEMPTS,
            |engine| engine.change_policy(&channel, new.clone()),
        )
        .await?;
        drop(engine);
        shared.emit(DeskEvent::Channels);
        Ok(())
    }
}

fn preview_removals(
    engine: &mut Engine,
    channel: &ChannelId,
    new: &ChannelPolicy,
) -> Result<Vec<RemovedMember>, DeskError> {
    let removed = engine.preview_policy_change(channel, new)?;
    let chains = engine.member_chains(channel)?;
    let me = engine.officer_id().to_owned();
    let mut out = Vec::new();
    for member in member_views(removed, &me) {
        let chain = chains
            .iter()
            .find(|(id, _)| *id == member.officer_id)
            .map(|(_, c)| c);
        let reason = removal_reason(engine, new, &member.nationality, chain);
        out.push(RemovedMember { member, reason });
    }
    Ok(out)
}
