//! Keeping a store's data key in the OS keyring (Secret Service, Keychain,
//! Credential Manager) through the `keyring` crate.
//!
//! Every platform error is mapped to a precise [`StoreError`]; nothing here
//! ever falls back to a weaker key when the keyring cannot be used.

use keyring::Entry;
use zeroize::Zeroizing;

use super::StoreError;
use super::key::DataKey;

/// The keyring service name Liaison uses for store keys; the account is the
/// profile's name. See `docs/store.md`.
pub const KEYRING_SERVICE: &str = "liaison-store";

/// The service and account naming one keyring entry, kept for error messages.
pub(crate) struct KeyringSlot<'a> {
    pub(crate) service: &'a str,
    pub(crate) account: &'a str,
}

impl KeyringSlot<'_> {
    /// Opens the platform entry for this slot.
    pub(crate) fn entry(&self) -> Result<Entry, StoreError> {
        Entry::new(self.service, self.account).map_err(|e| self.map_error(e))
    }

    /// Reads the store key from the entry.
    pub(crate) fn load_key(&self, entry: &Entry) -> Result<DataKey, StoreError> {
        let secret = Zeroizing::new(entry.get_secret().map_err(|e| self.map_error(e))?);
        DataKey::from_slice(&secret).ok_or(StoreError::MalformedKey)
    }

    /// Fails unless the entry is empty, so creating a store never overwrites
    /// the key of another one.
    pub(crate) fn ensure_vacant(&self, entry: &Entry) -> Result<(), StoreError> {
        match entry.get_secret() {
            Ok(secret) => {
                drop(Zeroizing::new(secret));
                Err(StoreError::KeyringEntryExists {
                    service: self.service.to_owned(),
                    account: self.account.to_owned(),
                })
            }
            Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(self.map_error(e)),
        }
    }

    /// Writes the store key into the entry.
    pub(crate) fn store_key(&self, entry: &Entry, key: &DataKey) -> Result<(), StoreError> {
        entry
            .set_secret(key.as_bytes())
            .map_err(|e| self.map_error(e))
    }

    /// Removes the entry, for rolling back a failed creation.
    pub(crate) fn delete(&self, entry: &Entry) -> Result<(), StoreError> {
        entry.delete_credential().map_err(|e| self.map_error(e))
    }

    /// Maps a keyring error to the store's error, keeping only platform
    /// diagnostics: `BadEncoding` carries the secret itself and is never quoted.
    pub(crate) fn map_error(&self, error: keyring::Error) -> StoreError {
        match error {
            keyring::Error::NoEntry => StoreError::KeyMissing {
                service: self.service.to_owned(),
                account: self.account.to_owned(),
            },
            keyring::Error::PlatformFailure(e) | keyring::Error::NoStorageAccess(e) => {
                StoreError::KeyringUnavailable {
                    detail: e.to_string(),
                }
            }
            keyring::Error::Ambiguous(_) => StoreError::KeyringAmbiguous,
            keyring::Error::TooLong(attribute, limit) => StoreError::KeyringRejected {
                detail: format!("{attribute} is longer than the platform limit of {limit}"),
            },
            keyring::Error::Invalid(attribute, reason) => StoreError::KeyringRejected {
                detail: format!("{attribute} is invalid: {reason}"),
            },
            keyring::Error::BadEncoding(secret) => {
                drop(Zeroizing::new(secret));
                StoreError::MalformedKey
            }
            _ => StoreError::KeyringRejected {
                detail: "unknown keyring error".to_owned(),
            },
        }
    }
}

/// Deletes the store key kept in the OS keyring under `service` and
/// `account`, for deleting a profile. The database becomes unreadable for
/// good, so delete its files too.
///
/// Returns [`StoreError::KeyMissing`] when there is no such entry.
pub fn delete_keyring_key(service: &str, account: &str) -> Result<(), StoreError> {
    let slot = KeyringSlot { service, account };
    let entry = slot.entry()?;
    slot.delete(&entry)
}
