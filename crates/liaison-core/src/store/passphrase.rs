//! Passphrase mode: the data key is derived with Argon2id, and the salt and
//! cost parameters live in a small plaintext file next to the database.
//!
//! The parameter file (`<database>-kdf`) is JSON:
//!
//! ```json
//! {"format":"liaison-store-kdf","version":1,"algorithm":"argon2id",
//!  "argon2_version":19,"memory_kib":65536,"iterations":3,"lanes":1,
//!  "salt":"<64 hex digits>"}
//! ```
//!
//! It holds nothing secret. Tampering with it gains nothing: other parameters
//! derive another key, which does not open the database.

use std::fmt;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::StoreError;
use super::key::{DataKey, KEY_LEN};

/// The `format` field of every parameter file.
const SIDECAR_FORMAT: &str = "liaison-store-kdf";
/// The parameter-file version this build writes and reads.
const SIDECAR_VERSION: u32 = 1;
/// The only algorithm name a version-1 file may carry.
const SIDECAR_ALGORITHM: &str = "argon2id";
/// Argon2 version 1.3, as the number the Argon2 specification gives it.
const ARGON2_VERSION: u32 = 0x13;
/// Length of the random salt.
const SALT_LEN: usize = 32;
/// A parameter file is a few hundred bytes; refuse to read anything large.
const SIDECAR_MAX_LEN: u64 = 4096;
/// Upper bounds on parameters read from disk, so a damaged or hostile file
/// cannot make unlocking allocate or spin without end.
const MAX_MEMORY_KIB: u32 = 4 * 1024 * 1024;
const MAX_ITERATIONS: u32 = 64;
const MAX_LANES: u32 = 16;

/// A passphrase, wiped from memory when dropped and never printed.
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Takes ownership of the passphrase text.
    pub fn new(passphrase: String) -> Self {
        Self(Zeroizing::new(passphrase))
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Passphrase {
    fn from(passphrase: String) -> Self {
        Self::new(passphrase)
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

/// Argon2id cost parameters. Every value of this type is accepted by Argon2.
///
/// The default (64 MiB, 3 iterations, 1 lane) is RFC 9106's second
/// recommended setting with a single lane, since the `argon2` crate computes
/// lanes one after another: more lanes would cost the user time without
/// costing an attacker more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    memory_kib: u32,
    iterations: u32,
    lanes: u32,
}

impl KdfParams {
    /// Checks the parameters: memory in KiB (at least 8 per lane, at most
    /// 4 GiB), iterations (1 to 64) and lanes (1 to 16).
    pub fn new(memory_kib: u32, iterations: u32, lanes: u32) -> Result<Self, StoreError> {
        if memory_kib > MAX_MEMORY_KIB || iterations > MAX_ITERATIONS || lanes > MAX_LANES {
            return Err(StoreError::InvalidKdfParams {
                reason: format!(
                    "limits are {MAX_MEMORY_KIB} KiB, {MAX_ITERATIONS} iterations, {MAX_LANES} lanes"
                ),
            });
        }
        Params::new(memory_kib, iterations, lanes, Some(KEY_LEN)).map_err(|e| {
            StoreError::InvalidKdfParams {
                reason: e.to_string(),
            }
        })?;
        Ok(Self {
            memory_kib,
            iterations,
            lanes,
        })
    }

    /// Memory cost in KiB.
    pub fn memory_kib(&self) -> u32 {
        self.memory_kib
    }

    /// Number of passes over the memory.
    pub fn iterations(&self) -> u32 {
        self.iterations
    }

    /// Degree of parallelism.
    pub fn lanes(&self) -> u32 {
        self.lanes
    }

    pub(crate) fn argon2(&self) -> Result<Argon2<'static>, StoreError> {
        let params = Params::new(self.memory_kib, self.iterations, self.lanes, Some(KEY_LEN))
            .map_err(|e| StoreError::InvalidKdfParams {
                reason: e.to_string(),
            })?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// Argon2id keyed with `secret` (Argon2's secret input, RFC 9106 K): the
    /// output depends on it as much as on the password.
    pub(crate) fn argon2_with_secret<'k>(
        &self,
        secret: &'k [u8],
    ) -> Result<Argon2<'k>, StoreError> {
        let params = Params::new(self.memory_kib, self.iterations, self.lanes, Some(KEY_LEN))
            .map_err(|e| StoreError::InvalidKdfParams {
                reason: e.to_string(),
            })?;
        Argon2::new_with_secret(secret, Algorithm::Argon2id, Version::V0x13, params)
            .map_err(|_| StoreError::KeyDerivation)
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self {
            memory_kib: 64 * 1024,
            iterations: 3,
            lanes: 1,
        }
    }
}

/// What the parameter file records: everything needed to derive the key again
/// except the passphrase.
pub(crate) struct KdfSetup {
    params: KdfParams,
    salt: [u8; SALT_LEN],
}

impl KdfSetup {
    /// New parameters with a fresh random salt.
    pub(crate) fn generate(params: KdfParams) -> Result<Self, StoreError> {
        let mut salt = [0; SALT_LEN];
        getrandom::fill(&mut salt).map_err(|_| StoreError::Randomness)?;
        Ok(Self { params, salt })
    }

    /// Stretches the passphrase into the store's data key.
    pub(crate) fn derive(&self, passphrase: &Passphrase) -> Result<DataKey, StoreError> {
        let mut key = DataKey::zeroed();
        self.params
            .argon2()?
            .hash_password_into(passphrase.as_bytes(), &self.salt, key.as_mut_bytes())
            .map_err(|_| StoreError::KeyDerivation)?;
        Ok(key)
    }

