//! Thread pages for a virtualised list: messages by index range, each
//! with its label, verification, acknowledgements and reply excerpt.
//!
//! A page costs one index range scan on `(group_id, thread_index)` plus
//! indexed lookups per message, so it is proportional to the page, not to
//! the thread (a thread of 100,000 messages pages as fast as a short one).

use std::collections::HashMap;

use liaison_proto::{MessageId, TrafficKind};

use super::error::DeskError;
use super::label_view::{higher, label_view};
use super::views::{
    AckView, MessageView, PrecedenceView, ReplyView, ThreadPage, VerificationState,
};
use super::{Desk, parse_channel};
use liaison_core::{ChannelId, ChannelOrigin, Engine, EngineError, ThreadEntry, Verification};

/// Most messages in one page.
pub const MAX_PAGE: u64 = 500;
/// Characters of a replied-to message shown beside the reply.
const EXCERPT_CHARS: usize = 140;

fn excerpt(body: &str) -> String {
    let mut chars = body.chars();
    let head: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

/// Builds message views for a thread; remembers names across a page.
pub(crate) struct ThreadReader<'a> {
    engine: &'a Engine,
    channel: &'a ChannelId,
    names: HashMap<String, String>,
    /// Whether the channel is live (not imported), once looked up: only in
    /// a live channel is a message from this officer's id their own.
    live: Option<bool>,
}

impl<'a> ThreadReader<'a> {
    pub(crate) fn new(engine: &'a Engine, channel: &'a ChannelId) -> Self {
        Self {
            engine,
            channel,
            names: HashMap::new(),
            live: None,
        }
    }

    fn live(&mut self) -> Result<bool, EngineError> {
        if let Some(live) = self.live {
            return Ok(live);
        }
        let origin = self.engine.channel_origin(self.channel)?;
        let live = origin != Some(ChannelOrigin::Imported);
        self.live = Some(live);
        Ok(live)
    }

    /// A display name for an officer of this channel, from their messages.
    fn name_of(&mut self, officer_id: &str) -> Result<String, EngineError> {
        if let Some(name) = self.names.get(officer_id) {
            return Ok(name.clone());
        }
        let name = self
            .engine
            .sender_name(self.channel, officer_id)?
            .unwrap_or_else(|| officer_id.to_owned());
        self.names.insert(officer_id.to_owned(), name.clone());
        Ok(name)
    }

    fn reply(&self, id: MessageId) -> Result<ReplyView, EngineError> {
        let source = self.engine.replied_message(self.channel, id.0.as_slice())?;
        Ok(match source {
            Some(source) => ReplyView {
                id: id.to_hex(),
                sender_name: Some(source.sender_name),
                excerpt: Some(excerpt(&source.body)),
                label: Some(label_view(&source.label)),
            },
            None => ReplyView {
                id: id.to_hex(),
                sender_name: None,
                excerpt: None,
                label: None,
            },
        })
    }

    fn view(&mut self, entry: ThreadEntry) -> Result<MessageView, EngineError> {
        let engine = self.engine;
        let me = engine.officer_id();
        let row = entry.message;
        let mine = self.live()? && row.sender_id == me;
        // The state recorded at receipt (always verified for live traffic)
        // or by the offline verification of an imported archive.
        let verification = match row.verification {
            Verification::Verified => VerificationState::Verified,
            Verification::Own => VerificationState::Own,
            Verification::Unverified => VerificationState::Unverified,
            Verification::Tampered => VerificationState::Tampered,
        };
        let id = row.message_id;
        let precedence = PrecedenceView::from(row.precedence);
        let ack_requested = precedence.asks_acknowledgement();
        let mut acks = Vec::new();
        let mut acknowledged_by_me = false;
        if ack_requested {
            for ack in self.engine.acknowledgements(self.channel, id)? {
                if mine {
                    acks.push(AckView {
                        display_name: self.name_of(&ack.officer_id)?,
                        officer_id: ack.officer_id,
                        at_ms: ack.at_ms,
                    });
                } else if ack.officer_id == me {
                    acknowledged_by_me = true;
                }
            }
        }
        let reply_to = match row.reference {
            Some((_, source)) => Some(self.reply(source)?),
            None => None,
        };
        Ok(MessageView {
            id: id.to_hex(),
            index: entry.index,
            verification,
            context_signed: row.context_signed,
            label: label_view(&row.label),
            precedence,
            exercise: row.kind == TrafficKind::Exercise,
            body: row.body,
            reply_to,
            sent_at_ms: row.sent_at_ms,
            received_at_ms: row.received_at_ms,
            mine,
            ack_requested,
            acknowledged_by_me,
            acks,
            pending: mine && row.seq.is_none(),
            sender_id: row.sender_id,
            sender_name: row.sender_name,
            sender_nation: row.sender_nation,
        })
    }

    /// Messages with index in `[start, start + count)`.
    pub(crate) fn page(&mut self, start: u64, count: u64) -> Result<Vec<MessageView>, EngineError> {
        self.engine
            .thread_page(self.channel, start, count)?
            .into_iter()
            .map(|entry| self.view(entry))
            .collect()
    }

    /// One message by id.
    pub(crate) fn message(&mut self, id: MessageId) -> Result<MessageView, EngineError> {
        let entry = self
            .engine
            .thread_entry(self.channel, id)?
            .ok_or_else(|| EngineError::UnknownMessage(id.to_hex()))?;
        self.view(entry)
    }
}

impl Desk {
    /// Messages `[start, start + count)` of a channel (count capped at 500).
    pub async fn thread_page(
        &self,
        channel_id: &str,
        start: u64,
        count: u64,
    ) -> Result<ThreadPage, DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        let engine = shared.engine().await;
        if !engine.channels()?.iter().any(|c| c.id == channel) {
            return Err(DeskError::NotFound("No such channel.".into()));
        }
        let total = engine.thread_length(&channel)?;
        let messages = ThreadReader::new(&engine, &channel).page(start, count.min(MAX_PAGE))?;
        let highest = messages
            .iter()
            .fold(None, |held, message| higher(held, &message.label));
        Ok(ThreadPage {
            channel_id: channel.to_hex(),
            total,
            start,
            messages,
            highest,
        })
    }
}
