//! The owner of the `messages` table's rows and of the thread order.
//!
//! Every message row is written here, by the live receive and send paths
//! (through the engine) and by archive imports and bulk loads, and so is
//! `thread_index`, the position of a message in its channel's thread. The
//! invariant this module keeps, and nobody else writes:
//!
//! - in each channel the positions are 0 to n - 1, unique (an index on
//!   `(group_id, thread_index)` enforces uniqueness after every statement);
//! - messages the relay ordered are listed in the relay's order (`seq`);
//!   the officer's own messages not yet ordered come last, pending, and move
//!   to their relay position when it is known ([`place_own`]);
//! - imported and bulk-loaded rows are appended in the order given;
//! - deletions (retention) leave gaps that [`compact_threads`] closes,
//!   moving the read markers with the positions ([`super::read_markers`]).
//!
//! Reads are here too ([`read`]), and the full-text index that triggers
//! keep in step with the rows ([`search`]): no other module names the
//! table in SQL.

use liaison_proto::{Precedence, ReferenceKind};
use rusqlite::{Connection, OptionalExtension as _, params};

use super::{to_i64, to_u64};

use super::read_markers;

mod read;
mod search;

pub(crate) use read::{
    MessageRecord, SignedRow, awaiting_ack, awaiting_precedence, by_id, count_sent_between,
    for_each_signed_between, labels_sent_between, last_received_at, notice, page, position_by_id,
    reply_source, sender_id, sender_name, signed_envelope, thread, thread_length, unread,
    verified_label,
};
pub(crate) use search::{SearchFilter, SearchRow, SearchStatement, TextMatch, index_pending};

use crate::archive::Verification;
use liaison_rules::Label;
#[cfg(test)]
pub(crate) use read::{AWAITING_ACK_SQL, AWAITING_PRECEDENCE_SQL, PAGE_SQL, UNREAD_SQL};

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

/// Every column of a message row but its thread position, which
/// [`insert`] chooses.
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

/// Where [`insert`] puts a new row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// At its place in the relay's order: after every row with a lower
    /// relay position, before our own rows still pending (a row without a
    /// position goes at the end, pending).
    RelayOrder,
    /// At the end, whatever its position (imports keep the archive's order).
    End,
}

/// What [`insert`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stored {
    /// A new message; `moved_from` is the lowest thread index whose message
    /// changed when it did not simply go at the end.
    New { moved_from: Option<u64> },
    /// The channel already held a message with this identifier (a replay
    /// under a new ciphertext, or an archive imported twice); the stored
    /// row is left untouched.
    Duplicate,
}

/// Stores a message at its place in the thread. A message placed before
/// rows the reader may have seen is unread, whatever the read marker said
/// about the place it now holds.
///
/// Messages reach a member in relay order, so the relay-ordered place is
/// nearly always the end; the rows it passes are our own few recent ones.
pub(crate) fn insert(
    conn: &Connection,
    group_id: &[u8],
    row: &MessageRow<'_>,
    placement: Placement,
) -> Result<Stored, rusqlite::Error> {
    let tail = match (placement, row.seq) {
        (Placement::RelayOrder, Some(seq)) => rows_after(conn, group_id, seq, None)?,
        _ => Tail {
            rows: Vec::new(),
            next_index: next_index(conn, group_id)?,
        },
    };
    if !tail.rows.is_empty() && message_exists(conn, group_id, row.message_id)? {
        return Ok(Stored::Duplicate);
    }
    let position = tail.first_index().unwrap_or(tail.next_index);
    shift(conn, &tail.rows, 1)?;
    // The thread position is set here rather than left to the
    // `messages_thread_index` trigger (migration 0004): the trigger's UPDATE
    // rewrites the whole row, envelope and chain included.
    let inserted = conn
        .prepare_cached(
            // Only a repeated message id is ignored: a clash of thread
            // positions is a bug to report, not a message to drop.
            "INSERT INTO messages (group_id, message_id, seq, epoch, sender_id, sender_name,
                sender_nation, label, marking, rank, precedence, exercise, body, ref_kind, ref_id,
                sent_at_ms, received_at_ms, envelope, signature, sender_chain, verification,
                thread_index)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
                ?18, ?19, ?20, ?21, ?22)
             ON CONFLICT (group_id, message_id) DO NOTHING",
        )?
        .execute(params![
            group_id,
            row.message_id.as_slice(),
            row.seq.map(to_i64),
            to_i64(row.epoch),
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
            to_i64(row.sent_at_ms),
            to_i64(row.received_at_ms),
            row.envelope,
            row.signature,
            row.sender_chain,
            row.verification.stored(),
            position,
        ])?;
    if inserted == 0 {
        return Ok(Stored::Duplicate);
    }
    if tail.rows.is_empty() {
        return Ok(Stored::New { moved_from: None });
    }
    read_markers::unread_from(conn, group_id, position)?;
    Ok(Stored::New {
        moved_from: Some(to_u64(position)),
    })
}

