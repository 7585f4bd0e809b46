//! Checks that a signed X.509 object (a certificate or a CRL) was signed by
//! a given certificate's key.
//!
//! rustls-webpki verifies signatures while it builds a path, but keeps its
//! general signed-data check private; adding a revocation list or an
//! intermediate to a channel's trust anchors needs that check on its own.
//! The algorithms are webpki's own `SignatureVerificationAlgorithm`s,
//! matched by their DER AlgorithmIdentifiers exactly as webpki does.

use rustls_pki_types::SignatureVerificationAlgorithm;
use yasna::models::TaggedDerValue;
use yasna::tags::TAG_SEQUENCE;

use super::error::CredentialError;

/// The parts of `SEQUENCE { tbs, signatureAlgorithm, signatureValue }`.
struct SignedParts {
    tbs: Vec<u8>,
    algorithm: TaggedDerValue,
    signature: Vec<u8>,
}

fn split_signed(der: &[u8]) -> Option<SignedParts> {
    yasna::parse_der(der, |reader| {
        reader.read_sequence(|seq| {
            let tbs = seq.next().read_der()?;
            let algorithm = seq.next().read_tagged_der()?;
            let (signature, bits) = seq.next().read_bitvec_bytes()?;
            if bits % 8 != 0 {
                return Err(yasna::ASN1Error::new(yasna::ASN1ErrorKind::Invalid));
            }
            Ok(SignedParts {
                tbs,
                algorithm,
                signature,
            })
        })
    })
    .ok()
}

/// `SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey }`:
/// the algorithm's content octets and the key octets.
fn split_spki(spki: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    yasna::parse_der(spki, |reader| {
        reader.read_sequence(|seq| {
            let algorithm = seq.next().read_tagged_der()?;
            let (key, bits) = seq.next().read_bitvec_bytes()?;
            if algorithm.tag() != TAG_SEQUENCE || bits % 8 != 0 {
                return Err(yasna::ASN1Error::new(yasna::ASN1ErrorKind::Invalid));
            }
            Ok((algorithm.value().to_vec(), key))
        })
    })
    .ok()
}

/// Verifies that `signed_der` carries a valid signature by the key in
/// `issuer_spki` (a DER SubjectPublicKeyInfo).
pub(crate) fn verify_signed_by(
    signed_der: &[u8],
    issuer_spki: &[u8],
    what: &'static str,
) -> Result<(), CredentialError> {
    let parts = split_signed(signed_der).ok_or(CredentialError::Malformed(what))?;
    if parts.algorithm.tag() != TAG_SEQUENCE {
        return Err(CredentialError::Malformed(what));
    }
    let (key_algorithm, key) =
        split_spki(issuer_spki).ok_or(CredentialError::Malformed("issuer public key"))?;
    let algorithm = webpki::ALL_VERIFICATION_ALGS
        .iter()
        .find(|alg: &&&dyn SignatureVerificationAlgorithm| {
            alg.signature_alg_id().as_ref() == parts.algorithm.value()
                && alg.public_key_alg_id().as_ref() == key_algorithm.as_slice()
        })
        .ok_or(CredentialError::UnsupportedAlgorithm)?;
    algorithm
        .verify_signature(&key, &parts.tbs, &parts.signature)
        .map_err(|_| CredentialError::BadCertificateSignature)
}
