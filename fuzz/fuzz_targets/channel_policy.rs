#![no_main]
//! Channel policy decoder (the group-context extension every member reads
//! from commits): never panics.

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use liaison_core::{ChannelPolicy, PolicyRegistry};

fn registry() -> &'static PolicyRegistry {
    static REGISTRY: OnceLock<PolicyRegistry> = OnceLock::new();
    REGISTRY.get_or_init(PolicyRegistry::builtin)
}

fuzz_target!(|data: &[u8]| {
    let _ = ChannelPolicy::decode(data, registry());
});
