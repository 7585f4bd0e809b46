//! What the desktop's thread view and channel list read about a channel's
//! messages: pages by thread position, counts, replies and notifications.
//! Every query is the store's ([`crate::store::tables::messages`]); this
//! decodes what it returns.

use liaison_proto::{MessageId, Precedence};
use liaison_rules::Label;

use super::history::stored_message;
use super::{ChannelId, Engine, StoredMessage};
use crate::channel::EngineError;
use crate::store::tables::messages::{self, MessageRecord};

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// A message with its position in the channel's thread.
#[derive(Debug, Clone)]
pub struct ThreadEntry {
    /// The 0-based position in the thread.
    pub index: u64,
    /// The message.
    pub message: StoredMessage,
}

/// What a reply shows of the message it answers.
#[derive(Debug, Clone)]
pub struct RepliedMessage {
    /// The source's sender.
    pub sender_name: String,
    /// The source's text.
    pub body: String,
    /// The source's label.
    pub label: Label,
}

/// What a notification says about a new message.
#[derive(Debug, Clone)]
pub struct MessageNotice {
    /// The sender's officer identifier.
    pub sender_id: String,
    /// The sender's display name.
    pub sender_name: String,
    /// The portion marking.
    pub portion_marking: String,
    /// Precedence.
    pub precedence: Precedence,
    /// Exercise traffic.
    pub exercise: bool,
    /// The text.
    pub body: String,
    /// The channel's partnership name.
    pub channel_name: String,
}

fn corrupt_precedence(code: u8) -> Result<Precedence, EngineError> {
    Precedence::from_code(code).map_err(|e| EngineError::CorruptStore(e.to_string()))
}

impl Engine {
    /// The messages of a channel at thread positions `[start, start +
    /// count)`: one range scan of the position index, so a page costs the
    /// same in a long thread as in a short one.
    pub fn thread_page(
        &self,
        channel: &ChannelId,
        start: u64,
        count: u64,
    ) -> Result<Vec<ThreadEntry>, EngineError> {
        let own = self.own_id_in(channel)?;
        let end = start.saturating_add(count);
        messages::page(self.store.connection(), &channel.0, start, end)?
            .into_iter()
            .map(|record| self.thread_entry_of(record, channel, own))
            .collect()
    }

    /// One message of a channel with its thread position, if present.
    pub fn thread_entry(
        &self,
        channel: &ChannelId,
        message_id: MessageId,
    ) -> Result<Option<ThreadEntry>, EngineError> {
        let own = self.own_id_in(channel)?;
        messages::by_id(self.store.connection(), &channel.0, message_id.0.as_slice())?
            .map(|record| self.thread_entry_of(record, channel, own))
            .transpose()
    }

    fn thread_entry_of(
        &self,
        record: MessageRecord,
        channel: &ChannelId,
        own: Option<&str>,
    ) -> Result<ThreadEntry, EngineError> {
        Ok(ThreadEntry {
            index: record.thread_index,
            message: stored_message(record, channel, &self.registry, own)?,
        })
    }

    /// How many messages a channel's thread holds (one index seek).
    pub fn thread_length(&self, channel: &ChannelId) -> Result<u64, EngineError> {
        Ok(messages::thread_length(
            self.store.connection(),
            &channel.0,
        )?)
    }

    /// Messages from others after the read marker (answered from an index,
    /// never by reading rows).
    pub fn unread_count(&self, channel: &ChannelId) -> Result<u64, EngineError> {
        let read_up_to = self.read_marker(channel)?.map_or(-1, to_i64);
        Ok(messages::unread(
            self.store.connection(),
            &channel.0,
            read_up_to,
            &self.officer_id,
        )?)
    }

    /// When the last message of the thread was received, if any.
    pub fn last_activity(&self, channel: &ChannelId) -> Result<Option<u64>, EngineError> {
        Ok(messages::last_received_at(
            self.store.connection(),
            &channel.0,
        )?)
    }

    /// The highest precedence among the messages
    /// [`Engine::awaiting_acknowledgement`] lists (`None` when there are
    /// none, or the stored code is not a precedence).
    pub fn awaiting_precedence(
        &self,
        channel: &ChannelId,
    ) -> Result<Option<Precedence>, EngineError> {
        let code =
            messages::awaiting_precedence(self.store.connection(), &channel.0, &self.officer_id)?;
        Ok(code
            .and_then(|code| u8::try_from(code).ok())
            .and_then(|code| Precedence::from_code(code).ok()))
    }

    /// The display name an officer sent messages of the channel under, if
    /// they sent any.
    pub fn sender_name(
        &self,
        channel: &ChannelId,
        officer_id: &str,
    ) -> Result<Option<String>, EngineError> {
        Ok(messages::sender_name(
            self.store.connection(),
            &channel.0,
            officer_id,
        )?)
    }

    /// Who sent a message of the channel, if it is stored.
    pub fn message_sender(
        &self,
        channel: &ChannelId,
        message_id: MessageId,
    ) -> Result<Option<String>, EngineError> {
        Ok(messages::sender_id(
            self.store.connection(),
            &channel.0,
            message_id.0.as_slice(),
        )?)
    }

    /// The sender, text and label of a message a reply answers (`id` as
    /// the reply carries it), if the channel holds it.
    pub fn replied_message(
        &self,
        channel: &ChannelId,
        id: &[u8],
    ) -> Result<Option<RepliedMessage>, EngineError> {
        messages::reply_source(self.store.connection(), &channel.0, id)?
            .map(|source| {
                Ok(RepliedMessage {
                    label: Label::from_bytes(&source.label, &self.registry)
                        .map_err(liaison_rules::RuleViolation::from)?,
                    sender_name: source.sender_name,
                    body: source.body,
                })
            })
            .transpose()
    }

    /// What a notification of a stored message says, if it is stored.
    pub fn message_notice(
        &self,
        channel: &ChannelId,
        message_id: MessageId,
    ) -> Result<Option<MessageNotice>, EngineError> {
        messages::notice(self.store.connection(), &channel.0, message_id.0.as_slice())?
            .map(|row| {
                Ok(MessageNotice {
                    precedence: corrupt_precedence(row.precedence)?,
                    sender_id: row.sender_id,
                    sender_name: row.sender_name,
                    portion_marking: row.marking,
                    exercise: row.exercise,
                    body: row.body,
                    channel_name: row.channel_name,
                })
            })
            .transpose()
    }
}
