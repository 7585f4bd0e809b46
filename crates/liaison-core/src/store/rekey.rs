//! Changing the passphrase or the PIN of a store, and finishing a change
//! that a crash interrupted.
//!
//! A change proves the current secret, writes the new key-derivation
//! parameters to a pending file, re-encrypts the database under the new key
//! (SQLCipher's `PRAGMA rekey`, one transaction), then writes them as the
//! parameter file and removes the pending one. A crash leaves one of two
//! states, and opening finishes either: before the re-encryption the old
//! secret opens the store with the parameter file, and the pending file is
//! stale; after it, the new secret opens it with the pending file, which
//! then becomes the parameter file. The secret that opens the store is
//! always the one the database is encrypted under.

use std::io;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::key::DataKey;
use super::keyring::KeyringSlot;
use super::open::{ensure_exists, open_keyed, verify_key};
use super::passphrase::{KdfParams, KdfSetup, Passphrase, pending_sidecar_path};
use super::{Store, StoreError, files};

impl Store {
    /// Changes the passphrase of a passphrase-protected store: `current`
    /// must open it ([`StoreError::WrongKey`] otherwise, and nothing
    /// changes); `new` (not empty) is stretched with `params` and a fresh
    /// salt into the key the database is re-encrypted under.
    pub fn change_passphrase(
        &self,
        current: &Passphrase,
        new: &Passphrase,
        params: KdfParams,
    ) -> Result<(), StoreError> {
        let now = KdfSetup::read(&self.path)?;
        prove(&self.path, &now.derive(current)?)?;
        let next = KdfSetup::generate(params)?;
        let key = next.derive_new(new)?;
        self.switch_key(&next, &key)
    }

    /// Changes the PIN of a keyring-and-PIN store: as
    /// [`Store::change_passphrase`], each PIN keyed with the secret kept in
    /// the keyring entry of `service` and `account` (which stays as it is).
    pub fn change_pin(
        &self,
        service: &str,
        account: &str,
        current: &Passphrase,
        new: &Passphrase,
        params: KdfParams,
    ) -> Result<(), StoreError> {
        let slot = KeyringSlot { service, account };
        let secret = slot.load_key(&slot.entry()?)?;
        let now = KdfSetup::read(&self.path)?;
        prove(&self.path, &now.derive_with_secret(current, &secret)?)?;
        let next = KdfSetup::generate(params)?;
        let key = next.derive_with_secret(new, &secret)?;
        self.switch_key(&next, &key)
    }

    /// Pending parameters, re-encryption, parameter file: in that order, so
    /// a crash between any two steps leaves a store that opens (module doc).
    fn switch_key(&self, next: &KdfSetup, key: &DataKey) -> Result<(), StoreError> {
        let pending = pending_sidecar_path(&self.path);
        next.write_file(pending.clone())?;
        if let Err(error) = key.rekey(&self.conn) {
            // Still under the old key: the pending parameters must not stay.
            let _ = std::fs::remove_file(&pending);
            return Err(error);
        }
        next.write(&self.path)?;
        remove_if_present(&pending)
    }
}

/// Opens the store at `path` with the key `derive` makes from its
/// parameters, finishing an interrupted change of secret (module doc).
pub(crate) fn open_derived(
    path: &Path,
    derive: impl Fn(&KdfSetup) -> Result<DataKey, StoreError>,
) -> Result<Store, StoreError> {
    ensure_exists(path)?;
    let pending = pending_sidecar_path(path);
    match open_keyed(path, &derive(&KdfSetup::read(path)?)?) {
        Ok(store) => {
            remove_if_present(&pending)?;
            Ok(store)
        }
        Err(StoreError::WrongKey) if pending.exists() => {
            let next = KdfSetup::read_file(pending.clone())?;
            let store = open_keyed(path, &derive(&next)?)?;
            next.write(path)?;
            remove_if_present(&pending)?;
            Ok(store)
        }
        Err(error) => Err(error),
    }
}

/// Checks `key` against the database at `path` on a second, read-only
/// connection, so a wrong current secret changes nothing.
fn prove(path: &Path, key: &DataKey) -> Result<(), StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    key.apply(&conn)?;
    verify_key(&conn)
}

fn remove_if_present(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Ok(()) => files::sync_parent(path).map_err(|e| StoreError::io(path, e)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(StoreError::io(path, e)),
    }
}
