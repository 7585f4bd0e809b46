//! Offline verification of archived messages against the authorities the
//! archive records, with the same credential and envelope checks as
//! receipt (`verify_credential`, `open_envelope`, `check_message_label`).
//! Its outcome per message is one of `provenance.rs`'s [`Verification`]
//! states.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use liaison_identity::{
    CertificateChain, CredentialError, Fingerprint, TrustAnchors, VerifiedCredential,
    verify_credential,
};
use liaison_proto::Envelope;
use openmls::prelude::{Credential, CredentialType};
use sha2::{Digest, Sha256};

use super::format::records::MessageRecord;
use super::provenance::Verification;
use crate::engine::open_envelope;
use liaison_rules::{ChannelPolicy, check_message_label};
use liaison_rules::{Label, PolicyRegistry};

/// What the importer stores for a message that could be read.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) envelope: Envelope,
    pub(crate) label: Label,
    pub(crate) sender_id: String,
    pub(crate) sender_name: String,
    pub(crate) sender_nation: String,
    pub(crate) verification: Verification,
}

/// The outcome for one archived message.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Readable: stored with its verification state.
    Store(Box<Checked>),
    /// The envelope or its label does not even decode: counted as
    /// tampered, not stored (there is nothing sound to show).
    Unreadable,
}

/// A verification remembered per sender chain. Validity periods are
/// intervals, so a chain that verified at `earliest` verifies at any time
/// from then until its `not_after` (revocation does not depend on time).
enum Cached {
    Valid {
        credential: Box<VerifiedCredential>,
        earliest: SystemTime,
    },
    Refused,
}

/// Verifies the messages of one archive.
pub(crate) struct OfflineVerifier<'a> {
    policy: &'a ChannelPolicy,
    /// The recorded authorities, with the importer's own newer revocation
    /// lists for them folded in.
    anchors: TrustAnchors,
    registry: &'a PolicyRegistry,
    known_anchors: HashSet<Fingerprint>,
    /// The channel the archive says it holds: a version 2 envelope must
    /// name it.
    group_id: Vec<u8>,
    cache: HashMap<[u8; 32], Cached>,
}

impl<'a> OfflineVerifier<'a> {
    /// `known_anchors`: the authorities this profile already trusts. A
    /// message whose sender chains to another recorded authority is at most
    /// [`Verification::Unverified`]: the archive alone cannot vouch for the
    /// authorities it lists.
    pub(crate) fn new(
        policy: &'a ChannelPolicy,
        registry: &'a PolicyRegistry,
        known_anchors: HashSet<Fingerprint>,
    ) -> Self {
        Self {
            policy,
            anchors: policy.anchors().clone(),
            registry,
            known_anchors,
            group_id: Vec::new(),
            cache: HashMap::new(),
        }
    }

    /// Checks revocation against the revocation lists this profile holds
    /// too: the exporter chose which lists the archive records, and may
    /// have left out the one that revokes a sender. Each list of a live
    /// channel that a recorded authority signed, newer than the recorded
    /// one, replaces it; the others do not apply here.
    pub(crate) fn with_importer_crls(mut self, live_policies: &[ChannelPolicy]) -> Self {
        for crl in live_policies.iter().flat_map(|p| p.anchors().crls()) {
            if let Ok(anchors) = self.anchors.clone().with_crl(crl.clone()) {
                self.anchors = anchors;
            }
        }
        self
    }

    /// The group id the archive's manifest names.
    pub(crate) fn bound_to(mut self, group_id: &[u8]) -> Self {
        group_id.clone_into(&mut self.group_id);
        self
    }

