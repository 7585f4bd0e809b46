//! Groups, their members and their ordered messages in SQLite.

use liaison_proto::{Delivery, Seq};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use super::{from_sql, to_sql};
use crate::storage::{
    Append, Expired, GroupRecord, MemberRecord, NewGroup, RejoinRecord, StateEntries, StorageError,
    Window,
};

const DAY: u64 = 24 * 3600;

pub(super) fn create(conn: &mut Connection, group: &NewGroup) -> Result<(), StorageError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let exists: Option<i64> = tx
        .query_row(
            "SELECT 1 FROM groups WHERE group_id = ?1",
            [&group.group_id],
            |row| row.get(0),
        )
        .optional()?;
    if exists.is_some() {
        return Err(StorageError::GroupExists);
    }
    tx.execute(
        "INSERT INTO groups (group_id, epoch, retention_days, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![
            group.group_id,
            to_sql(group.epoch),
            group.retention_days,
            to_sql(group.created_at)
        ],
    )?;
    write_state(&tx, &group.group_id, &group.state)?;
    for member in &group.members {
        add_member(&tx, &group.group_id, member, 0)?;
    }
    tx.commit()?;
    Ok(())
}

pub(super) fn load(
    conn: &Connection,
    group_id: &[u8],
) -> Result<Option<GroupRecord>, StorageError> {
    let row: Option<(i64, i64, i64, u32)> = conn
        .query_row(
            "SELECT epoch, last_seq, stored, retention_days FROM groups WHERE group_id = ?1",
            [group_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    let Some((epoch, last_seq, stored, retention_days)) = row else {
        return Ok(None);
    };
    let state = {
        let mut statement =
            conn.prepare_cached("SELECT key, value FROM group_state WHERE group_id = ?1")?;
        statement
            .query_map([group_id], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<StateEntries, _>>()?
    };
    let members = {
        let mut statement = conn.prepare_cached(
            "SELECT officer_id, signature_key FROM members
             WHERE group_id = ?1 AND until_seq IS NULL ORDER BY officer_id",
        )?;
        statement
            .query_map([group_id], |row| {
                Ok(MemberRecord {
                    officer_id: row.get(0)?,
                    signature_key: row.get(1)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?
    };
    Ok(Some(GroupRecord {
        epoch: from_sql(epoch, "epoch")?,
        last_seq: from_sql(last_seq, "sequence number")?,
        stored: from_sql(stored, "message count")?,
        retention_days,
        state,
        members,
    }))
}

pub(super) fn append(conn: &mut Connection, append: &Append) -> Result<Seq, StorageError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let row: Option<(i64, i64, i64)> = tx
        .query_row(
            "SELECT last_seq, stored, stored_bytes FROM groups WHERE group_id = ?1",
            [&append.group_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    let (last_seq, stored, stored_bytes) = row.ok_or(StorageError::UnknownGroup)?;
    let size = u64::try_from(append.message.len()).unwrap_or(u64::MAX);
    let stored_bytes = from_sql(stored_bytes, "stored bytes")?;
    if stored_bytes.saturating_add(size) > append.max_group_bytes {
        return Err(StorageError::QuotaExceeded("group's"));
    }
    let sender_bytes: i64 = tx
        .query_row(
            "SELECT bytes FROM usage WHERE group_id = ?1 AND sender = ?2",
            params![append.group_id, append.sender],
            |row| row.get(0),
        )
        .optional()?
        .unwrap_or(0);
    if from_sql(sender_bytes, "sender bytes")?.saturating_add(size) > append.max_sender_bytes {
        return Err(StorageError::QuotaExceeded("member's"));
    }
    let (last_seq, stored) = (
        from_sql(last_seq, "sequence number")?,
        from_sql(stored, "message count")?,
    );
    if stored >= append.max_stored {
        return Err(StorageError::QueueFull);
    }
    let seq = last_seq
        .checked_add(1)
        .ok_or(StorageError::Corrupt("sequence number"))?;
    tx.execute(
        "INSERT INTO messages (group_id, seq, message, received_at, sender)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            append.group_id,
            to_sql(seq),
            append.message,
            to_sql(append.received_at),
            append.sender
        ],
    )?;
    tx.execute(
        "UPDATE groups SET last_seq = ?2, stored = stored + 1, stored_bytes = stored_bytes + ?3
         WHERE group_id = ?1",
        params![append.group_id, to_sql(seq), to_sql(size)],
    )?;
    tx.execute(
        "INSERT INTO usage (group_id, sender, bytes) VALUES (?1, ?2, ?3)
         ON CONFLICT (group_id, sender) DO UPDATE SET bytes = bytes + ?3",
        params![append.group_id, append.sender, to_sql(size)],
    )?;
    if let Some(change) = &append.change {
        tx.execute(
            "UPDATE groups SET epoch = ?2, retention_days = ?3 WHERE group_id = ?1",
            params![append.group_id, to_sql(change.epoch), change.retention_days],
        )?;
        write_state(&tx, &append.group_id, &change.state)?;
        for key in &change.removed {
            tx.execute(
                "UPDATE members SET until_seq = ?3
                 WHERE group_id = ?1 AND signature_key = ?2 AND until_seq IS NULL",
                params![append.group_id, key, to_sql(seq)],
            )?;
        }
        // A leaf removed, or removed and added again, has had its request
        // to be added back answered.
        for key in change.removed.iter().chain(&change.readded) {
            tx.execute(
                "DELETE FROM rejoin_requests WHERE group_id = ?1 AND signature_key = ?2",
                params![append.group_id, key],
            )?;
        }
        for member in &change.added {
            add_member(&tx, &append.group_id, member, seq)?;
        }
    }
    if let Some(welcome) = &append.welcome {
        for officer in &welcome.recipients {
            tx.execute(
                "INSERT INTO welcomes (officer_id, group_id, welcome, created_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    officer,
                    append.group_id,
                    welcome.welcome,
                    to_sql(append.received_at)
                ],
            )?;
        }
    }
    tx.commit()?;
    Ok(seq)
}

fn add_member(
    tx: &Transaction<'_>,
    group_id: &[u8],
    member: &MemberRecord,
    since: Seq,
) -> Result<(), StorageError> {
    tx.execute(
        "INSERT INTO members (group_id, signature_key, officer_id, since_seq) VALUES (?1, ?2, ?3, ?4)",
        params![group_id, member.signature_key, member.officer_id, to_sql(since)],
    )?;
    Ok(())
}

fn write_state(
    tx: &Transaction<'_>,
    group_id: &[u8],
    state: &StateEntries,
) -> Result<(), StorageError> {
    tx.execute("DELETE FROM group_state WHERE group_id = ?1", [group_id])?;
    let mut statement =
        tx.prepare_cached("INSERT INTO group_state (group_id, key, value) VALUES (?1, ?2, ?3)")?;
    for (key, value) in state {
        statement.execute(params![group_id, key, value])?;
    }
    Ok(())
}

/// Keeps a rejoin request, replacing the leaf's older one.
pub(super) fn put_rejoin_request(
    conn: &Connection,
    request: &RejoinRecord,
) -> Result<(), StorageError> {
    conn.prepare_cached(
        "INSERT INTO rejoin_requests (group_id, signature_key, officer_id, request, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (group_id, signature_key)
         DO UPDATE SET officer_id = ?3, request = ?4, created_at = ?5",
    )?
    .execute(params![
        request.group_id,
        request.signature_key,
        request.officer_id,
        request.request,
        to_sql(request.created_at)
    ])?;
    Ok(())
}

/// A group's waiting rejoin requests, oldest first.
pub(super) fn rejoin_requests(
    conn: &Connection,
    group_id: &[u8],
    limit: u32,
) -> Result<Vec<(String, Vec<u8>)>, StorageError> {
    let mut statement = conn.prepare_cached(
        "SELECT officer_id, request FROM rejoin_requests
         WHERE group_id = ?1 ORDER BY created_at, officer_id LIMIT ?2",
    )?;
    let rows = statement.query_map(params![group_id, limit], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, Vec<u8>>(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn windows(
    conn: &Connection,
    group_id: &[u8],
    officer_id: &str,
    signature_key: &[u8],
) -> Result<Option<Vec<Window>>, StorageError> {
    let known: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM groups WHERE group_id = ?1",
            [group_id],
            |row| row.get(0),
        )
        .optional()?;
    if known.is_none() {
        return Ok(None);
    }
    let mut statement = conn.prepare_cached(
        "SELECT since_seq, until_seq FROM members
         WHERE group_id = ?1 AND officer_id = ?2 AND signature_key = ?3 ORDER BY since_seq",
    )?;
    let rows = statement
        .query_map(params![group_id, officer_id, signature_key], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, Option<i64>>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let windows = rows
        .into_iter()
        .map(|(since, until)| {
            Ok(Window {
                since: from_sql(since, "membership")?,
                until: until.map(|u| from_sql(u, "membership")).transpose()?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    Ok(Some(windows))
}

pub(super) fn deliveries(
    conn: &Connection,
    group_id: &[u8],
    after: Seq,
    until: Option<Seq>,
    limit: u32,
    max_bytes: usize,
) -> Result<Vec<Delivery>, StorageError> {
    let mut statement = conn.prepare_cached(
        "SELECT seq, message FROM messages
         WHERE group_id = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq LIMIT ?4",
    )?;
    let mut rows = statement.query(params![
        group_id,
        to_sql(after),
        to_sql(until.unwrap_or(u64::MAX)),
        limit
    ])?;
    let mut out = Vec::new();
    let mut bytes = 0usize;
    // Step row by row: once the budget is spent, the rest is never read.
    while let Some(row) = rows.next()? {
        let message: Vec<u8> = row.get(1)?;
        bytes = bytes.saturating_add(message.len());
        if bytes > max_bytes && !out.is_empty() {
            break;
        }
        out.push(Delivery {
            group_id: group_id.to_vec(),
            seq: from_sql(row.get::<_, i64>(0)?, "sequence number")?,
            message,
        });
    }
    Ok(out)
}

pub(super) fn expire(
    conn: &mut Connection,
    now: u64,
    directory_horizon: u64,
) -> Result<Expired, StorageError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let groups: Vec<(Vec<u8>, u32)> = {
        let mut statement =
            tx.prepare("SELECT group_id, retention_days FROM groups WHERE retention_days > 0")?;
        statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?
    };
    let mut expired = Expired::default();
    for (group_id, days) in groups {
        let cutoff = now.saturating_sub(u64::from(days).saturating_mul(DAY));
        // What each sender frees, before the rows go.
        let freed: Vec<(String, i64)> = {
            let mut statement = tx.prepare_cached(
                "SELECT sender, SUM(length(message)) FROM messages
                 WHERE group_id = ?1 AND received_at < ?2 GROUP BY sender",
            )?;
            statement
                .query_map(params![group_id, to_sql(cutoff)], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .collect::<Result<Vec<_>, _>>()?
        };
        let deleted = tx.execute(
            "DELETE FROM messages WHERE group_id = ?1 AND received_at < ?2",
            params![group_id, to_sql(cutoff)],
        )?;
        let deleted = u64::try_from(deleted).unwrap_or(u64::MAX);
        if deleted > 0 {
            let freed_total: i64 = freed.iter().map(|(_, bytes)| *bytes).sum();
            tx.execute(
                "UPDATE groups SET stored = MAX(stored - ?2, 0),
                 stored_bytes = MAX(stored_bytes - ?3, 0) WHERE group_id = ?1",
                params![group_id, to_sql(deleted), freed_total],
            )?;
            for (sender, bytes) in &freed {
                tx.execute(
                    "UPDATE usage SET bytes = MAX(bytes - ?3, 0) WHERE group_id = ?1 AND sender = ?2",
                    params![group_id, sender, bytes],
                )?;
            }
        }
        expired.messages = expired.messages.saturating_add(deleted);
    }
    let horizon = to_sql(now.saturating_sub(directory_horizon));
    let welcomes = tx.execute("DELETE FROM welcomes WHERE created_at < ?1", [horizon])?;
    let owners = tx.execute(
        "DELETE FROM key_package_owners WHERE published_at < ?1
         AND hash_ref NOT IN (SELECT hash_ref FROM key_packages)",
        [horizon],
    )?;
    expired.directory = u64::try_from(welcomes.saturating_add(owners)).unwrap_or(u64::MAX);
    tx.commit()?;
    Ok(expired)
}
