//! `liaison sync`, and the delivery steps other commands share: flushing
//! the outbox and keeping key packages published.

use std::collections::HashMap;

use liaison_core::{
    ChannelId, DeliveryError, DeliveryService, Engine, SyncError, flush_outbox, sync as core_sync,
};

use crate::error::CliError;
use crate::output::{
    AnchorAddedView, ChannelRefView, DeliveryView, ForkView, GapView, HeldView, ReaddedView,
    SyncView, WithheldView,
};
use crate::session::Session;

/// Below this many one-time key packages on the relay, publish more.
const KEY_PACKAGES_LOW: u32 = 2;
/// How many one-time key packages to keep on the relay.
const KEY_PACKAGES_TARGET: u32 = 8;

/// Whether an error means the relay could not be reached (as opposed to a
/// refusal or a local failure).
pub(crate) fn unreachable_reason(error: &CliError) -> Option<String> {
    match error {
        CliError::RelayUnavailable(reason) => Some(reason.clone()),
        CliError::NoRelayConfigured => Some(error.to_string()),
        CliError::Delivery(DeliveryError::Unavailable(reason))
        | CliError::Sync(SyncError::Delivery(DeliveryError::Unavailable(reason))) => {
            Some(reason.clone())
        }
        _ => None,
    }
}

/// Flushes the outbox to a relay, if one could be reached. A relay that
/// cannot be reached leaves everything queued and is reported in the view;
/// any other failure is an error.
pub async fn deliver<D: DeliveryService>(
    engine: &mut Engine,
    relay: Result<D, CliError>,
) -> Result<DeliveryView, CliError> {
    let relay = match relay {
        Ok(relay) => relay,
        Err(error) => {
            return match unreachable_reason(&error) {
                Some(reason) => Ok(DeliveryView::unreachable(reason)),
                None => Err(error),
            };
        }
    };
    match flush_outbox(engine, &relay).await {
        Ok(_) => Ok(if engine.outbox()?.is_empty() {
            DeliveryView::delivered()
        } else {
            DeliveryView::offline()
        }),
        Err(error) => {
            let error = CliError::from(error);
            match unreachable_reason(&error) {
                Some(reason) => Ok(DeliveryView::unreachable(reason)),
                None => Err(error),
            }
        }
    }
}

/// Publishes key packages when the relay holds few of ours, so admins can
/// add us. Returns how many were published.
pub(crate) async fn replenish_key_packages<D: DeliveryService>(
    engine: &mut Engine,
    relay: &D,
) -> Result<usize, CliError> {
    let (count, last_resort) = relay.key_package_count().await?;
    if count >= KEY_PACKAGES_LOW && last_resort {
        return Ok(0);
    }
    let wanted = usize::try_from(KEY_PACKAGES_TARGET.saturating_sub(count)).unwrap_or(0);
    let packages = engine.generate_key_packages(wanted, !last_resort)?;
    let published = packages.len();
    relay.publish_key_packages(packages).await?;
    Ok(published)
}

/// Per channel: whether we are a member, and how many messages are stored.
pub(crate) fn snapshot(engine: &Engine) -> Result<HashMap<ChannelId, (bool, usize)>, CliError> {
    let mut out = HashMap::new();
    for summary in engine.channels()? {
        let count = engine.messages(&summary.id)?.len();
        out.insert(summary.id, (summary.active, count));
    }
    Ok(out)
}

/// `liaison sync`: publish key packages if needed, join from Welcomes,
/// flush the outbox, pull every channel, commit pending departures.
pub async fn sync<D: DeliveryService>(
    session: &mut Session,
    relay: &D,
) -> Result<SyncView, CliError> {
    let engine = &mut session.engine;
    let mut published = replenish_key_packages(engine, relay).await?;
    let before = snapshot(engine)?;
    // Gaps recorded from now on are the rejoins of this sync.
    let started_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
    let report = core_sync(engine, relay).await?;
    let mut view = SyncView {
        applied: report.applied,
        refused: report.refused,
        join_error: report.join_error.clone(),
        repair_error: report.repair_error.clone(),
        ..SyncView::default()
    };
    if !report.invitations_held.is_empty() {
        for invitation in engine.invitations()? {
            if report.invitations_held.contains(&invitation.id) {
                view.invitations_held.push(HeldView {
                    id: invitation.id,
                    channel: ChannelRefView::new(&invitation.channel, &invitation.channel_name),
                });
            }
        }
    }
    for summary in engine.channels()? {
        let count = engine.messages(&summary.id)?.len();
        let channel = ChannelRefView::new(&summary.id, &summary.name);
        if let Some((_, ours, theirs)) = report.withheld.iter().find(|(c, ..)| *c == summary.id) {
            view.withheld.push(WithheldView {
                channel: channel.clone(),
                our_epoch: *ours,
                their_epoch: *theirs,
            });
        }
        if let Some(fork) = engine.fork(&summary.id)? {
            view.forks.push(ForkView {
                channel: channel.clone(),
                epoch: fork.epoch,
                requested: fork.requested,
            });
        }
        if let Some(gap) = engine
            .gaps(&summary.id)?
            .last()
            .filter(|gap| gap.rejoined_at_ms >= started_ms)
        {
            view.rejoined.push(GapView::new(channel.clone(), gap));
        }
        for (_, officer) in report
            .repair
            .readded
            .iter()
            .filter(|(c, _)| *c == summary.id)
        {
            view.readded.push(ReaddedView {
                channel: channel.clone(),
                officer_id: officer.clone(),
            });
        }
        match before.get(&summary.id) {
            None => {
                view.new_messages += count;
                view.joined.push(channel.clone());
            }
            Some((was_active, was_count)) => {
                view.new_messages += count.saturating_sub(*was_count);
                if *was_active && !summary.active {
                    view.removed_from.push(channel.clone());
                }
            }
        }
        if summary.active {
            view.awaiting_ack += engine.awaiting_acknowledgement(&summary.id)?.len();
        }
    }
    let names: HashMap<ChannelId, String> = engine
        .channels()?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    for (channel, anchor) in &report.anchors_added {
        let name = names.get(channel).map_or("", String::as_str);
        view.anchors_added.push(AnchorAddedView {
            channel: ChannelRefView::new(channel, name),
            authority: anchor.into(),
        });
    }
    if !view.joined.is_empty() {
        // Joining consumed key packages.
        published += replenish_key_packages(engine, relay).await?;
    }
    view.key_packages_published = published;
    Ok(view)
}
