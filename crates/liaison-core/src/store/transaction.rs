//! Transactions over the whole store, openmls state included.

use rusqlite::Connection;

use super::{Store, StoreError};

impl Store {
    /// Runs `work` inside one transaction and commits it if `work` returns
    /// `Ok`; rolls everything back if it returns `Err` or panics.
    ///
    /// The outermost call takes the write lock at once (`BEGIN IMMEDIATE`), so
    /// the transaction cannot fail half-way for lock contention. A call made
    /// while a transaction is open becomes a savepoint inside it: its
    /// rollback undoes only its own writes.
    ///
    /// openmls writes through the same connection, so the MLS state, message
    /// row and cursor written in `work` commit or vanish together. After a rollback,
    /// in-memory openmls objects (an `MlsGroup`) are ahead of the database:
    /// load them again with `MlsGroup::load`.
    pub fn transaction<T, E>(&self, work: impl FnOnce(&Store) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let scope = Scope::begin(&self.conn).map_err(E::from)?;
        match work(self) {
            Ok(value) => {
                scope.commit().map_err(E::from)?;
                Ok(value)
            }
            Err(error) => {
                // The caller's error explains the failure; a rollback error
                // on top is only logged, and the guard has done its best.
                if let Err(rollback) = scope.rollback() {
                    tracing::error!(error = %rollback, "store rollback failed");
                }
                Err(error)
            }
        }
    }
}

/// An open transaction or savepoint that rolls back unless committed, so a
/// panic inside `work` cannot leave a transaction open on the connection.
struct Scope<'c> {
    conn: &'c Connection,
    nested: bool,
    done: bool,
}

/// The savepoint name; SQLite resolves nested savepoints of one name to the
/// innermost, which is exactly the nesting of calls.
const SAVEPOINT: &str = "liaison_store";

impl<'c> Scope<'c> {
    fn begin(conn: &'c Connection) -> Result<Self, StoreError> {
        let nested = !conn.is_autocommit();
        if nested {
            conn.execute_batch(&format!("SAVEPOINT {SAVEPOINT}"))?;
        } else {
            conn.execute_batch("BEGIN IMMEDIATE")?;
        }
        Ok(Self {
            conn,
            nested,
            done: false,
        })
    }

    fn commit(mut self) -> Result<(), StoreError> {
        self.done = true;
        let sql = if self.nested {
            format!("RELEASE {SAVEPOINT}")
        } else {
            "COMMIT".to_owned()
        };
        match self.conn.execute_batch(&sql) {
            Ok(()) => Ok(()),
            Err(e) => {
                // A failed COMMIT can leave the transaction open (SQLITE_BUSY);
                // close it so later statements do not join a dead transaction.
                if let Err(rollback) = self.undo() {
                    tracing::error!(error = %rollback, "store rollback after failed commit failed");
                }
                Err(e.into())
            }
        }
    }

    fn rollback(mut self) -> Result<(), StoreError> {
        self.done = true;
        self.undo()
    }

    fn undo(&self) -> Result<(), StoreError> {
        if self.nested {
            // ROLLBACK TO keeps the savepoint open; RELEASE closes it.
            self.conn
                .execute_batch(&format!("ROLLBACK TO {SAVEPOINT}; RELEASE {SAVEPOINT}"))?;
        } else if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        Ok(())
    }
}

impl Drop for Scope<'_> {
    fn drop(&mut self) {
        if !self.done
            && let Err(e) = self.undo()
        {
            tracing::error!(error = %e, "store rollback after panic failed");
        }
    }
}
