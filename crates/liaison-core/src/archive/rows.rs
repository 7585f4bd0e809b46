//! Writing `messages` rows that did not come through the live receive path:
//! imported archives (and the bulk path of tests and benchmarks). The
//! full-text index follows by trigger. Their channel rows are written by
//! [`crate::store::tables::channels::insert_without_group`].

use rusqlite::Connection;

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
