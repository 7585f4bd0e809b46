#![no_main]
//! Envelope, binding and payload decoders: never panic; what decodes
//! re-encodes to the same bytes (the encodings are canonical).

use libfuzzer_sys::fuzz_target;
use liaison_proto::{Binding, Envelope, Payload};

fuzz_target!(|data: &[u8]| {
    if let Ok(envelope) = Envelope::decode(data) {
        assert_eq!(envelope.encode(), data);
    }
    if let Ok(binding) = Binding::decode(data) {
        assert_eq!(binding.encode(), data);
    }
    if let Ok(payload) = Payload::decode(data) {
        assert_eq!(payload.encode(), data);
    }
});
