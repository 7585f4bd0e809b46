//! The owner of `rejoins_answered` (migration 0009): the rejoin requests
//! an admin of this profile answered, by hash, so a copy of one is not
//! judged again.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::to_i64;

/// Records the answer to a request unless it is already recorded.
pub(crate) fn record(
    conn: &Connection,
    hash: &[u8],
    group_id: &[u8],
    outcome: &str,
    at_ms: u64,
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO rejoins_answered (hash, group_id, outcome, at_ms)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![hash, group_id, outcome, to_i64(at_ms)])?;
    Ok(())
}

/// The recorded answer to the request with this hash, if any.
pub(crate) fn outcome(conn: &Connection, hash: &[u8]) -> Result<Option<String>, rusqlite::Error> {
    conn.prepare_cached("SELECT outcome FROM rejoins_answered WHERE hash = ?1")?
        .query_row([hash], |row| row.get(0))
        .optional()
}
