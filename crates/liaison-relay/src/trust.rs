//! Loading the partner authorities the relay trusts, and their revocation
//! lists, from files.

use std::path::{Path, PathBuf};

use liaison_identity::TrustAnchors;
use rustls_pki_types::pem::{PemObject, SectionKind};

use crate::error::StartError;

/// Reads trust anchors and CRLs from files and directories (every file
/// directly inside a directory). PEM files may hold `CERTIFICATE` and
/// `X509 CRL` blocks; a DER file is a CRL when its name ends in `.crl` and
/// a certificate otherwise. Every certificate is a trusted partner
/// authority; every CRL must be signed by one of them.
pub fn load_trust(paths: &[PathBuf]) -> Result<TrustAnchors, StartError> {
    let mut certificates = Vec::new();
    let mut crls = Vec::new();
    for path in paths {
        for file in files(path)? {
            read_file(&file, &mut certificates, &mut crls)?;
        }
    }
    let trust_error = |file: &str, e: liaison_identity::CredentialError| {
        StartError::Trust(format!("{file}: {e}"))
    };
    let mut anchors =
        TrustAnchors::new(certificates).map_err(|e| trust_error("partner authorities", e))?;
    for (file, der) in crls {
        anchors = anchors
            .with_crl(der)
            .map_err(|e| trust_error(&file.display().to_string(), e))?;
    }
    Ok(anchors)
}

fn files(path: &Path) -> Result<Vec<PathBuf>, StartError> {
    let io = |source| StartError::Io {
        what: format!("reading {}", path.display()),
        source,
    };
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(io)? {
        let entry = entry.map_err(io)?;
        if entry.file_type().map_err(io)?.is_file() {
            files.push(entry.path());
        }
    }
    // Directory order is arbitrary; CRL replacement wants a stable order.
    files.sort();
    Ok(files)
}

fn read_file(
    file: &Path,
    certificates: &mut Vec<Vec<u8>>,
    crls: &mut Vec<(PathBuf, Vec<u8>)>,
) -> Result<(), StartError> {
    let bytes = std::fs::read(file).map_err(|source| StartError::Io {
        what: format!("reading {}", file.display()),
        source,
    })?;
    if bytes.starts_with(b"-----BEGIN") || bytes.windows(10).any(|w| w == b"-----BEGIN") {
        for item in <(SectionKind, Vec<u8>)>::pem_slice_iter(&bytes) {
            let (kind, der) =
                item.map_err(|e| StartError::Trust(format!("{}: bad PEM: {e}", file.display())))?;
            match kind {
                SectionKind::Certificate => certificates.push(der),
                SectionKind::Crl => crls.push((file.to_path_buf(), der)),
                _ => {}
            }
        }
    } else if file.extension().is_some_and(|ext| ext == "crl") {
        crls.push((file.to_path_buf(), bytes));
    } else {
        certificates.push(bytes);
    }
    Ok(())
}
