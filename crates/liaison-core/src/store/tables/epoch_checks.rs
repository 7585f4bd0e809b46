//! The owner of `epoch_checks`: per channel and epoch entered, the epoch
//! authenticator's first bytes (migration 0007), which every message's
//! binding carries and fork detection compares.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::to_i64;

/// Keeps the check of `epoch` (replacing one kept before).
pub(crate) fn store(
    conn: &Connection,
    group_id: &[u8],
    epoch: u64,
    authenticator: &[u8],
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO epoch_checks (group_id, epoch, authenticator) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![group_id, to_i64(epoch), authenticator])?;
    Ok(())
}

/// The check kept for `epoch`, if the channel entered it.
pub(crate) fn get(
    conn: &Connection,
    group_id: &[u8],
    epoch: u64,
) -> Result<Option<Vec<u8>>, rusqlite::Error> {
    conn.prepare_cached(
        "SELECT authenticator FROM epoch_checks WHERE group_id = ?1 AND epoch = ?2",
    )?
    .query_row(params![group_id, to_i64(epoch)], |row| row.get(0))
    .optional()
}

/// Forgets the checks of `epoch` and later (another branch's, after a
/// rejoin).
pub(crate) fn delete_from(
    conn: &Connection,
    group_id: &[u8],
    epoch: u64,
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached("DELETE FROM epoch_checks WHERE group_id = ?1 AND epoch >= ?2")?
        .execute(params![group_id, to_i64(epoch)])?;
    Ok(())
}
