//! The owner of `audit` (migrations 0001 and 0011): the audit log,
//! security-relevant events, newest last, each with its facts.

use rusqlite::Connection;
use rusqlite::types::Value;
use time::OffsetDateTime;

use crate::audit::{AuditCategory, AuditEvent, Facts};
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
    /// Human-readable detail, in English. Never message content or key
    /// material.
    pub detail: String,
    /// The event's facts; `None` for rows written before facts were kept
    /// (or by a caller that gave none), which show their detail.
    pub facts: Option<Facts>,
}

impl AuditEntry {
    /// The category the audit screen filters by.
    pub fn category(&self) -> AuditCategory {
        AuditCategory::of_kind(&self.event)
    }
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

/// A filtered read of the log ([`Store::audit_query`]), newest first.
#[derive(Clone, Debug)]
pub struct AuditQuery<'a> {
    /// Whose events.
    pub scope: AuditScope<'a>,
    /// Only these categories (all when empty).
    pub categories: Vec<AuditCategory>,
    /// Only events at or after this instant (Unix ms).
    pub from_ms: Option<u64>,
    /// Only events before this instant (Unix ms).
    pub to_ms: Option<u64>,
    /// Only entries older than this id (paging).
    pub before: Option<i64>,
    /// At most this many entries.
    pub limit: u32,
}

impl<'a> AuditQuery<'a> {
    /// The newest `limit` entries of `scope`, unfiltered.
    pub fn newest(scope: AuditScope<'a>, limit: u32) -> Self {
        Self {
            scope,
            categories: Vec::new(),
            from_ms: None,
            to_ms: None,
            before: None,
            limit,
        }
    }
}

impl Store {
    /// Records an event given as a kind and an English detail, without
    /// facts. Inside [`Store::transaction`] it commits or rolls back with
    /// the rest of the work. Returns the entry's id. Prefer
    /// [`Store::record`], whose entries the apps can translate.
    pub fn audit(
        &self,
        group_id: Option<&[u8]>,
        event: &str,
        detail: &str,
    ) -> Result<i64, StoreError> {
        insert(&self.conn, group_id, event, detail, None)
    }

    /// Records a typed event: its kind, its English detail and its facts.
    /// Like [`Store::audit`], it takes part in an open transaction.
    pub fn record(&self, group_id: Option<&[u8]>, event: &AuditEvent) -> Result<i64, StoreError> {
        insert(
            &self.conn,
            group_id,
            event.kind(),
            &event.to_string(),
            Some(&event.facts()),
        )
    }

    /// Reads the log, newest first: at most `limit` entries of `scope`, and
    /// only entries older than `before` (an id) when given, for paging.
    pub fn audit_log(
        &self,
        scope: AuditScope<'_>,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let mut query = AuditQuery::newest(scope, limit);
        query.before = before;
        self.audit_query(&query)
    }

    /// Reads the log with filters, newest first.
    pub fn audit_query(&self, query: &AuditQuery<'_>) -> Result<Vec<AuditEntry>, StoreError> {
        read(&self.conn, query)
    }
}

fn insert(
    conn: &Connection,
    group_id: Option<&[u8]>,
    event: &str,
    detail: &str,
    facts: Option<&Facts>,
) -> Result<i64, StoreError> {
    let at = unix_millis(OffsetDateTime::now_utc())?;
    conn.execute(
        "INSERT INTO audit (at, group_id, event, detail, facts) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![at, group_id, event, detail, facts.map(Facts::to_json)],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The query behind [`Store::audit_query`], on any connection (the
/// migration tests read a database they migrated themselves).
pub(crate) fn read(
    conn: &Connection,
    query: &AuditQuery<'_>,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut filters = vec!["id < ?1".to_owned()];
    let mut params: Vec<Value> = vec![Value::Integer(query.before.unwrap_or(i64::MAX))];
    match query.scope {
        AuditScope::All => {}
        AuditScope::Profile => filters.push("group_id IS NULL".to_owned()),
        AuditScope::Group(id) => {
            let at = bind(Value::Blob(id.to_vec()), &mut params);
            filters.push(format!("group_id = {at}"));
        }
    }
    if let Some(from) = query.from_ms {
        let at = bind(Value::Integer(super::to_i64(from)), &mut params);
        filters.push(format!("at >= {at}"));
    }
    if let Some(to) = query.to_ms {
        let at = bind(Value::Integer(super::to_i64(to)), &mut params);
        filters.push(format!("at < {at}"));
    }
    if !query.categories.is_empty() {
        let mut listed = Vec::new();
        for category in &query.categories {
            for kind in category.kinds() {
                listed.push(bind(Value::Text(kind.to_owned()), &mut params));
            }
        }
        // "Other" is every kind no category lists.
        let other = if query.categories.contains(&AuditCategory::Other) {
            let known: Vec<String> = AuditCategory::ALL
                .iter()
                .flat_map(|c| c.kinds())
                .map(|kind| bind(Value::Text(kind.to_owned()), &mut params))
                .collect();
            Some(format!("event NOT IN ({})", known.join(", ")))
        } else {
            None
        };
        let listed = (!listed.is_empty()).then(|| format!("event IN ({})", listed.join(", ")));
        let either: Vec<String> = listed.into_iter().chain(other).collect();
        filters.push(format!("({})", either.join(" OR ")));
    }
    let limit = bind(Value::Integer(i64::from(query.limit)), &mut params);
    let sql = format!(
        "SELECT id, at, group_id, event, detail, facts FROM audit \
         WHERE {} ORDER BY id DESC LIMIT {limit}",
        filters.join(" AND ")
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(rusqlite::params_from_iter(params), |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, Option<Vec<u8>>>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut entries = Vec::new();
    for row in rows {
        let (id, at, group_id, event, detail, facts) = row?;
        entries.push(AuditEntry {
            id,
            at: from_unix_millis(at)?,
            group_id,
            event,
            detail,
            facts: facts.as_deref().and_then(Facts::from_json),
        });
    }
    Ok(entries)
}

/// Adds a parameter and returns its placeholder.
fn bind(value: Value, params: &mut Vec<Value>) -> String {
    params.push(value);
    format!("?{}", params.len())
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
