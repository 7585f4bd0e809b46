//! The officer's per-device Ed25519 signature key.

use std::fmt;

use ed25519_dalek::Signer as _;
use openmls_basic_credential::SignatureKeyPair;
use openmls_traits::types::SignatureScheme;
use zeroize::Zeroizing;

use super::error::DeviceKeyError;

/// `SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING {` —
/// the fixed head of an RFC 8410 v1 Ed25519 PKCS #8 key, before
/// `OCTET STRING (32) seed }`. Written once here for every crate that
/// saves or reads a device or authority key (the authority file, the
/// command line's key files, the desktop's key import).
const PKCS8_HEAD: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// An Ed25519 signing key, one per officer device.
///
/// The secret never leaves this type except through [`DeviceKey::to_seed`]
/// (for the encrypted store), [`DeviceKey::to_pkcs8_der`] (for key files)
/// and [`DeviceKey::to_openmls_signer`]; it is
/// wiped when the value is dropped (ed25519-dalek zeroizes its
/// `SigningKey` on drop). `Debug` shows only the public key. There is no
/// `Clone`, so copies of the secret are made only on purpose.
pub struct DeviceKey {
    signing: ed25519_dalek::SigningKey,
}

impl DeviceKey {
    /// Generates a fresh key from the operating system's CSPRNG.
    pub fn generate() -> Result<Self, DeviceKeyError> {
        let mut seed = Zeroizing::new([0u8; 32]);
        getrandom::fill(seed.as_mut_slice()).map_err(|_| DeviceKeyError::Randomness)?;
        Ok(Self::from_seed(&seed))
    }

    /// Rebuilds a key from its 32-byte RFC 8032 seed (the private key).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self {
            signing: ed25519_dalek::SigningKey::from_bytes(seed),
        }
    }

    /// The 32-byte seed, for storing the key. Wiped when dropped.
    pub fn to_seed(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(self.signing.to_bytes())
    }

    /// The key as an RFC 8410 v1 Ed25519 PKCS #8 `PrivateKeyInfo` (DER),
    /// the contents of a `PRIVATE KEY` PEM block. Wiped when dropped.
    pub fn to_pkcs8_der(&self) -> Zeroizing<Vec<u8>> {
        let mut der = Zeroizing::new(Vec::with_capacity(PKCS8_HEAD.len() + 32));
        der.extend_from_slice(&PKCS8_HEAD);
        der.extend_from_slice(self.to_seed().as_slice());
        der
    }

    /// Reads a key written by [`to_pkcs8_der`](Self::to_pkcs8_der): exactly
    /// the RFC 8410 v1 encoding (no public key, no attributes), as every
    /// Liaison tool writes it. Anything else, another algorithm included,
    /// is [`DeviceKeyError::NotEd25519Pkcs8`].
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, DeviceKeyError> {
        let seed = der
            .strip_prefix(PKCS8_HEAD.as_slice())
            .and_then(|seed| <&[u8; 32]>::try_from(seed).ok())
            .ok_or(DeviceKeyError::NotEd25519Pkcs8)?;
        Ok(Self::from_seed(seed))
    }

    /// The 32-byte Ed25519 public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    /// Signs `message` (pure Ed25519, RFC 8032).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }

    /// The same key as an OpenMLS signer.
    ///
    /// `openmls_basic_credential` 0.6 signs Ed25519 with
    /// `ed25519_dalek::SigningKey::try_from(private)`, i.e. it expects the
    /// 32-byte seed as the private key (not the 64-byte expanded form).
    pub fn to_openmls_signer(&self) -> SignatureKeyPair {
        // The Vec moves into the key pair's SecretVLBytes, which zeroizes it.
        SignatureKeyPair::from_raw(
            SignatureScheme::ED25519,
            self.signing.as_bytes().to_vec(),
            self.public_key().to_vec(),
        )
    }
}

impl fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceKey")
            .field("public_key", &hex::encode(self.public_key()))
            .finish_non_exhaustive()
    }
}

/// Lets rcgen sign certificates and CRLs with a [`DeviceKey`] (the CA key
/// is one too), so the secret stays in ed25519-dalek's zeroizing type.
pub(crate) struct RcgenSigner<'a> {
    key: &'a DeviceKey,
    public: [u8; 32],
}

impl<'a> RcgenSigner<'a> {
    pub(crate) fn new(key: &'a DeviceKey) -> Self {
        Self {
            key,
            public: key.public_key(),
        }
    }
}

impl rcgen::PublicKeyData for RcgenSigner<'_> {
    fn der_bytes(&self) -> &[u8] {
        &self.public
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_ED25519
    }
}

impl rcgen::SigningKey for RcgenSigner<'_> {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        Ok(self.key.sign(msg).to_vec())
    }
}

/// A subject's raw Ed25519 public key, as rcgen wants it.
pub(crate) struct RawEd25519Public(pub(crate) [u8; 32]);

impl rcgen::PublicKeyData for RawEd25519Public {
    fn der_bytes(&self) -> &[u8] {
        &self.0
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_ED25519
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn pkcs8_round_trips_and_refuses_anything_but_the_rfc_8410_v1_form() {
        let key = DeviceKey::from_seed(&[7; 32]);
        let der = key.to_pkcs8_der();
        // RFC 8410 §10.3's example layout: a 16-byte head, then the seed.
        assert_eq!(der.len(), 48);
        assert_eq!(&der[..2], &[0x30, 0x2e]);
        let back = DeviceKey::from_pkcs8_der(&der).unwrap();
        assert_eq!(back.public_key(), key.public_key());

        let mut longer = der.to_vec();
        longer.push(0);
        let mut other_algorithm = der.to_vec();
        other_algorithm[9] ^= 1;
        for bad in [
            &der[..47],
            longer.as_slice(),
            other_algorithm.as_slice(),
            &[],
        ] {
            assert!(matches!(
                DeviceKey::from_pkcs8_der(bad),
                Err(DeviceKeyError::NotEd25519Pkcs8)
            ));
        }
    }
}
