#![no_main]
//! Label decoder and marking parser: never panic; decoded labels re-encode
//! to the same bytes.

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use liaison_core::{Label, PolicyRegistry};

fn registry() -> &'static PolicyRegistry {
    static REGISTRY: OnceLock<PolicyRegistry> = OnceLock::new();
    REGISTRY.get_or_init(PolicyRegistry::builtin)
}

fuzz_target!(|data: &[u8]| {
    if let Ok(label) = Label::from_bytes(data, registry()) {
        assert_eq!(label.to_bytes(), data);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Label::parse_marking(text, registry());
    }
});
