//! An officer's certificate chain and its MLS X.509 credential form.

use openmls::prelude::{Credential, CredentialType};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use super::error::CredentialError;
use super::fingerprint::Fingerprint;
use super::mls_vec::{self, VecError};
use super::oid;

/// Most certificates a chain may hold: the officer's, up to six issuing
/// CAs (rustls-webpki's own limit on sub-CAs) and optionally the root.
pub const MAX_CHAIN_LEN: usize = 8;
/// Largest certificate accepted, in bytes. Officer certificates are well
/// under 2 KiB; national CA certificates with long policy extensions stay
/// under 8 KiB.
pub const MAX_CERTIFICATE_LEN: usize = 16 * 1024;

/// A certificate chain, the officer's certificate first, then the
/// certificates that issued it, each in DER.
///
/// Every element parses as an X.509 certificate and the chain respects
/// [`MAX_CHAIN_LEN`] and [`MAX_CERTIFICATE_LEN`]; whether it is *trusted*
/// is decided only by [`verify_credential`](super::verify_credential).
#[derive(Clone, PartialEq, Eq)]
pub struct CertificateChain {
    certificates: Vec<Vec<u8>>,
}

impl CertificateChain {
    /// Builds a chain from DER certificates, leaf first.
    pub fn from_der(certificates: Vec<Vec<u8>>) -> Result<Self, CredentialError> {
        if certificates.is_empty() {
            return Err(CredentialError::EmptyChain);
        }
        if certificates.len() > MAX_CHAIN_LEN {
            return Err(CredentialError::ChainTooLong { max: MAX_CHAIN_LEN });
        }
        for der in &certificates {
            check_certificate(der)?;
        }
        Ok(Self { certificates })
    }

    /// Builds a chain from the `CERTIFICATE` blocks of a PEM text, in
    /// order, leaf first. Other blocks are ignored.
    pub fn from_pem(pem: &str) -> Result<Self, CredentialError> {
        let certificates = CertificateDer::pem_slice_iter(pem.as_bytes())
            .map(|item| {
                item.map(|der| der.to_vec())
                    .map_err(|_| CredentialError::Malformed("PEM"))
            })
            .take(MAX_CHAIN_LEN + 1)
            .collect::<Result<Vec<_>, _>>()?;
        Self::from_der(certificates)
    }

    /// The chain as PEM `CERTIFICATE` blocks, leaf first.
    pub fn to_pem(&self) -> String {
        let blocks: Vec<pem::Pem> = self
            .certificates
            .iter()
            .map(|der| pem::Pem::new("CERTIFICATE", der.clone()))
            .collect();
        pem::encode_many(&blocks)
    }

    /// The officer's certificate.
    pub fn leaf(&self) -> &[u8] {
        // `from_der` refuses an empty chain.
        self.certificates.first().map_or(&[], Vec::as_slice)
    }

    /// The certificates after the leaf (issuing CAs, perhaps the root).
    pub fn issuers(&self) -> &[Vec<u8>] {
        self.certificates.get(1..).unwrap_or_default()
    }

    /// All certificates, leaf first.
    pub fn certificates(&self) -> &[Vec<u8>] {
        &self.certificates
    }

    /// The officer id the leaf certificate *claims*, before any
    /// verification: only for naming the certificate in an error message
    /// (the text is marked as unverified by the caller).
    pub fn claimed_officer_id(&self) -> Option<String> {
        let (_, cert) = x509_parser::parse_x509_certificate(self.leaf()).ok()?;
        super::attributes::OfficerAttributes::from_certificate(&cert)
            .ok()
            .map(|a| a.officer_id().to_owned())
    }

    /// The officer attributes the leaf certificate *claims*, before any
    /// verification: for showing officers their own profile (their chain
    /// leaves out the root that channels hold as an anchor). Anything
    /// that decides trust must use `verify_credential` instead.
    pub fn claimed_attributes(
        &self,
    ) -> Result<super::attributes::OfficerAttributes, CredentialError> {
        let (_, cert) = x509_parser::parse_x509_certificate(self.leaf())
            .map_err(|_| CredentialError::Malformed("certificate"))?;
        super::attributes::OfficerAttributes::from_certificate(&cert)
    }

