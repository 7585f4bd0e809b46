//! An in-process delivery service with the relay's ordering rules: a total
//! order per group, commits accepted only for the current epoch, Welcomes
//! released only with their accepted commit, key packages handed out once
//! (the last-resort one kept). Used by tests, benchmarks and the demo.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use liaison_proto::{Delivery, Seq, Submission, SubmitOutcome};
use openmls::prelude::{ContentType, MlsMessageBodyIn, MlsMessageIn, ProtocolVersion};
use openmls_rust_crypto::RustCrypto;
use tls_codec::Deserialize as _;

use super::{DeliveryError, DeliveryService};

#[derive(Default)]
struct Group {
    epoch: u64,
    log: Vec<Delivery>,
}

#[derive(Default)]
struct Directory {
    one_time: VecDeque<Vec<u8>>,
    last_resort: Option<Vec<u8>>,
}

#[derive(Default)]
struct State {
    groups: HashMap<Vec<u8>, Group>,
    directory: HashMap<String, Directory>,
    key_package_owner: HashMap<Vec<u8>, String>,
    welcomes: HashMap<String, VecDeque<Vec<u8>>>,
    /// Rejoin requests per group, one per officer, oldest first.
    rejoins: HashMap<Vec<u8>, Vec<(String, Vec<u8>)>>,
}

/// The shared relay state; hand each officer a [`LoopbackConnection`].
#[derive(Clone, Default)]
pub struct LoopbackRelay {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for LoopbackRelay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopbackRelay").finish_non_exhaustive()
    }
}

impl LoopbackRelay {
    /// An empty relay.
    pub fn new() -> Self {
        Self::default()
    }

    /// A connection authenticated as `officer_id` (the real relay proves
    /// this with the officer's certificate; in process we trust the caller).
    pub fn connect(&self, officer_id: &str) -> LoopbackConnection {
        LoopbackConnection {
            relay: self.clone(),
            officer_id: officer_id.to_owned(),
        }
    }

    /// The relay's current epoch for a group (0 for an unknown group).
    pub fn epoch(&self, group_id: &[u8]) -> u64 {
        self.lock().groups.get(group_id).map_or(0, |g| g.epoch)
    }

    /// How many messages the relay holds for a group.
    pub fn len(&self, group_id: &[u8]) -> usize {
        self.lock().groups.get(group_id).map_or(0, |g| g.log.len())
    }

    /// Whether the relay holds no message for the group.
    pub fn is_empty(&self, group_id: &[u8]) -> bool {
        self.len(group_id) == 0
    }

    /// Appends raw bytes to a group's log without any check, as a relay
    /// that misbehaves (or an attacker who controls it) would. For tests of
    /// the clients' own checks.
    pub fn inject(&self, group_id: &[u8], message: Vec<u8>) -> Seq {
        let mut state = self.lock();
        let group = state.groups.entry(group_id.to_vec()).or_default();
        append(group_id, group, message)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock can only come from a bug in this
        // file; the state is still consistent (every mutation is a single
        // push or insert), so recover it rather than poisoning every test.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn append(group_id: &[u8], group: &mut Group, message: Vec<u8>) -> Seq {
    let seq = u64::try_from(group.log.len())
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    group.log.push(Delivery {
        group_id: group_id.to_vec(),
        seq,
        message,
    });
    seq
}

/// One officer's connection to a [`LoopbackRelay`].
#[derive(Clone)]
pub struct LoopbackConnection {
    relay: LoopbackRelay,
    officer_id: String,
}

impl std::fmt::Debug for LoopbackConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopbackConnection")
            .field("officer_id", &self.officer_id)
            .finish_non_exhaustive()
    }
}

fn malformed(e: impl std::fmt::Display) -> DeliveryError {
    DeliveryError::Malformed(e.to_string())
}

