//! A channel's trust anchors: its partner authorities, the issuing CAs
//! below them, and the revocation lists the channel carries.

use std::time::SystemTime;

use rustls_pki_types::CertificateDer;
use x509_parser::certificate::X509Certificate;
use x509_parser::revocation_list::CertificateRevocationList;

use super::chain::MAX_CERTIFICATE_LEN;
use super::error::CredentialError;
use super::fingerprint::Fingerprint;
use super::signed::verify_signed_by;
use super::time::unix_seconds;

/// Most partner authorities one channel may list.
pub const MAX_ANCHORS: usize = 64;
/// Most intermediate CAs one channel may list.
pub const MAX_INTERMEDIATES: usize = 64;
/// Largest revocation list accepted, in bytes. The list travels in the MLS
/// group context of every member, so it must stay reasonable.
pub const MAX_CRL_LEN: usize = 1024 * 1024;

/// The partner authorities a channel trusts, plus what it carries to check
/// credentials offline: intermediate CAs proven to chain to an anchor, and
/// revocation lists signed by an anchor or one of those intermediates.
///
/// Every value of this type has been checked: at least one anchor, each a
/// CA certificate, no duplicates, every intermediate and CRL signed by a
/// member of the list, at most one CRL per issuer (the newest). This holds
/// for deserialized values too: deserialization re-runs the checks.
#[derive(Clone, PartialEq, Eq)]
pub struct TrustAnchors {
    anchors: Vec<Vec<u8>>,
    intermediates: Vec<Vec<u8>>,
    crls: Vec<Vec<u8>>,
}

impl TrustAnchors {
    /// A list of partner-authority certificates (DER).
    ///
    /// An anchor need not be self-signed: a channel may trust a national
    /// PKI's Liaison issuing CA without trusting the whole national root.
    pub fn new(anchors: Vec<Vec<u8>>) -> Result<Self, CredentialError> {
        if anchors.is_empty() {
            return Err(CredentialError::NoAnchors);
        }
        if anchors.len() > MAX_ANCHORS {
            return Err(CredentialError::TooMany {
                what: "the trust-anchor list",
                max: MAX_ANCHORS,
            });
        }
        for (i, der) in anchors.iter().enumerate() {
            parse_ca(der)?;
            webpki::anchor_from_trusted_cert(&CertificateDer::from(der.as_slice()))
                .map_err(|_| CredentialError::Malformed("trust anchor"))?;
            if anchors.get(..i).unwrap_or_default().contains(der) {
                return Err(CredentialError::DuplicateAnchor);
            }
        }
        Ok(Self {
            anchors,
            intermediates: Vec::new(),
            crls: Vec::new(),
        })
    }

    /// Adds an intermediate CA certificate, which must be a CA signed by an
    /// anchor or by an intermediate already added. Used to check CRLs an
    /// issuing CA signs, and to build paths for chains that omit it.
    pub fn with_intermediate(mut self, der: Vec<u8>) -> Result<Self, CredentialError> {
        if self.intermediates.len() >= MAX_INTERMEDIATES {
            return Err(CredentialError::TooMany {
                what: "the intermediate list",
                max: MAX_INTERMEDIATES,
            });
        }
        if self.anchors.contains(&der) || self.intermediates.contains(&der) {
            return Err(CredentialError::DuplicateAnchor);
        }
        let issuer = parse_ca(&der)?.issuer().as_raw().to_vec();
        self.signer_of(&der, &issuer, "certificate")?;
        self.intermediates.push(der);
        Ok(self)
    }

    /// Adds a revocation list (DER). It must be signed by an anchor or an
    /// intermediate of this list; it replaces an older list from the same
    /// issuer and is refused if it is not newer than the one held.
    pub fn with_crl(mut self, der: Vec<u8>) -> Result<Self, CredentialError> {
        if der.len() > MAX_CRL_LEN {
            return Err(CredentialError::TooLarge {
                what: "a revocation list",
                max: MAX_CRL_LEN,
            });
        }
        // webpki refuses the CRL forms it cannot apply (delta, indirect,
        // partitioned); find out now, not at verification time.
        webpki::BorrowedCertRevocationList::from_der(&der).map_err(crl_error)?;
        let (issuer, this_update) = {
            let crl = parse_crl(&der)?;
            (
                crl.issuer().as_raw().to_vec(),
                crl.last_update().timestamp(),
            )
        };

        let signer = self.signer_of(&der, &issuer, "revocation list")?;
        let (_, signer) = x509_parser::parse_x509_certificate(signer)
            .map_err(|_| CredentialError::Malformed("certificate"))?;
        if let Ok(Some(usage)) = signer.key_usage()
            && !usage.value.crl_sign()
        {
            return Err(CredentialError::UntrustedIssuer);
        }

        let mut replaced = None;
        for (i, held) in self.crls.iter().enumerate() {
            let held = parse_crl(held)?;
            if held.issuer().as_raw() == issuer.as_slice() {
                if held.last_update().timestamp() >= this_update {
                    return Err(CredentialError::StaleCrl);
                }
                replaced = Some(i);
            }
        }
        match replaced.and_then(|i| self.crls.get_mut(i)) {
            Some(slot) => *slot = der,
            None => self.crls.push(der),
        }
        Ok(self)
    }

