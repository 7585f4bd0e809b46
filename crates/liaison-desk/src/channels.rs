//! The channel list, unread counts and read markers.

use std::collections::BTreeSet;

use super::error::DeskError;
use super::events::DeskEvent;
use super::label_view::label_view;
use super::views::{ChannelOrigin, ChannelView, ForkView, GapView, PrecedenceView};
use super::{Desk, parse_channel};
use liaison_core::{ChannelSummary, Engine};
use liaison_rules::ChannelPolicy;

fn channel_view(engine: &mut Engine, summary: ChannelSummary) -> Result<ChannelView, DeskError> {
    let channel = &summary.id;
    let policy = engine.stored_policy(channel)?;
    let me = engine.officer_id().to_owned();
    let unread = engine.unread_count(channel)?;
    let last_activity = engine.last_activity(channel)?;
    // An imported copy is a record: nothing in it can be acknowledged, so
    // nothing in it awaits the user.
    let awaiting = if summary.origin == liaison_core::ChannelOrigin::Imported {
        Vec::new()
    } else {
        engine.awaiting_acknowledgement(channel)?
    };
    let awaiting_precedence = if awaiting.is_empty() {
        None
    } else {
        engine.awaiting_precedence(channel)?
    };
    let member_count = if summary.active {
        engine.members(channel).map_or(0, |members| {
            let officers: BTreeSet<String> = members.into_iter().map(|m| m.officer_id).collect();
            u32::try_from(officers.len()).unwrap_or(u32::MAX)
        })
    } else {
        0
    };
    Ok(ChannelView {
        id: channel.to_hex(),
        name: summary.name,
        ceiling: label_view(policy.ceiling()),
        unread,
        awaiting_ack: u64::try_from(awaiting.len()).unwrap_or(u64::MAX),
        awaiting_precedence: awaiting_precedence.map(PrecedenceView::from),
        archived: summary.archived,
        active: summary.active,
        is_admin: policy.is_admin(&me),
        last_activity_ms: last_activity,
        member_count,
        origin: match summary.origin {
            liaison_core::ChannelOrigin::Live => ChannelOrigin::Live,
            liaison_core::ChannelOrigin::Imported => ChannelOrigin::Imported,
        },
        commit_withheld: engine.withheld(channel).is_some(),
        fork: engine.fork(channel)?.map(|fork| ForkView {
            epoch: fork.epoch,
            detected_at_ms: fork.detected_at_ms,
            requested: fork.requested,
        }),
        gaps: engine
            .gaps(channel)?
            .into_iter()
            .map(|gap| GapView {
                fork_epoch: gap.fork_epoch,
                rejoined_epoch: gap.rejoined_epoch,
                detected_at_ms: gap.detected_at_ms,
                rejoined_at_ms: gap.rejoined_at_ms,
            })
            .collect(),
    })
}

impl Desk {
    /// Creates a channel with this profile's officer as its only member
    /// and admin; the runtime registers it with the relay (at once when
    /// online, else when the relay is back). Returns its hex id.
    pub async fn create_channel(&self, policy: ChannelPolicy) -> Result<String, DeskError> {
        let shared = self.shared().await?;
        let channel = shared.engine().await.create_channel(policy)?;
        shared.nudge.notify_one();
        shared.emit(DeskEvent::Channels);
        Ok(channel.to_hex())
    }

    /// Every channel of the profile, by name.
    pub async fn list_channels(&self) -> Result<Vec<ChannelView>, DeskError> {
        let shared = self.shared().await?;
        let mut engine = shared.engine().await;
        let summaries = engine.channels()?;
        summaries
            .into_iter()
            .map(|summary| channel_view(&mut engine, summary))
            .collect()
    }

    /// Records that the user has seen every message up to `up_to_index`.
    /// Markers only move forward; an index past the end is clamped.
    pub async fn mark_read(&self, channel_id: &str, up_to_index: u64) -> Result<(), DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        let changed = {
            let engine = shared.engine().await;
            if !engine.channels()?.iter().any(|c| c.id == channel) {
                return Err(DeskError::NotFound("No such channel.".into()));
            }
            let total = engine.thread_length(&channel)?;
            if total == 0 {
                return Ok(());
            }
            engine.advance_read_marker(&channel, up_to_index.min(total - 1))?
        };
        if changed {
            shared.emit(DeskEvent::Channels);
        }
        Ok(())
    }
}
