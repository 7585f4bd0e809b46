//! Reading and writing the message history: messages, acknowledgements,
//! channel summaries.

use liaison_proto::{Envelope, MessageId, Precedence, ReferenceKind, TrafficKind};
use rusqlite::Connection;

use super::{ChannelId, Engine};
use crate::archive::{ChannelOrigin, Verification};
use crate::channel::EngineError;
pub(super) use crate::store::tables::messages::Stored;
use crate::store::tables::messages::{self, LabelColumns, MessageRecord, MessageRow, Placement};
use crate::store::tables::{acks, channels, read_markers};
use liaison_identity::OfficerAttributes;
use liaison_rules::{Label, PolicyRegistry};

/// A message as kept in the encrypted store.
#[derive(Debug, Clone)]
pub struct StoredMessage {
    /// The channel.
    pub channel: ChannelId,
    /// Sender-chosen identifier.
    pub message_id: MessageId,
    /// Relay order, once known.
    pub seq: Option<u64>,
    /// MLS epoch it was sent in.
    pub epoch: u64,
    /// Sender's officer identifier.
    pub sender_id: String,
    /// Sender's display name.
    pub sender_name: String,
    /// Sender's nationality (ISO 3166 alpha-3).
    pub sender_nation: String,
    /// The label.
    pub label: Label,
    /// The portion marking shown beside the message (rule 7).
    pub portion_marking: String,
    /// Precedence.
    pub precedence: Precedence,
    /// Exercise or operation.
    pub kind: TrafficKind,
    /// The text.
    pub body: String,
    /// The source it replies to, quotes or forwards.
    pub reference: Option<(ReferenceKind, MessageId)>,
    /// Sender's clock.
    pub sent_at_ms: u64,
    /// Our clock at receipt (or at sending, for our own).
    pub received_at_ms: u64,
    /// How far the message is trusted: checked at receipt, our own, or the
    /// outcome of an imported archive's offline verification.
    pub verification: Verification,
    /// Whether the sender's signature covers the channel and epoch the
    /// message was sent in (envelope version 2). A version 1 message, from
    /// an older sender or an older archive, is shown marked: its signature
    /// does not say which channel it belongs to.
    pub context_signed: bool,
}

/// Who acknowledged a message, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    /// The acknowledging officer.
    pub officer_id: String,
    /// When we recorded it.
    pub at_ms: u64,
}

/// What `insert_message` needs; borrowed from the send or receive path.
pub(super) struct StoredMessageRow<'a> {
    pub(super) envelope: &'a Envelope,
    pub(super) encoded: &'a [u8],
    pub(super) signature: &'a [u8; 64],
    pub(super) label: &'a Label,
    pub(super) sender: &'a OfficerAttributes,
    pub(super) sender_chain: &'a [u8],
    pub(super) seq: Option<u64>,
    pub(super) epoch: u64,
    pub(super) received_at_ms: u64,
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// Stores a message at its place in the relay's order (our own, without a
/// relay position yet, at the end, pending): the thread order is kept by
/// [`crate::store::tables::messages`]. Returns `Stored::Duplicate` when a
/// message with this identifier is already in the channel (a replay under a
/// new ciphertext), which is then left untouched.
pub(super) fn insert_message(
    conn: &Connection,
    channel: &ChannelId,
    row: &StoredMessageRow<'_>,
) -> Result<Stored, EngineError> {
    let envelope = row.envelope;
    let label = LabelColumns::of(row.label);
    let columns = MessageRow {
        message_id: &envelope.message_id.0,
        seq: row.seq,
        epoch: row.epoch,
        sender_id: row.sender.officer_id(),
        sender_name: row.sender.display_name(),
        sender_nation: row.sender.nationality().as_str(),
        label: &label,
        precedence: envelope.precedence,
        exercise: envelope.kind == TrafficKind::Exercise,
        body: &envelope.body,
        reference: envelope
            .reference
            .as_ref()
            .map(|r| (r.kind, r.message_id.0)),
        sent_at_ms: envelope.sent_at_ms,
        received_at_ms: row.received_at_ms,
        envelope: row.encoded,
        signature: row.signature.as_slice(),
        sender_chain: row.sender_chain,
        verification: Verification::Verified,
    };
    Ok(messages::insert(
        conn,
        &channel.0,
        &columns,
        Placement::RelayOrder,
    )?)
}

/// The relay ordered one of our own messages at `seq`: see
/// [`messages::place_own`].
pub(super) fn place_own_message(
    conn: &Connection,
    channel: &ChannelId,
    message_id: &[u8],
    seq: u64,
) -> Result<Option<u64>, EngineError> {
    Ok(messages::place_own(conn, &channel.0, message_id, seq)?)
}

