//! The delivery service itself, independent of the transport: key-package
//! directory, group registration, ordering, reading from a cursor,
//! Welcomes. Every method is synchronous (it talks to the database and
//! verifies MLS signatures) and runs on a blocking thread.

mod directory;
mod order;
mod read;
mod rejoin;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::ws::Utf8Bytes;
use liaison_identity::TrustAnchors;
use liaison_proto::Delivery;
use openmls_rust_crypto::RustCrypto;
use tokio::sync::{broadcast, watch};

pub(crate) use read::read_windows;

use crate::config::Config;
use crate::error::Error;
use crate::metrics::Metrics;
use crate::mls::LoadedGroup;
use crate::storage::{Expired, Storage};

/// A Welcome just queued for an officer, announced to their connections.
#[derive(Clone, Debug)]
pub(crate) struct WelcomeNotice {
    /// The recipient's directory key (authority and officer id).
    pub(crate) officer_id: String,
    pub(crate) welcome: Arc<Vec<u8>>,
}

/// How many appended messages a group keeps for subscribers that have not
/// taken them yet; one further behind reads from the database instead.
const LIVE_BACKLOG: usize = 256;

/// Past this many ordering points in memory, idle ones are freed before a
/// new one is made (and the retention task frees idle ones every run).
const MAX_IDLE_SLOTS: usize = 4096;

/// Longest group id accepted, in bytes. Liaison's are 16; MLS allows more,
/// but nothing the relay keeps may grow with a submitter's whim.
pub(crate) const MAX_GROUP_ID_LEN: usize = 64;

/// Refuses a group id no Liaison client makes.
pub(crate) fn check_group_id(group_id: &[u8]) -> Result<(), Error> {
    if group_id.is_empty() || group_id.len() > MAX_GROUP_ID_LEN {
        return Err(Error::malformed(format!(
            "group ids are 1 to {MAX_GROUP_ID_LEN} bytes"
        )));
    }
    Ok(())
}

fn evict_idle(slots: &mut HashMap<Vec<u8>, Arc<Slot>>) -> usize {
    let before = slots.len();
    // Held only by the map, and followed by nobody.
    slots.retain(|_, slot| Arc::strong_count(slot) > 1 || slot.appended.receiver_count() > 0);
    before - slots.len()
}

/// A message just ordered, announced to the group's subscribers so that
/// one caught up can push it without a database read.
pub(crate) struct Appended {
    /// The message at its position.
    pub(crate) delivery: Delivery,
    /// A handshake message may change who reads what: subscribers re-read
    /// their windows rather than push it from here.
    pub(crate) handshake: bool,
    /// The push frame, encoded once by the first subscriber that sends it
    /// and shared by the others.
    pub(crate) frame: OnceLock<Utf8Bytes>,
}

/// One group's ordering point: its loaded state (behind the lock that
/// serialises its submissions) and the announcement of each message
/// appended, which subscribers follow.
pub(crate) struct Slot {
    group: Mutex<Option<LoadedGroup>>,
    appended: broadcast::Sender<Arc<Appended>>,
}

impl Slot {
    /// Every message appended from now on, in order; a receiver that falls
    /// more than [`LIVE_BACKLOG`] behind gets `Lagged`.
    pub(crate) fn follow(&self) -> broadcast::Receiver<Arc<Appended>> {
        self.appended.subscribe()
    }

    fn lock(&self) -> MutexGuard<'_, Option<LoadedGroup>> {
        // A panic mid-submission leaves a half-processed group: drop it so
        // the next submission reloads it from the database.
        self.group.lock().unwrap_or_else(|poisoned| {
            let mut guard = poisoned.into_inner();
            *guard = None;
            guard
        })
    }
}

/// One authenticated connection counted against its officer's limit
/// (`Limits::max_connections_per_officer`); released when dropped.
pub(crate) struct ConnectionPermit {
    relay: Arc<Relay>,
    officer: String,
}

impl ConnectionPermit {
    /// Counts a connection of the officer filed under `officer` (its
    /// directory key); `rate_limited` when it already has as many as the
    /// relay allows.
    pub(crate) fn take(relay: Arc<Relay>, officer: String) -> Result<Self, Error> {
        let max = relay.config.limits.max_connections_per_officer;
        {
            let mut open = relay.connections.lock().unwrap_or_else(|p| p.into_inner());
            let count = open.entry(officer.clone()).or_insert(0);
            if *count >= max {
                return Err(Error::refused(
                    liaison_proto::relay::ErrorCode::RateLimited,
                    format!("an officer may hold at most {max} connections to this relay"),
                ));
            }
            *count += 1;
        }
        Ok(Self { relay, officer })
    }
}

impl Drop for ConnectionPermit {
    fn drop(&mut self) {
        let mut open = self
            .relay
            .connections
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(count) = open.get_mut(&self.officer) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.officer);
            }
        }
    }
}

