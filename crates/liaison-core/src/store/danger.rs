//! Stores opened with a raw key the caller holds, bypassing the keyring and
//! the passphrase, and a bulk path into the message tables. For tests and
//! benchmarks: the application must never keep a raw key anywhere else than
//! in the keyring, nor store a message that skipped the engine's checks.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::key::DataKey;
use super::migrations::{self, MIGRATIONS};
use super::{Store, StoreError, open};

pub use crate::archive::bulk::{
    BulkMessage, insert_bulk_channel, insert_bulk_messages, queue_bulk_messages,
};

/// Creates a store at `path` encrypted under `key`. Refuses an existing file.
pub fn create_with_raw_key(path: impl AsRef<Path>, key: &[u8; 32]) -> Result<Store, StoreError> {
    let key = DataKey::from_slice(key).ok_or(StoreError::MalformedKey)?;
    open::create_with(path.as_ref(), None, move || Ok(key), |_| Ok(()))
}

/// Opens the store at `path` with `key`; a wrong key gives
/// [`StoreError::WrongKey`] and leaves the file untouched.
pub fn open_with_raw_key(path: impl AsRef<Path>, key: &[u8; 32]) -> Result<Store, StoreError> {
    let path = path.as_ref();
    let key = DataKey::from_slice(key).ok_or(StoreError::MalformedKey)?;
    open::ensure_exists(path)?;
    open::open_keyed(path, &key)
}

/// Opens (creating it if needed) an *unencrypted* SQLite database at `path`
/// with the store's connection settings and schema: the baseline the
/// benchmarks compare SQLCipher with. Never holds real data.
pub fn open_plain_database(path: impl AsRef<Path>) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(path, flags)?;
    open::configure(&conn)?;
    migrations::apply(&mut conn, MIGRATIONS)?;
    Ok(conn)
}
