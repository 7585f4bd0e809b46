//! What every handler shares, in a module of its own so that the router
//! (`http`), the WebSocket endpoint (`ws`) and the server that builds it
//! (`server`) all depend on it rather than on each other.

use std::sync::Arc;

use tokio::sync::{mpsc, watch};

use crate::relay::Relay;

/// What every handler shares: the relay, the shutdown signal and the
/// session tracker. [`Server::run`](crate::Server::run) builds it once;
/// axum clones it into each handler.
#[derive(Clone)]
pub struct AppState {
    pub(crate) relay: Arc<Relay>,
    /// Turns `true` when the relay begins shutting down.
    pub(crate) shutdown: watch::Receiver<bool>,
    /// Held by every WebSocket session; shutdown waits until all are gone.
    pub(crate) tracker: mpsc::Sender<()>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("relay", &self.relay.config.name)
            .finish_non_exhaustive()
    }
}
