#![no_main]
//! Relay requests: the JSON text frames a client sends and the relay
//! parses (`serde_json::from_str::<ClientFrame>`, as in the relay's
//! `ws::dispatch`), before authentication.
//!
//! Asserts: no panic; a frame that parses serialises to JSON that parses
//! back to the same frame.

use liaison_proto::relay::ClientFrame;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(frame) = serde_json::from_str::<ClientFrame>(text) else {
        return;
    };
    let again = serde_json::to_string(&frame).expect("a parsed frame serialises");
    let back = serde_json::from_str::<ClientFrame>(&again)
        .unwrap_or_else(|e| panic!("{again} does not parse back: {e}"));
    assert_eq!(back, frame, "{again}");
});
