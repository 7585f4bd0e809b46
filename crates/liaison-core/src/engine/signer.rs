//! The device key as openmls's signer.
//!
//! `openmls_basic_credential::SignatureKeyPair` rebuilds its Ed25519 key
//! from the seed at every signature, which derives the public key again: a
//! second scalar multiplication on every message, commit and key package.
//! This signer keeps the expanded key, so a signature costs one.

use liaison_identity::DeviceKey;
use openmls_traits::signatures::{Signer, SignerError};
use openmls_traits::types::SignatureScheme;

/// The officer's device key, signing for openmls.
pub(super) struct DeviceSigner(DeviceKey);

impl DeviceSigner {
    pub(super) fn new(key: DeviceKey) -> Self {
        Self(key)
    }

    /// The key itself, for the envelope signatures.
    pub(super) fn key(&self) -> &DeviceKey {
        &self.0
    }
}

impl Signer for DeviceSigner {
    fn sign(&self, payload: &[u8]) -> Result<Vec<u8>, SignerError> {
        Ok(self.0.sign(payload).to_vec())
    }

    fn signature_scheme(&self) -> SignatureScheme {
        SignatureScheme::ED25519
    }
}