    pub(crate) fn check(&mut self, record: &MessageRecord) -> Outcome {
        let Ok(envelope) = Envelope::decode(&record.envelope) else {
            return Outcome::Unreadable;
        };
        let Ok(label) = Label::from_bytes(&envelope.label, self.registry) else {
            return Outcome::Unreadable;
        };
        let chain = CertificateChain::from_mls_credential(&Credential::new(
            CredentialType::X509,
            record.sender_chain.clone(),
        ));
        let claimed = chain
            .as_ref()
            .ok()
            .and_then(CertificateChain::claimed_officer_id)
            .unwrap_or_else(|| "unknown".to_owned());
        let unvouched = |verification| Checked {
            envelope: envelope.clone(),
            label: label.clone(),
            sender_id: claimed.clone(),
            sender_name: format!("{claimed} (unverified)"),
            sender_nation: String::new(),
            verification,
        };
        let Ok(chain) = chain else {
            return Outcome::Store(Box::new(unvouched(Verification::Tampered)));
        };
        if envelope.message_id.0 != record.message_id {
            return Outcome::Store(Box::new(unvouched(Verification::Tampered)));
        }
        // A version 2 envelope names its channel and epoch under the
        // signature: an archive cannot move it to another channel or
        // another place. Version 1 names neither and is marked as such.
        if let Some(context) = &envelope.context
            && (context.group_id != self.group_id || context.epoch != record.epoch)
        {
            return Outcome::Store(Box::new(unvouched(Verification::Tampered)));
        }
        let sent_at = UNIX_EPOCH + Duration::from_millis(envelope.sent_at_ms);
        let Some(credential) = self.credential(&record.sender_chain, &chain, sent_at) else {
            return Outcome::Store(Box::new(unvouched(Verification::Unverified)));
        };
        let officer = credential.attributes();
        let mut checked = Checked {
            sender_id: officer.officer_id().to_owned(),
            sender_name: officer.display_name().to_owned(),
            sender_nation: officer.nationality().to_string(),
            envelope,
            label,
            verification: Verification::Verified,
        };
        if open_envelope(&credential, &record.envelope, &record.signature).is_err() {
            checked.verification = Verification::Tampered;
        } else if check_message_label(self.policy, &checked.label).is_err()
            || !self
                .known_anchors
                .contains(&credential.anchor_fingerprint())
        {
            checked.verification = Verification::Unverified;
        }
        Outcome::Store(Box::new(checked))
    }

    /// The sender's credential verified at `at` against the recorded
    /// authorities, `None` when it does not verify.
    fn credential(
        &mut self,
        raw_chain: &[u8],
        chain: &CertificateChain,
        at: SystemTime,
    ) -> Option<VerifiedCredential> {
        let key: [u8; 32] = Sha256::digest(raw_chain).into();
        match self.cache.get_mut(&key) {
            Some(Cached::Refused) => return None,
            Some(Cached::Valid {
                credential,
                earliest,
            }) if *earliest <= at && at < credential.not_after() => {
                return Some(VerifiedCredential::clone(credential));
            }
            _ => {}
        }
        let leaf_key = chain.leaf_public_key().ok()?;
        match verify_credential(chain, &self.anchors, at, &leaf_key) {
            Ok(credential) => {
                let earliest = match self.cache.get(&key) {
                    Some(Cached::Valid { earliest, .. }) => (*earliest).min(at),
                    _ => at,
                };
                self.cache.insert(
                    key,
                    Cached::Valid {
                        credential: Box::new(credential.clone()),
                        earliest,
                    },
                );
                Some(credential)
            }
            Err(error) => {
                if !depends_on_time(&error) {
                    self.cache.insert(key, Cached::Refused);
                }
                None
            }
        }
    }
}

/// Failures that another sending time might not have.
fn depends_on_time(error: &CredentialError) -> bool {
    matches!(
        error,
        CredentialError::Expired | CredentialError::NotYetValid | CredentialError::InvalidPath(_)
    )
}

/// The authorities this profile trusts already: every anchor of its live
/// channels, and the recorded anchor its own certificate chains to.
pub(crate) fn known_anchors(
    live_policies: &[ChannelPolicy],
    own_chain: &CertificateChain,
    recorded: &ChannelPolicy,
    now: SystemTime,
) -> HashSet<Fingerprint> {
    let mut known: HashSet<Fingerprint> = live_policies
        .iter()
        .flat_map(|p| p.anchors().fingerprints())
        .collect();
    if let Ok(key) = own_chain.leaf_public_key()
        && let Ok(own) = verify_credential(own_chain, recorded.anchors(), now, &key)
    {
        known.insert(own.anchor_fingerprint());
    }
    known
}