/// The rows at the end of a thread that a message with relay position
/// `seq` goes before: our own messages the relay has not ordered yet, and
/// any whose position is higher. Newest first.
#[derive(Debug)]
struct Tail {
    /// `(row id, thread index)` of the rows to pass, highest index first.
    rows: Vec<(i64, i64)>,
    /// One past the thread's highest index.
    next_index: i64,
}

impl Tail {
    fn first_index(&self) -> Option<i64> {
        self.rows.last().map(|&(_, index)| index)
    }
}

fn rows_after(
    conn: &Connection,
    group_id: &[u8],
    seq: u64,
    skip: Option<i64>,
) -> Result<Tail, rusqlite::Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, thread_index, seq FROM messages WHERE group_id = ?1 ORDER BY thread_index DESC",
    )?;
    let mut rows = stmt.query([group_id])?;
    let mut tail = Tail {
        rows: Vec::new(),
        next_index: 0,
    };
    let mut first = true;
    while let Some(row) = rows.next()? {
        let (id, index, their_seq): (i64, i64, Option<i64>) =
            (row.get(0)?, row.get(1)?, row.get(2)?);
        if first {
            tail.next_index = index + 1;
            first = false;
        }
        if Some(id) == skip {
            continue;
        }
        match their_seq {
            Some(theirs) if to_u64(theirs) < seq => break,
            _ => tail.rows.push((id, index)),
        }
    }
    Ok(tail)
}

/// Moves rows by `by` places, in an order that keeps the unique
/// `(group_id, thread_index)` index satisfied after every statement.
fn shift(conn: &Connection, rows: &[(i64, i64)], by: i64) -> Result<(), rusqlite::Error> {
    let mut stmt =
        conn.prepare_cached("UPDATE messages SET thread_index = thread_index + ?2 WHERE id = ?1")?;
    // `rows` is highest index first: right for moving up; reversed for down.
    let ordered: Box<dyn Iterator<Item = &(i64, i64)>> = if by > 0 {
        Box::new(rows.iter())
    } else {
        Box::new(rows.iter().rev())
    };
    for (id, _) in ordered {
        stmt.execute(params![id, by])?;
    }
    Ok(())
}

/// One past the highest thread index of the channel (0 when empty).
fn next_index(conn: &Connection, group_id: &[u8]) -> Result<i64, rusqlite::Error> {
    conn.prepare_cached(
        "SELECT coalesce(max(thread_index), -1) + 1 FROM messages WHERE group_id = ?1",
    )?
    .query_row([group_id], |row| row.get(0))
}

fn message_exists(
    conn: &Connection,
    group_id: &[u8],
    message_id: &[u8; 16],
) -> Result<bool, rusqlite::Error> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM messages WHERE group_id = ?1 AND message_id = ?2")?
        .query_row(params![group_id, message_id.as_slice()], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The relay ordered one of our own messages at `seq`: records it and
/// moves the message from the pending end of the thread to its place in
/// the relay's order. Returns the lowest thread index whose message
/// changed (the message's own, at least: it is no longer pending), `None`
/// when the message is not stored or already had its position.
pub(crate) fn place_own(
    conn: &Connection,
    group_id: &[u8],
    message_id: &[u8],
    seq: u64,
) -> Result<Option<u64>, rusqlite::Error> {
    let found: Option<(i64, i64, Option<i64>)> = conn
        .prepare_cached(
            "SELECT id, thread_index, seq FROM messages WHERE group_id = ?1 AND message_id = ?2",
        )?
        .query_row(params![group_id, message_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    let Some((id, from, None)) = found else {
        return Ok(None);
    };
    let tail = rows_after(conn, group_id, seq, Some(id))?;
    // Among the other rows, `tail.rows` go after ours; the thread keeps its
    // length, so ours ends `tail.rows.len()` places before the end.
    let count = i64::try_from(tail.rows.len()).unwrap_or(i64::MAX);
    let to = tail.next_index - 1 - count;
    conn.prepare_cached("UPDATE messages SET seq = ?2, thread_index = -1 WHERE id = ?1")?
        .execute(params![id, to_i64(seq)])?;
    if to < from {
        // Rows at [to, from) move up one.
        let passed: Vec<(i64, i64)> = tail
            .rows
            .iter()
            .copied()
            .filter(|&(_, index)| index >= to && index < from)
            .collect();
        shift(conn, &passed, 1)?;
    } else if to > from {
        // Rows at (from, to] move down one (a store written before the
        // relay's order was kept: others' messages after a pending one).
        let passed = rows_between(conn, group_id, from + 1, to)?;
        shift(conn, &passed, -1)?;
    }
    conn.prepare_cached("UPDATE messages SET thread_index = ?2 WHERE id = ?1")?
        .execute(params![id, to])?;
    Ok(Some(to_u64(from.min(to))))
}

/// Rows with thread indexes in `[low, high]`, highest first.
fn rows_between(
    conn: &Connection,
    group_id: &[u8],
    low: i64,
    high: i64,
) -> Result<Vec<(i64, i64)>, rusqlite::Error> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, thread_index FROM messages
         WHERE group_id = ?1 AND thread_index BETWEEN ?2 AND ?3 ORDER BY thread_index DESC",
    )?;
    let rows = stmt.query_map(params![group_id, low, high], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })?;
    rows.collect()
}

