//! Credential verification for the rules, cached: a commit to a channel of
//! a thousand members re-checks every remaining member, and most of them
//! were verified at the previous commit.

use std::collections::HashMap;
use std::time::SystemTime;

use liaison_identity::{CertificateChain, TrustAnchors, VerifiedCredential, verify_credential};
use openmls::prelude::Credential;
use sha2::{Digest, Sha256};

use crate::error::RuleViolation;

/// How many verified credentials a cache keeps before it starts afresh. A
/// relay serving many channels must not grow without bound.
pub const MAX_CACHED_CREDENTIALS: usize = 65_536;

/// Verified credentials, keyed by the anchors, the chain and the key they
/// were verified with. An entry is reused only while the credential is
/// still within its validity at the instant asked about.
#[derive(Debug, Default)]
pub struct CredentialCache {
    verified: HashMap<[u8; 32], VerifiedCredential>,
}

impl CredentialCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets every verification (after a clock change in tests).
    pub fn clear(&mut self) {
        self.verified.clear();
    }

    /// Verifies `credential` with leaf key `signature_key` against `anchors`
    /// at `instant` (chain to an anchor, validity, revocation by the
    /// anchors' CRLs, key binding, attributes).
    pub fn verify(
        &mut self,
        credential: &Credential,
        signature_key: &[u8],
        anchors: &TrustAnchors,
        instant: SystemTime,
    ) -> Result<VerifiedCredential, RuleViolation> {
        let key = cache_key(credential, signature_key, anchors);
        if let Some(verified) = self.verified.get(&key)
            && instant < verified.not_after()
        {
            return Ok(verified.clone());
        }
        let chain = CertificateChain::from_mls_credential(credential).map_err(|error| {
            RuleViolation::Credential {
                officer: "unknown".into(),
                error,
            }
        })?;
        let verified =
            verify_credential(&chain, anchors, instant, signature_key).map_err(|error| {
                RuleViolation::Credential {
                    officer: chain.claimed_officer_id().map_or_else(
                        || "an unidentified officer".into(),
                        |id| format!("{id} (unverified)"),
                    ),
                    error,
                }
            })?;
        if self.verified.len() >= MAX_CACHED_CREDENTIALS {
            self.verified.clear();
        }
        self.verified.insert(key, verified.clone());
        Ok(verified)
    }
}

fn cache_key(credential: &Credential, signature_key: &[u8], anchors: &TrustAnchors) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for der in anchors.anchors() {
        hasher.update(Sha256::digest(der));
    }
    hasher.update(b"|intermediate|");
    for der in anchors.intermediates() {
        hasher.update(Sha256::digest(der));
    }
    hasher.update(b"|crl|");
    for der in anchors.crls() {
        hasher.update(Sha256::digest(der));
    }
    hasher.update(b"|chain|");
    hasher.update(Sha256::digest(credential.serialized_content()));
    hasher.update(b"|key|");
    hasher.update(signature_key);
    hasher.finalize().into()
}