impl LoopbackConnection {
    fn publish(&self, key_packages: Vec<Vec<u8>>) -> Result<(), DeliveryError> {
        let crypto = RustCrypto::default();
        let mut refs = Vec::with_capacity(key_packages.len());
        for bytes in &key_packages {
            let message =
                MlsMessageIn::tls_deserialize_exact(bytes.as_slice()).map_err(malformed)?;
            let MlsMessageBodyIn::KeyPackage(key_package) = message.extract() else {
                return Err(DeliveryError::Malformed("not a key package".into()));
            };
            let key_package = key_package
                .validate(&crypto, ProtocolVersion::Mls10)
                .map_err(malformed)?;
            let hash_ref = key_package.hash_ref(&crypto).map_err(malformed)?;
            refs.push((hash_ref.as_slice().to_vec(), key_package.last_resort()));
        }
        let mut state = self.relay.lock();
        for ((hash_ref, last_resort), bytes) in refs.into_iter().zip(key_packages) {
            state
                .key_package_owner
                .insert(hash_ref, self.officer_id.clone());
            let directory = state.directory.entry(self.officer_id.clone()).or_default();
            if last_resort {
                directory.last_resort = Some(bytes);
            } else {
                directory.one_time.push_back(bytes);
            }
        }
        Ok(())
    }

    fn claim(&self, officer_id: &str) -> Result<Vec<u8>, DeliveryError> {
        let mut state = self.relay.lock();
        let directory = state
            .directory
            .get_mut(officer_id)
            .ok_or_else(|| DeliveryError::NoKeyPackage(officer_id.to_owned()))?;
        directory
            .one_time
            .pop_front()
            .or_else(|| directory.last_resort.clone())
            .ok_or_else(|| DeliveryError::NoKeyPackage(officer_id.to_owned()))
    }

    fn order(&self, submission: Submission) -> Result<SubmitOutcome, DeliveryError> {
        let message = MlsMessageIn::tls_deserialize_exact(submission.message.as_slice())
            .map_err(malformed)?;
        let protocol = message.try_into_protocol_message().map_err(malformed)?;
        if protocol.group_id().as_slice() != submission.group_id.as_slice() {
            return Err(DeliveryError::Malformed("group id mismatch".into()));
        }
        let handshake = protocol.is_handshake_message();
        let is_commit = protocol.content_type() == ContentType::Commit;
        let epoch = protocol.epoch().as_u64();
        let recipients = match &submission.welcome {
            Some(bytes) => welcome_recipients(bytes, &self.relay.lock().key_package_owner)?,
            None => Vec::new(),
        };
        let mut state = self.relay.lock();
        let group = state
            .groups
            .get_mut(&submission.group_id)
            .ok_or(DeliveryError::UnknownGroup)?;
        if handshake && epoch != group.epoch {
            return Ok(SubmitOutcome::WrongEpoch {
                current: group.epoch,
            });
        }
        if is_commit {
            group.epoch = group.epoch.saturating_add(1);
        }
        let seq = append(&submission.group_id, group, submission.message);
        if let Some(welcome) = submission.welcome {
            // This relay does not follow leaves: an officer added by a
            // commit has had its request to be added back answered.
            if let Some(waiting) = state.rejoins.get_mut(&submission.group_id) {
                waiting.retain(|(officer, _)| !recipients.contains(officer));
            }
            for officer in recipients {
                state
                    .welcomes
                    .entry(officer)
                    .or_default()
                    .push_back(welcome.clone());
            }
        }
        Ok(SubmitOutcome::Accepted { seq })
    }

    fn read(&self, group_id: &[u8], after: Seq, limit: usize) -> Vec<Delivery> {
        let state = self.relay.lock();
        state.groups.get(group_id).map_or_else(Vec::new, |group| {
            group
                .log
                .iter()
                .filter(|d| d.seq > after)
                .take(limit)
                .cloned()
                .collect()
        })
    }
}

/// The officers a Welcome is for, from the key packages they published.
fn welcome_recipients(
    bytes: &[u8],
    owners: &HashMap<Vec<u8>, String>,
) -> Result<Vec<String>, DeliveryError> {
    let message = MlsMessageIn::tls_deserialize_exact(bytes).map_err(malformed)?;
    let MlsMessageBodyIn::Welcome(welcome) = message.extract() else {
        return Err(DeliveryError::Malformed("not a Welcome".into()));
    };
    let mut recipients: Vec<String> = welcome
        .secrets()
        .iter()
        .filter_map(|secret| owners.get(secret.new_member().as_slice()).cloned())
        .collect();
    recipients.sort();
    recipients.dedup();
    Ok(recipients)
}

