//! The delivery service itself, independent of the transport: key-package
//! directory, group registration, ordering, reading from a cursor,
//! Welcomes. Every method is synchronous (it talks to the database and
//! verifies MLS signatures) and runs on a blocking thread.

mod directory;
mod order;
mod read;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use liaison_proto::Seq;
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
    pub(crate) officer_id: String,
    pub(crate) welcome: Arc<Vec<u8>>,
}

/// One group's ordering point: its loaded state (behind the lock that
/// serialises its submissions) and the last sequence number, which
/// subscribers watch.
pub(crate) struct Slot {
    group: Mutex<Option<LoadedGroup>>,
    seq: watch::Sender<Seq>,
}

impl Slot {
    /// Wakes whenever a message is appended.
    pub(crate) fn watch(&self) -> watch::Receiver<Seq> {
        self.seq.subscribe()
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

/// The relay's shared state.
pub(crate) struct Relay {
    pub(crate) storage: Arc<dyn Storage>,
    pub(crate) config: Config,
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
        Self {
            storage,
            config,
            metrics: Metrics::default(),
            crypto: RustCrypto::default(),
            slots: Mutex::new(HashMap::new()),
            welcomes,
        }
    }

    /// The ordering point of a group (made on first use).
    pub(crate) fn slot(&self, group_id: &[u8]) -> Arc<Slot> {
        let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
        slots
            .entry(group_id.to_vec())
            .or_insert_with(|| {
                Arc::new(Slot {
                    group: Mutex::new(None),
                    seq: watch::channel(0).0,
                })
            })
            .clone()
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
