#![no_main]
//! Label policy files: the TOML an administrator installs to add a
//! national label policy (`LabelPolicy::from_toml`, what
//! `PolicyRegistry::load_dir` reads).
//!
//! Asserts: no panic; every level of a policy that loads gives a label
//! whose marking parses back under that policy alone.

use std::sync::Arc;

use liaison_rules::{Label, LabelPolicy, PolicyRegistry};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = LabelPolicy::from_toml(text) else {
        return;
    };
    let policy = Arc::new(policy);
    let mut registry = PolicyRegistry::empty();
    registry
        .insert(Arc::clone(&policy))
        .unwrap_or_else(|e| panic!("a policy that loads is refused by an empty registry: {e}"));
    for level in policy.levels() {
        let Ok(label) = Label::builder(&policy, level.name()).build() else {
            continue;
        };
        let marking = label.marking();
        let parsed = Label::parse_marking_for(&marking, &policy)
            .unwrap_or_else(|e| panic!("the marking {marking:?} does not parse: {e}"));
        assert_eq!(parsed, label, "{marking}");
        let decoded = Label::from_bytes(&label.to_bytes(), &registry)
            .unwrap_or_else(|e| panic!("the label {marking:?} does not decode: {e}"));
        assert_eq!(decoded, label);
    }
});
