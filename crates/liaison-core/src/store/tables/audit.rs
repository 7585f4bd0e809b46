//! The owner of `audit` (migration 0001): the audit log, security-relevant
//! events, newest last.

use rusqlite::types::Value;
use time::OffsetDateTime;

use crate::store::{Store, StoreError};

/// One recorded event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the log; later events have larger ids.
    pub id: i64,
    /// When the event was recorded (millisecond precision).
    pub at: OffsetDateTime,
    /// The MLS group the event concerns, if any.
    pub group_id: Option<Vec<u8>>,
    /// What happened, as a short machine-readable name.
    pub event: String,
    /// Human-readable detail. Never message content or key material.
    pub detail: String,
}

/// Which events [`Store::audit_log`] returns.
#[derive(Clone, Copy, Debug)]
pub enum AuditScope<'a> {
    /// Every event.
    All,
    /// Events about the profile itself (no group).
    Profile,
    /// Events about one group.
    Group(&'a [u8]),
}

impl Store {
    /// Records an event. Inside [`Store::transaction`] it commits or rolls
    /// back with the rest of the work. Returns the entry's id.
    pub fn audit(
        &self,
        group_id: Option<&[u8]>,
        event: &str,
        detail: &str,
    ) -> Result<i64, StoreError> {
        let at = unix_millis(OffsetDateTime::now_utc())?;
        self.conn.execute(
            "INSERT INTO audit (at, group_id, event, detail) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![at, group_id, event, detail],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Reads the log, newest first: at most `limit` entries of `scope`, and
    /// only entries older than `before` (an id) when given, for paging.
    pub fn audit_log(
        &self,
        scope: AuditScope<'_>,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let (filter, group) = match scope {
            AuditScope::All => ("1", Value::Null),
            AuditScope::Profile => ("group_id IS NULL", Value::Null),
            AuditScope::Group(id) => ("group_id = ?1", Value::Blob(id.to_vec())),
        };
        let sql = format!(
            "SELECT id, at, group_id, event, detail FROM audit \
             WHERE {filter} AND id < ?2 ORDER BY id DESC LIMIT ?3"
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let rows = statement.query_map(
            rusqlite::params![group, before.unwrap_or(i64::MAX), limit],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, Option<Vec<u8>>>(2)?,
                    row.get::<_, String>(3)?,
                    row.get::<_, String>(4)?,
                ))
            },
        )?;
        let mut entries = Vec::new();
        for row in rows {
            let (id, at, group_id, event, detail) = row?;
            entries.push(AuditEntry {
                id,
                at: from_unix_millis(at)?,
                group_id,
                event,
                detail,
            });
        }
        Ok(entries)
    }
}

/// A time as the store records it: Unix time in milliseconds.
pub(crate) fn unix_millis(at: OffsetDateTime) -> Result<i64, StoreError> {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).map_err(|_| StoreError::Clock)
}

/// The inverse of [`unix_millis`], refusing values no calendar can hold.
pub(crate) fn from_unix_millis(millis: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .map_err(|_| StoreError::Corrupt { what: "timestamp" })
}
