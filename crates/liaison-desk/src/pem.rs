//! Reading the certificate chain and private key files of an imported
//! profile. Files are size-bounded; key bytes live in wiped buffers.

use std::fs;
use std::io::Read as _;
use std::path::Path;

use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivatePkcs8KeyDer};
use zeroize::Zeroizing;

use super::error::DeskError;
use liaison_identity::{CertificateChain, DeviceKey};

/// Largest certificate or key file read.
const MAX_FILE_LEN: u64 = 1024 * 1024;

fn read_bounded(path: &Path, what: &str) -> Result<Zeroizing<Vec<u8>>, DeskError> {
    let file = fs::File::open(path)
        .map_err(|e| DeskError::Certificate(format!("Cannot open the {what} file: {e}.")))?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_FILE_LEN + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| DeskError::Certificate(format!("Cannot read the {what} file: {e}.")))?;
    if u64::try_from(bytes.len()).map_or(true, |len| len > MAX_FILE_LEN) {
        return Err(DeskError::Certificate(format!(
            "The {what} file is larger than 1 MiB."
        )));
    }
    Ok(bytes)
}

/// A PEM certificate chain, leaf first.
pub(crate) fn read_chain(path: &Path) -> Result<CertificateChain, DeskError> {
    let bytes = read_bounded(path, "certificate")?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| DeskError::Certificate("The certificate file is not PEM text.".into()))?;
    CertificateChain::from_pem(text).map_err(|e| {
        DeskError::Certificate(format!("The certificate file holds no usable chain: {e}."))
    })
}

/// A PEM PKCS #8 Ed25519 private key (RFC 8410).
pub(crate) fn read_device_key(path: &Path) -> Result<DeviceKey, DeskError> {
    let bytes = read_bounded(path, "key")?;
    let der = PrivatePkcs8KeyDer::from_pem_slice(&bytes).map_err(|_| {
        DeskError::Certificate("The key file holds no PEM PKCS #8 private key.".into())
    })?;
    let der = Zeroizing::new(der.secret_pkcs8_der().to_vec());
    DeviceKey::from_pkcs8_der(&der).map_err(|_| {
        DeskError::Certificate("The key is not an Ed25519 (RFC 8410) private key.".into())
    })
}

/// A partner authority's certificate (DER) from a PEM file that holds it
/// alone: a file with several certificates is refused, so the one pinned is
/// the one the officer saw.
pub(crate) fn read_authority_certificate(path: &Path) -> Result<Vec<u8>, DeskError> {
    let bytes = read_bounded(path, "certificate")?;
    let mut certificates = Vec::new();
    for certificate in CertificateDer::pem_slice_iter(&bytes) {
        let certificate = certificate.map_err(|_| {
            DeskError::Certificate("The certificate file is not PEM certificates.".into())
        })?;
        certificates.push(certificate.to_vec());
    }
    match <[Vec<u8>; 1]>::try_from(certificates) {
        Ok([certificate]) => Ok(certificate),
        Err(certificates) => Err(DeskError::Certificate(format!(
            "The file holds {} certificates; choose the partner authority's certificate alone.",
            certificates.len()
        ))),
    }
}
