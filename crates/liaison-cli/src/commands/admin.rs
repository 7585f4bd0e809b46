//! `liaison channel add|remove|promote|demote|policy|leave`: membership and
//! policy changes. Each admin operation is one MLS commit ordered by the
//! relay, rebuilt and retried when it loses an epoch race.

use liaison_core::{
    ChannelId, ChannelPolicy, DeliveryError, DeliveryService, EngineError, HistoryOnRemoval, Label,
    TrustAnchors, commit_with_retry,
};

use super::channel::{channel_ref, history, parse_label};
use crate::args::{AddArgs, ChannelArg, MembersArgs, PolicyArgs, RoleArgs};
use crate::error::CliError;
use crate::output::{
    ChannelRefView, MemberView, MembershipChangeView, PolicyChangeView, PolicySummary,
};
use crate::pem_files::{read_certificates, read_crl};
use crate::resolve;
use crate::session::Session;

/// How many times a commit is rebuilt after losing the race for an epoch.
const COMMIT_ATTEMPTS: u32 = 5;

fn change_view(
    session: &Session,
    channel: &ChannelId,
    action: &str,
    officers: &[String],
    epoch: u64,
) -> Result<MembershipChangeView, CliError> {
    Ok(MembershipChangeView {
        channel: channel_ref(&session.engine, channel)?,
        action: action.to_owned(),
        officers: officers.to_vec(),
        epoch,
    })
}

/// `liaison channel add`: claims each officer's key package from the relay
/// and commits the add; every member checks the admission rule again.
pub async fn add<D: DeliveryService>(
    session: &mut Session,
    relay: &D,
    add: &AddArgs,
) -> Result<MembershipChangeView, CliError> {
    let args = &add.members;
    let channel = resolve::channel(&session.engine, &args.channel)?;
    let mut packages = Vec::with_capacity(args.officers.len());
    for officer in &args.officers {
        let claimed = match &add.authority {
            Some(authority) => relay.claim_key_package_from(officer, authority).await,
            None => relay.claim_key_package(officer).await,
        };
        let package = claimed.map_err(|e| match e {
            DeliveryError::NoKeyPackage(_) => CliError::Usage(format!(
                "{officer} has no key package on the relay: they must run `liaison sync` once \
                 (or check the officer id)"
            )),
            DeliveryError::AmbiguousOfficer(_) => CliError::Usage(format!(
                "officers of several partner authorities use the id {officer}: name the one to \
                 add with --authority <fingerprint of their authority>"
            )),
            other => other.into(),
        })?;
        packages.push(package);
    }
    let epoch = commit_with_retry(&mut session.engine, relay, &channel, COMMIT_ATTEMPTS, |e| {
        e.add_members(&channel, &packages)
    })
    .await?;
    change_view(session, &channel, "add", &args.officers, epoch)
}

/// `liaison channel remove`
pub async fn remove<D: DeliveryService>(
    session: &mut Session,
    relay: &D,
    args: &MembersArgs,
) -> Result<MembershipChangeView, CliError> {
    let channel = resolve::channel(&session.engine, &args.channel)?;
    let officers: Vec<&str> = args.officers.iter().map(String::as_str).collect();
    let epoch = commit_with_retry(&mut session.engine, relay, &channel, COMMIT_ATTEMPTS, |e| {
        e.remove_members(&channel, &officers)
    })
    .await?;
    change_view(session, &channel, "remove", &args.officers, epoch)
}

/// `liaison channel promote` (`admin` true) and `demote` (false): one
/// policy change for all the officers named.
pub async fn set_role<D: DeliveryService>(
    session: &mut Session,
    relay: &D,
    args: &RoleArgs,
    admin: bool,
) -> Result<MembershipChangeView, CliError> {
    let channel = resolve::channel(&session.engine, &args.channel)?;
    if admin {
        let members = session.engine.members(&channel)?;
        if let Some(stranger) = args
            .officers
            .iter()
            .find(|o| !members.iter().any(|m| m.officer_id == **o))
        {
            return Err(EngineError::UnknownMember(stranger.clone()).into());
        }
    }
    let epoch = commit_with_retry(&mut session.engine, relay, &channel, COMMIT_ATTEMPTS, |e| {
        let mut policy = e.policy(&channel)?;
        for officer in &args.officers {
            policy = policy.with_admin(officer, admin)?;
        }
        e.change_policy(&channel, policy)
    })
    .await?;
    let action = if admin { "promote" } else { "demote" };
    change_view(session, &channel, action, &args.officers, epoch)
}

/// A policy change read from the command line, applied to whatever the
/// policy is when the commit is built (so a retry after a lost race keeps
/// the other admin's change).
#[derive(Debug, Clone)]
pub struct PolicyEdit {
    channel: ChannelId,
    labels: Option<(Option<Label>, Option<Label>)>,
    retention_days: Option<u32>,
    history: Option<HistoryOnRemoval>,
    new_anchors: Vec<Vec<u8>>,
    crls: Vec<Vec<u8>>,
}