    /// The partner-authority certificates (DER).
    pub fn anchors(&self) -> &[Vec<u8>] {
        &self.anchors
    }

    /// The intermediate CA certificates (DER).
    pub fn intermediates(&self) -> &[Vec<u8>] {
        &self.intermediates
    }

    /// The revocation lists (DER).
    pub fn crls(&self) -> &[Vec<u8>] {
        &self.crls
    }

    /// SHA-256 fingerprints of the anchors, in order, for display.
    pub fn fingerprints(&self) -> Vec<Fingerprint> {
        self.anchors
            .iter()
            .map(|der| Fingerprint::of(der))
            .collect()
    }

    /// Fingerprints of the revocation lists whose nextUpdate has passed at
    /// `now`, so the UI can ask an administrator for fresh ones. Such lists
    /// are still applied: what they revoke stays revoked.
    pub fn crls_past_next_update(&self, now: SystemTime) -> Vec<Fingerprint> {
        let now = unix_seconds(now);
        self.crls
            .iter()
            .filter(|der| {
                parse_crl(der)
                    .ok()
                    .and_then(|crl| crl.next_update())
                    .is_some_and(|next| next.timestamp() < now)
            })
            .map(|der| Fingerprint::of(der))
            .collect()
    }

    /// The certificate (anchor or intermediate) whose subject is `issuer`
    /// and whose key verifies `signed_der`.
    fn signer_of(
        &self,
        signed_der: &[u8],
        issuer: &[u8],
        what: &'static str,
    ) -> Result<&[u8], CredentialError> {
        for candidate in self.anchors.iter().chain(&self.intermediates) {
            let Ok((_, cert)) = x509_parser::parse_x509_certificate(candidate) else {
                continue;
            };
            if cert.subject().as_raw() != issuer {
                continue;
            }
            match verify_signed_by(signed_der, cert.public_key().raw, what) {
                Ok(()) => return Ok(candidate),
                Err(CredentialError::Malformed(m)) => return Err(CredentialError::Malformed(m)),
                Err(_) => continue,
            }
        }
        Err(CredentialError::UntrustedIssuer)
    }
}

/// Shows fingerprints, not kilobytes of DER.
impl std::fmt::Debug for TrustAnchors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let prints = |list: &[Vec<u8>]| list.iter().map(|d| Fingerprint::of(d)).collect::<Vec<_>>();
        f.debug_struct("TrustAnchors")
            .field("anchors", &prints(&self.anchors))
            .field("intermediates", &prints(&self.intermediates))
            .field("crls", &prints(&self.crls))
            .finish()
    }
}

fn parse_ca(der: &[u8]) -> Result<X509Certificate<'_>, CredentialError> {
    if der.len() > MAX_CERTIFICATE_LEN {
        return Err(CredentialError::TooLarge {
            what: "a certificate",
            max: MAX_CERTIFICATE_LEN,
        });
    }
    let cert = match x509_parser::parse_x509_certificate(der) {
        Ok(([], cert)) => cert,
        _ => return Err(CredentialError::Malformed("certificate")),
    };
    // Version 1 roots predate basicConstraints and are CAs by convention.
    let is_v1 = cert.version().0 == 0;
    if !is_v1 && !cert.is_ca() {
        return Err(CredentialError::NotACertificateAuthority);
    }
    Ok(cert)
}

fn parse_crl(der: &[u8]) -> Result<CertificateRevocationList<'_>, CredentialError> {
    match x509_parser::parse_x509_crl(der) {
        Ok(([], crl)) => Ok(crl),
        _ => Err(CredentialError::Malformed("revocation list")),
    }
}

fn crl_error(error: webpki::Error) -> CredentialError {
    use webpki::Error as E;
    match error {
        E::UnsupportedDeltaCrl => CredentialError::UnsupportedCrl("delta CRL"),
        E::UnsupportedIndirectCrl => CredentialError::UnsupportedCrl("indirect CRL"),
        E::UnsupportedRevocationReasonsPartitioning => {
            CredentialError::UnsupportedCrl("CRL partitioned by reason")
        }
        E::UnsupportedCrlIssuingDistributionPoint => {
            CredentialError::UnsupportedCrl("issuing distribution point")
        }
        E::UnsupportedCrlVersion => CredentialError::UnsupportedCrl("CRL version other than 2"),
        E::UnsupportedRevocationReason => CredentialError::UnsupportedCrl("revocation reason"),
        _ => CredentialError::Malformed("revocation list"),
    }
}
