//! The owner of `imports`: every archive file imported (migration 0003),
//! with the channel it became, so the same archive is not imported twice.

use rusqlite::{Connection, OptionalExtension as _, params};

use super::to_i64;

/// An archive imported as a channel.
pub(crate) struct Imported<'a> {
    /// The archive's random identifier.
    pub(crate) archive_id: &'a [u8],
    /// The channel the import created.
    pub(crate) group_id: &'a [u8],
    /// The channel it was exported from.
    pub(crate) source_group: &'a [u8],
    /// Who exported it.
    pub(crate) exported_by: &'a str,
    /// When it was imported.
    pub(crate) imported_at_ms: u64,
}

/// Records an import.
pub(crate) fn insert(conn: &Connection, imported: &Imported<'_>) -> Result<(), rusqlite::Error> {
    conn.execute(
        "INSERT INTO imports (archive_id, group_id, source_group, exported_by, imported_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            imported.archive_id,
            imported.group_id,
            imported.source_group,
            imported.exported_by,
            to_i64(imported.imported_at_ms)
        ],
    )?;
    Ok(())
}

/// The channel an archive was imported as, if it was.
pub(crate) fn channel_of(
    conn: &Connection,
    archive_id: &[u8],
) -> Result<Option<Vec<u8>>, rusqlite::Error> {
    conn.query_row(
        "SELECT group_id FROM imports WHERE archive_id = ?1",
        [archive_id],
        |row| row.get(0),
    )
    .optional()
}