    /// The Ed25519 public key of the leaf certificate.
    pub fn leaf_public_key(&self) -> Result<[u8; 32], CredentialError> {
        let (_, cert) = x509_parser::parse_x509_certificate(self.leaf())
            .map_err(|_| CredentialError::Malformed("certificate"))?;
        ed25519_key(&cert)
    }

    /// The MLS credential (RFC 9420 §5.3): `CredentialType::X509` whose
    /// wire form is `Certificate certificates<V>`, each `opaque cert_data<V>`.
    ///
    /// OpenMLS writes the credential content as one `opaque<V>` itself, and
    /// that length prefix *is* the length of `certificates<V>`; so the content
    /// handed to it is the concatenation of the `cert_data<V>` entries, and
    /// the bytes on the wire are exactly RFC 9420's.
    pub fn to_mls_credential(&self) -> Credential {
        let mut content = Vec::new();
        for der in &self.certificates {
            // Cannot fail: MAX_CERTIFICATE_LEN is far below the 30-bit
            // varint limit, and `from_der` enforced it.
            let _ = mls_vec::push_opaque(&mut content, der);
        }
        Credential::new(CredentialType::X509, content)
    }

    /// Reads a chain back from an MLS X.509 credential. The chain length and
    /// every certificate's size are capped before anything is parsed.
    pub fn from_mls_credential(credential: &Credential) -> Result<Self, CredentialError> {
        if credential.credential_type() != CredentialType::X509 {
            return Err(CredentialError::WrongCredentialType);
        }
        let mut rest = credential.serialized_content();
        let mut certificates = Vec::new();
        while !rest.is_empty() {
            if certificates.len() == MAX_CHAIN_LEN {
                return Err(CredentialError::ChainTooLong { max: MAX_CHAIN_LEN });
            }
            let (der, tail) =
                mls_vec::take_opaque(rest, MAX_CERTIFICATE_LEN).map_err(|e| match e {
                    VecError::TooLong => CredentialError::TooLarge {
                        what: "a certificate",
                        max: MAX_CERTIFICATE_LEN,
                    },
                    VecError::Truncated | VecError::BadLength => {
                        CredentialError::Malformed("MLS X.509 credential")
                    }
                })?;
            certificates.push(der.to_vec());
            rest = tail;
        }
        Self::from_der(certificates)
    }
}

/// Shows fingerprints, not kilobytes of DER.
impl std::fmt::Debug for CertificateChain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.certificates.iter().map(|der| Fingerprint::of(der)))
            .finish()
    }
}

fn check_certificate(der: &[u8]) -> Result<(), CredentialError> {
    if der.len() > MAX_CERTIFICATE_LEN {
        return Err(CredentialError::TooLarge {
            what: "a certificate",
            max: MAX_CERTIFICATE_LEN,
        });
    }
    match x509_parser::parse_x509_certificate(der) {
        Ok(([], _)) => Ok(()),
        _ => Err(CredentialError::Malformed("certificate")),
    }
}

/// The certificate's key, which must be Ed25519 (RFC 8410: no parameters,
/// a 32-byte BIT STRING).
pub(crate) fn ed25519_key(
    cert: &x509_parser::certificate::X509Certificate<'_>,
) -> Result<[u8; 32], CredentialError> {
    let spki = cert.public_key();
    if spki.algorithm.algorithm.as_bytes() != oid::ED25519 || spki.algorithm.parameters.is_some() {
        return Err(CredentialError::UnsupportedKey);
    }
    if spki.subject_public_key.unused_bits != 0 {
        return Err(CredentialError::UnsupportedKey);
    }
    <[u8; 32]>::try_from(spki.subject_public_key.data.as_ref())
        .map_err(|_| CredentialError::UnsupportedKey)
}