/// The relay's shared state.
pub(crate) struct Relay {
    /// Authenticated connections per officer (directory key).
    connections: Mutex<HashMap<String, u32>>,
    /// Key-package claims per officer (directory key).
    pub(crate) claims: Mutex<crate::rate::ClaimBudgets>,
    pub(crate) storage: Arc<dyn Storage>,
    pub(crate) config: Config,
    /// The partner authorities and CRLs in force (reloaded while running).
    trust: RwLock<Arc<TrustAnchors>>,
    /// Bumped at every change of `trust`: connections re-check their
    /// officer then.
    trust_version: watch::Sender<u64>,
    pub(crate) metrics: Metrics,
    crypto: RustCrypto,
    slots: Mutex<HashMap<Vec<u8>, Arc<Slot>>>,
    welcomes: broadcast::Sender<WelcomeNotice>,
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Relay {
    pub(crate) fn new(storage: Arc<dyn Storage>, config: Config) -> Self {
        let (welcomes, _) = broadcast::channel(256);
        let trust = RwLock::new(Arc::new(config.trust.clone()));
        Self {
            connections: Mutex::new(HashMap::new()),
            claims: Mutex::new(crate::rate::ClaimBudgets::new(
                config.limits.claims_per_hour,
                config.limits.claim_burst,
            )),
            storage,
            trust,
            trust_version: watch::channel(0).0,
            config,
            metrics: Metrics::default(),
            crypto: RustCrypto::default(),
            slots: Mutex::new(HashMap::new()),
            welcomes,
        }
    }

    /// The ordering point of a group the relay holds and the officer's
    /// device is a member of. Nothing is kept for a group that does not
    /// exist or a submitter that is not a member: a made-up group id costs
    /// one database read and no memory.
    pub(crate) fn member_slot(
        &self,
        group_id: &[u8],
        officer_id: &str,
        signature_key: &[u8],
    ) -> Result<Arc<Slot>, Error> {
        check_group_id(group_id)?;
        if let Some(slot) = self.existing_slot(group_id) {
            return Ok(slot);
        }
        let group = self.load(group_id)?;
        if !group.is_member(officer_id, signature_key) {
            return Err(Error::not_member());
        }
        Ok(self.insert_slot(group_id, Some(group)))
    }

    /// The ordering point of a group, if one is held in memory.
    pub(crate) fn existing_slot(&self, group_id: &[u8]) -> Option<Arc<Slot>> {
        let slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots.get(group_id).cloned()
    }

    /// The ordering point of a group whose existence (and the caller's
    /// right to it) was checked, made with `group` if none is held.
    pub(crate) fn insert_slot(&self, group_id: &[u8], group: Option<LoadedGroup>) -> Arc<Slot> {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        if slots.len() >= MAX_IDLE_SLOTS && !slots.contains_key(group_id) {
            evict_idle(&mut slots);
        }
        slots
            .entry(group_id.to_vec())
            .or_insert_with(|| {
                Arc::new(Slot {
                    group: Mutex::new(group),
                    appended: broadcast::channel(LIVE_BACKLOG).0,
                })
            })
            .clone()
    }

    /// Frees the ordering points nobody uses: no submission in progress and
    /// no subscriber. Their groups are reloaded from the database when next
    /// needed.
    pub(crate) fn evict_idle_slots(&self) -> usize {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        evict_idle(&mut slots)
    }

    /// How many ordering points are held in memory.
    pub(crate) fn slot_count(&self) -> usize {
        self.slots.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// The partner authorities and CRLs in force.
    pub(crate) fn trust(&self) -> Arc<TrustAnchors> {
        self.trust.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Puts `trust` in force if it differs from the current one; returns
    /// whether it did. Connections are told, and re-check their officer.
    pub(crate) fn set_trust(&self, trust: TrustAnchors) -> bool {
        {
            let mut current = self.trust.write().unwrap_or_else(|p| p.into_inner());
            let same = current.anchors() == trust.anchors()
                && current.intermediates() == trust.intermediates()
                && current.crls() == trust.crls();
            if same {
                return false;
            }
            *current = Arc::new(trust);
        }
        self.trust_version.send_modify(|version| *version += 1);
        true
    }

    /// Changes of the trust in force, from now on.
    pub(crate) fn trust_changes(&self) -> watch::Receiver<u64> {
        self.trust_version.subscribe()
    }

    /// Welcomes queued from now on, for every officer.
    pub(crate) fn welcome_notices(&self) -> broadcast::Receiver<WelcomeNotice> {
        self.welcomes.subscribe()
    }

    /// Deletes ciphertext past retention and stale directory entries.
    pub(crate) fn expire(&self) -> Result<Expired, Error> {
        let horizon = self.config.directory_horizon.as_secs();
        let expired = self.storage.expire(unix_now(), horizon)?;
        self.metrics.expired(expired.messages);
        self.evict_idle_slots();
        if expired.messages > 0 {
            // Cached message counts are now too high; reload them.
            let slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            for slot in slots.values() {
                *slot.lock() = None;
            }
        }
        Ok(expired)
    }

    fn load(&self, group_id: &[u8]) -> Result<LoadedGroup, Error> {
        let record = self
            .storage
            .group(group_id)?
            .ok_or(crate::storage::StorageError::UnknownGroup)?;
        LoadedGroup::from_record(group_id, record)
    }
}
