//! Applying pushed deliveries and telling the window what changed.

use std::collections::BTreeMap;

use liaison_proto::{Delivery, MessageId, Precedence};

use crate::events::{AcksEvent, DeskEvent, MessagesEvent, Notice};
use crate::shared::Shared;
use crate::views::PrecedenceView;
use liaison_core::{ChannelId, Engine, EngineError, Received};

/// What one batch changed.
#[derive(Debug, Default)]
pub(super) struct Applied {
    /// Channels where another member proposed to leave.
    pub(super) proposals: Vec<ChannelId>,
    /// Whether any event was emitted that changes the channel list.
    pub(super) channels_changed: bool,
}

/// New messages of one channel, for its `messages` event.
#[derive(Default)]
struct ChannelNews {
    count: u64,
    highest: Option<Precedence>,
    notice: Option<(Precedence, Notice)>,
    reordered_from: Option<u64>,
}

/// Tells the window about threads that changed other than at their end
/// (the engine's [`Engine::take_reordered`]), when nothing else did.
pub(super) fn emit_reordered(shared: &Shared, engine: &mut Engine) {
    for (channel, from) in engine.take_reordered() {
        shared.emit(DeskEvent::Messages {
            event: MessagesEvent {
                channel_id: channel.to_hex(),
                new_count: 0,
                highest_precedence: None,
                reordered_from: Some(from),
            },
            notice: None,
        });
    }
}

/// The stored facts a notification needs about one message.
fn notice_of(
    engine: &Engine,
    channel: &ChannelId,
    message_id: MessageId,
) -> Result<Option<(Precedence, Notice, bool)>, EngineError> {
    let Some(notice) = engine.message_notice(channel, message_id)? else {
        return Ok(None);
    };
    let precedence = notice.precedence;
    let mine = notice.sender_id == engine.officer_id();
    Ok(Some((
        precedence,
        Notice {
            channel_name: notice.channel_name,
            sender_name: notice.sender_name,
            portion: notice.portion_marking,
            precedence: precedence.into(),
            exercise: notice.exercise,
            body: notice.body,
        },
        mine,
    )))
}

/// Whether a message of ours (for `acks` events).
fn is_own(
    engine: &Engine,
    channel: &ChannelId,
    message_id: MessageId,
) -> Result<bool, EngineError> {
    let sender = engine.message_sender(channel, message_id)?;
    Ok(sender.as_deref() == Some(engine.officer_id()))
}

/// Applies a batch of deliveries (one transaction, a savepoint each) and
/// emits `messages`, `acks` and `channels` events for what it stored.
pub(super) async fn apply(shared: &Shared, batch: &[Delivery]) -> Result<Applied, EngineError> {
    let mut applied = Applied::default();
    let mut news: BTreeMap<ChannelId, ChannelNews> = BTreeMap::new();
    let mut acks = Vec::new();
    {
        let mut engine = shared.engine().await;
        let results = engine.receive_batch(batch);
        for (delivery, result) in batch.iter().zip(results) {
            let channel = ChannelId(delivery.group_id.clone());
            match result {
                Ok(Received::Message(id)) => {
                    let Some((precedence, notice, mine)) = notice_of(&engine, &channel, id)? else {
                        continue;
                    };
                    let entry = news.entry(channel).or_default();
                    entry.count += 1;
                    entry.highest = entry.highest.max(Some(precedence));
                    let newer_is_at_least_as_urgent =
                        entry.notice.as_ref().is_none_or(|(p, _)| precedence >= *p);
                    if !mine && newer_is_at_least_as_urgent {
                        entry.notice = Some((precedence, notice));
                    }
                }
                Ok(Received::Ack { message_id, .. }) => {
                    if is_own(&engine, &channel, message_id)? {
                        acks.push(AcksEvent {
                            channel_id: channel.to_hex(),
                            message_id: message_id.to_hex(),
                        });
                    }
                }
                Ok(Received::Commit { .. }) => applied.channels_changed = true,
                Ok(Received::Proposal) => applied.proposals.push(channel),
                Ok(Received::OwnEcho | Received::Duplicate) => {}
                // Storage failures stop the batch: report them.
                Err(e @ (EngineError::Store(_) | EngineError::Database(_))) => return Err(e),
                // The channel warns that the relay withholds a commit.
                Err(EngineError::Rule(liaison_rules::RuleViolation::CommitWithheld { .. })) => {
                    applied.channels_changed = true;
                }
                // Refusals are audited by the engine; the others go on.
                Err(_) => {}
            }
        }
        for (channel, from) in engine.take_reordered() {
            news.entry(channel).or_default().reordered_from = Some(from);
        }
    }
    for (channel, channel_news) in news {
        applied.channels_changed = true;
        shared.emit(DeskEvent::Messages {
            event: MessagesEvent {
                channel_id: channel.to_hex(),
                new_count: channel_news.count,
                highest_precedence: channel_news.highest.map(PrecedenceView::from),
                reordered_from: channel_news.reordered_from,
            },
            notice: channel_news.notice.map(|(_, notice)| notice),
        });
    }
    for ack in acks {
        shared.emit(DeskEvent::Acks(ack));
    }
    if applied.channels_changed {
        shared.emit(DeskEvent::Channels);
    }
    Ok(applied)
}
