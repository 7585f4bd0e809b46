//! Officers' profiles: the partnership a test's officers pin at onboarding
//! (the partner authorities it made so far), and engines on SQLCipher files.

use std::cell::RefCell;
use std::path::Path;

use super::{Nation, registry};
use crate::engine::{Engine, InitialTrust};
use crate::store::danger::create_with_raw_key;
use liaison_identity::{CertificateChain, DeviceKey};

thread_local! {
    /// The partner authorities made so far by this test (each test runs on
    /// its own thread, and an async test's runtime on that thread): the
    /// partnership officers pin at onboarding.
    static PARTNERSHIP: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// `nation`, made a partner of this test's partnership: officers created
/// after it pin it at onboarding.
pub fn partner(nation: Nation) -> Nation {
    PARTNERSHIP.with(|p| p.borrow_mut().push(nation.certificate_der().to_vec()));
    nation
}

/// The authorities (DER) of this test's partnership so far.
pub fn partnership() -> Vec<Vec<u8>> {
    PARTNERSHIP.with(|p| p.borrow().clone())
}

/// A new profile for officer `id` in `dir` (`profile.db`, under a fresh
/// random key, returned), pinning `trust` at onboarding.
pub fn create_profile(
    dir: &Path,
    id: &str,
    chain: CertificateChain,
    device: DeviceKey,
    trust: &InitialTrust,
) -> (Engine, [u8; 32]) {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).unwrap();
    let store = create_with_raw_key(dir.join("profile.db"), &key).unwrap();
    let engine = Engine::create_profile(store, registry(), id, chain, device, trust).unwrap();
    (engine, key)
}