impl DeliveryService for LoopbackConnection {
    /// Every caller may read them: this relay does not know admins.
    async fn rejoin_requests(
        &self,
        group_id: &[u8],
    ) -> Result<Vec<(String, Vec<u8>)>, DeliveryError> {
        Ok(self
            .relay
            .lock()
            .rejoins
            .get(group_id)
            .cloned()
            .unwrap_or_default())
    }

    async fn publish_key_packages(&self, key_packages: Vec<Vec<u8>>) -> Result<(), DeliveryError> {
        self.publish(key_packages)
    }

    async fn claim_key_package(&self, officer_id: &str) -> Result<Vec<u8>, DeliveryError> {
        self.claim(officer_id)
    }

    /// The in-process relay keeps one namespace: the authority is not
    /// needed to tell officers apart in the tests and demos it serves.
    async fn claim_key_package_from(
        &self,
        officer_id: &str,
        _authority: &liaison_identity::Fingerprint,
    ) -> Result<Vec<u8>, DeliveryError> {
        self.claim(officer_id)
    }

    async fn create_group(
        &self,
        group_id: &[u8],
        group_info: Vec<u8>,
    ) -> Result<(), DeliveryError> {
        let message =
            MlsMessageIn::tls_deserialize_exact(group_info.as_slice()).map_err(malformed)?;
        let MlsMessageBodyIn::GroupInfo(info) = message.extract() else {
            return Err(DeliveryError::Malformed("not a GroupInfo".into()));
        };
        if info.group_id().as_slice() != group_id {
            return Err(DeliveryError::Malformed("group id mismatch".into()));
        }
        let mut state = self.relay.lock();
        if state.groups.contains_key(group_id) {
            return Err(DeliveryError::GroupExists);
        }
        state.groups.insert(
            group_id.to_vec(),
            Group {
                epoch: info.epoch().as_u64(),
                log: Vec::new(),
            },
        );
        Ok(())
    }

    async fn key_package_count(&self) -> Result<(u32, bool), DeliveryError> {
        let state = self.relay.lock();
        Ok(state
            .directory
            .get(&self.officer_id)
            .map_or((0, false), |d| {
                (
                    u32::try_from(d.one_time.len()).unwrap_or(u32::MAX),
                    d.last_resort.is_some(),
                )
            }))
    }

    async fn submit(&self, submission: Submission) -> Result<SubmitOutcome, DeliveryError> {
        self.order(submission)
    }

    async fn fetch(
        &self,
        group_id: &[u8],
        after: Seq,
        limit: usize,
    ) -> Result<Vec<Delivery>, DeliveryError> {
        Ok(self.read(group_id, after, limit))
    }

    async fn welcomes(&self) -> Result<Vec<Vec<u8>>, DeliveryError> {
        let state = self.relay.lock();
        Ok(state
            .welcomes
            .get(&self.officer_id)
            .map(|waiting| waiting.iter().cloned().collect())
            .unwrap_or_default())
    }

    async fn drop_welcomes(&self, hashes: Vec<[u8; 32]>) -> Result<(), DeliveryError> {
        let mut state = self.relay.lock();
        if let Some(waiting) = state.welcomes.get_mut(&self.officer_id) {
            waiting.retain(|welcome| !hashes.contains(&super::welcome_hash(welcome)));
        }
        Ok(())
    }

    /// Keeps the request without judging it (this relay trusts its
    /// callers, as for every request).
    async fn request_rejoin(&self, group_id: &[u8], request: Vec<u8>) -> Result<(), DeliveryError> {
        let mut state = self.relay.lock();
        if !state.groups.contains_key(group_id) {
            return Err(DeliveryError::UnknownGroup);
        }
        let waiting = state.rejoins.entry(group_id.to_vec()).or_default();
        waiting.retain(|(officer, _)| officer != &self.officer_id);
        waiting.push((self.officer_id.clone(), request));
        Ok(())
    }
}
