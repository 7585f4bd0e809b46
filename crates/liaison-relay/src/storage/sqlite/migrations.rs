//! Schema migrations of the relay database.
//!
//! The SQL lives in `migrations/relay/NNNN_name.sql` at the repository root
//! and is embedded at build time; the schema version is SQLite's
//! `PRAGMA user_version`. To add a migration, append a line to
//! [`MIGRATIONS`] with the next version.

use rusqlite::{Connection, TransactionBehavior};

use crate::storage::StorageError;

/// Every migration, in order: `(version, sql)`, versions 1, 2, … without gaps.
const MIGRATIONS: &[(u32, &str)] = &[
    (
        1,
        include_str!("../../../../../migrations/relay/0001_relay.sql"),
    ),
    (
        2,
        include_str!("../../../../../migrations/relay/0002_quotas.sql"),
    ),
    (
        3,
        include_str!("../../../../../migrations/relay/0003_rejoin.sql"),
    ),
];

/// Brings the database to the newest version, in one immediate
/// transaction: a failure leaves it at its old version.
pub(super) fn apply(conn: &mut Connection) -> Result<(), StorageError> {
    let supported = MIGRATIONS.last().map_or(0, |(v, _)| *v);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found: i64 = tx.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let found = u32::try_from(found).map_err(|_| StorageError::Corrupt("schema version"))?;
    if found > supported {
        return Err(StorageError::NewerSchema { found, supported });
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
    }
    tx.commit()?;
    Ok(())
}
