//! Authenticating an officer: the certificate chain must lead to one of
//! the relay's partner authorities (valid, not revoked, in the Liaison
//! profile), and the device key it certifies must have signed this
//! connection's challenge.

use std::time::SystemTime;

use liaison_identity::{
    CertificateChain, CredentialError, Fingerprint, TrustAnchors, verify_credential,
};
use liaison_proto::Bytes;
use liaison_proto::relay::{ErrorCode, NONCE_LEN, auth_signing_input};

use crate::error::Error;

/// An authenticated officer on one connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Session {
    /// From the verified certificate.
    pub(crate) officer_id: String,
    /// The certified device key, which is the officer's MLS leaf key.
    pub(crate) signature_key: Vec<u8>,
    /// When the credential stops verifying.
    pub(crate) not_after: SystemTime,
    /// The partner authority the certificate chains to.
    pub(crate) authority: Fingerprint,
    /// The certificate chain (DER, leaf first), to check again when the
    /// relay's trust changes.
    pub(crate) chain: Vec<Vec<u8>>,
}

impl Session {
    /// Where the directory files this officer's key packages and Welcomes:
    /// under its authority, so another authority certifying the same
    /// officer id reaches none of them.
    pub(crate) fn directory_key(&self) -> String {
        directory_key(&self.authority, &self.officer_id)
    }

    /// Whether the credential has expired since the connection began.
    pub(crate) fn expired(&self, now: SystemTime) -> bool {
        now > self.not_after
    }
}

/// A fresh challenge nonce.
pub(crate) fn nonce() -> Result<[u8; NONCE_LEN], Error> {
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut nonce)
        .map_err(|_| Error::Internal("the system random generator failed".to_owned()))?;
    Ok(nonce)
}

/// Verifies an `authenticate` request made in the TLS session whose
/// exported channel binding is `channel_binding`.
pub(crate) fn authenticate(
    trust: &TrustAnchors,
    relay_name: &str,
    nonce: &[u8],
    channel_binding: &[u8],
    certificate_chain: Vec<Bytes>,
    signature: &[u8],
    now: SystemTime,
) -> Result<Session, Error> {
    let der: Vec<Vec<u8>> = certificate_chain.into_iter().map(Vec::from).collect();
    let chain = CertificateChain::from_der(der.clone()).map_err(refusal)?;
    let key = chain.leaf_public_key().map_err(refusal)?;
    let verified = verify_credential(&chain, trust, now, &key).map_err(refusal)?;
    verified
        .verify_signature(
            &auth_signing_input(nonce, channel_binding, relay_name),
            signature,
        )
        .map_err(|_| {
            Error::refused(
                ErrorCode::Unauthenticated,
                "the challenge signature does not verify under the certificate's key",
            )
        })?;
    Ok(Session {
        officer_id: verified.attributes().officer_id().to_owned(),
        signature_key: key.to_vec(),
        not_after: verified.not_after(),
        authority: verified.anchor_fingerprint(),
        chain: der,
    })
}

/// Checks an authenticated session's certificate again, against the trust
/// in force now (a CRL loaded since the login revokes it; its authority is
/// no longer trusted; it has expired). Returns the new end of validity.
pub(crate) fn recheck(
    trust: &TrustAnchors,
    session: &Session,
    now: SystemTime,
) -> Result<SystemTime, Error> {
    let chain = CertificateChain::from_der(session.chain.clone()).map_err(refusal)?;
    let verified =
        verify_credential(&chain, trust, now, &session.signature_key).map_err(refusal)?;
    Ok(verified.not_after())
}

/// The directory's key for an officer id in an authority's namespace: the
/// authority's fingerprint in lowercase hex, `/`, the officer id.
pub(crate) fn directory_key(authority: &Fingerprint, officer_id: &str) -> String {
    let mut key = String::with_capacity(65 + officer_id.len());
    for byte in authority.as_bytes() {
        key.push_str(&format!("{byte:02x}"));
    }
    key.push('/');
    key.push_str(officer_id);
    key
}

/// The officer id part of a directory key.
pub(crate) fn officer_of_directory_key(key: &str) -> &str {
    key.split_once('/').map_or(key, |(_, officer)| officer)
}

/// Maps a credential verdict to the protocol's codes; the message says
/// why, from the identity crate's own (content-free) text.
fn refusal(error: CredentialError) -> Error {
    let code = match error {
        CredentialError::UnknownIssuer | CredentialError::BadCertificateSignature => {
            ErrorCode::UnknownAuthority
        }
        CredentialError::Expired | CredentialError::NotYetValid => ErrorCode::Expired,
        CredentialError::Revoked => ErrorCode::Revoked,
        _ => ErrorCode::Unauthenticated,
    };
    Error::refused(code, format!("certificate refused: {error}"))
}
