//! The state of an unlocked profile that the command handlers and the
//! background runtime share.
//!
//! Two locks, taken in this order: `gate` serialises everything that talks
//! to the relay about the outbox or applies deliveries (the runtime's
//! rounds, the admin operations), so a commit is never submitted twice or
//! overtaken by a delivery processed half-way; `engine` is held only for
//! the engine calls themselves, never across a network wait in the
//! runtime, so every read stays quick while the relay is slow or down.

use std::sync::Arc;

use tokio::sync::{Mutex, MutexGuard, Notify, watch};

use super::error::DeskError;
use super::events::{DeskEvent, EventSink};
use super::views::ConnectionState;
use liaison_core::{Engine, RelayClient};

/// Shared by the session's handlers and its runtime.
pub(crate) struct Shared {
    engine: Mutex<Engine>,
    gate: Mutex<()>,
    pub(crate) officer_id: String,
    pub(crate) events: EventSink,
    /// Wakes the runtime to flush the outbox (a message was queued).
    pub(crate) nudge: Notify,
    /// Wakes the runtime for a full round (a channel was joined outside
    /// one, from an accepted invitation: it must be subscribed to).
    pub(crate) round: Notify,
    client: watch::Sender<Option<Arc<RelayClient>>>,
    state: watch::Sender<ConnectionState>,
}

impl Shared {
    pub(crate) fn new(engine: Engine, events: EventSink) -> Arc<Self> {
        let officer_id = engine.officer_id().to_owned();
        Arc::new(Self {
            engine: Mutex::new(engine),
            gate: Mutex::new(()),
            officer_id,
            events,
            nudge: Notify::new(),
            round: Notify::new(),
            client: watch::Sender::new(None),
            state: watch::Sender::new(ConnectionState::Offline),
        })
    }

    /// The engine, for one short step.
    pub(crate) async fn engine(&self) -> MutexGuard<'_, Engine> {
        self.engine.lock().await
    }

    /// Exclusive use of the relay conversation (see the module comment).
    pub(crate) async fn gate(&self) -> MutexGuard<'_, ()> {
        self.gate.lock().await
    }

    pub(crate) fn emit(&self, event: DeskEvent) {
        (self.events)(event);
    }

    /// The connected relay client, or `Offline`.
    pub(crate) fn client(&self) -> Result<Arc<RelayClient>, DeskError> {
        match &*self.client.borrow() {
            Some(client) if client.is_connected() => Ok(Arc::clone(client)),
            _ => Err(DeskError::Offline(
                "The relay cannot be reached; this needs a connection.".into(),
            )),
        }
    }

    pub(crate) fn set_client(&self, client: Option<Arc<RelayClient>>) {
        self.client.send_replace(client);
    }

    pub(crate) fn state(&self) -> ConnectionState {
        *self.state.borrow()
    }

    /// Records the connection state and tells the window when it changed.
    pub(crate) fn set_state(&self, state: ConnectionState) {
        if self.state.send_replace(state) != state {
            self.emit(DeskEvent::Connection(state));
        }
    }
}
