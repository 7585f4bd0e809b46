//! The name a partner authority's certificate gives itself, for showing
//! beside its fingerprint when an officer decides whether to trust it.

use x509_parser::x509::X509Name;

use super::attributes::{directory_string, is_disguising};
use super::error::CredentialError;
use super::oid;

/// Longest name shown; a longer one is cut (with "…"), since only the
/// fingerprint identifies an authority anyway.
const MAX_NAME_CHARS: usize = 128;

/// The name of a CA certificate (DER) as it should be shown: its subject's
/// common name, else its organisation, else the whole subject.
///
/// The name is the authority's own claim: anyone can make a certificate
/// named "GBR Liaison Authority", so it is always shown with the
/// certificate's [`Fingerprint`](crate::Fingerprint). Control and
/// bidirectional-formatting characters are replaced by U+FFFD, so that a
/// name cannot disguise itself as another on screen.
pub fn authority_name(der: &[u8]) -> Result<String, CredentialError> {
    let (_, cert) = x509_parser::parse_x509_certificate(der)
        .map_err(|_| CredentialError::Malformed("certificate"))?;
    let subject = cert.subject();
    let name = first_string(subject, oid::COMMON_NAME)
        .or_else(|| first_string(subject, oid::ORGANISATION_NAME))
        .unwrap_or_else(|| subject.to_string());
    Ok(shown(&name))
}

fn first_string(name: &X509Name<'_>, attribute_oid: &[u8]) -> Option<String> {
    name.iter_attributes()
        .filter(|a| a.attr_type().as_bytes() == attribute_oid)
        .find_map(directory_string)
        .filter(|s| !s.trim().is_empty())
}

fn shown(name: &str) -> String {
    let mut out: String = name
        .trim()
        .chars()
        .map(|c| if is_disguising(c) { '\u{FFFD}' } else { c })
        .take(MAX_NAME_CHARS)
        .collect();
    if name.trim().chars().count() > MAX_NAME_CHARS {
        out.push('…');
    }
    if out.is_empty() {
        out.push_str("(unnamed authority)");
    }
    out
}
