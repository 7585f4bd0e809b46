//! The owner of `cursors`: per channel, the last relay position processed
//! (migration 0002). It only moves forward.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::{to_i64, to_u64};

/// The last relay position processed in a channel (0 when none).
pub(crate) fn get(conn: &Connection, group_id: &[u8]) -> Result<u64, rusqlite::Error> {
    let seq: Option<i64> = conn
        .prepare_cached("SELECT seq FROM cursors WHERE group_id = ?1")?
        .query_row([group_id], |row| row.get(0))
        .optional()?;
    Ok(seq.map_or(0, to_u64))
}

/// Moves a channel's cursor forward to `seq` (never back).
pub(crate) fn advance(conn: &Connection, group_id: &[u8], seq: u64) -> Result<(), rusqlite::Error> {
    conn.prepare_cached(
        "INSERT INTO cursors (group_id, seq) VALUES (?1, ?2)
         ON CONFLICT (group_id) DO UPDATE SET seq = max(seq, ?2)",
    )?
    .execute(params![group_id, to_i64(seq)])?;
    Ok(())
}
