//! The channel policy as an admin edits it: view, preview (who a change
//! would remove under rule 3, what is wrong with it, a default label that
//! fits a new ceiling), and the change itself.

use super::error::DeskError;
use super::events::DeskEvent;
use super::label_spec::spec_of;
use super::members::member_views;
use super::policy_check::{
    PolicyDraft, check_policy, directory_admin_issues, directory_if_online, officer_admission,
};
use super::views::{
    AdmissionReason, LabelSpec, OnRemoval, PolicyIssue, PolicyPreview, PolicyView, RemovedMember,
};
use super::{Desk, parse_channel};
use liaison_core::{ChannelId, Engine, commit_with_retry};
use liaison_rules::{ChannelPolicy, HistoryOnRemoval, PolicyRegistry};

/// Attempts of a policy commit that keeps losing the epoch race.
const COMMIT_ATTEMPTS: u32 = 5;

fn view(policy: &ChannelPolicy) -> PolicyView {
    PolicyView {
        name: policy.partnership().to_owned(),
        ceiling: spec_of(policy.ceiling()),
        default_label: spec_of(policy.default_label()),
        admins: policy.admins().iter().cloned().collect(),
        retention_days: policy.retention_days(),
        on_removal: match policy.history_on_removal() {
            HistoryOnRemoval::Keep => OnRemoval::Keep,
            HistoryOnRemoval::Purge => OnRemoval::Purge,
        },
    }
}

/// The edit as a draft, with `default_label` for its default.
fn draft<'a>(edit: &'a PolicyView, default_label: &'a LabelSpec) -> PolicyDraft<'a> {
    PolicyDraft {
        name: &edit.name,
        ceiling: &edit.ceiling,
        default_label,
        admins: &edit.admins,
        retention_days: edit.retention_days,
        on_removal: edit.on_removal,
    }
}

/// The refusal of a policy for its first refusing issue: the field it
/// concerns, and the issue in plain words.
pub(crate) fn refusal(issues: &[PolicyIssue]) -> DeskError {
    match issues.iter().find(|issue| issue.refuses()) {
        Some(issue) => DeskError::invalid(issue.field(), issue.to_string()),
        None => DeskError::internal("a policy was refused without an issue"),
    }
}

/// Builds the proposed policy: the edited fields over the current anchors.
fn proposed(
    current: &ChannelPolicy,
    edit: &PolicyView,
    registry: &PolicyRegistry,
) -> Result<ChannelPolicy, DeskError> {
    let checked = check_policy(
        &draft(edit, &edit.default_label),
        Some(current.anchors().clone()),
        registry,
        Some(current),
    );
    checked.policy.ok_or_else(|| refusal(&checked.issues))
}

impl Desk {
    /// The channel's editable policy.
    pub async fn channel_policy(&self, channel_id: &str) -> Result<PolicyView, DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        let policy = shared.engine().await.policy(&channel)?;
        Ok(view(&policy))
    }

    /// What a policy change would do: who it removes (rule 3), what is
    /// wrong with it, and when the default label is not within the new
    /// ceiling, a default that is. A change refused only for its default
    /// still lists who the new ceiling would remove.
    pub async fn preview_policy(
        &self,
        channel_id: &str,
        edit: &PolicyView,
    ) -> Result<PolicyPreview, DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        let directory = directory_if_online(&shared).await;
        let mut engine = shared.engine().await;
        let current = engine.policy(&channel)?;
        if !current.is_admin(&shared.officer_id) {
            return Ok(PolicyPreview {
                removed: Vec::new(),
                allowed: false,
                issues: vec![PolicyIssue::NotAdmin],
                fixed_default: None,
            });
        }
        let anchors = current.anchors().clone();
        let checked = check_policy(
            &draft(edit, &edit.default_label),
            Some(anchors.clone()),
            engine.registry(),
            Some(&current),
        );
        let mut issues = checked.issues;
        let fixed_default = checked.fixed_default;
        let candidate = checked.policy.or_else(|| {
            let fixed = fixed_default.as_ref()?;
            check_policy(
                &draft(edit, fixed),
                Some(anchors),
                engine.registry(),
                Some(&current),
            )
            .policy
        });
        let removed = match &candidate {
            Some(new) => preview_removals(&mut engine, &channel, new)?,
            None => Vec::new(),
        };
        // Admins who are not members (yet), as the directory knows them.
        if let Some(new) = &candidate {
            let members: Vec<String> = engine
                .members(&channel)?
                .into_iter()
                .map(|m| m.officer_id)
                .collect();
            let others: Vec<&String> = new
                .admins()
                .iter()
                .filter(|a| !members.contains(a))
                .collect();
            issues.extend(directory_admin_issues(
                new,
                &others,
                &directory,
                engine.registry(),
            ));
        }
        for gone in &removed {
            if gone.member.is_self {
                issues.push(PolicyIssue::RemovesYou {
                    reason: gone.reason.clone(),
                });
            } else if edit.admins.contains(&gone.member.officer_id) {
                issues.push(PolicyIssue::AdminNotAdmitted {
                    officer_id: gone.member.officer_id.clone(),
                    display_name: gone.member.display_name.clone(),
                    reason: gone.reason.clone(),
                });
            }
        }
        Ok(PolicyPreview {
            removed,
            allowed: !issues.iter().any(PolicyIssue::refuses),
            issues,
            fixed_default,
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
        let reason = match chains.iter().find(|(id, _)| *id == member.officer_id) {
            Some((_, chain)) => match officer_admission(chain, new, engine.registry()) {
                Err(reason) => reason,
                // The engine found them not complying on a ground this
                // check does not name.
                Ok(_) => AdmissionReason::NotCompliant,
            },
            None => AdmissionReason::CertificateInvalid,
        };
        out.push(RemovedMember { member, reason });
    }
    Ok(out)
}
