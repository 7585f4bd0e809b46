//! The owner of `profile` (migration 0001): the profile row, who this store
//! belongs to.

use std::fmt;

use rusqlite::OptionalExtension;
use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::audit::{from_unix_millis, unix_millis};
use crate::store::{Store, StoreError};

/// Length of a device key seed.
const SEED_LEN: usize = 32;

/// The seed of the device's signature key: 32 secret bytes, wiped when
/// dropped and never printed. Opaque to the store.
pub struct DeviceKeySeed(Zeroizing<[u8; SEED_LEN]>);

impl DeviceKeySeed {
    /// Wraps a seed.
    pub fn new(seed: [u8; SEED_LEN]) -> Self {
        Self(Zeroizing::new(seed))
    }

    /// Copies a seed out of a slice; `None` unless it is exactly 32 bytes.
    pub fn from_slice(seed: &[u8]) -> Option<Self> {
        if seed.len() != SEED_LEN {
            return None;
        }
        let mut out = Zeroizing::new([0; SEED_LEN]);
        out.copy_from_slice(seed);
        Some(Self(out))
    }

    /// The secret bytes.
    pub fn expose(&self) -> &[u8; SEED_LEN] {
        &self.0
    }
}

impl fmt::Debug for DeviceKeySeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DeviceKeySeed(<redacted>)")
    }
}

/// The profile of the officer who owns the store.
pub struct Profile {
    /// The officer's id, as their certificate states it.
    pub officer_id: String,
    /// The officer's certificate chain, encoded by the identity module.
    pub certificate_chain: Vec<u8>,
    /// The seed of the device's signature key.
    pub device_key_seed: DeviceKeySeed,
    /// When the profile was saved.
    pub created_at: OffsetDateTime,
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("officer_id", &self.officer_id)
            .field("certificate_chain_len", &self.certificate_chain.len())
            .field("device_key_seed", &self.device_key_seed)
            .field("created_at", &self.created_at)
            .finish()
    }
}

impl Store {
    /// Saves the profile of a new store. Refuses to replace an existing one
    /// ([`StoreError::ProfileExists`]): the device key must not change
    /// under an existing MLS membership.
    pub fn save_profile(
        &self,
        officer_id: &str,
        certificate_chain: &[u8],
        device_key_seed: &DeviceKeySeed,
    ) -> Result<(), StoreError> {
        let now = unix_millis(OffsetDateTime::now_utc())?;
        let inserted = self.conn.execute(
            "INSERT INTO profile (id, officer_id, certificate_chain, device_key_seed, created_at) \
             VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT (id) DO NOTHING",
            rusqlite::params![
                officer_id,
                certificate_chain,
                &device_key_seed.expose()[..],
                now
            ],
        )?;
        if inserted == 0 {
            return Err(StoreError::ProfileExists);
        }
        Ok(())
    }

    /// Replaces the certificate chain, for a renewed certificate of the same
    /// device key.
    pub fn replace_certificate_chain(&self, certificate_chain: &[u8]) -> Result<(), StoreError> {
        let updated = self.conn.execute(
            "UPDATE profile SET certificate_chain = ?1 WHERE id = 1",
            [certificate_chain],
        )?;
        if updated == 0 {
            return Err(StoreError::ProfileMissing);
        }
        Ok(())
    }

    /// Loads the profile; `None` before [`Store::save_profile`].
    pub fn profile(&self) -> Result<Option<Profile>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT officer_id, certificate_chain, device_key_seed, created_at \
                 FROM profile WHERE id = 1",
                [],
                |row| {
                    // Copied straight from SQLite's buffer into wiped memory.
                    let seed = DeviceKeySeed::from_slice(row.get_ref(2)?.as_blob()?);
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, Vec<u8>>(1)?,
                        seed,
                        row.get::<_, i64>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((officer_id, certificate_chain, seed, created_at)) = row else {
            return Ok(None);
        };
        Ok(Some(Profile {
            officer_id,
            certificate_chain,
            device_key_seed: seed.ok_or(StoreError::Corrupt {
                what: "device key seed",
            })?,
            created_at: from_unix_millis(created_at)?,
        }))
    }
}
