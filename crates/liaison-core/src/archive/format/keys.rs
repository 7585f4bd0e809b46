//! The archive key schedule: a 256-bit root secret, protected by a
//! passphrase (Argon2id, as the store's passphrase mode) or wrapped for a
//! certificate (HPKE to the X25519 form of its Ed25519 key); from it, with
//! HKDF-SHA256, a key-check value and the payload key bound to the header.

use ed25519_dalek::{SigningKey, VerifyingKey};
use openmls_rust_crypto::RustCrypto;
use openmls_traits::crypto::OpenMlsCrypto as _;
use openmls_traits::types::{
    HashType, HpkeAeadType, HpkeCiphertext, HpkeConfig, HpkeKdfType, HpkeKemType,
};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::header::{ARCHIVE_ID_LEN, KEY_CHECK_LEN, KeySlot, SALT_LEN};
use crate::archive::error::ArchiveError;
use crate::store::{KdfParams, Passphrase};
use liaison_identity::DeviceKey;

/// Length of the root secret and of the payload key.
pub(crate) const KEY_LEN: usize = 32;
/// Most Argon2id memory an archive may ask for (1 GiB).
const MAX_ARCHIVE_MEMORY_KIB: u32 = 1024 * 1024;
/// Most Argon2id passes an archive may ask for.
const MAX_ARCHIVE_ITERATIONS: u32 = 16;

const HPKE_INFO: &[u8] = b"liaison archive v1 file key";
const CHECK_INFO: &[u8] = b"liaison archive v1 key check";
const PAYLOAD_INFO: &[u8] = b"liaison archive v1 payload";

fn hpke_config() -> HpkeConfig {
    HpkeConfig(
        HpkeKemType::DhKem25519,
        HpkeKdfType::HkdfSha256,
        HpkeAeadType::AesGcm256,
    )
}

/// The archive's root secret. Wiped when dropped.
pub(crate) struct RootSecret(Zeroizing<[u8; KEY_LEN]>);

impl RootSecret {
    /// A fresh random secret (certificate mode).
    pub(crate) fn generate() -> Result<Self, ArchiveError> {
        let mut secret = Zeroizing::new([0u8; KEY_LEN]);
        getrandom::fill(secret.as_mut_slice()).map_err(|_| ArchiveError::Randomness)?;
        Ok(Self(secret))
    }

    /// Argon2id of the passphrase with the slot's salt and costs.
    pub(crate) fn from_passphrase(
        passphrase: &Passphrase,
        memory_kib: u32,
        iterations: u32,
        lanes: u32,
        salt: &[u8; SALT_LEN],
    ) -> Result<Self, ArchiveError> {
        // An archive comes from someone else: opening one must not let its
        // header claim gigabytes of memory or minutes of work.
        if memory_kib > MAX_ARCHIVE_MEMORY_KIB || iterations > MAX_ARCHIVE_ITERATIONS {
            return Err(ArchiveError::KeyDerivation {
                reason: format!(
                    "archive key derivation is limited to {MAX_ARCHIVE_MEMORY_KIB} KiB and \
                     {MAX_ARCHIVE_ITERATIONS} passes"
                ),
            });
        }
        // Through KdfParams: the same Argon2id and the same bounds as the
        // store's passphrase file, so a hostile header cannot ask for
        // unbounded memory or time.
        let argon2 = KdfParams::new(memory_kib, iterations, lanes)
            .and_then(|params| params.argon2())
            .map_err(|e| ArchiveError::KeyDerivation {
                reason: e.to_string(),
            })?;
        let mut secret = Zeroizing::new([0u8; KEY_LEN]);
        argon2
            .hash_password_into(passphrase.as_bytes(), salt, secret.as_mut_slice())
            .map_err(|e| ArchiveError::KeyDerivation {
                reason: e.to_string(),
            })?;
        Ok(Self(secret))
    }

