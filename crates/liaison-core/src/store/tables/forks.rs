//! The owner of `forks` and `gaps` (migration 0009): the fork a member
//! found in a channel and is not yet repaired (at most one per channel, the
//! first detection kept), and, once the member is added back, the gap it
//! left in the history.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::{to_i64, to_u64};

use crate::engine::{Fork, Gap};

/// Records a fork found at `epoch` (by the message at `seq`) unless one
/// is already recorded for the channel.
pub(crate) fn note(
    conn: &Connection,
    group_id: &[u8],
    epoch: u64,
    seq: u64,
    at_ms: u64,
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO forks (group_id, epoch, detected_seq, detected_at_ms)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![group_id, to_i64(epoch), to_i64(seq), to_i64(at_ms)])?;
    Ok(())
}

/// The channel's unrepaired fork, if any.
pub(crate) fn get(conn: &Connection, group_id: &[u8]) -> Result<Option<Fork>, rusqlite::Error> {
    conn.prepare_cached(
        "SELECT epoch, detected_seq, detected_at_ms, requested FROM forks
         WHERE group_id = ?1",
    )?
    .query_row([group_id], |row| {
        Ok(Fork {
            epoch: to_u64(row.get(0)?),
            detected_seq: to_u64(row.get(1)?),
            detected_at_ms: to_u64(row.get(2)?),
            requested: row.get(3)?,
        })
    })
    .optional()
}

/// Whether the channel holds an unrepaired fork.
pub(crate) fn exists(conn: &Connection, group_id: &[u8]) -> Result<bool, rusqlite::Error> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM forks WHERE group_id = ?1")?
        .query_row([group_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Forgets a fork found before `epoch` (an admin's later commit merged);
/// returns whether there was one.
pub(crate) fn settle_before(
    conn: &Connection,
    group_id: &[u8],
    epoch: u64,
) -> Result<bool, rusqlite::Error> {
    let settled = conn
        .prepare_cached("DELETE FROM forks WHERE group_id = ?1 AND epoch < ?2")?
        .execute(params![group_id, to_i64(epoch)])?;
    Ok(settled > 0)
}

/// The rejoin request reached the relay.
pub(crate) fn mark_requested(conn: &Connection, group_id: &[u8]) -> Result<(), rusqlite::Error> {
    conn.prepare_cached("UPDATE forks SET requested = 1 WHERE group_id = ?1")?
        .execute([group_id])?;
    Ok(())
}

/// The member was added back at `rejoined_epoch`: the fork becomes a gap.
pub(crate) fn close_as_gap(
    conn: &Connection,
    group_id: &[u8],
    fork: &Fork,
    rejoined_epoch: u64,
    rejoined_at_ms: u64,
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached(
        "INSERT INTO gaps (group_id, fork_epoch, rejoined_epoch, detected_seq,
                           detected_at_ms, rejoined_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        group_id,
        to_i64(fork.epoch),
        to_i64(rejoined_epoch),
        to_i64(fork.detected_seq),
        to_i64(fork.detected_at_ms),
        to_i64(rejoined_at_ms)
    ])?;
    conn.prepare_cached("DELETE FROM forks WHERE group_id = ?1")?
        .execute([group_id])?;
    Ok(())
}

/// The channel's gaps, oldest first.
pub(crate) fn gaps(conn: &Connection, group_id: &[u8]) -> Result<Vec<Gap>, rusqlite::Error> {
    let mut statement = conn.prepare_cached(
        "SELECT fork_epoch, rejoined_epoch, detected_seq, detected_at_ms, rejoined_at_ms
         FROM gaps WHERE group_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([group_id], |row| {
        Ok(Gap {
            fork_epoch: to_u64(row.get(0)?),
            rejoined_epoch: to_u64(row.get(1)?),
            detected_seq: to_u64(row.get(2)?),
            detected_at_ms: to_u64(row.get(3)?),
            rejoined_at_ms: to_u64(row.get(4)?),
        })
    })?;
    rows.collect()
}
