//! Savepoints around engine operations.
//!
//! openmls writes its state through the storage provider on the store's own
//! connection, so a savepoint covers the MLS state change together with our
//! rows (message, cursor, outbox): either all of them land or none does.
//! Savepoints nest, so an operation is atomic on its own (then the savepoint
//! is a transaction) and also inside a batch.

use rusqlite::Connection;

use crate::channel::EngineError;

/// Opens savepoint `name`.
pub(super) fn begin(conn: &Connection, name: &'static str) -> Result<(), EngineError> {
    run(conn, &format!("SAVEPOINT liaison_{name}"))
}

/// Runs one statement through the statement cache: savepoints open and
/// close around every send and receipt, and compiling them each time showed
/// in profiles.
fn run(conn: &Connection, sql: &str) -> Result<(), EngineError> {
    conn.prepare_cached(sql)?.raw_execute()?;
    Ok(())
}

/// Releases savepoint `name` when `result` is a success, rolls it back
/// otherwise, and passes `result` on.
pub(super) fn finish<T>(
    conn: &Connection,
    name: &'static str,
    result: Result<T, EngineError>,
) -> Result<T, EngineError> {
    match result {
        Ok(value) => {
            run(conn, &format!("RELEASE liaison_{name}"))?;
            Ok(value)
        }
        Err(error) => {
            // If the rollback itself fails the connection is unusable and the
            // next statement reports it; the original error is what the
            // caller can act on.
            let _ = run(conn, &format!("ROLLBACK TO liaison_{name}"))
                .and_then(|()| run(conn, &format!("RELEASE liaison_{name}")));
            Err(error)
        }
    }
}

/// Rolls savepoint `name` back and closes it, whatever happened inside:
/// for work done only to see its outcome.
pub(super) fn roll_back(conn: &Connection, name: &'static str) -> Result<(), EngineError> {
    run(conn, &format!("ROLLBACK TO liaison_{name}"))?;
    run(conn, &format!("RELEASE liaison_{name}"))
}
