//! Which device a key package from the relay's directory belongs to. A
//! user who starts over with a new device under the same officer id may
//! still have packages of the old device in the directory; the partners
//! must add the new one.

use openmls::prelude::{MlsMessageBodyIn, MlsMessageIn};
use tls_codec::Deserialize as _;

/// The signature key a key package's leaf claims (unverified: the engine
/// verifies the package when it adds the officer), or `None` when the bytes
/// are not a key package.
pub(crate) fn claimed_signature_key(package: &[u8]) -> Option<Vec<u8>> {
    let message = MlsMessageIn::tls_deserialize_exact(package).ok()?;
    match message.extract() {
        MlsMessageBodyIn::KeyPackage(key_package) => Some(
            key_package
                .unverified_credential()
                .signature_key
                .as_slice()
                .to_vec(),
        ),
        _ => None,
    }
}
