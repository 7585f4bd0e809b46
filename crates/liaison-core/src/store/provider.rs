//! The openmls provider backed by the store's own connection.
//!
//! openmls writes its state through the same `rusqlite::Connection` as the
//! rest of the store, so its writes join whatever transaction is open (see
//! [`Store::transaction`](super::Store::transaction)).

use openmls_rust_crypto::RustCrypto;
use openmls_traits::OpenMlsProvider;
use rusqlite::Connection;

use super::mls_storage::MlsStorage;

/// An [`OpenMlsProvider`] whose storage is a [`Store`](super::Store):
/// cryptography and randomness from `RustCrypto`, state in the encrypted
/// database. Cheap to make; borrow one per operation.
pub struct StoreProvider<'a> {
    crypto: &'a RustCrypto,
    storage: MlsStorage<'a>,
}

impl<'a> StoreProvider<'a> {
    pub(crate) fn new(crypto: &'a RustCrypto, connection: &'a Connection) -> Self {
        Self {
            crypto,
            storage: MlsStorage::new(connection),
        }
    }
}

impl std::fmt::Debug for StoreProvider<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreProvider")
    }
}

impl<'a> OpenMlsProvider for StoreProvider<'a> {
    type CryptoProvider = RustCrypto;
    type RandProvider = RustCrypto;
    type StorageProvider = MlsStorage<'a>;

    fn storage(&self) -> &Self::StorageProvider {
        &self.storage
    }

    fn crypto(&self) -> &Self::CryptoProvider {
        self.crypto
    }

    fn rand(&self) -> &Self::RandProvider {
        self.crypto
    }
}
