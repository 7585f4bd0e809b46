//! Stores opened with a raw key the caller holds, bypassing the keyring and
//! the passphrase. For tests and benchmarks: the application must never keep
//! a raw key anywhere else than in the keyring.

use std::path::Path;

use super::key::DataKey;
use super::{Store, StoreError, open};

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
