//! Officers' encrypted stores for the demo. Real SQLCipher files under a
//! random raw key: the partner officers' keys are kept in a file beside
//! their store (the demo must run where no OS keyring exists, and its
//! officers hold only exercise traffic); scripted scenarios use a key that
//! is never written down.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use liaison_core::{CertificateChain, DeviceKey, Engine, InitialTrust, PolicyRegistry, danger};
use zeroize::Zeroizing;

use crate::{DemoError, files};

fn random_key() -> Result<Zeroizing<[u8; 32]>, DemoError> {
    let mut key = Zeroizing::new([0u8; 32]);
    getrandom::fill(key.as_mut_slice()).map_err(|_| DemoError::Randomness)?;
    Ok(key)
}

/// Creates a profile at `path` for the holder of `chain` and `device`,
/// pinning the partner authorities of `trust`, encrypted under a random key
/// that is not kept: the store can be read only through the returned
/// engine. Refuses an existing file.
pub fn throwaway_profile(
    path: &Path,
    registry: Arc<PolicyRegistry>,
    officer_id: &str,
    chain: CertificateChain,
    device: DeviceKey,
    trust: &InitialTrust,
) -> Result<Engine, DemoError> {
    let key = random_key()?;
    let store = danger::create_with_raw_key(path, &key)?;
    Ok(Engine::create_profile(
        store, registry, officer_id, chain, device, trust,
    )?)
}

/// Where a partner officer's store and its key live.
pub(crate) struct KeptProfile {
    database: PathBuf,
    key_file: PathBuf,
}

impl KeptProfile {
    pub(crate) fn new(dir: &Path, officer_id: &str) -> Self {
        Self {
            database: dir.join(format!("{officer_id}.db")),
            key_file: dir.join(format!("{officer_id}.key")),
        }
    }

    /// Creates the store, writing its key first so a store never exists
    /// without the key that opens it; the profile pins `trust`.
    pub(crate) fn create(
        &self,
        registry: Arc<PolicyRegistry>,
        officer_id: &str,
        chain: CertificateChain,
        device: DeviceKey,
        trust: &InitialTrust,
    ) -> Result<Engine, DemoError> {
        let key = random_key()?;
        let text = Zeroizing::new(hex::encode(key.as_slice()));
        files::write_secret(&self.key_file, text.as_bytes())?;
        let store = danger::create_with_raw_key(&self.database, &key)?;
        let engine = Engine::create_profile(store, registry, officer_id, chain, device, trust)?;
        relax_durability(&engine)?;
        Ok(engine)
    }

    /// Opens the store with its kept key.
    pub(crate) fn open(&self, registry: Arc<PolicyRegistry>) -> Result<Engine, DemoError> {
        let text = files::read_secret(&self.key_file)?
            .ok_or_else(|| DemoError::corrupt(&self.key_file, "the store key is missing"))?;
        let mut key = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(text.trim(), key.as_mut_slice()).map_err(|_| {
            DemoError::corrupt(&self.key_file, "the store key is not 64 hex digits")
        })?;
        let store = danger::open_with_raw_key(&self.database, &key)?;
        let engine = Engine::open(store, registry)?;
        relax_durability(&engine)?;
        Ok(engine)
    }
}

/// A partner officer's store commits without waiting for the disk (WAL with
/// `synchronous = NORMAL`): a crash stays consistent, and a power cut may
/// lose only the bot's last transactions, which the relay still holds. Four
/// bots each waiting for an fsync per message made a seeded benchmark
/// history several times slower.
fn relax_durability(engine: &Engine) -> Result<(), DemoError> {
    engine
        .store()
        .connection()
        .pragma_update(None, "synchronous", "NORMAL")
        .map_err(|e| DemoError::Store(e.into()))
}
