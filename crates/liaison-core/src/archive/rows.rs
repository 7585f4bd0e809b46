//! Writing `messages` rows that did not come through the live receive path:
//! imported archives (and the bulk path of tests and benchmarks). The
//! full-text index follows by trigger.

use liaison_proto::{Precedence, ReferenceKind};
use rusqlite::{Connection, params};

use super::provenance::Verification;
use liaison_rules::Label;

/// A label as the `messages` table keeps it: canonical bytes, portion
/// marking, rank. Worth computing once per distinct label in a bulk insert.
#[derive(Debug, Clone)]
pub(crate) struct LabelColumns {
    pub(crate) bytes: Vec<u8>,
    pub(crate) marking: String,
    pub(crate) rank: i64,
}

impl LabelColumns {
    pub(crate) fn of(label: &Label) -> Self {
        Self {
            bytes: label.to_bytes(),
            marking: label.portion_marking(),
            rank: i64::try_from(label.rank()).unwrap_or(i64::MAX),
        }
    }
}

/// Every column of a message row.
pub(crate) struct MessageRow<'a> {
    pub(crate) message_id: &'a [u8; 16],
    pub(crate) seq: Option<u64>,
    pub(crate) epoch: u64,
    pub(crate) sender_id: &'a str,
    pub(crate) sender_name: &'a str,
    pub(crate) sender_nation: &'a str,
    pub(crate) label: &'a LabelColumns,
    pub(crate) precedence: Precedence,
    pub(crate) exercise: bool,
    pub(crate) body: &'a str,
    pub(crate) reference: Option<(ReferenceKind, [u8; 16])>,
    pub(crate) sent_at_ms: u64,
    pub(crate) received_at_ms: u64,
    pub(crate) envelope: &'a [u8],
    pub(crate) signature: &'a [u8],
    pub(crate) sender_chain: &'a [u8],
    pub(crate) verification: Verification,
}

fn to_sql(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Inserts a row; false when the channel already holds a message with this
/// identifier (the row is then left as it was). The row takes the next
/// thread position itself, sparing the `messages_thread_index` trigger's
/// rewrite of the whole row.
pub(crate) fn insert_row(
    conn: &Connection,
    group_id: &[u8],
    row: &MessageRow<'_>,
) -> Result<bool, rusqlite::Error> {
    let inserted = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO messages (group_id, message_id, seq, epoch, sender_id,
                sender_name, sender_nation, label, marking, rank, precedence, exercise, body,
                ref_kind, ref_id, sent_at_ms, received_at_ms, envelope, signature, sender_chain,
                verification, thread_index)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21,
                (SELECT coalesce(max(thread_index), -1) + 1 FROM messages WHERE group_id = ?1))",
        )?
        .execute(params![
            group_id,
            row.message_id.as_slice(),
            row.seq.map(to_sql),
            to_sql(row.epoch),
            row.sender_id,
            row.sender_name,
            row.sender_nation,
            row.label.bytes,
            row.label.marking,
            row.label.rank,
            i64::from(row.precedence.code()),
            row.exercise,
            row.body,
            row.reference.map(|(kind, _)| i64::from(kind.code())),
            row.reference.map(|(_, id)| id.to_vec()),
            to_sql(row.sent_at_ms),
            to_sql(row.received_at_ms),
            row.envelope,
            row.signature,
            row.sender_chain,
            row.verification.stored(),
        ])?;
    Ok(inserted == 1)
}

/// Inserts a channel row without an MLS group (an imported channel, or a
/// bulk-loaded one).
pub(crate) fn insert_channel_row(
    conn: &Connection,
    group_id: &[u8],
    name: &str,
    policy: &[u8],
    joined_at_ms: u64,
    imported: bool,
) -> Result<(), rusqlite::Error> {
    conn.execute(
        "INSERT INTO channels (group_id, name, policy, archived, joined_at, active, origin)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            group_id,
            name,
            policy,
            imported,
            to_sql(joined_at_ms),
            !imported,
            if imported { "imported" } else { "live" },
        ],
    )?;
    Ok(())
}
