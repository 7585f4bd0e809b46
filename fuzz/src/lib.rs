//! What the fuzz targets and the seed generator share: the label registry,
//! a fixed verification instant, a small world of partner authorities and
//! officers ([`world`]), and an engine on a scratch store that imports
//! archive files written from fuzz input ([`archive`]).
//!
//! The targets themselves are in `fuzz_targets/`; each documents the
//! decoders it drives and what it asserts beyond "never panics".

pub mod archive;
pub mod world;

use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use liaison_rules::PolicyRegistry;

/// The built-in label policies (NATO, GBR, USA), built once per process.
pub fn registry() -> &'static Arc<PolicyRegistry> {
    static REGISTRY: OnceLock<Arc<PolicyRegistry>> = OnceLock::new();
    REGISTRY.get_or_init(|| Arc::new(PolicyRegistry::builtin()))
}

/// The instant credentials are verified at (2030-03-17): inside the
/// validity of every certificate the seed generator issues, so that a
/// seed verifies whatever the machine's clock says.
pub const VERIFY_AT_SECS: u64 = 1_900_000_000;

/// [`VERIFY_AT_SECS`] as a time.
pub fn verify_at() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(VERIFY_AT_SECS)
}
