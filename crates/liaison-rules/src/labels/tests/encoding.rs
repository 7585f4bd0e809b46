use super::super::{DecodeError, Label, LabelError, PolicyRegistry};
use super::{label, nato};

fn decode(bytes: &[u8]) -> Result<Label, LabelError> {
    Label::from_bytes(bytes, &PolicyRegistry::builtin())
}

fn decode_error(bytes: &[u8]) -> DecodeError {
    match decode(bytes) {
        Err(LabelError::Decode(error)) => error,
        other => panic!("{other:?}"),
    }
}

/// `NATO SECRET//REL TO FRA, GBR`, byte by byte (docs/labels.md).
fn nato_secret_rel_fra_gbr() -> Vec<u8> {
    let mut bytes = vec![0x01, 0x00];
    bytes.push(4);
    bytes.extend_from_slice(b"NATO");
    bytes.push(11);
    bytes.extend_from_slice(b"NATO SECRET");
    bytes.extend_from_slice(&[0x00, 0x00]);
    bytes.extend_from_slice(&[0x00, 0x02]);
    for nation in [b"FRA", b"GBR"] {
        bytes.push(13);
        bytes.extend_from_slice(b"Releasable To");
        bytes.push(3);
        bytes.extend_from_slice(nation);
    }
    bytes
}

#[test]
fn encoding_matches_the_documented_layout() {
    let label = label(&nato(), "NATO SECRET//REL TO GBR, FRA");
    assert_eq!(label.to_bytes(), nato_secret_rel_fra_gbr());
    assert_eq!(decode(&nato_secret_rel_fra_gbr()).unwrap(), label);
}

#[test]
fn optional_fields_follow_the_tags_in_flag_order() {
    let label = Label::builder(&nato(), "NATO RESTRICTED")
        .privacy_mark("STAFF")
        .originator("GBR-1")
        .created_at(0x0102_0304_0506_0708)
        .build()
        .unwrap();
    let bytes = label.to_bytes();
    assert_eq!(bytes.get(1), Some(&0x07));
    let tail: &[u8] = &[
        5, b'S', b'T', b'A', b'F', b'F', 5, b'G', b'B', b'R', b'-', b'1', 1, 2, 3, 4, 5, 6, 7, 8,
    ];
    assert!(bytes.ends_with(tail));
    assert_eq!(decode(&bytes).unwrap(), label);
}

#[test]
fn unknown_policy_is_its_own_error() {
    let mut bytes = nato_secret_rel_fra_gbr();
    bytes.splice(3..7, *b"NAVO");
    assert!(matches!(
        decode(&bytes),
        Err(LabelError::UnknownPolicy { .. })
    ));
    assert!(matches!(
        Label::from_bytes(&nato_secret_rel_fra_gbr(), &PolicyRegistry::empty()),
        Err(LabelError::UnknownPolicy { .. })
    ));
}

#[test]
fn other_versions_and_undefined_flags_are_refused() {
    let mut bytes = nato_secret_rel_fra_gbr();
    bytes[0] = 2;
    assert_eq!(
        decode_error(&bytes),
        DecodeError::UnsupportedVersion { version: 2 }
    );
    let mut bytes = nato_secret_rel_fra_gbr();
    bytes[1] = 0x08;
    assert_eq!(
        decode_error(&bytes),
        DecodeError::UnknownFlags { bits: 0x08 }
    );
}

#[test]
fn trailing_and_missing_bytes_are_refused() {
    let mut bytes = nato_secret_rel_fra_gbr();
    bytes.push(0);
    assert_eq!(
        decode_error(&bytes),
        DecodeError::TrailingBytes { count: 1 }
    );
    let whole = nato_secret_rel_fra_gbr();
    for cut in 0..whole.len() {
        assert!(
            matches!(
                decode(&whole[..cut]),
                Err(LabelError::Decode(DecodeError::Truncated { .. }))
            ),
            "cut at {cut}"
        );
    }
    let mut bytes = nato_secret_rel_fra_gbr();
    bytes[1] = 0x04;
    assert_eq!(
        decode_error(&bytes),
        DecodeError::Truncated {
            field: "creation time"
        }
    );
}

#[test]
fn unsorted_or_repeated_tags_are_not_canonical() {
    let swapped = {
        let mut bytes = nato_secret_rel_fra_gbr();
        let len = bytes.len();
        bytes[len - 1] = b'A';
        bytes[len - 2] = b'R';
        bytes[len - 3] = b'F';
        let first = bytes.len() - 2 * 18 + 15;
        bytes[first..first + 3].copy_from_slice(b"GBR");
        bytes
    };
    assert_eq!(
        decode_error(&swapped),
        DecodeError::NotCanonical {
            field: "permissive tags"
        }
    );
    let repeated = {
        let mut bytes = nato_secret_rel_fra_gbr();
        let len = bytes.len();
        bytes[len - 3..].copy_from_slice(b"FRA");
        bytes
    };
    assert_eq!(
        decode_error(&repeated),
        DecodeError::NotCanonical {
            field: "permissive tags"
        }
    );
}

#[test]
fn empty_texts_and_oversized_counts_are_out_of_range() {
    let mut bytes = vec![0x01, 0x01, 4];
    bytes.extend_from_slice(b"NATO");
    bytes.push(15);
    bytes.extend_from_slice(b"NATO RESTRICTED");
    bytes.extend_from_slice(&[0, 0, 0, 0, 0]);
    assert!(matches!(
        decode_error(&bytes),
        DecodeError::LengthOutOfRange {
            field: "privacy mark",
            length: 0,
            ..
        }
    ));
    let mut bytes = vec![0x01, 0x00, 4];
    bytes.extend_from_slice(b"NATO");
    bytes.push(15);
    bytes.extend_from_slice(b"NATO RESTRICTED");
    bytes.extend_from_slice(&[0x01, 0x01]);
    assert!(matches!(
        decode_error(&bytes),
        DecodeError::LengthOutOfRange { length: 257, .. }
    ));
    assert!(matches!(
        decode_error(&[0x01, 0x00, 33]),
        DecodeError::LengthOutOfRange { length: 33, .. }
    ));
}

#[test]
fn text_that_is_not_utf8_is_refused() {
    let mut bytes = nato_secret_rel_fra_gbr();
    bytes[4] = 0xFF;
    assert_eq!(
        decode_error(&bytes),
        DecodeError::InvalidUtf8 {
            field: "policy identifier"
        }
    );
}

#[test]
fn decoded_content_is_checked_against_the_policy() {
    // A caveat written in the permissive set.
    let mut bytes = vec![0x01, 0x00, 4];
    bytes.extend_from_slice(b"NATO");
    bytes.push(11);
    bytes.extend_from_slice(b"NATO SECRET");
    bytes.extend_from_slice(&[0, 0, 0, 1, 16]);
    bytes.extend_from_slice(b"Special Category");
    bytes.push(6);
    bytes.extend_from_slice(b"ATOMAL");
    assert!(matches!(
        decode(&bytes),
        Err(LabelError::WrongCategoryKind { .. })
    ));
}
