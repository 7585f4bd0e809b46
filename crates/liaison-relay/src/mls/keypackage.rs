//! Key packages and Welcomes: parsed only as far as the directory needs.

use liaison_identity::CertificateChain;
use liaison_proto::POLICY_EXTENSION_TYPE;
use openmls::prelude::{
    Capabilities, CredentialType, ExtensionType, MlsMessageBodyIn, MlsMessageIn, ProtocolVersion,
};
use openmls_rust_crypto::RustCrypto;
use tls_codec::Deserialize as _;

use crate::error::Error;

/// A validated key package and whose it is.
#[derive(Debug)]
pub(crate) struct ParsedKeyPackage {
    /// Its reference, which a Welcome names.
    pub(crate) hash_ref: Vec<u8>,
    /// Whether it is a last-resort package.
    pub(crate) last_resort: bool,
    /// The officer id its credential claims.
    pub(crate) officer_id: String,
    /// Its leaf signature key.
    pub(crate) signature_key: Vec<u8>,
}

/// Parses and validates (signature, lifetime, capabilities) a serialised
/// key package message.
pub(crate) fn parse_key_package(
    crypto: &RustCrypto,
    bytes: &[u8],
) -> Result<ParsedKeyPackage, Error> {
    let message = MlsMessageIn::tls_deserialize_exact(bytes)
        .map_err(|_| Error::malformed("not an MLS message"))?;
    let MlsMessageBodyIn::KeyPackage(key_package) = message.extract() else {
        return Err(Error::malformed("not a key package"));
    };
    let key_package = key_package
        .validate(crypto, ProtocolVersion::Mls10)
        .map_err(|e| Error::malformed(format!("invalid key package: {e}")))?;
    check_capabilities(key_package.leaf_node().capabilities())?;
    let hash_ref = key_package
        .hash_ref(crypto)
        .map_err(|e| Error::Internal(format!("hashing a key package: {e}")))?;
    let leaf = key_package.leaf_node();
    let (officer_id, signature_key) =
        leaf_identity(leaf.credential(), leaf.signature_key().as_slice())?;
    Ok(ParsedKeyPackage {
        hash_ref: hash_ref.as_slice().to_vec(),
        last_resort: key_package.last_resort(),
        officer_id,
        signature_key,
    })
}

/// What every Liaison leaf must support, so that an admin's add cannot fail
/// late: the channel policy extension (0xF1A0, which every channel's group
/// context requires), the last-resort extension (0x000A) and X.509
/// credentials.
fn check_capabilities(capabilities: &Capabilities) -> Result<(), Error> {
    let required = [
        (
            ExtensionType::Unknown(POLICY_EXTENSION_TYPE),
            "the channel policy extension 0xF1A0",
        ),
        (
            ExtensionType::LastResort,
            "the last-resort extension 0x000A",
        ),
    ];
    for (extension, name) in required {
        if !capabilities.extensions().contains(&extension) {
            return Err(Error::malformed(format!(
                "the key package's capabilities must list {name}"
            )));
        }
    }
    if !capabilities.credentials().contains(&CredentialType::X509) {
        return Err(Error::malformed(
            "the key package's capabilities must list the X.509 credential type",
        ));
    }
    Ok(())
}

/// The certificate chain in a stored key package's credential, for the
/// officer directory. The package was validated when it was published.
pub(crate) fn key_package_chain(
    crypto: &RustCrypto,
    bytes: &[u8],
) -> Result<CertificateChain, Error> {
    let message = MlsMessageIn::tls_deserialize_exact(bytes)
        .map_err(|_| Error::malformed("not an MLS message"))?;
    let MlsMessageBodyIn::KeyPackage(key_package) = message.extract() else {
        return Err(Error::malformed("not a key package"));
    };
    let key_package = key_package
        .validate(crypto, ProtocolVersion::Mls10)
        .map_err(|e| Error::malformed(format!("invalid key package: {e}")))?;
    CertificateChain::from_mls_credential(key_package.leaf_node().credential())
        .map_err(|e| Error::malformed(format!("key package credential: {e}")))
}

/// The key-package references a serialised Welcome is encrypted to.
pub(crate) fn welcome_key_packages(bytes: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    let message = MlsMessageIn::tls_deserialize_exact(bytes)
        .map_err(|_| Error::malformed("the Welcome is not an MLS message"))?;
    let MlsMessageBodyIn::Welcome(welcome) = message.extract() else {
        return Err(Error::malformed("not a Welcome"));
    };
    Ok(welcome
        .secrets()
        .iter()
        .map(|secret| secret.new_member().as_slice().to_vec())
        .collect())
}

/// The officer id an MLS credential claims, and the leaf's signature key.
/// The relay does not verify member credentials (clients do, against the
/// channel's own partner authorities); it matches them against the
/// authenticated officer's id *and* device key, which a certificate from
/// another authority cannot reproduce.
pub(crate) fn leaf_identity(
    credential: &openmls::prelude::Credential,
    signature_key: &[u8],
) -> Result<(String, Vec<u8>), Error> {
    let chain = CertificateChain::from_mls_credential(credential)
        .map_err(|e| Error::malformed(format!("member credential: {e}")))?;
    let officer_id = chain
        .claimed_officer_id()
        .ok_or_else(|| Error::malformed("member credential names no officer"))?;
    Ok((officer_id, signature_key.to_vec()))
}
