#![no_main]
//! Relay answers and pushes: the JSON text frames the relay sends and the
//! client parses (`serde_json::from_str::<ServerFrame>`, as in
//! `liaison_core`'s relay client): responses, typed errors, the
//! challenge, deliveries and Welcomes.
//!
//! Asserts: no panic; a frame that parses serialises to JSON that parses
//! back to the same frame.

use liaison_proto::relay::ServerFrame;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(frame) = serde_json::from_str::<ServerFrame>(text) else {
        return;
    };
    let again = serde_json::to_string(&frame).expect("a parsed frame serialises");
    let back = serde_json::from_str::<ServerFrame>(&again)
        .unwrap_or_else(|e| panic!("{again} does not parse back: {e}"));
    assert_eq!(back, frame, "{again}");
});
