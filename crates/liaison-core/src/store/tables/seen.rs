//! The owner of `seen`: the hash of every delivery this profile has dealt
//! with, and how (migration 0002), so a delivery fetched again is
//! recognised: `own` (our own message or commit, whose echo is the relay's
//! order), `processed` or `rejected`.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::to_i64;

/// What became of a delivery, as [`record_once`] records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Our own message or commit.
    Own,
    /// Refused (a rule, a bad signature, a fork).
    Rejected,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Self::Own => "own",
            Self::Rejected => "rejected",
        }
    }
}

/// The recorded outcome of the delivery with this hash, if any.
pub(crate) fn outcome(conn: &Connection, hash: &[u8]) -> Result<Option<String>, rusqlite::Error> {
    conn.prepare_cached("SELECT outcome FROM seen WHERE hash = ?1")?
        .query_row([hash], |row| row.get(0))
        .optional()
}

/// Records a delivery received and processed (an error if its hash is
/// already recorded: the caller looked it up first).
pub(crate) fn record_processed(
    conn: &Connection,
    hash: &[u8],
    group_id: &[u8],
    at_ms: u64,
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached(
        "INSERT INTO seen (hash, group_id, outcome, at_ms) VALUES (?1, ?2, 'processed', ?3)",
    )?
    .execute(params![hash, group_id, to_i64(at_ms)])?;
    Ok(())
}

/// Records `outcome` for a delivery unless its hash is already recorded.
pub(crate) fn record_once(
    conn: &Connection,
    hash: &[u8],
    group_id: &[u8],
    outcome: Outcome,
    at_ms: u64,
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO seen (hash, group_id, outcome, at_ms) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![hash, group_id, outcome.as_str(), to_i64(at_ms)])?;
    Ok(())
}
