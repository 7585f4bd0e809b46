#![no_main]
//! Security labels: the canonical encoding carried in every binding,
//! envelope and policy (`Label::from_bytes`), and the banner marking text
//! a user or a file supplies (`Label::parse_marking`).
//!
//! Asserts: no panic; a decoded label re-encodes to the same bytes; a
//! label's marking parses back to a label with the same marking and the
//! same encoding once the fields a marking does not show (originator,
//! creation time) are left aside; a parsed marking renders to a marking
//! that parses to the same label.

use liaison_rules::Label;
use libfuzzer_sys::fuzz_target;

fn marking_round_trip(label: &Label) {
    let marking = label.marking();
    let parsed = Label::parse_marking(&marking, liaison_fuzz::registry())
        .unwrap_or_else(|e| panic!("the marking {marking:?} does not parse: {e}"));
    assert_eq!(parsed.marking(), marking);
    assert_eq!(parsed.restrictive_tags(), label.restrictive_tags());
    assert_eq!(parsed.permissive_tags(), label.permissive_tags());
    assert_eq!(parsed.classification(), label.classification());
    assert_eq!(parsed.privacy_mark(), label.privacy_mark());
    let _ = label.portion_marking();
}

fuzz_target!(|data: &[u8]| {
    if let Ok(label) = Label::from_bytes(data, liaison_fuzz::registry()) {
        assert_eq!(label.to_bytes(), data, "label encoding is not canonical");
        marking_round_trip(&label);
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(label) = Label::parse_marking(text, liaison_fuzz::registry())
    {
        let bytes = label.to_bytes();
        let decoded = Label::from_bytes(&bytes, liaison_fuzz::registry())
            .unwrap_or_else(|e| panic!("the label of {text:?} does not decode: {e}"));
        assert_eq!(decoded, label);
        marking_round_trip(&label);
    }
});
