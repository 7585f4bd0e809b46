//! The engine's own tests' officers: engines on SQLCipher files in
//! temporary directories, the partnership they pin at onboarding, and the
//! loopback relay they talk over.

use std::cell::RefCell;
use std::future::Future;

use tempfile::TempDir;

use super::{Nation, registry};
use crate::delivery::{DeliveryService as _, LoopbackConnection, LoopbackRelay};
use crate::engine::{Engine, InitialTrust};
use crate::store::Store;
use crate::store::danger::create_with_raw_key;
use liaison_identity::{CertificateChain, DeviceKey};

thread_local! {
    /// The partner authorities made so far by this test (each test runs on
    /// its own thread): the partnership officers pin at onboarding.
    static PARTNERSHIP: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// `nation`, made a partner of this test's partnership: officers created
/// after it pin it at onboarding.
pub(crate) fn partner(nation: Nation) -> Nation {
    PARTNERSHIP.with(|p| p.borrow_mut().push(nation.certificate_der().to_vec()));
    nation
}

/// The authorities (DER) of this test's partnership so far.
pub(crate) fn partnership() -> Vec<Vec<u8>> {
    PARTNERSHIP.with(|p| p.borrow().clone())
}

/// Runs a future to completion on a fresh single-threaded runtime.
pub(crate) fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

/// A new profile for officer `id` in `dir` (`profile.db`, under a fresh
/// random key, returned), pinning `trust` at onboarding.
pub(crate) fn create_profile(
    dir: &TempDir,
    id: &str,
    chain: CertificateChain,
    device: DeviceKey,
    trust: &InitialTrust,
) -> (Engine, [u8; 32]) {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).unwrap();
    let store: Store = create_with_raw_key(dir.path().join("profile.db"), &key).unwrap();
    let engine = Engine::create_profile(store, registry(), id, chain, device, trust).unwrap();
    (engine, key)
}

/// Connects officer `id` to `relay` and publishes four of its key packages.
pub(crate) fn connect(relay: &LoopbackRelay, engine: &mut Engine, id: &str) -> LoopbackConnection {
    let connection = relay.connect(id);
    let packages = engine.generate_key_packages(4, true).unwrap();
    run(connection.publish_key_packages(packages)).unwrap();
    connection
}
