//! Thread pages for a virtualised list: messages by index range, each
//! with its label, verification, acknowledgements and reply excerpt.
//!
//! A page costs one index range scan on `(group_id, thread_index)` plus
//! indexed lookups per message, so it is proportional to the page, not to
//! the thread (a thread of 100,000 messages pages as fast as a short one).

use std::collections::HashMap;

use liaison_proto::{MessageId, Precedence};
use rusqlite::{OptionalExtension as _, Row, params};

use super::channels::thread_total;
use super::error::DeskError;
use super::label_view::{higher, label_view};
use super::views::{
    AckView, MessageView, PrecedenceView, ReplyView, ThreadPage, VerificationState,
};
use super::{Desk, parse_channel};
use liaison_core::{ChannelId, ChannelOrigin, Engine, EngineError, Verification};
use liaison_rules::Label;

/// Most messages in one page.
pub const MAX_PAGE: u64 = 500;
/// Characters of a replied-to message shown beside the reply.
const EXCERPT_CHARS: usize = 140;

const COLUMNS: &str = "thread_index, message_id, seq, sender_id, sender_name, sender_nation, \
                       label, precedence, exercise, body, ref_id, sent_at_ms, received_at_ms, \
                       verification, coalesce(substr(envelope, 1, 1) != x'01', 0)";

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn message_id(bytes: &[u8]) -> Result<MessageId, EngineError> {
    <[u8; 16]>::try_from(bytes)
        .map(MessageId)
        .map_err(|_| EngineError::CorruptStore("a stored message id is not 16 bytes".into()))
}

/// One row as read, before its acknowledgements and reply are looked up.
struct ThreadRow {
    index: i64,
    id: Vec<u8>,
    seq: Option<i64>,
    sender_id: String,
    sender_name: String,
    sender_nation: String,
    label: Vec<u8>,
    precedence: u8,
    exercise: bool,
    body: String,
    ref_id: Option<Vec<u8>>,
    sent_at_ms: i64,
    received_at_ms: i64,
    verification: String,
    context_signed: bool,
}

fn read_row(row: &Row<'_>) -> rusqlite::Result<ThreadRow> {
    Ok(ThreadRow {
        index: row.get(0)?,
        id: row.get(1)?,
        seq: row.get(2)?,
        sender_id: row.get(3)?,
        sender_name: row.get(4)?,
        sender_nation: row.get(5)?,
        label: row.get(6)?,
        precedence: row.get(7)?,
        exercise: row.get(8)?,
        body: row.get(9)?,
        ref_id: row.get(10)?,
        sent_at_ms: row.get(11)?,
        received_at_ms: row.get(12)?,
        verification: row.get(13)?,
        context_signed: row.get(14)?,
    })
}

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

    fn label(&self, bytes: &[u8]) -> Result<Label, EngineError> {
        Label::from_bytes(bytes, self.engine.registry())
            .map_err(|e| liaison_rules::RuleViolation::from(e).into())
    }

    /// A display name for an officer of this channel, from their messages.
    fn name_of(&mut self, officer_id: &str) -> Result<String, EngineError> {
        if let Some(name) = self.names.get(officer_id) {
            return Ok(name.clone());
        }
        let name: Option<String> = self
            .engine
            .store()
            .connection()
            .prepare_cached(
                "SELECT sender_name FROM messages WHERE group_id = ?1 AND sender_id = ?2 LIMIT 1",
            )?
            .query_row(params![self.channel.0, officer_id], |row| row.get(0))
            .optional()?;
        let name = name.unwrap_or_else(|| officer_id.to_owned());
        self.names.insert(officer_id.to_owned(), name.clone());
        Ok(name)
    }

    fn reply(&self, id: &[u8]) -> Result<ReplyView, EngineError> {
        let source = self
            .engine
            .store()
            .connection()
            .prepare_cached(
                "SELECT sender_name, body, label FROM messages WHERE group_id = ?1 AND message_id = ?2",
            )?
            .query_row(params![self.channel.0, id], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Vec<u8>>(2)?,
                ))
            })
            .optional()?;
        Ok(match source {
            Some((sender_name, body, label)) => ReplyView {
                id: hex::encode(id),
                sender_name: Some(sender_name),
                excerpt: Some(excerpt(&body)),
                label: Some(label_view(&self.label(&label)?)),
            },
            None => ReplyView {
                id: hex::encode(id),
                sender_name: None,
                excerpt: None,
                label: None,
            },
        })
    }

    fn view(&mut self, row: ThreadRow) -> Result<MessageView, EngineError> {
        let engine = self.engine;
        let me = engine.officer_id();
        let mine = self.live()? && row.sender_id == me;
        // The state recorded at receipt (always verified for live traffic)
        // or by the offline verification of an imported archive.
        let verification = match Verification::from_stored(&row.verification, mine)? {
            Verification::Verified => VerificationState::Verified,
            Verification::Own => VerificationState::Own,
            Verification::Unverified => VerificationState::Unverified,
            Verification::Tampered => VerificationState::Tampered,
        };
        let id = message_id(&row.id)?;
        let precedence = Precedence::from_code(row.precedence)
            .map_err(|e| EngineError::CorruptStore(e.to_string()))?;
        let precedence = PrecedenceView::from(precedence);
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
        let reply_to = match &row.ref_id {
            Some(source) => Some(self.reply(source)?),
            None => None,
        };
        Ok(MessageView {
            id: id.to_hex(),
            index: to_u64(row.index),
            verification,
            context_signed: row.context_signed,
            label: label_view(&self.label(&row.label)?),
            precedence,
            exercise: row.exercise,
            body: row.body,
            reply_to,
            sent_at_ms: to_u64(row.sent_at_ms),
            received_at_ms: to_u64(row.received_at_ms),
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
        let end = start.saturating_add(count);
        let rows: Vec<ThreadRow> = {
            let mut statement = self.engine.store().connection().prepare_cached(&format!(
                "SELECT {COLUMNS} FROM messages
                 WHERE group_id = ?1 AND thread_index >= ?2 AND thread_index < ?3
                 ORDER BY thread_index"
            ))?;
            let found = statement.query_map(
                params![
                    self.channel.0,
                    i64::try_from(start).unwrap_or(i64::MAX),
                    i64::try_from(end).unwrap_or(i64::MAX)
                ],
                read_row,
            )?;
            found.collect::<Result<_, _>>()?
        };
        rows.into_iter().map(|row| self.view(row)).collect()
    }

    /// One message by id.
    pub(crate) fn message(&mut self, id: MessageId) -> Result<MessageView, EngineError> {
        let row = self
            .engine
            .store()
            .connection()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM messages WHERE group_id = ?1 AND message_id = ?2"
            ))?
            .query_row(params![self.channel.0, id.0.as_slice()], read_row)
            .optional()?
            .ok_or_else(|| EngineError::UnknownMessage(id.to_hex()))?;
        self.view(row)
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
        let total = thread_total(&engine, &channel)?;
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
