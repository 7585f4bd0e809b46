//! Changing the PIN or the passphrase that unlocks the profile.
//!
//! The officer gives the current one again: an unlocked window left
//! unattended must not let a passer-by replace it. Wrong attempts count
//! toward the same throttle as unlocking (`attempts.rs`), so the change is
//! no way around it. The store re-encrypts itself under the new key
//! (`Store::change_pin`, `Store::change_passphrase`), crash-safe.

use std::time::SystemTime;

use liaison_core::{AuditEvent, Passphrase, StoreError};
use zeroize::Zeroizing;

use super::Desk;
use super::attempts::Attempts;
use super::error::DeskError;
use super::home::StoredProtection;
use super::pin::check_new_pin;
use super::profile::check_new_passphrase;

impl Desk {
    /// Replaces the PIN (keyring profiles) or the passphrase that unlocks
    /// the profile with `new`, once `current` proves the officer knows the
    /// one in use. A wrong `current` is refused as at unlocking
    /// ([`DeskError::WrongPin`] or [`DeskError::WrongPassphrase`]) and
    /// counted; a `new` that the rules of a new PIN or passphrase refuse is
    /// refused with the same codes as at onboarding. The change is audited.
    pub async fn change_secret(&self, current: String, new: String) -> Result<(), DeskError> {
        let current = Zeroizing::new(current);
        let new = Zeroizing::new(new);
        let shared = self.shared().await?;
        let record = self.home.record()?.ok_or(DeskError::NoProfile)?;
        let attempts = Attempts::new(self.home.dir());
        attempts.check(SystemTime::now())?;
        let (secret, wrong) = match &record.protection {
            StoredProtection::KeyringPin { .. } => ("pin", DeskError::WrongPin),
            StoredProtection::Passphrase => ("passphrase", DeskError::WrongPassphrase),
            // Upgraded to a PIN at its first unlock, so never seen unlocked.
            StoredProtection::Keyring { .. } => {
                return Err(DeskError::internal(
                    "a keyring profile without a PIN cannot change it",
                ));
            }
        };
        if current.is_empty() {
            return Err(DeskError::invalid_coded(
                "current",
                if secret == "pin" {
                    "pinMissing"
                } else {
                    "passphraseMissing"
                },
                "enter the one in use",
            ));
        }
        if secret == "pin" {
            check_new_pin(&new)?;
        } else {
            check_new_passphrase(&new)?;
        }
        let current = Passphrase::new(current.to_string());
        let new = Passphrase::new(new.to_string());
        let engine = shared.engine().await;
        let store = engine.store();
        // Argon2id twice (the current key, the new one): about a second with
        // the default costs, on this task, as unlocking takes.
        let changed = match &record.protection {
            StoredProtection::KeyringPin { service, account } => {
                store.change_pin(service, account, &current, &new, self.config.kdf)
            }
            _ => store.change_passphrase(&current, &new, self.config.kdf),
        };
        match changed {
            Ok(()) => {
                attempts.succeeded()?;
                store.record(
                    None,
                    &AuditEvent::SecretChanged {
                        secret: secret.to_owned(),
                    },
                )?;
                Ok(())
            }
            Err(StoreError::WrongKey) => {
                attempts.failed(SystemTime::now())?;
                Err(wrong)
            }
            Err(error) => Err(error.into()),
        }
    }
}
