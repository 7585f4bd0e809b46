//! The owner of `outbox`: what waits for the relay (migration 0002), one
//! row per message, acknowledgement, proposal, commit or channel
//! registration, with its kind (`application`, `commit`, `create`, ...),
//! the serialised MLS message, the Welcome of an add, the message id of an
//! application message and the hash that recognises its echo.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::to_i64;

/// An outbox row as [`list`] reads it.
#[derive(Debug, Clone)]
pub(crate) struct Queued {
    /// Row id.
    pub(crate) id: i64,
    /// The channel.
    pub(crate) group_id: Vec<u8>,
    /// Stored kind.
    pub(crate) kind: String,
    /// The serialised MLS message.
    pub(crate) message: Vec<u8>,
    /// The Welcome that goes with an add.
    pub(crate) welcome: Option<Vec<u8>>,
}

/// What the relay's answer about an entry needs of it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The channel.
    pub(crate) group_id: Vec<u8>,
    /// Stored kind.
    pub(crate) kind: String,
    /// The message's hash.
    pub(crate) hash: Vec<u8>,
    /// The message id of an application message (none for an
    /// acknowledgement).
    pub(crate) message_id: Option<Vec<u8>>,
}

/// A new entry; returns its row id.
pub(crate) struct NewEntry<'a> {
    /// The channel.
    pub(crate) group_id: &'a [u8],
    /// Stored kind.
    pub(crate) kind: &'a str,
    /// The serialised MLS message.
    pub(crate) message: &'a [u8],
    /// The Welcome that goes with an add.
    pub(crate) welcome: Option<&'a [u8]>,
    /// The message id of an application message.
    pub(crate) message_id: Option<&'a [u8]>,
    /// The message's hash.
    pub(crate) hash: &'a [u8],
    /// When it was queued.
    pub(crate) created_at_ms: u64,
}

/// Queues an entry; returns its row id.
pub(crate) fn insert(conn: &Connection, entry: &NewEntry<'_>) -> Result<i64, rusqlite::Error> {
    conn.prepare_cached(
        "INSERT INTO outbox (group_id, kind, message, welcome, message_id, hash, created_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        entry.group_id,
        entry.kind,
        entry.message,
        entry.welcome,
        entry.message_id,
        entry.hash,
        to_i64(entry.created_at_ms)
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Every entry, oldest first.
pub(crate) fn list(conn: &Connection) -> Result<Vec<Queued>, rusqlite::Error> {
    let mut stmt =
        conn.prepare_cached("SELECT id, group_id, kind, message, welcome FROM outbox ORDER BY id")?;
    let rows = stmt.query_map([], |row| {
        Ok(Queued {
            id: row.get(0)?,
            group_id: row.get(1)?,
            kind: row.get(2)?,
            message: row.get(3)?,
            welcome: row.get(4)?,
        })
    })?;
    rows.collect()
}

/// An entry, if still queued.
pub(crate) fn entry(conn: &Connection, id: i64) -> Result<Option<Entry>, rusqlite::Error> {
    conn.prepare_cached("SELECT group_id, kind, hash, message_id FROM outbox WHERE id = ?1")?
        .query_row([id], |row| {
            Ok(Entry {
                group_id: row.get(0)?,
                kind: row.get(1)?,
                hash: row.get(2)?,
                message_id: row.get(3)?,
            })
        })
        .optional()
}

/// The channel and kind of an entry (an error when it is not queued).
pub(crate) fn group_and_kind(
    conn: &Connection,
    id: i64,
) -> Result<(Vec<u8>, String), rusqlite::Error> {
    conn.query_row(
        "SELECT group_id, kind FROM outbox WHERE id = ?1",
        [id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
}

/// The channel and message id of a queued application entry (an error
/// when there is none with this id; no message id for an acknowledgement).
pub(crate) fn application(
    conn: &Connection,
    id: i64,
) -> Result<(Vec<u8>, Option<Vec<u8>>), rusqlite::Error> {
    conn.query_row(
        "SELECT group_id, message_id FROM outbox WHERE id = ?1 AND kind = 'application'",
        [id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
}

/// The id of the entry of `kind` with these bytes, if queued.
pub(crate) fn find(
    conn: &Connection,
    group_id: &[u8],
    hash: &[u8],
    kind: &str,
) -> Result<Option<i64>, rusqlite::Error> {
    conn.prepare_cached("SELECT id FROM outbox WHERE group_id = ?1 AND hash = ?2 AND kind = ?3")?
        .query_row(params![group_id, hash, kind], |row| row.get(0))
        .optional()
}

/// The entry's message, encrypted again: new bytes, new hash.
pub(crate) fn replace_message(
    conn: &Connection,
    id: i64,
    message: &[u8],
    hash: &[u8],
) -> Result<(), rusqlite::Error> {
    conn.execute(
        "UPDATE outbox SET message = ?2, hash = ?3 WHERE id = ?1",
        params![id, message, hash],
    )?;
    Ok(())
}

/// Removes an entry.
pub(crate) fn delete(conn: &Connection, id: i64) -> Result<(), rusqlite::Error> {
    conn.prepare_cached("DELETE FROM outbox WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Removes the channel's entries with these bytes.
pub(crate) fn delete_by_hash(
    conn: &Connection,
    group_id: &[u8],
    hash: &[u8],
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached("DELETE FROM outbox WHERE group_id = ?1 AND hash = ?2")?
        .execute(params![group_id, hash])?;
    Ok(())
}
