//! A bulk path into the message tables, for tests and benchmarks that need
//! hundreds of thousands of messages: rows go straight into `messages` (and,
//! by trigger, the index) with no MLS, no rule check and no verification.
//! Exposed only through `liaison_core::danger`; the application never uses it.

use liaison_proto::{Precedence, TrafficKind};
use rusqlite::Connection;

use super::provenance::Verification;
use super::rows::{LabelColumns, MessageRow, insert_row};
use crate::channel::EngineError;
use crate::engine::ChannelId;
use crate::store::tables::channels;
use crate::store::tables::messages::index_pending;
use liaison_rules::ChannelPolicy;
use liaison_rules::Label;

/// A message for [`insert_bulk_messages`]: every stored column, taken as
/// given. Tests that verify signatures put real signed envelopes here.
#[derive(Debug, Clone)]
pub struct BulkMessage {
    /// Message identifier, unique in the channel.
    pub message_id: [u8; 16],
    /// Relay position.
    pub seq: Option<u64>,
    /// Sender's officer id.
    pub sender_id: String,
    /// Sender's display name.
    pub sender_name: String,
    /// Sender's nationality.
    pub sender_nation: String,
    /// The label.
    pub label: Label,
    /// Precedence.
    pub precedence: Precedence,
    /// Exercise or operation.
    pub kind: TrafficKind,
    /// The text.
    pub body: String,
    /// Sender's clock.
    pub sent_at_ms: u64,
    /// Local receipt time.
    pub received_at_ms: u64,
    /// The envelope as signed (anything, when signatures do not matter).
    pub envelope: Vec<u8>,
    /// The envelope signature.
    pub signature: [u8; 64],
    /// The sender's certificate chain (MLS credential content).
    pub sender_chain: Vec<u8>,
}

/// Adds a channel row with `policy` and no MLS group: a live, active,
/// unarchived channel as far as the message tables are concerned.
pub fn insert_bulk_channel(
    conn: &Connection,
    channel: &ChannelId,
    policy: &ChannelPolicy,
    joined_at_ms: u64,
) -> Result<(), EngineError> {
    channels::insert_without_group(
        conn,
        &channel.0,
        policy.partnership(),
        &policy.encode(),
        joined_at_ms,
        false,
    )?;
    Ok(())
}

/// Inserts `messages` into `channel` as verified messages, and indexes
/// them. Runs inside the caller's transaction when one is open (the caller
/// rolls it back on error), in a transaction of its own otherwise. Returns
/// how many were new.
///
/// No savepoint of its own: inside a transaction, a savepoint makes SQLite
/// keep every page it touches in the in-memory statement journal, and each
/// later statement then walks that journal when it ends, so a large batch
/// would cost time quadratic in its size.
pub fn insert_bulk_messages(
    conn: &Connection,
    channel: &ChannelId,
    messages: &[BulkMessage],
) -> Result<u64, EngineError> {
    let own_transaction = conn.is_autocommit();
    if own_transaction {
        conn.execute_batch("BEGIN IMMEDIATE")?;
    }
    let result = insert_all(conn, channel, messages)
        .and_then(|inserted| Ok(index_pending(conn).map(|_| inserted)?));
    if own_transaction {
        conn.execute_batch(if result.is_ok() { "COMMIT" } else { "ROLLBACK" })?;
    }
    result
}

/// Inserts `messages` into `channel` as the engine's receive path stores a
/// message: the row, and its id queued for the full-text index, which the
/// next search (or bulk write) folds in. No transaction of its own: run it
/// in the caller's, or each statement commits alone. Returns how many were
/// new. For benchmarks that compare stores on the receive path.
pub fn queue_bulk_messages(
    conn: &Connection,
    channel: &ChannelId,
    messages: &[BulkMessage],
) -> Result<u64, EngineError> {
    insert_all(conn, channel, messages)
}

fn insert_all(
    conn: &Connection,
    channel: &ChannelId,
    messages: &[BulkMessage],
) -> Result<u64, EngineError> {
    // A handful of distinct labels among many messages: render each once.
    let mut labels: Vec<(Label, LabelColumns)> = Vec::new();
    let mut inserted = 0;
    for message in messages {
        let index = match labels.iter().position(|(l, _)| *l == message.label) {
            Some(index) => index,
            None => {
                labels.push((message.label.clone(), LabelColumns::of(&message.label)));
                labels.len() - 1
            }
        };
        let Some((_, label)) = labels.get(index) else {
            continue;
        };
        let row = MessageRow {
            message_id: &message.message_id,
            seq: message.seq,
            epoch: 0,
            sender_id: &message.sender_id,
            sender_name: &message.sender_name,
            sender_nation: &message.sender_nation,
            label,
            precedence: message.precedence,
            exercise: message.kind == TrafficKind::Exercise,
            body: &message.body,
            reference: None,
            sent_at_ms: message.sent_at_ms,
            received_at_ms: message.received_at_ms,
            envelope: &message.envelope,
            signature: &message.signature,
            sender_chain: &message.sender_chain,
            verification: Verification::Verified,
        };
        if insert_row(conn, &channel.0, &row)? {
            inserted += 1;
        }
    }
    Ok(inserted)
}
