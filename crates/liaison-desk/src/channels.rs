//! The channel list, unread counts and read markers.

use std::collections::BTreeSet;

use liaison_proto::Precedence;
use rusqlite::{OptionalExtension as _, params};

use super::error::DeskError;
use super::events::DeskEvent;
use super::label_view::label_view;
use super::views::{ChannelOrigin, ChannelView, ForkView, GapView, PrecedenceView};
use super::{Desk, parse_channel};
use liaison_core::{ChannelId, ChannelSummary, Engine, EngineError};
use liaison_rules::ChannelPolicy;

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Messages in a thread: one index seek.
pub(crate) fn thread_total(engine: &Engine, channel: &ChannelId) -> Result<u64, EngineError> {
    let max: Option<i64> = engine
        .store()
        .connection()
        .prepare_cached("SELECT max(thread_index) FROM messages WHERE group_id = ?1")?
        .query_row([&channel.0], |row| row.get(0))?;
    Ok(max.map_or(0, |m| to_u64(m).saturating_add(1)))
}

/// The read marker: the highest index read, -1 when none.
fn read_up_to(engine: &Engine, channel: &ChannelId) -> Result<i64, EngineError> {
    Ok(engine.read_marker(channel)?.map_or(-1, to_i64))
}

/// The channel's policy as last stored (works for channels left too).
fn stored_policy(engine: &Engine, channel: &ChannelId) -> Result<ChannelPolicy, EngineError> {
    let bytes: Vec<u8> = engine
        .store()
        .connection()
        .prepare_cached("SELECT policy FROM channels WHERE group_id = ?1")?
        .query_row([&channel.0], |row| row.get(0))
        .optional()?
        .ok_or(EngineError::UnknownChannel)?;
    Ok(ChannelPolicy::decode(&bytes, engine.registry())?)
}

/// Messages from others past the read marker: answered from the index
/// `messages_unread` alone (migration 0006), never by reading rows.
pub(crate) const UNREAD_SQL: &str = "SELECT count(*) FROM messages
     WHERE group_id = ?1 AND thread_index > ?2 AND sender_id != ?3";

/// The highest precedence among others' messages this officer has not
/// acknowledged. The literal 2 (IMMEDIATE) lets SQLite use the partial
/// index `messages_asking_ack` (migration 0006).
pub(crate) const AWAITING_PRECEDENCE_SQL: &str = "SELECT max(m.precedence) FROM messages m
     WHERE m.group_id = ?1 AND m.precedence >= 2 AND m.sender_id != ?2
       AND NOT EXISTS (SELECT 1 FROM acks a WHERE a.group_id = m.group_id
                       AND a.message_id = m.message_id AND a.officer_id = ?2)";

fn channel_view(engine: &mut Engine, summary: ChannelSummary) -> Result<ChannelView, DeskError> {
    let channel = &summary.id;
    let policy = stored_policy(engine, channel)?;
    let me = engine.officer_id().to_owned();
    let conn = engine.store().connection();
    let unread: i64 = conn.prepare_cached(UNREAD_SQL)?.query_row(
        params![channel.0, read_up_to(engine, channel)?, me],
        |row| row.get(0),
    )?;
    let last_activity: Option<i64> = conn
        .prepare_cached(
            "SELECT received_at_ms FROM messages WHERE group_id = ?1
             ORDER BY thread_index DESC LIMIT 1",
        )?
        .query_row([&channel.0], |row| row.get(0))
        .optional()?;
    // An imported copy is a record: nothing in it can be acknowledged, so
    // nothing in it awaits the user.
    let awaiting = if summary.origin == liaison_core::ChannelOrigin::Imported {
        Vec::new()
    } else {
        engine.awaiting_acknowledgement(channel)?
    };
    let awaiting_precedence: Option<i64> = if awaiting.is_empty() {
        None
    } else {
        engine
            .store()
            .connection()
            .prepare_cached(AWAITING_PRECEDENCE_SQL)?
            .query_row(params![channel.0, me], |row| row.get(0))?
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
        unread: to_u64(unread),
        awaiting_ack: u64::try_from(awaiting.len()).unwrap_or(u64::MAX),
        awaiting_precedence: awaiting_precedence
            .and_then(|code| u8::try_from(code).ok())
            .and_then(|code| Precedence::from_code(code).ok())
            .map(PrecedenceView::from),
        archived: summary.archived,
        active: summary.active,
        is_admin: policy.is_admin(&me),
        last_activity_ms: last_activity.map(to_u64),
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
            let total = thread_total(&engine, &channel)?;
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