/// The label of a stored message, in any channel. Only verified copies
/// count: an imported message flagged unverified or tampered must never
/// decide the label a reply or forward inherits.
pub(super) fn message_label(
    conn: &Connection,
    registry: &PolicyRegistry,
    message_id: MessageId,
) -> Result<Option<Label>, EngineError> {
    let bytes = messages::verified_label(conn, message_id.0.as_slice())?;
    match bytes {
        None => Ok(None),
        Some(bytes) => Ok(Some(
            Label::from_bytes(&bytes, registry).map_err(liaison_rules::RuleViolation::from)?,
        )),
    }
}

/// Records an acknowledgement (idempotent); true when it is new.
pub(super) fn insert_ack(
    conn: &Connection,
    channel: &ChannelId,
    message_id: MessageId,
    officer_id: &str,
    at_ms: u64,
) -> Result<bool, EngineError> {
    Ok(acks::insert(
        conn,
        &channel.0,
        message_id.0.as_slice(),
        officer_id,
        at_ms,
    )?)
}

/// A message as the audit log names it when it is acknowledged: its
/// sender, marking and precedence when it is held here, its id always.
pub(super) fn acked_message(
    conn: &Connection,
    registry: &PolicyRegistry,
    channel: &ChannelId,
    message_id: MessageId,
) -> Result<crate::audit::AckedMessage, EngineError> {
    let notice = messages::notice(conn, &channel.0, message_id.0.as_slice())?;
    // The full marking, not the portion marking the thread shows.
    let marking = message_label(conn, registry, message_id)?.map(|label| label.marking());
    Ok(match notice {
        Some(row) => crate::audit::AckedMessage {
            id: message_id.to_hex(),
            sender: Some(crate::audit::Officer::new(row.sender_id, row.sender_name)),
            marking: marking.or(Some(row.marking)),
            precedence: liaison_proto::Precedence::from_code(row.precedence)
                .ok()
                .map(precedence_name),
        },
        None => crate::audit::AckedMessage {
            id: message_id.to_hex(),
            sender: None,
            marking: None,
            precedence: None,
        },
    })
}

/// A precedence as the apps name it (`flash`, `immediate`…).
fn precedence_name(precedence: liaison_proto::Precedence) -> &'static str {
    match precedence {
        liaison_proto::Precedence::Routine => "routine",
        liaison_proto::Precedence::Priority => "priority",
        liaison_proto::Precedence::Immediate => "immediate",
        liaison_proto::Precedence::Flash => "flash",
    }
}

fn message_id(bytes: Vec<u8>) -> Result<MessageId, EngineError> {
    <[u8; 16]>::try_from(bytes.as_slice())
        .map(MessageId)
        .map_err(|_| EngineError::CorruptStore("a stored message id is not 16 bytes".into()))
}

/// Decodes a stored message row. `own_id` is this officer's id in a live
/// channel (`None` in an imported one), to tell our own messages.
pub(crate) fn stored_message(
    record: MessageRecord,
    channel: &ChannelId,
    registry: &PolicyRegistry,
    own_id: Option<&str>,
) -> Result<StoredMessage, EngineError> {
    let verification = Verification::from_stored(
        &record.verification,
        own_id == Some(record.sender_id.as_str()),
    )?;
    let reference = match (record.ref_kind, record.ref_id) {
        (Some(kind), Some(id)) => Some((
            ReferenceKind::from_code(kind).map_err(|e| EngineError::CorruptStore(e.to_string()))?,
            message_id(id)?,
        )),
        _ => None,
    };
    Ok(StoredMessage {
        channel: channel.clone(),
        message_id: message_id(record.message_id)?,
        seq: record.seq,
        epoch: record.epoch,
        sender_id: record.sender_id,
        sender_name: record.sender_name,
        sender_nation: record.sender_nation,
        label: Label::from_bytes(&record.label, registry)
            .map_err(liaison_rules::RuleViolation::from)?,
        portion_marking: record.marking,
        precedence: Precedence::from_code(record.precedence)
            .map_err(|e| EngineError::CorruptStore(e.to_string()))?,
        kind: if record.exercise {
            TrafficKind::Exercise
        } else {
            TrafficKind::Operation
        },
        body: record.body,
        reference,
        sent_at_ms: record.sent_at_ms,
        received_at_ms: record.received_at_ms,
        verification,
        context_signed: record.context_signed,
    })
}