/// The channels whose positions are not 0 to n - 1 (after a deletion, or
/// a renumbering interrupted before it ended). One pass over the position
/// index finds them.
pub(crate) fn gapped_threads(conn: &Connection) -> Result<Vec<Vec<u8>>, rusqlite::Error> {
    let mut stmt = conn.prepare(
        "SELECT group_id FROM messages GROUP BY group_id
         HAVING max(thread_index) + 1 != count(*)",
    )?;
    let rows = stmt.query_map([], |row| row.get(0))?;
    rows.collect()
}

/// Renumbers a channel's positions 0 to n - 1 in the same order, the read
/// marker moving with them. Run inside a transaction: a crash in between
/// leaves the thread for [`gapped_threads`] to find again.
pub(crate) fn compact_thread(conn: &Connection, group_id: &[u8]) -> Result<(), rusqlite::Error> {
    read_markers::follow_compaction(conn, group_id)?;
    let positions: Vec<(i64, i64)> = {
        let mut stmt = conn.prepare(
            "SELECT id, thread_index FROM messages WHERE group_id = ?1
             ORDER BY thread_index",
        )?;
        let rows = stmt.query_map([group_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    // Moved rows go through negative positions first, so the unique index
    // on (group_id, thread_index) holds after every statement.
    let mut set = conn.prepare_cached("UPDATE messages SET thread_index = ?2 WHERE id = ?1")?;
    for (position, (id, index)) in (0_i64..).zip(&positions) {
        if *index != position {
            set.execute(params![id, -1 - position])?;
        }
    }
    conn.execute(
        "UPDATE messages SET thread_index = -1 - thread_index
         WHERE group_id = ?1 AND thread_index < 0",
        [group_id],
    )?;
    Ok(())
}

/// A queued message of ours, signed again for the epoch it now goes out
/// in: its stored epoch, envelope and signature follow.
pub(crate) fn re_sign(
    conn: &Connection,
    group_id: &[u8],
    message_id: &[u8],
    epoch: u64,
    envelope: &[u8],
    signature: &[u8],
) -> Result<(), rusqlite::Error> {
    conn.execute(
        "UPDATE messages SET epoch = ?3, envelope = ?4, signature = ?5
         WHERE group_id = ?1 AND message_id = ?2",
        params![group_id, message_id, to_i64(epoch), envelope, signature],
    )?;
    Ok(())
}

/// Deletes every message of a channel (history purged on removal); the
/// thread is then empty, so no positions need closing.
pub(crate) fn delete_channel(conn: &Connection, group_id: &[u8]) -> Result<(), rusqlite::Error> {
    conn.execute("DELETE FROM messages WHERE group_id = ?1", [group_id])?;
    Ok(())
}

/// Deletes the channel's messages received before `cutoff_ms` (retention;
/// the index `messages_by_receipt` finds them). Leaves gaps in the thread
/// for [`compact_thread`] to close. Returns how many were deleted.
pub(crate) fn delete_received_before(
    conn: &Connection,
    group_id: &[u8],
    cutoff_ms: u64,
) -> Result<usize, rusqlite::Error> {
    conn.execute(
        "DELETE FROM messages WHERE group_id = ?1 AND received_at_ms < ?2",
        params![group_id, to_i64(cutoff_ms)],
    )
}
