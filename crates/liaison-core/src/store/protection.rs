//! How a store's data key is protected at rest.

use super::keyring::KEYRING_SERVICE;
use super::passphrase::{KdfParams, Passphrase};

/// Where the data key of a store comes from.
///
/// There is deliberately no "unprotected" choice: when the keyring cannot be
/// used the store fails with [`StoreError::KeyringUnavailable`] and the caller
/// must choose passphrase mode explicitly.
///
/// [`StoreError::KeyringUnavailable`]: super::StoreError::KeyringUnavailable
#[derive(Debug)]
#[non_exhaustive]
pub enum KeyProtection {
    /// A random 256-bit key kept in the OS keyring (Secret Service on Linux,
    /// Keychain on macOS, Credential Manager on Windows).
    Keyring {
        /// Keyring service name; Liaison uses [`KEYRING_SERVICE`].
        service: String,
        /// Keyring account name: the profile's name.
        account: String,
    },
    /// A key derived from a passphrase with Argon2id; salt and parameters
    /// live in the `<database>-kdf` file.
    Passphrase {
        /// The passphrase.
        passphrase: Passphrase,
        /// Cost parameters for a new store. Opening uses the parameters
        /// recorded when the store was created and ignores these.
        params: KdfParams,
    },
    /// A key derived with Argon2id from a PIN (or passphrase) the officer
    /// knows, keyed with a random 256-bit secret kept in the OS keyring:
    /// opening needs both. Salt and parameters live in the
    /// `<database>-kdf` file, as in passphrase mode.
    KeyringPin {
        /// Keyring service name.
        service: String,
        /// Keyring account name.
        account: String,
        /// The PIN.
        pin: Passphrase,
        /// Cost parameters for a new store (or a new PIN). Opening uses the
        /// recorded ones.
        params: KdfParams,
    },
}

impl KeyProtection {
    /// Keyring protection for a profile under Liaison's service name.
    pub fn keyring_for_profile(profile: &str) -> Self {
        Self::Keyring {
            service: KEYRING_SERVICE.to_owned(),
            account: profile.to_owned(),
        }
    }

    /// Keyring protection under any service and account name.
    pub fn keyring(service: &str, account: &str) -> Self {
        Self::Keyring {
            service: service.to_owned(),
            account: account.to_owned(),
        }
    }

    /// Passphrase protection with the default Argon2id parameters.
    pub fn passphrase(passphrase: Passphrase) -> Self {
        Self::Passphrase {
            passphrase,
            params: KdfParams::default(),
        }
    }
}
