//! Credential verification: path to a partner authority, validity,
//! revocation, key binding, attributes.

use std::time::SystemTime;

use ed25519_dalek::{Signature, VerifyingKey};
use rustls_pki_types::{CertificateDer, TrustAnchor};
use webpki::{
    CertRevocationList, EndEntityCert, ExpirationPolicy, ExtendedKeyUsageValidator, KeyPurposeId,
    KeyPurposeIdIter, KeyUsage, RequiredEkuNotFoundContext, RevocationCheckDepth,
    RevocationOptionsBuilder, UnknownStatusPolicy, VerifiedPath,
};
use x509_parser::certificate::X509Certificate;

use super::anchors::TrustAnchors;
use super::attributes::OfficerAttributes;
use super::chain::{CertificateChain, ed25519_key};
use super::error::CredentialError;
use super::fingerprint::Fingerprint;
use super::oid::LIAISON_KEY_PURPOSE_DER;
use super::serial::CertificateSerial;
use super::time::{system_time, unix_seconds, webpki_time};

/// A credential that passed [`verify_credential`]. It can be obtained no
/// other way, so holding one means: the chain leads to one of the
/// channel's partner authorities, every certificate on the path is within
/// its validity period and not revoked by a list the channel carries, the
/// certificate key is the MLS signature key, and the attributes follow the
/// profile.
#[derive(Clone, Debug)]
pub struct VerifiedCredential {
    attributes: OfficerAttributes,
    public_key: [u8; 32],
    verifying_key: VerifyingKey,
    anchor: Fingerprint,
    serial: CertificateSerial,
    not_after: SystemTime,
}

impl VerifiedCredential {
    /// What the partner authority vouches for.
    pub fn attributes(&self) -> &OfficerAttributes {
        &self.attributes
    }

    /// The officer's Ed25519 public key (the MLS signature key).
    pub fn public_key(&self) -> &[u8; 32] {
        &self.public_key
    }

    /// The fingerprint of the partner authority the path ends at.
    pub fn anchor_fingerprint(&self) -> Fingerprint {
        self.anchor
    }

    /// The serial number of the officer's certificate.
    pub fn serial(&self) -> &CertificateSerial {
        &self.serial
    }

    /// When the credential stops verifying: the earliest notAfter on the
    /// path (officer certificate, intermediates, anchor).
    pub fn not_after(&self) -> SystemTime {
        self.not_after
    }

    /// Verifies an Ed25519 signature by this officer (RFC 8032 with the
    /// strict checks: canonical `S`, no small-order keys or `R`).
    pub fn verify_signature(
        &self,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), CredentialError> {
        let signature =
            Signature::from_slice(signature).map_err(|_| CredentialError::BadSignature)?;
        self.verifying_key
            .verify_strict(message, &signature)
            .map_err(|_| CredentialError::BadSignature)
    }
}

