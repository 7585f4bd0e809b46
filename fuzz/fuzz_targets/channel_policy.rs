#![no_main]
//! The channel policy group-context extension (0xF1A0), which the relay
//! and every member read from each commit: the layout
//! (`PolicyWire::decode`, all the relay checks) and the full policy
//! (`ChannelPolicy::decode`: trust anchors, intermediates and CRLs parsed
//! and checked, labels decoded against the registry).
//!
//! Asserts: no panic; the wire layout is canonical; a valid policy
//! re-encodes to bytes that decode to the same policy.

use liaison_proto::PolicyWire;
use liaison_rules::ChannelPolicy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(wire) = PolicyWire::decode(data) else {
        assert!(ChannelPolicy::decode(data, liaison_fuzz::registry()).is_err());
        return;
    };
    assert_eq!(wire.encode(), data, "policy layout is not canonical");
    for admin in &wire.admins {
        assert!(wire.is_admin(admin));
    }
    if let Ok(policy) = ChannelPolicy::decode(data, liaison_fuzz::registry()) {
        let encoded = policy.encode();
        let again = ChannelPolicy::decode(&encoded, liaison_fuzz::registry())
            .unwrap_or_else(|e| panic!("a decoded policy does not decode again: {e}"));
        assert_eq!(again.encode(), encoded);
        assert_eq!(again, policy);
    }
});
