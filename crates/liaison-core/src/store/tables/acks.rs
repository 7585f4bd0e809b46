//! The owner of `acks`: who acknowledged which message of a channel, and
//! when (migration 0002). Acknowledgements go with their message: they are
//! deleted when the message is (retention, purge on removal).

use rusqlite::{Connection, params};

use super::{to_i64, to_u64};

/// Records an acknowledgement (idempotent); true when it is new.
pub(crate) fn insert(
    conn: &Connection,
    group_id: &[u8],
    message_id: &[u8],
    officer_id: &str,
    at_ms: u64,
) -> Result<bool, rusqlite::Error> {
    let inserted = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO acks (group_id, message_id, officer_id, at_ms) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![group_id, message_id, officer_id, to_i64(at_ms)])?;
    Ok(inserted > 0)
}

/// Who acknowledged a message, and when: `(officer id, at ms)` by officer.
pub(crate) fn of_message(
    conn: &Connection,
    group_id: &[u8],
    message_id: &[u8],
) -> Result<Vec<(String, u64)>, rusqlite::Error> {
    let mut stmt = conn.prepare(
        "SELECT officer_id, at_ms FROM acks WHERE group_id = ?1 AND message_id = ?2 ORDER BY officer_id",
    )?;
    let rows = stmt.query_map(params![group_id, message_id], |row| {
        Ok((row.get(0)?, to_u64(row.get(1)?)))
    })?;
    rows.collect()
}

/// Deletes every acknowledgement in a channel (history purged on removal).
pub(crate) fn delete_channel(conn: &Connection, group_id: &[u8]) -> Result<(), rusqlite::Error> {
    conn.execute("DELETE FROM acks WHERE group_id = ?1", [group_id])?;
    Ok(())
}

/// Deletes the acknowledgements of the channel's messages received before
/// `cutoff_ms`, the ones retention is about to delete (run before them:
/// the receipt time is read from the messages). Returns how many.
pub(crate) fn delete_of_received_before(
    conn: &Connection,
    group_id: &[u8],
    cutoff_ms: u64,
) -> Result<usize, rusqlite::Error> {
    conn.execute(
        "DELETE FROM acks WHERE group_id = ?1 AND message_id IN
            (SELECT message_id FROM messages WHERE group_id = ?1 AND received_at_ms < ?2)",
        params![group_id, to_i64(cutoff_ms)],
    )
}