    /// Stretches a PIN into the store's data key, keyed with the secret
    /// kept in the OS keyring: neither the PIN nor the keyring secret alone
    /// gives the key.
    pub(crate) fn derive_with_secret(
        &self,
        pin: &Passphrase,
        secret: &DataKey,
    ) -> Result<DataKey, StoreError> {
        if pin.is_empty() {
            return Err(StoreError::EmptyPassphrase);
        }
        let mut key = DataKey::zeroed();
        self.params
            .argon2_with_secret(secret.as_bytes())?
            .hash_password_into(pin.as_bytes(), &self.salt, key.as_mut_bytes())
            .map_err(|_| StoreError::KeyDerivation)?;
        Ok(key)
    }

    /// Like [`Self::derive`], but refuses an empty passphrase: for new stores.
    pub(crate) fn derive_new(&self, passphrase: &Passphrase) -> Result<DataKey, StoreError> {
        if passphrase.is_empty() {
            return Err(StoreError::EmptyPassphrase);
        }
        self.derive(passphrase)
    }

    /// Reads and checks the parameter file of the database at `db_path`.
    pub(crate) fn read(db_path: &Path) -> Result<Self, StoreError> {
        Self::read_file(sidecar_path(db_path))
    }

    /// Reads and checks a parameter file.
    pub(crate) fn read_file(path: PathBuf) -> Result<Self, StoreError> {
        let malformed = |reason: &str| StoreError::SidecarMalformed {
            path: path.clone(),
            reason: reason.to_owned(),
        };
        let file = match fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(StoreError::SidecarMissing { path });
            }
            Err(e) => return Err(StoreError::io(path, e)),
        };
        let mut text = String::new();
        file.take(SIDECAR_MAX_LEN + 1)
            .read_to_string(&mut text)
            .map_err(|_| malformed("not UTF-8 text"))?;
        if u64::try_from(text.len()).unwrap_or(u64::MAX) > SIDECAR_MAX_LEN {
            return Err(malformed("too large"));
        }
        // The header first: a newer version may have other fields, and should
        // be reported as newer rather than as malformed.
        let header: SidecarHeader =
            serde_json::from_str(&text).map_err(|e| malformed(&e.to_string()))?;
        if header.format != SIDECAR_FORMAT {
            return Err(malformed("not a Liaison key-derivation file"));
        }
        if header.version != SIDECAR_VERSION {
            return Err(StoreError::SidecarVersion {
                found: header.version,
                supported: SIDECAR_VERSION,
            });
        }
        let file: SidecarFile =
            serde_json::from_str(&text).map_err(|e| malformed(&e.to_string()))?;
        if file.algorithm != SIDECAR_ALGORITHM || file.argon2_version != ARGON2_VERSION {
            return Err(malformed("unsupported algorithm"));
        }
        let params = KdfParams::new(file.memory_kib, file.iterations, file.lanes)?;
        let mut salt = [0; SALT_LEN];
        hex::decode_to_slice(&file.salt, &mut salt).map_err(|_| malformed("bad salt"))?;
        Ok(Self { params, salt })
    }

    /// Writes the parameter file next to the database: to a temporary file
    /// first, synced, then renamed, so a crash never leaves half a file.
    pub(crate) fn write(&self, db_path: &Path) -> Result<(), StoreError> {
        self.write_file(sidecar_path(db_path))
    }

    /// Writes these parameters to `path`, as [`Self::write`] does.
    pub(crate) fn write_file(&self, path: PathBuf) -> Result<(), StoreError> {
        let file = SidecarFile {
            format: SIDECAR_FORMAT.to_owned(),
            version: SIDECAR_VERSION,
            algorithm: SIDECAR_ALGORITHM.to_owned(),
            argon2_version: ARGON2_VERSION,
            memory_kib: self.params.memory_kib,
            iterations: self.params.iterations,
            lanes: self.params.lanes,
            salt: hex::encode(self.salt),
        };
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| StoreError::Io {
            path: path.clone(),
            source: std::io::Error::other(e),
        })?;
        text.push('\n');
        let mut tmp_name = path.clone().into_os_string();
        tmp_name.push(".tmp");
        let tmp = PathBuf::from(tmp_name);
        let result = (|| {
            let mut out = super::files::create_private(&tmp, true)?;
            out.write_all(text.as_bytes())?;
            out.sync_all()?;
            fs::rename(&tmp, &path)?;
            super::files::sync_parent(&path)
        })();
        result.map_err(|e| {
            let _ = fs::remove_file(&tmp);
            StoreError::io(path, e)
        })
    }

    /// The cost parameters.
    #[cfg(test)]
    pub(crate) fn params(&self) -> KdfParams {
        self.params
    }
}

/// The path of the parameter file of the database at `db_path`.
pub(crate) fn sidecar_path(db_path: &Path) -> PathBuf {
    let mut name = db_path.as_os_str().to_owned();
    name.push("-kdf");
    PathBuf::from(name)
}

/// The parameter file a change of passphrase or PIN writes before it
/// re-encrypts the database, and replaces the parameter file with after
/// (`store/rekey.rs`).
pub(crate) fn pending_sidecar_path(db_path: &Path) -> PathBuf {
    let mut name = sidecar_path(db_path).into_os_string();
    name.push(".next");
    PathBuf::from(name)
}

/// The fields every version of the parameter file starts with.
#[derive(Deserialize)]
struct SidecarHeader {
    format: String,
    version: u32,
}

/// The on-disk shape of the parameter file, version 1.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SidecarFile {
    format: String,
    version: u32,
    algorithm: String,
    argon2_version: u32,
    memory_kib: u32,
    iterations: u32,
    lanes: u32,
    salt: String,
}