impl PolicyEdit {
    fn parse(session: &Session, channel: ChannelId, args: &PolicyArgs) -> Result<Self, CliError> {
        let label = |m: &Option<String>| {
            m.as_deref()
                .map(|m| parse_label(&session.engine, m))
                .transpose()
        };
        let labels = match (label(&args.ceiling)?, label(&args.default_label)?) {
            (None, None) => None,
            pair => Some(pair),
        };
        let mut new_anchors = Vec::new();
        for file in &args.add_anchors {
            new_anchors.extend(read_certificates(file)?);
        }
        let crls = args
            .crls
            .iter()
            .map(|file| read_crl(file))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            channel,
            labels,
            retention_days: args.retention_days,
            history: args.history.map(history),
            new_anchors,
            crls,
        })
    }

    /// The policy after this edit.
    fn apply(&self, current: &ChannelPolicy) -> Result<ChannelPolicy, EngineError> {
        let mut policy = current.clone();
        if let Some((ceiling, default_label)) = &self.labels {
            policy = policy.with_labels(
                ceiling.clone().unwrap_or_else(|| current.ceiling().clone()),
                default_label
                    .clone()
                    .unwrap_or_else(|| current.default_label().clone()),
            )?;
        }
        if self.retention_days.is_some() || self.history.is_some() {
            let days = match self.retention_days {
                Some(0) => None,
                Some(days) => Some(days),
                None => current.retention_days(),
            };
            policy = policy.with_retention(
                days,
                self.history.unwrap_or_else(|| current.history_on_removal()),
            );
        }
        if !self.new_anchors.is_empty() || !self.crls.is_empty() {
            let held = current.anchors();
            let mut list = held.anchors().to_vec();
            list.extend(
                self.new_anchors
                    .iter()
                    .filter(|a| !held.anchors().contains(a))
                    .cloned(),
            );
            let mut anchors =
                TrustAnchors::new(list).map_err(liaison_core::ChannelPolicyError::from)?;
            for der in held.intermediates().iter().cloned() {
                anchors = anchors
                    .with_intermediate(der)
                    .map_err(liaison_core::ChannelPolicyError::from)?;
            }
            for der in held.crls().iter().chain(&self.crls).cloned() {
                anchors = anchors
                    .with_crl(der)
                    .map_err(liaison_core::ChannelPolicyError::from)?;
            }
            policy = policy.with_anchors(anchors)?;
        }
        Ok(policy)
    }
}

/// `liaison channel policy`, first step: the change and whom it removes.
/// Returns the edit to apply when the change should go ahead now (not a
/// dry run, and confirmed if it removes anyone).
pub fn policy_preview(
    session: &mut Session,
    args: &PolicyArgs,
) -> Result<(PolicyChangeView, Option<PolicyEdit>), CliError> {
    let channel = resolve::channel(&session.engine, &args.channel)?;
    let edit = PolicyEdit::parse(session, channel.clone(), args)?;
    let current = session.engine.policy(&channel)?;
    let proposed = edit.apply(&current)?;
    if proposed == current {
        return Err(CliError::Usage(
            "nothing to change: give --ceiling, --default, --retention-days, --history, \
             --add-anchor or --crl"
                .into(),
        ));
    }
    let removes: Vec<MemberView> = session
        .engine
        .preview_policy_change(&channel, &proposed)?
        .iter()
        .map(MemberView::from)
        .collect();
    let needs_confirmation = !removes.is_empty() && !args.yes && !args.dry_run;
    let view = PolicyChangeView {
        channel: channel_ref(&session.engine, &channel)?,
        before: PolicySummary::from(&current),
        after: PolicySummary::from(&proposed),
        removes,
        applied: false,
        needs_confirmation,
        epoch: None,
    };
    let go = !args.dry_run && !needs_confirmation;
    Ok((view, go.then_some(edit)))
}

/// `liaison channel policy`, second step: commit the change (removing, in
/// the same commit, the members who no longer comply).
pub async fn policy_apply<D: DeliveryService>(
    session: &mut Session,
    relay: &D,
    mut view: PolicyChangeView,
    edit: PolicyEdit,
) -> Result<PolicyChangeView, CliError> {
    let channel = edit.channel.clone();
    let epoch = commit_with_retry(&mut session.engine, relay, &channel, COMMIT_ATTEMPTS, |e| {
        let policy = edit.apply(&e.policy(&channel)?)?;
        e.change_policy(&channel, policy)
    })
    .await?;
    view.applied = true;
    view.epoch = Some(epoch);
    Ok(view)
}

/// `liaison channel leave`, local step: queues our removal proposal.
pub fn leave(session: &mut Session, args: &ChannelArg) -> Result<ChannelRefView, CliError> {
    let channel = resolve::channel(&session.engine, &args.channel)?;
    session.engine.leave(&channel)?;
    channel_ref(&session.engine, &channel)
}
