//! Folding queued rows into the full-text index.
//!
//! Triggers queue every new `messages` row in `messages_fts_pending` (see
//! `migrations/client/0003_archive.sql` for why FTS5 is not written row by
//! row) and remove deleted rows from the index at once. This moves the
//! queued rows into FTS5 with one statement, so FTS5 writes one segment for
//! the lot. It runs before every search, so a search always sees every
//! stored message, and at the end of bulk writes.

use rusqlite::Connection;

/// Indexes every queued row, in one savepoint (a transaction when none is
/// open). Returns how many rows were indexed.
pub(crate) fn index_pending(conn: &Connection) -> Result<u64, rusqlite::Error> {
    let pending: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM messages_fts_pending)")?
        .query_row([], |row| row.get(0))?;
    if !pending {
        return Ok(0);
    }
    conn.execute_batch("SAVEPOINT liaison_fts")?;
    let result = (|| {
        let indexed = conn.execute(
            "INSERT INTO messages_fts (rowid, body)
             SELECT m.id, m.body FROM messages_fts_pending p JOIN messages m ON m.id = p.id",
            [],
        )?;
        conn.execute("DELETE FROM messages_fts_pending", [])?;
        Ok(u64::try_from(indexed).unwrap_or(u64::MAX))
    })();
    let end = if result.is_ok() {
        "RELEASE liaison_fts"
    } else {
        "ROLLBACK TO liaison_fts; RELEASE liaison_fts"
    };
    conn.execute_batch(end)?;
    result
}
