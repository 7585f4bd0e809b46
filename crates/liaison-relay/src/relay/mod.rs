//! The delivery service itself, independent of the transport: key-package
//! directory, group registration, ordering, reading from a cursor,
//! Welcomes. Every method is synchronous (it talks to the database and
//! verifies MLS signatures) and runs on a blocking thread.

mod directory;
mod order;
mod read;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::ws::Utf8Bytes;
use liaison_proto::Delivery;
use openmls_rust_crypto::RustCrypto;
use tokio::sync::broadcast;

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

/// How many appended messages a group keeps for subscribers that have not
/// taken them yet; one further behind reads from the database instead.
const LIVE_BACKLOG: usize = 256;

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
                    appended: broadcast::channel(LIVE_BACKLOG).0,
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
