//! Schema migrations of the client database.
//!
//! The SQL lives in `migrations/client/NNNN_name.sql` at the repository root
//! and is embedded at build time. The schema version is SQLite's
//! `PRAGMA user_version`. To add a migration, append one line to
//! [`MIGRATIONS`] with the next version number.

use rusqlite::{Connection, TransactionBehavior};

use super::StoreError;

/// One schema step: run `sql` to go from `version - 1` to `version`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Migration {
    pub(crate) version: u32,
    pub(crate) sql: &'static str,
}

/// Every migration, in order; versions are 1, 2, 3, … without gaps.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sql: include_str!("../../../../migrations/client/0001_profile.sql"),
    },
    Migration {
        version: 2,
        sql: include_str!("../../../../migrations/client/0002_channels.sql"),
    },
    Migration {
        version: 3,
        sql: include_str!("../../../../migrations/client/0003_archive.sql"),
    },
    Migration {
        version: 4,
        sql: include_str!("../../../../migrations/client/0004_desk.sql"),
    },
    Migration {
        version: 5,
        sql: include_str!("../../../../migrations/client/0005_mls_chunks.sql"),
    },
    Migration {
        version: 6,
        sql: include_str!("../../../../migrations/client/0006_desk_indexes.sql"),
    },
    Migration {
        version: 7,
        sql: include_str!("../../../../migrations/client/0007_epoch_checks.sql"),
    },
    Migration {
        version: 8,
        sql: include_str!("../../../../migrations/client/0008_pinned_authorities.sql"),
    },
    Migration {
        version: 9,
        sql: include_str!("../../../../migrations/client/0009_forks.sql"),
    },
    Migration {
        version: 10,
        sql: include_str!("../../../../migrations/client/0010_departure.sql"),
    },
    Migration {
        version: 11,
        sql: include_str!("../../../../migrations/client/0011_audit_facts.sql"),
    },
    Migration {
        version: 12,
        sql: include_str!("../../../../migrations/client/0012_search_facets.sql"),
    },
];

/// The schema version a store has once every migration ran.
pub(crate) fn latest(migrations: &[Migration]) -> u32 {
    migrations.last().map_or(0, |m| m.version)
}

/// Brings the database up to the newest version in `migrations`.
///
/// All pending steps run in one `BEGIN IMMEDIATE` transaction together with
/// the version bump: a crash or error leaves the database at its old version,
/// and two processes opening the same store cannot both migrate it.
pub(crate) fn apply(conn: &mut Connection, migrations: &[Migration]) -> Result<u32, StoreError> {
    let supported = latest(migrations);
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found = schema_version(&tx)?;
    if found > supported {
        return Err(StoreError::NewerSchema { found, supported });
    }
    for migration in migrations.iter().filter(|m| m.version > found) {
        tx.execute_batch(migration.sql)
            .and_then(|()| tx.pragma_update(None, "user_version", migration.version))
            .map_err(|source| StoreError::Migration {
                version: migration.version,
                source,
            })?;
    }
    tx.commit()?;
    Ok(supported.max(found))
}

/// The schema version recorded in the database.
pub(crate) fn schema_version(conn: &Connection) -> Result<u32, StoreError> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    u32::try_from(version).map_err(|_| StoreError::Corrupt {
        what: "schema version",
    })
}
