//! Reading and writing the PEM files the command line exchanges with
//! authorities and admins: certificates, revocation lists, device keys.

use std::fs::{self, OpenOptions};
use std::io::Write as _;
use std::path::Path;

use liaison_core::DeviceKey;
use zeroize::Zeroizing;

use crate::error::CliError;

const CERTIFICATE: &str = "CERTIFICATE";
const CRL: &str = "X509 CRL";
const PRIVATE_KEY: &str = "PRIVATE KEY";
/// Largest PEM or DER file read (anchors, chains, CRLs): CRLs are capped
/// at 1 MiB by the identity crate; PEM adds a third.
const MAX_FILE_LEN: u64 = 2 * 1024 * 1024;

/// Reads a file of bounded size.
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, CliError> {
    let len = fs::metadata(path).map_err(|e| CliError::io(path, e))?.len();
    if len > MAX_FILE_LEN {
        return Err(CliError::bad_file(path, "file too large"));
    }
    fs::read(path).map_err(|e| CliError::io(path, e))
}

/// Reads a text file of bounded size; the buffer is wiped when dropped.
pub(crate) fn read_text(path: &Path) -> Result<Zeroizing<String>, CliError> {
    let bytes = Zeroizing::new(read_bytes(path)?);
    std::str::from_utf8(&bytes)
        .map(|text| Zeroizing::new(text.to_owned()))
        .map_err(|_| CliError::bad_file(path, "not UTF-8 text"))
}

fn parse_pem(path: &Path, text: &str) -> Result<Vec<pem::Pem>, CliError> {
    pem::parse_many(text).map_err(|_| CliError::bad_file(path, "not a PEM file"))
}

/// The DER certificates of a PEM file, in order. A file that holds a
/// private key is refused: trust anchors are public certificates, and an
/// authority file must not travel to channel admins.
pub(crate) fn read_certificates(path: &Path) -> Result<Vec<Vec<u8>>, CliError> {
    let text = read_text(path)?;
    let mut certificates = Vec::new();
    for block in parse_pem(path, &text)? {
        match block.tag() {
            CERTIFICATE => certificates.push(block.into_contents()),
            tag if tag.ends_with(PRIVATE_KEY) => {
                drop(Zeroizing::new(block.into_contents()));
                return Err(CliError::bad_file(
                    path,
                    "holds a private key; give the certificate only \
                     (`liaison authority certificate --authority FILE`)",
                ));
            }
            _ => {}
        }
    }
    if certificates.is_empty() {
        return Err(CliError::bad_file(path, "no CERTIFICATE block"));
    }
    Ok(certificates)
}

/// A revocation list, PEM (`X509 CRL`) or DER.
pub(crate) fn read_crl(path: &Path) -> Result<Vec<u8>, CliError> {
    let bytes = read_bytes(path)?;
    if !bytes.starts_with(b"-----BEGIN") {
        return Ok(bytes);
    }
    let text = std::str::from_utf8(&bytes).map_err(|_| CliError::bad_file(path, "not PEM"))?;
    parse_pem(path, text)?
        .into_iter()
        .find(|block| block.tag() == CRL)
        .map(pem::Pem::into_contents)
        .ok_or_else(|| CliError::bad_file(path, "no X509 CRL block"))
}

/// A CRL as PEM.
pub(crate) fn crl_pem(der: Vec<u8>) -> String {
    pem::encode(&pem::Pem::new(CRL, der))
}

/// Certificates as PEM.
pub(crate) fn certificates_pem(ders: &[Vec<u8>]) -> String {
    let blocks: Vec<pem::Pem> = ders
        .iter()
        .map(|der| pem::Pem::new(CERTIFICATE, der.clone()))
        .collect();
    pem::encode_many(&blocks)
}

/// A device key as an RFC 8410 `PRIVATE KEY` PEM block.
pub(crate) fn device_key_pem(key: &DeviceKey) -> Zeroizing<String> {
    let block = pem::Pem::new(PRIVATE_KEY, key.to_pkcs8_der().to_vec());
    let text = Zeroizing::new(pem::encode(&block));
    drop(Zeroizing::new(block.into_contents()));
    text
}

/// Reads a device key written by [`device_key_pem`].
pub(crate) fn read_device_key(path: &Path) -> Result<DeviceKey, CliError> {
    let text = read_text(path)?;
    let block = pem::parse(text.as_bytes())
        .map_err(|_| CliError::bad_file(path, "not a PEM private key"))?;
    if block.tag() != PRIVATE_KEY {
        return Err(CliError::bad_file(path, "not a PEM private key"));
    }
    let der = Zeroizing::new(block.into_contents());
    DeviceKey::from_pkcs8_der(&der)
        .map_err(|_| CliError::bad_file(path, "not an Ed25519 (RFC 8410) private key"))
}

/// Writes a new file readable by the owner only; never replaces one.
pub(crate) fn write_new_secret(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| CliError::io(path, e))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(|e| CliError::io(path, e))
}

/// Replaces a secret file atomically (write beside it, then rename), so a
/// crash leaves the old or the new content, never half of one.
pub(crate) fn replace_secret(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp_name);
    let _ = fs::remove_file(&tmp);
    write_new_secret(&tmp, contents)?;
    fs::rename(&tmp, path).map_err(|e| CliError::io(path, e))
}

/// Writes a public file, replacing any earlier one.
pub(crate) fn write_public(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    fs::write(path, contents).map_err(|e| CliError::io(path, e))
}
