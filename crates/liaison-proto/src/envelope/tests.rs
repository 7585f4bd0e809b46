#![allow(clippy::unwrap_used)]

use super::*;
use proptest::prelude::*;

fn sample() -> Envelope {
    Envelope {
        message_id: MessageId([7; 16]),
        label: vec![1, 2, 3],
        precedence: Precedence::Flash,
        kind: TrafficKind::Exercise,
        body: "Convoy crosses at 0400Z".into(),
        reference: Some(Reference {
            kind: ReferenceKind::Reply,
            message_id: MessageId([9; 16]),
            label: vec![1, 2],
        }),
        sent_at_ms: 1_700_000_000_000,
        context: Some(EnvelopeContext {
            group_id: vec![0xA5; 32],
            epoch: 42,
        }),
    }
}

#[test]
fn envelope_round_trips() {
    let envelope = sample();
    assert_eq!(Envelope::decode(&envelope.encode()).unwrap(), envelope);
}

#[test]
fn a_context_makes_version_2_and_without_one_version_1_still_reads() {
    let bound = sample();
    let bytes = bound.encode();
    assert_eq!(bytes[0], ENVELOPE_VERSION_WITH_CONTEXT);
    let unbound = Envelope {
        context: None,
        ..sample()
    };
    let legacy = unbound.encode();
    assert_eq!(legacy[0], ENVELOPE_VERSION);
    assert_eq!(Envelope::decode(&legacy).unwrap(), unbound);
    // The context is part of what is signed: the same message in another
    // channel or epoch encodes differently.
    let elsewhere = Envelope {
        context: Some(EnvelopeContext {
            group_id: vec![0x5A; 32],
            epoch: 42,
        }),
        ..sample()
    };
    assert_ne!(elsewhere.encode(), bytes);
    // A version 1 header on version 2 content leaves trailing bytes.
    let mut relabelled = bytes.clone();
    relabelled[0] = ENVELOPE_VERSION;
    assert!(matches!(
        Envelope::decode(&relabelled),
        Err(DecodeError::TrailingBytes(_))
    ));
}

#[test]
fn an_oversized_context_group_id_is_rejected() {
    let mut envelope = sample();
    envelope.context = Some(EnvelopeContext {
        group_id: vec![1; MAX_CONTEXT_GROUP_ID_LEN + 1],
        epoch: 1,
    });
    assert!(matches!(
        Envelope::decode(&envelope.encode()),
        Err(DecodeError::TooLong { .. })
    ));
}

#[test]
fn trailing_byte_is_rejected() {
    let mut bytes = sample().encode();
    bytes.push(0);
    assert_eq!(Envelope::decode(&bytes), Err(DecodeError::TrailingBytes(1)));
}

#[test]
fn oversized_body_is_rejected() {
    let mut envelope = sample();
    envelope.body = "x".repeat(MAX_BODY_LEN + 1);
    assert!(matches!(
        Envelope::decode(&envelope.encode()),
        Err(DecodeError::TooLong { field: "body", .. })
    ));
}

#[test]
fn unknown_version_is_rejected() {
    let mut bytes = sample().binding().encode();
    bytes[0] = 9;
    assert!(matches!(
        Binding::decode(&bytes),
        Err(DecodeError::UnsupportedVersion { version: 9, .. })
    ));
}

#[test]
fn only_immediate_and_flash_require_acknowledgement() {
    assert!(!Precedence::Routine.requires_ack());
    assert!(!Precedence::Priority.requires_ack());
    assert!(Precedence::Immediate.requires_ack());
    assert!(Precedence::Flash.requires_ack());
}

proptest! {
    #[test]
    fn decoders_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Envelope::decode(&bytes);
        let _ = Binding::decode(&bytes);
        let _ = Payload::decode(&bytes);
    }

    #[test]
    fn payload_round_trips(envelope in proptest::collection::vec(any::<u8>(), 0..300), sig in any::<[u8; 32]>(), ack in any::<[u8; 16]>()) {
        let mut signature = [0u8; 64];
        signature[..32].copy_from_slice(&sig);
        let message = Payload::Message { envelope, signature };
        prop_assert_eq!(Payload::decode(&message.encode()).unwrap(), message);
        let ack = Payload::Ack { message_id: MessageId(ack) };
        prop_assert_eq!(Payload::decode(&ack.encode()).unwrap(), ack);
    }

    #[test]
    fn binding_round_trips(label in proptest::collection::vec(any::<u8>(), 0..300), id in any::<[u8; 16]>(), p in 0u8..4, k in 0u8..2, check in proptest::option::of(any::<[u8; 16]>())) {
        let binding = Binding {
            message_id: MessageId(id),
            label,
            precedence: Precedence::from_code(p).unwrap(),
            kind: TrafficKind::from_code(k).unwrap(),
            epoch_check: check,
        };
        let bytes = binding.encode();
        // Version 2 exactly when an epoch check is carried.
        prop_assert_eq!(bytes[0], if check.is_some() { 2 } else { 1 });
        prop_assert_eq!(Binding::decode(&bytes).unwrap(), binding);
    }
}

#[test]
fn sequenced_ids_hold_the_stream_the_counter_and_the_random_bits() {
    let id = MessageId::sequenced([1, 2, 3, 4], 0x0506_0708, [0xee; 8]);
    assert_eq!(id.0[..8], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(id.0[8..], [0xee; 8]);
}

proptest! {
    #[test]
    fn ids_of_one_stream_sort_by_counter(
        stream in any::<[u8; 4]>(),
        a in any::<u32>(),
        b in any::<u32>(),
        r in any::<[u8; 8]>(),
        s in any::<[u8; 8]>(),
    ) {
        prop_assume!(a != b);
        let (x, y) = (MessageId::sequenced(stream, a, r), MessageId::sequenced(stream, b, s));
        prop_assert_eq!(a < b, x < y);
    }
}
