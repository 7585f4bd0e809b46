//! The encrypted local store: one SQLCipher database per profile.
//!
//! The database holds the profile, the audit log and the openmls state (and,
//! later, channels and messages), all on one connection so that one
//! transaction can cover an MLS state change and the rows that go with it.
//! `docs/store.md` describes the file layout, key management and crash safety.

mod chunked;
mod chunker;
mod codec;
pub mod danger;
mod error;
pub(crate) mod files;
mod key;
mod keyring;
mod migrations;
mod mls_storage;
mod msgpack;
mod open;
mod passphrase;
mod protection;
mod provider;
mod rekey;
pub(crate) mod tables;
mod transaction;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

use openmls_rust_crypto::RustCrypto;
use rusqlite::Connection;

pub use codec::{CodecError, StoreCodec};
pub use error::StoreError;
pub use keyring::{KEYRING_SERVICE, delete_keyring_key};
pub use mls_storage::MlsStorage;
pub use passphrase::{KdfParams, Passphrase};
pub use protection::KeyProtection;
pub use provider::StoreProvider;
pub use tables::audit::{AuditEntry, AuditQuery, AuditScope};
pub use tables::profile::{DeviceKeySeed, Profile};

/// An open store: an unlocked SQLCipher connection and the crypto provider
/// openmls uses with it.
///
/// `Send` but not `Sync`, like the connection: one thread at a time.
pub struct Store {
    conn: Connection,
    crypto: RustCrypto,
    path: PathBuf,
}

impl Store {
    fn from_parts(conn: Connection, path: PathBuf) -> Self {
        Self {
            conn,
            crypto: RustCrypto::default(),
            path,
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The unlocked connection, for the other modules' tables. Write inside
    /// [`Store::transaction`] when several writes must land together.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// openmls storage on this store's connection.
    pub fn mls_storage(&self) -> MlsStorage<'_> {
        MlsStorage::new(&self.conn)
    }

    /// An openmls provider on this store: its writes go through this store's
    /// connection and join any open transaction.
    pub fn mls_provider(&self) -> StoreProvider<'_> {
        StoreProvider::new(&self.crypto, &self.conn)
    }

    /// The schema version of the database (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        migrations::schema_version(&self.conn)
    }

    /// Closes the database, reporting any error (dropping a store closes it
    /// too, but silently).
    pub fn close(self) -> Result<(), StoreError> {
        self.conn.close().map_err(|(_, e)| StoreError::Sqlite(e))
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}