    /// Wraps the secret for the holder of the Ed25519 key `recipient_key`.
    /// `archive_id` is the HPKE associated data, tying the wrap to this file.
    pub(crate) fn wrap_for(
        &self,
        recipient_key: &[u8; 32],
        archive_id: &[u8; ARCHIVE_ID_LEN],
    ) -> Result<(Vec<u8>, Vec<u8>), ArchiveError> {
        let public = VerifyingKey::from_bytes(recipient_key)
            .map_err(|_| ArchiveError::Crypto("reading the recipient's key"))?
            .to_montgomery()
            .to_bytes();
        let sealed = RustCrypto::default()
            .hpke_seal(
                hpke_config(),
                &public,
                HPKE_INFO,
                archive_id,
                self.0.as_slice(),
            )
            .map_err(|_| ArchiveError::Crypto("wrapping the archive key"))?;
        Ok((
            sealed.kem_output.as_slice().to_vec(),
            sealed.ciphertext.as_slice().to_vec(),
        ))
    }

    /// Unwraps a secret wrapped for `device`'s key. A failure means the
    /// wrapped key was altered (the recipient was checked before).
    pub(crate) fn unwrap_with(
        device: &DeviceKey,
        kem_output: &[u8],
        wrapped_key: &[u8],
        archive_id: &[u8; ARCHIVE_ID_LEN],
    ) -> Result<Self, ArchiveError> {
        let seed = device.to_seed();
        let private = Zeroizing::new(SigningKey::from_bytes(&seed).to_scalar_bytes());
        let input = HpkeCiphertext {
            kem_output: kem_output.to_vec().into(),
            ciphertext: wrapped_key.to_vec().into(),
        };
        let opened = Zeroizing::new(
            RustCrypto::default()
                .hpke_open(
                    hpke_config(),
                    &input,
                    private.as_slice(),
                    HPKE_INFO,
                    archive_id,
                )
                .map_err(|_| ArchiveError::Tampered { chunk: u64::MAX })?,
        );
        let mut secret = Zeroizing::new([0u8; KEY_LEN]);
        if opened.len() != KEY_LEN {
            return Err(ArchiveError::MalformedContent(
                "the wrapped archive key has the wrong length".into(),
            ));
        }
        secret.copy_from_slice(&opened);
        Ok(Self(secret))
    }

    /// The value the header carries to tell a wrong passphrase from a
    /// damaged file: HKDF of the secret, salted with the archive id.
    pub(crate) fn key_check(
        &self,
        archive_id: &[u8; ARCHIVE_ID_LEN],
    ) -> Result<[u8; KEY_CHECK_LEN], ArchiveError> {
        let okm = hkdf(archive_id, self.0.as_slice(), CHECK_INFO, KEY_CHECK_LEN)?;
        let mut out = [0u8; KEY_CHECK_LEN];
        out.copy_from_slice(&okm);
        Ok(out)
    }

    /// The payload key, bound to every byte of the header: a header altered
    /// in any way (marking, parameters, chunk size) yields another key, and
    /// then the first chunk fails authentication.
    pub(crate) fn payload_key(&self, header_bytes: &[u8]) -> Result<PayloadKey, ArchiveError> {
        let salt = Sha256::digest(header_bytes);
        let okm = hkdf(&salt, self.0.as_slice(), PAYLOAD_INFO, KEY_LEN)?;
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        key.copy_from_slice(&okm);
        Ok(PayloadKey(key))
    }
}

/// The AES-256-GCM key of the chunks. Wiped when dropped.
pub(crate) struct PayloadKey(Zeroizing<[u8; KEY_LEN]>);

impl PayloadKey {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// Builds the passphrase slot for a new archive: fresh salt, given costs.
pub(crate) fn passphrase_slot(params: KdfParams) -> Result<KeySlot, ArchiveError> {
    let mut salt = [0u8; SALT_LEN];
    getrandom::fill(&mut salt).map_err(|_| ArchiveError::Randomness)?;
    Ok(KeySlot::Passphrase {
        memory_kib: params.memory_kib(),
        iterations: params.iterations(),
        lanes: params.lanes(),
        salt,
    })
}

fn hkdf(
    salt: &[u8],
    ikm: &[u8],
    info: &[u8],
    len: usize,
) -> Result<Zeroizing<Vec<u8>>, ArchiveError> {
    let crypto = RustCrypto::default();
    let prk = crypto
        .hkdf_extract(HashType::Sha2_256, salt, ikm)
        .map_err(|_| ArchiveError::Crypto("deriving archive keys"))?;
    let okm = crypto
        .hkdf_expand(HashType::Sha2_256, prk.as_slice(), info, len)
        .map_err(|_| ArchiveError::Crypto("deriving archive keys"))?;
    Ok(Zeroizing::new(okm.as_slice().to_vec()))
}
