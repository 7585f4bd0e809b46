//! The owner of `channels`: one row per channel this profile joined,
//! created or imported (migrations 0002 and 0003), with the latest channel
//! policy it saw (encoded), its partnership name, whether it is archived
//! (read-only here), whether this officer is still a member, and whether it
//! is live or was imported from an archive file.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::to_i64;

/// A channel row as [`list`] reads it.
#[derive(Debug, Clone)]
pub(crate) struct ChannelRow {
    /// The MLS group id.
    pub(crate) group_id: Vec<u8>,
    /// Partnership name.
    pub(crate) name: String,
    /// Archived (read-only).
    pub(crate) archived: bool,
    /// Still a member.
    pub(crate) active: bool,
    /// Stored origin: `live` or `imported`.
    pub(crate) origin: String,
    /// How the officer stopped being a member: `left`, `removed`, or
    /// `None` (a member, or left before migration 0010).
    pub(crate) departure: Option<String>,
}

/// Every channel, by name.
pub(crate) fn list(conn: &Connection) -> Result<Vec<ChannelRow>, rusqlite::Error> {
    let mut stmt = conn.prepare(
        "SELECT group_id, name, archived, active, origin, departure FROM channels ORDER BY name",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok(ChannelRow {
            group_id: row.get(0)?,
            name: row.get(1)?,
            archived: row.get(2)?,
            active: row.get(3)?,
            origin: row.get(4)?,
            departure: row.get(5)?,
        })
    })?;
    rows.collect()
}

/// A live channel this officer created or joined: a new row, or, when
/// joining a channel again, the old row made active with the new policy.
pub(crate) fn upsert_joined(
    conn: &Connection,
    group_id: &[u8],
    name: &str,
    policy: &[u8],
    joined_at_ms: u64,
) -> Result<(), rusqlite::Error> {
    conn.execute(
        "INSERT INTO channels (group_id, name, policy, joined_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (group_id) DO UPDATE SET name = ?2, policy = ?3, active = 1, departure = NULL",
        params![group_id, name, policy, to_i64(joined_at_ms)],
    )?;
    Ok(())
}

/// A channel row without an MLS group: an imported channel (archived,
/// inactive) or a bulk-loaded live one (active, not archived).
pub(crate) fn insert_without_group(
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
            to_i64(joined_at_ms),
            !imported,
            if imported { "imported" } else { "live" },
        ],
    )?;
    Ok(())
}

/// After a commit: the channel's new policy and name, and whether this
/// officer is still a member. A commit that ends the membership records
/// `removed`, unless the officer had asked to leave ([`mark_leaving`]).
pub(crate) fn update_after_commit(
    conn: &Connection,
    group_id: &[u8],
    policy: &[u8],
    name: &str,
    active: bool,
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached(
        "UPDATE channels SET policy = ?2, name = ?3, active = ?4,
             departure = CASE WHEN ?4 THEN departure ELSE COALESCE(departure, 'removed') END
         WHERE group_id = ?1",
    )?
    .execute(params![group_id, policy, name, active])?;
    Ok(())
}

/// The officer asked to leave: when a commit ends the membership, the
/// channel was left, not removed from.
pub(crate) fn mark_leaving(conn: &Connection, group_id: &[u8]) -> Result<(), rusqlite::Error> {
    conn.execute(
        "UPDATE channels SET departure = 'left' WHERE group_id = ?1",
        [group_id],
    )?;
    Ok(())
}

/// This officer is no longer a member (the relay refused the channel's
/// creation).
pub(crate) fn deactivate(conn: &Connection, group_id: &[u8]) -> Result<(), rusqlite::Error> {
    conn.execute(
        "UPDATE channels SET active = 0 WHERE group_id = ?1",
        [group_id],
    )?;
    Ok(())
}

/// Archives a channel; false when it is unknown or already archived.
pub(crate) fn archive(conn: &Connection, group_id: &[u8]) -> Result<bool, rusqlite::Error> {
    let changed = conn.execute(
        "UPDATE channels SET archived = 1 WHERE group_id = ?1 AND archived = 0",
        [group_id],
    )?;
    Ok(changed > 0)
}

/// Whether this officer is still a member, `None` for an unknown channel.
pub(crate) fn active(conn: &Connection, group_id: &[u8]) -> Result<Option<bool>, rusqlite::Error> {
    conn.prepare_cached("SELECT active FROM channels WHERE group_id = ?1")?
        .query_row([group_id], |row| row.get(0))
        .optional()
}

/// `(archived, active)` of a channel, `None` for an unknown one.
pub(crate) fn archived_and_active(
    conn: &Connection,
    group_id: &[u8],
) -> Result<Option<(bool, bool)>, rusqlite::Error> {
    conn.prepare_cached("SELECT archived, active FROM channels WHERE group_id = ?1")?
        .query_row([group_id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
}

/// The stored origin of a channel (`live` or `imported`), `None` for an
/// unknown one.
pub(crate) fn origin(
    conn: &Connection,
    group_id: &[u8],
) -> Result<Option<String>, rusqlite::Error> {
    conn.prepare_cached("SELECT origin FROM channels WHERE group_id = ?1")?
        .query_row([group_id], |row| row.get(0))
        .optional()
}

/// The encoded policy of a channel, `None` for an unknown one.
pub(crate) fn policy(
    conn: &Connection,
    group_id: &[u8],
) -> Result<Option<Vec<u8>>, rusqlite::Error> {
    conn.prepare_cached("SELECT policy FROM channels WHERE group_id = ?1")?
        .query_row([group_id], |row| row.get(0))
        .optional()
}

/// The name and encoded policy of a channel, `None` for an unknown one.
pub(crate) fn name_and_policy(
    conn: &Connection,
    group_id: &[u8],
) -> Result<Option<(String, Vec<u8>)>, rusqlite::Error> {
    conn.query_row(
        "SELECT name, policy FROM channels WHERE group_id = ?1",
        [group_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()
}

/// A channel's group id and encoded policy.
pub(crate) type StoredPolicy = (Vec<u8>, Vec<u8>);

/// The group id and encoded policy of every channel.
pub(crate) fn policies(conn: &Connection) -> Result<Vec<StoredPolicy>, rusqlite::Error> {
    let mut stmt = conn.prepare("SELECT group_id, policy FROM channels")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

/// The encoded policies of the channels this profile joined (not the
/// imported ones).
pub(crate) fn live_policies(conn: &Connection) -> Result<Vec<Vec<u8>>, rusqlite::Error> {
    let mut stmt = conn.prepare("SELECT policy FROM channels WHERE origin = 'live'")?;
    let rows = stmt.query_map([], |row| row.get(0))?;
    rows.collect()
}
