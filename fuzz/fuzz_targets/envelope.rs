#![no_main]
//! The signed envelope and the MLS application-message plaintext
//! (`Envelope::decode`, `Payload::decode`), as every member decodes them
//! on receipt and the importer decodes them from an archive.
//!
//! Asserts: no panic; what decodes re-encodes to the same bytes (the
//! encodings are canonical, and a signature over them must stay valid);
//! an envelope's binding round-trips; a message payload's envelope is
//! decoded in turn.

use liaison_proto::{Binding, Envelope, Payload};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(envelope) = Envelope::decode(data) {
        assert_eq!(
            envelope.encode(),
            data,
            "envelope encoding is not canonical"
        );
        let binding = envelope.binding();
        assert_eq!(Binding::decode(&binding.encode()).ok(), Some(binding));
        let _ = Envelope::signing_input(data);
    }
    if let Ok(payload) = Payload::decode(data) {
        assert_eq!(payload.encode(), data, "payload encoding is not canonical");
        if let Payload::Message { envelope, .. } = &payload
            && let Ok(inner) = Envelope::decode(envelope)
        {
            assert_eq!(&inner.encode(), envelope);
        }
    }
});
