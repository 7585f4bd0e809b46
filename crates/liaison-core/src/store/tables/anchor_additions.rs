//! The owner of `anchor_additions` (migration 0008): the partner
//! authorities merged policy changes added to a channel, per epoch.

use rusqlite::{Connection, params};

use super::{to_i64, to_u64};

/// An addition as stored.
#[derive(Debug, Clone)]
pub(crate) struct Addition {
    /// The epoch the change started.
    pub(crate) epoch: u64,
    /// The authority's fingerprint (32 bytes in a sound store).
    pub(crate) fingerprint: Vec<u8>,
    /// The authority's name.
    pub(crate) name: String,
    /// When this member merged the change.
    pub(crate) at_ms: u64,
}

/// Records an authority added to a channel at `epoch`.
pub(crate) fn insert(
    conn: &Connection,
    group_id: &[u8],
    epoch: u64,
    fingerprint: &[u8],
    name: &str,
    at_ms: u64,
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached(
        "INSERT INTO anchor_additions (group_id, epoch, fingerprint, name, at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        group_id,
        to_i64(epoch),
        fingerprint,
        name,
        to_i64(at_ms),
    ])?;
    Ok(())
}

/// The channel's additions, oldest first.
pub(crate) fn of_channel(
    conn: &Connection,
    group_id: &[u8],
) -> Result<Vec<Addition>, rusqlite::Error> {
    let mut statement = conn.prepare_cached(
        "SELECT epoch, fingerprint, name, at_ms FROM anchor_additions
         WHERE group_id = ?1 ORDER BY id",
    )?;
    let rows = statement.query_map([group_id], |row| {
        Ok(Addition {
            epoch: to_u64(row.get(0)?),
            fingerprint: row.get(1)?,
            name: row.get(2)?,
            at_ms: to_u64(row.get(3)?),
        })
    })?;
    rows.collect()
}