/// A channel in this profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelSummary {
    /// Its identifier.
    pub id: ChannelId,
    /// Partnership name.
    pub name: String,
    /// Archived (read-only).
    pub archived: bool,
    /// Still a member.
    pub active: bool,
    /// A live channel, or one imported from an archive file.
    pub origin: ChannelOrigin,
    /// For a channel this officer is no longer a member of: how that came
    /// about, when known.
    pub departure: Option<Departure>,
}

/// How an officer stopped being a member of a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Departure {
    /// The officer asked to leave.
    Left,
    /// A commit removed the officer (an admin's removal, a policy the
    /// officer no longer meets, an expired certificate).
    Removed,
}

impl Engine {
    /// The channels of this profile, active and past.
    pub fn channels(&self) -> Result<Vec<ChannelSummary>, EngineError> {
        channels::list(self.store.connection())?
            .into_iter()
            .map(|row| {
                Ok(ChannelSummary {
                    origin: ChannelOrigin::parse(&row.origin)?,
                    id: ChannelId(row.group_id),
                    name: row.name,
                    archived: row.archived,
                    active: row.active,
                    departure: match (row.active, row.departure.as_deref()) {
                        (true, _) | (false, None) => None,
                        (false, Some("removed")) => Some(Departure::Removed),
                        (false, Some(_)) => Some(Departure::Left),
                    },
                })
            })
            .collect()
    }

    /// Every stored message of a channel, oldest first.
    pub fn messages(&self, channel: &ChannelId) -> Result<Vec<StoredMessage>, EngineError> {
        let own = self.own_id_in(channel)?;
        messages::thread(self.store.connection(), &channel.0)?
            .into_iter()
            .map(|record| stored_message(record, channel, &self.registry, own))
            .collect()
    }

    /// One stored message of a channel, if present (a reply or an
    /// acknowledgement looks up its source without reading the whole
    /// history).
    pub fn message(
        &self,
        channel: &ChannelId,
        message_id: MessageId,
    ) -> Result<Option<StoredMessage>, EngineError> {
        Ok(self
            .thread_entry(channel, message_id)?
            .map(|entry| entry.message))
    }

    /// This officer's id when `channel` is live, `None` when it was
    /// imported: only in a live channel is a message from this id our own.
    pub(super) fn own_id_in(&self, channel: &ChannelId) -> Result<Option<&str>, EngineError> {
        let live = crate::archive::channel_origin(self.store.connection(), channel)?
            != Some(ChannelOrigin::Imported);
        Ok(live.then_some(self.officer_id.as_str()))
    }

    /// Who has acknowledged a message.
    pub fn acknowledgements(
        &self,
        channel: &ChannelId,
        message_id: MessageId,
    ) -> Result<Vec<Acknowledgement>, EngineError> {
        Ok(
            acks::of_message(self.store.connection(), &channel.0, message_id.0.as_slice())?
                .into_iter()
                .map(|(officer_id, at_ms)| Acknowledgement { officer_id, at_ms })
                .collect(),
        )
    }

    /// FLASH and IMMEDIATE messages from others that we have not acknowledged.
    pub fn awaiting_acknowledgement(
        &self,
        channel: &ChannelId,
    ) -> Result<Vec<MessageId>, EngineError> {
        messages::awaiting_ack(self.store.connection(), &channel.0, &self.officer_id)?
            .into_iter()
            .map(message_id)
            .collect()
    }
}

impl Engine {
    /// The highest thread position the officer has read in a channel, if
    /// any (the desktop's read marker).
    pub fn read_marker(&self, channel: &ChannelId) -> Result<Option<u64>, EngineError> {
        Ok(read_markers::read_up_to(self.store.connection(), &channel.0)?.map(to_u64))
    }

    /// Moves a channel's read marker forward to `up_to` (never back; the
    /// caller clamps it to the thread). Returns whether it moved.
    pub fn advance_read_marker(
        &self,
        channel: &ChannelId,
        up_to: u64,
    ) -> Result<bool, EngineError> {
        Ok(read_markers::advance(
            self.store.connection(),
            &channel.0,
            to_i64(up_to),
            to_i64(self.now_ms()),
        )?)
    }

    /// Renumbers every thread whose positions are not 0 to n - 1 (after
    /// retention deleted messages, or a renumbering interrupted before it
    /// ended), keeping their order and what the read markers cover; one
    /// transaction per channel. Returns how many threads it renumbered.
    pub fn compact_threads(&self) -> Result<usize, EngineError> {
        let gapped = messages::gapped_threads(self.store.connection())?;
        for group_id in &gapped {
            self.store.transaction(|store| {
                messages::compact_thread(store.connection(), group_id)?;
                Ok::<_, EngineError>(())
            })?;
        }
        Ok(gapped.len())
    }
}
