//! The engine's own tests' relay: the in-process loopback relay, and a
//! runtime to drive it.

use std::future::Future;

use crate::delivery::{DeliveryService as _, LoopbackConnection, LoopbackRelay};
use crate::engine::Engine;

/// Runs a future to completion on a fresh single-threaded runtime.
pub(crate) fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// Connects officer `id` to `relay` and publishes four of its key packages.
pub(crate) fn connect(relay: &LoopbackRelay, engine: &mut Engine, id: &str) -> LoopbackConnection {
    let connection = relay.connect(id);
    let packages = engine.generate_key_packages(4, true).unwrap();
    run(connection.publish_key_packages(packages)).unwrap();
    connection
}
