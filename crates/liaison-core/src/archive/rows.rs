//! Writing `messages` rows that did not come through the live receive path:
//! imported archives (and the bulk path of tests and benchmarks). The
//! full-text index follows by trigger.

use rusqlite::{Connection, params};

use crate::store::tables::messages::{self, Placement, Stored};

pub(crate) use crate::store::tables::messages::{LabelColumns, MessageRow};

/// Appends an imported or bulk-loaded row at the end of its thread; false
/// when the channel already holds a message with this identifier (the row
/// is then left as it was).
pub(crate) fn insert_row(
    conn: &Connection,
    group_id: &[u8],
    row: &MessageRow<'_>,
) -> Result<bool, rusqlite::Error> {
    Ok(matches!(
        messages::insert(conn, group_id, row, Placement::End)?,
        Stored::New { .. }
    ))
}

fn to_sql(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Inserts a channel row without an MLS group (an imported channel, or a
/// bulk-loaded one).
pub(crate) fn insert_channel_row(
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
            to_sql(joined_at_ms),
            !imported,
            if imported { "imported" } else { "live" },
        ],
    )?;
    Ok(())
}