/// Verifies an officer's credential for a channel at time `now`.
///
/// Steps, each with its own error (see `docs/identity.md`):
/// 1. path building from the officer certificate through the chain's
///    certificates and the channel's intermediates to one of the anchors,
///    checking every signature (rustls-webpki);
/// 2. validity period of every certificate on the path, the anchor included;
/// 3. revocation against the channel's CRLs, for every certificate on the
///    path;
/// 4. extended key usage: absent, or containing the Liaison purpose;
/// 5. the certificate key is Ed25519 and equals `signature_key`;
/// 6. the officer attributes are present and follow the profile.
pub fn verify_credential(
    chain: &CertificateChain,
    anchors: &TrustAnchors,
    now: SystemTime,
    signature_key: &[u8],
) -> Result<VerifiedCredential, CredentialError> {
    let time = webpki_time(now).ok_or(CredentialError::NotYetValid)?;

    let leaf_der = CertificateDer::from(chain.leaf());
    let leaf = EndEntityCert::try_from(&leaf_der).map_err(map_webpki)?;
    let anchor_ders: Vec<CertificateDer<'_>> = anchors
        .anchors()
        .iter()
        .map(|der| CertificateDer::from(der.as_slice()))
        .collect();
    let trust_anchors = anchor_ders
        .iter()
        .map(webpki::anchor_from_trusted_cert)
        .collect::<Result<Vec<TrustAnchor<'_>>, _>>()
        .map_err(|_| CredentialError::Malformed("trust anchor"))?;
    let intermediates: Vec<CertificateDer<'_>> = chain
        .issuers()
        .iter()
        .chain(anchors.intermediates())
        .map(|der| CertificateDer::from(der.as_slice()))
        .collect();
    let crls = anchors
        .crls()
        .iter()
        .map(|der| {
            webpki::BorrowedCertRevocationList::from_der(der)
                .map(CertRevocationList::from)
                .map_err(|_| CredentialError::Malformed("revocation list"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let crl_refs: Vec<&CertRevocationList<'_>> = crls.iter().collect();
    // A channel need not carry a list for every issuer; a list whose
    // nextUpdate has passed still revokes what it lists (see the docs).
    let revocation = RevocationOptionsBuilder::new(&crl_refs)
        .ok()
        .map(|builder| {
            builder
                .with_depth(RevocationCheckDepth::Chain)
                .with_status_policy(UnknownStatusPolicy::Allow)
                .with_expiration_policy(ExpirationPolicy::Ignore)
                .build()
        });

    // webpki trusts an anchor as given; a partner authority whose own
    // certificate is out of its validity period must not vouch for anyone.
    // Checked inside path building so that another anchor can still serve.
    let now_seconds = unix_seconds(now);
    let anchor_validity = anchors
        .anchors()
        .iter()
        .map(|der| parse(der).map(|cert| validity_of(&cert)))
        .collect::<Result<Vec<_>, _>>()?;
    let anchor_in_force = |path: &VerifiedPath<'_>| -> Result<(), webpki::Error> {
        let index = trust_anchors
            .iter()
            .position(|candidate| std::ptr::eq(candidate, path.anchor()))
            .ok_or(webpki::Error::UnknownIssuer)?;
        let (not_before, not_after) = anchor_validity
            .get(index)
            .copied()
            .ok_or(webpki::Error::UnknownIssuer)?;
        if now_seconds < not_before {
            return Err(webpki::Error::CertNotValidYet {
                time,
                not_before: webpki_time(system_time(not_before)).unwrap_or(time),
            });
        }
        if now_seconds > not_after {
            return Err(webpki::Error::CertExpired {
                time,
                not_after: webpki_time(system_time(not_after)).unwrap_or(time),
            });
        }
        Ok(())
    };

    let path = leaf
        .verify_for_usage(
            webpki::ALL_VERIFICATION_ALGS,
            &trust_anchors,
            &intermediates,
            time,
            LiaisonUsage,
            revocation,
            Some(&anchor_in_force),
        )
        .map_err(map_webpki)?;

    let anchor_index = trust_anchors
        .iter()
        .position(|candidate| std::ptr::eq(candidate, path.anchor()))
        .ok_or(CredentialError::UnknownIssuer)?;
    let anchor_der = anchors
        .anchors()
        .get(anchor_index)
        .ok_or(CredentialError::UnknownIssuer)?;
    let mut not_after = anchor_validity
        .get(anchor_index)
        .map_or(i64::MAX, |(_, not_after)| *not_after);
    for intermediate in path.intermediate_certificates() {
        let der = intermediate.der();
        not_after = not_after.min(validity_of(&parse(&der)?).1);
    }

    let leaf_cert = parse(chain.leaf())?;
    not_after = not_after.min(validity_of(&leaf_cert).1);
    let public_key = ed25519_key(&leaf_cert)?;
    if signature_key != public_key.as_slice() {
        return Err(CredentialError::KeyMismatch);
    }
    let verifying_key =
        VerifyingKey::from_bytes(&public_key).map_err(|_| CredentialError::UnsupportedKey)?;
    let attributes = OfficerAttributes::from_certificate(&leaf_cert)?;

    Ok(VerifiedCredential {
        attributes,
        public_key,
        verifying_key,
        anchor: Fingerprint::of(anchor_der),
        serial: CertificateSerial::from_bytes(leaf_cert.raw_serial())?,
        not_after: system_time(not_after),
    })
}

/// `(notBefore, notAfter)` in seconds since the epoch.
fn validity_of(cert: &X509Certificate<'_>) -> (i64, i64) {
    let validity = cert.validity();
    (
        validity.not_before.timestamp(),
        validity.not_after.timestamp(),
    )
}

fn parse(der: &[u8]) -> Result<X509Certificate<'_>, CredentialError> {
    x509_parser::parse_x509_certificate(der)
        .map(|(_, cert)| cert)
        .map_err(|_| CredentialError::Malformed("certificate"))
}

/// The extended-key-usage rule, applied by webpki to every certificate on
/// the path: no EKU extension at all, or one that lists the Liaison key
/// purpose. Anything else (a TLS-server-only or e-mail-only certificate,
/// an intermediate restricted to other uses) is refused.
struct LiaisonUsage;

impl ExtendedKeyUsageValidator for LiaisonUsage {
    fn validate(&self, iter: KeyPurposeIdIter<'_, '_>) -> Result<(), webpki::Error> {
        let liaison = KeyPurposeId::new(LIAISON_KEY_PURPOSE_DER);
        let mut empty = true;
        for purpose in iter {
            empty = false;
            if purpose? == liaison {
                return Ok(());
            }
        }
        if empty {
            return Ok(());
        }
        Err(webpki::Error::RequiredEkuNotFoundContext(
            RequiredEkuNotFoundContext {
                required: KeyUsage::required(LIAISON_KEY_PURPOSE_DER),
                // Decoding the present OIDs as `usize` arcs would overflow on
                // UUID arcs; the error says enough without them.
                present: Vec::new(),
            },
        ))
    }
}

/// Maps rustls-webpki's verdicts onto Liaison's errors.
fn map_webpki(error: webpki::Error) -> CredentialError {
    use CredentialError as C;
    use webpki::Error as E;
    #[allow(deprecated)]
    match error {
        E::UnknownIssuer | E::CertDistrusted => C::UnknownIssuer,
        E::CertExpired { .. } => C::Expired,
        E::CertNotValidYet { .. } => C::NotYetValid,
        E::CertRevoked => C::Revoked,
        E::InvalidSignatureForPublicKey | E::SignatureAlgorithmMismatch => {
            C::BadCertificateSignature
        }
        E::UnsupportedSignatureAlgorithm
        | E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKey
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_)
        | E::UnsupportedCrlSignatureAlgorithm
        | E::UnsupportedCrlSignatureAlgorithmContext(_)
        | E::UnsupportedCrlSignatureAlgorithmForPublicKey
        | E::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_) => C::UnsupportedAlgorithm,
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) | E::EmptyEkuExtension => {
            C::WrongKeyUsage
        }
        E::CaUsedAsEndEntity => {
            C::InvalidPath("a CA certificate is used as an officer certificate")
        }
        E::EndEntityUsedAsCa => C::InvalidPath("an end-entity certificate is used as a CA"),
        E::PathLenConstraintViolated => C::InvalidPath("a path length constraint is exceeded"),
        E::NameConstraintViolation | E::MalformedNameConstraint => {
            C::InvalidPath("a name constraint is violated")
        }
        E::UnsupportedCriticalExtension => C::InvalidPath("an unsupported critical extension"),
        E::IssuerNotCrlSigner => C::InvalidPath("a revocation list issuer lacks cRLSign"),
        E::InvalidCrlSignatureForPublicKey => {
            C::InvalidPath("a revocation list does not match its issuer's key")
        }
        E::MaximumPathDepthExceeded => C::ChainTooLong {
            max: super::chain::MAX_CHAIN_LEN,
        },
        E::MaximumSignatureChecksExceeded
        | E::MaximumPathBuildCallsExceeded
        | E::MaximumNameConstraintComparisonsExceeded => {
            C::InvalidPath("the path is too complex to build")
        }
        E::UnsupportedDeltaCrl
        | E::UnsupportedIndirectCrl
        | E::UnsupportedRevocationReasonsPartitioning
        | E::UnsupportedCrlIssuingDistributionPoint
        | E::UnsupportedCrlVersion
        | E::UnsupportedRevocationReason
        | E::InvalidCrlNumber => C::UnsupportedCrl("refused by the path validator"),
        E::InvalidCertValidity => C::Malformed("certificate validity"),
        E::BadDer
        | E::BadDerTime
        | E::TrailingData(_)
        | E::UnsupportedCertVersion
        | E::InvalidSerialNumber
        | E::MalformedExtensions
        | E::ExtensionValueInvalid => C::Malformed("certificate"),
        _ => C::InvalidPath("refused by the path validator"),
    }
}
