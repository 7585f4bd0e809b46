//! The owner of `read_markers`: per channel, the highest thread position
//! the officer has seen (migration 0004). Positions are the thread's
//! ([`super::messages`]), so the marker moves when they do.

use rusqlite::{Connection, OptionalExtension as _, params};

/// The highest position read in a channel, if any.
pub(crate) fn read_up_to(
    conn: &Connection,
    group_id: &[u8],
) -> Result<Option<i64>, rusqlite::Error> {
    conn.prepare_cached("SELECT read_up_to FROM read_markers WHERE group_id = ?1")?
        .query_row([group_id], |row| row.get(0))
        .optional()
}

/// Moves the marker forward to `up_to` (never back). Returns whether it
/// moved.
pub(crate) fn advance(
    conn: &Connection,
    group_id: &[u8],
    up_to: i64,
    now_ms: i64,
) -> Result<bool, rusqlite::Error> {
    let changed = conn
        .prepare_cached(
            "INSERT INTO read_markers (group_id, read_up_to, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (group_id) DO UPDATE
             SET read_up_to = max(read_up_to, excluded.read_up_to), updated_at = excluded.updated_at
             WHERE excluded.read_up_to > read_up_to",
        )?
        .execute(params![group_id, up_to, now_ms])?;
    Ok(changed > 0)
}

/// A message went in at `position`, below rows the reader may have seen:
/// the marker steps back before it, so the new message counts as unread.
pub(super) fn unread_from(
    conn: &Connection,
    group_id: &[u8],
    position: i64,
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached(
        "UPDATE read_markers SET read_up_to = ?2 - 1 WHERE group_id = ?1 AND read_up_to >= ?2",
    )?
    .execute(params![group_id, position])?;
    Ok(())
}

/// Before a thread's positions are renumbered 0 to n - 1: the marker
/// becomes the new position of the last message it covered.
pub(super) fn follow_compaction(conn: &Connection, group_id: &[u8]) -> Result<(), rusqlite::Error> {
    conn.execute(
        "UPDATE read_markers SET read_up_to = (
             SELECT count(*) FROM messages
             WHERE group_id = ?1 AND thread_index <= read_markers.read_up_to
         ) - 1
         WHERE group_id = ?1",
        [group_id],
    )?;
    Ok(())
}
