#![allow(clippy::unwrap_used)]

use proptest::prelude::*;

use super::*;
use crate::test_utils::{DAY, Nation, label, registry};
use liaison_identity::Validity;

fn anchors() -> TrustAnchors {
    let gbr = Nation::new("GBR", Validity::starting_now(DAY).unwrap());
    crate::test_utils::anchors(&[&gbr])
}

fn sample() -> ChannelPolicy {
    ChannelPolicy::new(
        "GBR-FRA-DEU border cell",
        label("NATO SECRET//REL TO DEU, FRA, GBR"),
        label("NATO RESTRICTED//REL TO DEU, FRA, GBR"),
        ["gbr.admin".to_owned(), "fra.admin".to_owned()],
        anchors(),
    )
    .unwrap()
    .with_retention(Some(90), HistoryOnRemoval::Purge)
}

#[test]
fn policy_round_trips_through_its_canonical_encoding() {
    let policy = sample();
    let decoded = ChannelPolicy::decode(&policy.encode(), &registry()).unwrap();
    assert_eq!(decoded, policy);
    assert_eq!(decoded.retention_days(), Some(90));
    assert_eq!(decoded.history_on_removal(), HistoryOnRemoval::Purge);
    assert!(decoded.is_admin("fra.admin"));
    assert_eq!(decoded.encode(), policy.encode());
}

#[test]
fn trailing_bytes_are_refused() {
    let mut bytes = sample().encode();
    bytes.push(0);
    assert!(matches!(
        ChannelPolicy::decode(&bytes, &registry()),
        Err(ChannelPolicyError::Malformed(DecodeError::TrailingBytes(1)))
    ));
}

#[test]
fn default_label_above_the_ceiling_is_refused() {
    let error = ChannelPolicy::new(
        "cell",
        label("NATO RESTRICTED//REL TO DEU, FRA, GBR"),
        label("NATO SECRET//REL TO DEU, FRA, GBR"),
        ["gbr.admin".to_owned()],
        anchors(),
    )
    .unwrap_err();
    assert!(matches!(
        error,
        ChannelPolicyError::DefaultAboveCeiling { .. }
    ));
}

#[test]
fn a_policy_without_admins_is_refused() {
    let error = sample()
        .with_admin("gbr.admin", false)
        .unwrap()
        .with_admin("fra.admin", false);
    assert!(matches!(error, Err(ChannelPolicyError::NoAdmin)));
}

#[test]
fn unknown_label_policy_in_the_encoding_is_refused() {
    let bytes = sample().encode();
    let at = bytes.windows(4).position(|w| w == b"NATO").unwrap();
    let mut bytes = bytes;
    bytes[at] = b'X';
    assert!(matches!(
        ChannelPolicy::decode(&bytes, &registry()),
        Err(ChannelPolicyError::Label(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn decoding_edited_encodings_never_panics(edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8)) {
        let mut bytes = sample().encode();
        let len = bytes.len();
        for (at, value) in edits {
            bytes[at % len] = value;
        }
        let _ = ChannelPolicy::decode(&bytes, &registry());
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = ChannelPolicy::decode(&bytes, &registry());
    }
}
