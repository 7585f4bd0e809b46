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

/// Verified credentials, filed by the anchors they were verified against
/// and the leaf's signature key, with the credential they were verified
/// for. An entry is reused only for the very same credential, and only
/// while it is still within its validity at the instant asked about.
#[derive(Debug, Default)]
pub struct CredentialCache {
    by_anchors: HashMap<[u8; 32], HashMap<Vec<u8>, Cached>>,
    entries: usize,
}

#[derive(Debug)]
struct Cached {
    credential: Vec<u8>,
    verified: VerifiedCredential,
}

/// What a set of trust anchors (authorities, intermediates, CRLs) is filed
/// under in a [`CredentialCache`]. Computing it once for a whole commit
/// spares hashing the anchors for every member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AnchorsKey([u8; 32]);

impl AnchorsKey {
    /// The key of `anchors`.
    pub fn of(anchors: &TrustAnchors) -> Self {
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
        Self(hasher.finalize().into())
    }
}

impl CredentialCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets every verification (after a clock change in tests).
    pub fn clear(&mut self) {
        self.by_anchors.clear();
        self.entries = 0;
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
        self.verify_under(
            AnchorsKey::of(anchors),
            credential,
            signature_key,
            anchors,
            instant,
        )
    }

    /// [`verify`](Self::verify), with the anchors' key computed by the
    /// caller (`key` must be `AnchorsKey::of(anchors)`).
    pub fn verify_under(
        &mut self,
        key: AnchorsKey,
        credential: &Credential,
        signature_key: &[u8],
        anchors: &TrustAnchors,
        instant: SystemTime,
    ) -> Result<VerifiedCredential, RuleViolation> {
        if let Some(cached) = self
            .by_anchors
            .get(&key.0)
            .and_then(|leaves| leaves.get(signature_key))
            && cached.credential == credential.serialized_content()
            && instant < cached.verified.not_after()
        {
            return Ok(cached.verified.clone());
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
        if self.entries >= MAX_CACHED_CREDENTIALS {
            self.clear();
        }
        let previous = self.by_anchors.entry(key.0).or_default().insert(
            signature_key.to_vec(),
            Cached {
                credential: credential.serialized_content().to_vec(),
                verified: verified.clone(),
            },
        );
        if previous.is_none() {
            self.entries += 1;
        }
        Ok(verified)
    }
}
