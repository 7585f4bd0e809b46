//! The owner of `invitations` and `invitation_anchors` (migration 0008):
//! Welcomes held because their channel names partner authorities not
//! pinned here, each with the channel's anchors in policy order (deleted
//! with their invitation).

use rusqlite::{Connection, OptionalExtension as _, params};

use super::{to_i64, to_u64};

/// A held invitation as stored.
#[derive(Debug, Clone)]
pub(crate) struct InvitationRow {
    /// The channel.
    pub(crate) group_id: Vec<u8>,
    /// Its partnership name.
    pub(crate) channel_name: String,
    /// The inviting officer, when known.
    pub(crate) invited_by: Option<String>,
    /// The inviting officer's display name, when known.
    pub(crate) invited_by_name: Option<String>,
    /// The Welcome.
    pub(crate) welcome: Vec<u8>,
    /// When it arrived.
    pub(crate) received_at_ms: u64,
}

/// A new invitation; see [`insert`].
pub(crate) struct NewInvitation<'a> {
    /// SHA-256 of the Welcome.
    pub(crate) welcome_hash: &'a [u8],
    /// The channel.
    pub(crate) group_id: &'a [u8],
    /// Its partnership name.
    pub(crate) channel_name: &'a str,
    /// The inviting officer, when known.
    pub(crate) invited_by: Option<&'a str>,
    /// The inviting officer's display name, when known.
    pub(crate) invited_by_name: Option<&'a str>,
    /// The Welcome.
    pub(crate) welcome: &'a [u8],
    /// When it arrived.
    pub(crate) received_at_ms: u64,
}

/// The invitation held for the Welcome with this hash, if any.
pub(crate) fn by_welcome_hash(
    conn: &Connection,
    hash: &[u8],
) -> Result<Option<i64>, rusqlite::Error> {
    conn.prepare_cached("SELECT id FROM invitations WHERE welcome_hash = ?1")?
        .query_row([hash], |row| row.get(0))
        .optional()
}

/// Deletes the invitations to a channel; returns how many there were.
pub(crate) fn delete_for_group(
    conn: &Connection,
    group_id: &[u8],
) -> Result<usize, rusqlite::Error> {
    conn.prepare_cached("DELETE FROM invitations WHERE group_id = ?1")?
        .execute([group_id])
}

/// Holds an invitation; returns its id.
pub(crate) fn insert(
    conn: &Connection,
    invitation: &NewInvitation<'_>,
) -> Result<i64, rusqlite::Error> {
    conn.prepare_cached(
        "INSERT INTO invitations (welcome_hash, group_id, channel_name, invited_by,
             invited_by_name, welcome, received_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        invitation.welcome_hash,
        invitation.group_id,
        invitation.channel_name,
        invitation.invited_by,
        invitation.invited_by_name,
        invitation.welcome,
        to_i64(invitation.received_at_ms),
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Adds the anchor at `position` of the invitation's channel policy.
pub(crate) fn insert_anchor(
    conn: &Connection,
    invitation_id: i64,
    position: usize,
    fingerprint: &[u8],
    name: &str,
    certificate: &[u8],
) -> Result<(), rusqlite::Error> {
    conn.prepare_cached(
        "INSERT INTO invitation_anchors
             (invitation_id, position, fingerprint, name, certificate)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        invitation_id,
        i64::try_from(position).unwrap_or(i64::MAX),
        fingerprint,
        name,
        certificate,
    ])?;
    Ok(())
}

/// The ids of the held invitations, oldest first.
pub(crate) fn ids(conn: &Connection) -> Result<Vec<i64>, rusqlite::Error> {
    conn.prepare_cached("SELECT id FROM invitations ORDER BY received_at_ms, id")?
        .query_map([], |row| row.get(0))?
        .collect()
}

/// A held invitation, if there is one with this id.
pub(crate) fn get(conn: &Connection, id: i64) -> Result<Option<InvitationRow>, rusqlite::Error> {
    conn.prepare_cached(
        "SELECT group_id, channel_name, invited_by, invited_by_name, welcome,
                received_at_ms
         FROM invitations WHERE id = ?1",
    )?
    .query_row([id], |row| {
        Ok(InvitationRow {
            group_id: row.get(0)?,
            channel_name: row.get(1)?,
            invited_by: row.get(2)?,
            invited_by_name: row.get(3)?,
            welcome: row.get(4)?,
            received_at_ms: to_u64(row.get(5)?),
        })
    })
    .optional()
}

/// `(name, certificate)` of the invitation's anchors, in policy order.
pub(crate) fn anchors(
    conn: &Connection,
    invitation_id: i64,
) -> Result<Vec<(String, Vec<u8>)>, rusqlite::Error> {
    let mut statement = conn.prepare_cached(
        "SELECT name, certificate FROM invitation_anchors
         WHERE invitation_id = ?1 ORDER BY position",
    )?;
    let rows = statement.query_map([invitation_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

/// Deletes an invitation (and its anchors).
pub(crate) fn delete(conn: &Connection, id: i64) -> Result<(), rusqlite::Error> {
    conn.prepare_cached("DELETE FROM invitations WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}
