//! Every rule a message or commit can break, broken on purpose: one member
//! crafts the violating message or commit directly with openmls, bypassing
//! the engine's send-side checks, and every other member refuses it with a
//! typed error and does not advance its state.

use liaison_proto::{
    Binding, Envelope, MessageId, Payload, Precedence, Reference, ReferenceKind, TrafficKind,
};
use openmls::prelude::LeafNodeIndex;
use openmls_traits::OpenMlsProvider as _;

use super::harness::*;
use crate::engine::{ChannelId, Draft, Received};
use crate::test_support::hostile::{Hostile, craft};
use crate::{DeliveryService, EngineError, RuleViolation};

/// Encrypts `payload` with `binding` as authenticated data, as a member's
/// own openmls group would, without any Liaison check.
fn craft_application(
    officer: &mut Officer,
    ch: &ChannelId,
    binding: Vec<u8>,
    payload: Vec<u8>,
) -> Vec<u8> {
    officer.engine.epoch(ch).unwrap();
    let engine = &mut officer.engine;
    let provider = engine.store.mls_provider();
    let loaded = engine.channels.get_mut(ch).unwrap();
    let what = Hostile::Application(payload);
    craft(&mut loaded.group, &provider, &engine.signer, what, binding).message
}

fn envelope(label_bytes: Vec<u8>, precedence: Precedence, body: &str) -> Envelope {
    Envelope {
        message_id: MessageId(rand_id()),
        label: label_bytes,
        precedence,
        kind: TrafficKind::Operation,
        body: body.into(),
        reference: None,
        sent_at_ms: 1,
        context: None,
    }
}

fn rand_id() -> [u8; 16] {
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).unwrap();
    id
}

fn signed(officer: &Officer, envelope: &Envelope) -> Vec<u8> {
    let encoded = envelope.encode();
    Payload::Message {
        signature: officer
            .engine
            .signer
            .key()
            .sign(&Envelope::signing_input(&encoded)),
        envelope: encoded,
    }
    .encode()
}

/// Builds a commit with openmls directly and submits it to the relay, which
/// orders it (the relay does not judge content). The crafter's own pending
/// commit is discarded.
fn craft_commit(officer: &mut Officer, ch: &ChannelId, what: Hostile<'_>) {
    officer.engine.epoch(ch).unwrap();
    let engine = &mut officer.engine;
    let provider = engine.store.mls_provider();
    let stamp = liaison_rules::stamp_at(engine.now()).encode();
    let loaded = engine.channels.get_mut(ch).unwrap();
    let commit = craft(&mut loaded.group, &provider, &engine.signer, what, stamp).message;
    loaded
        .group
        .clear_pending_commit(provider.storage())
        .unwrap();
    let outcome = run(officer.relay.submit(liaison_proto::Submission {
        group_id: ch.0.clone(),
        message: commit,
        welcome: None,
    }))
    .unwrap();
    assert!(matches!(
        outcome,
        liaison_proto::SubmitOutcome::Accepted { .. }
    ));
}

/// Every officer in `officers` refuses the last delivery with an error
/// matching `expected`, keeps its epoch and its history, and audits it.
fn assert_refused(
    officers: &mut [&mut Officer],
    ch: &ChannelId,
    expected: fn(&EngineError) -> bool,
) {
    for officer in officers.iter_mut() {
        let epoch = officer.engine.epoch(ch).unwrap();
        let history = officer.bodies(ch);
        let results = officer.receive_all(ch);
        let last = results.last().expect("a delivery");
        match last {
            Err(error) => assert!(
                expected(error),
                "{}: unexpected error {error:?}",
                officer.id
            ),
            Ok(received) => panic!("{} accepted a violating delivery: {received:?}", officer.id),
        }
        assert_eq!(
            officer.engine.epoch(ch).unwrap(),
            epoch,
            "{} advanced its epoch",
            officer.id
        );
        assert_eq!(officer.bodies(ch), history);
        let audit = officer
            .engine
            .store
            .audit_log(crate::store::AuditScope::All, None, 1000)
            .unwrap();
        assert!(audit.iter().any(|entry| entry.event == "delivery.refused"));
    }
}

/// After a refusal, ordinary traffic from the crafter still flows: the
/// refusal did not damage anyone's state.
fn assert_channel_still_works(cell: &mut Cell) {
    let ch = cell.channel.clone();
    cell.fr
        .engine
        .send(&ch, Draft::text("still working"))
        .unwrap();
    cell.fr.flush();
    for officer in [&mut cell.admin, &mut cell.de] {
        officer.sync();
        assert_eq!(
            officer.bodies(&ch).last().map(String::as_str),
            Some("still working")
        );
    }
}

#[test]
fn rule1_label_above_ceiling_is_refused_on_receipt() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let high = label("COSMIC TOP SECRET//REL TO DEU, FRA, GBR").to_bytes();
    let env = envelope(high, Precedence::Routine, "above the ceiling");
    let payload = signed(&cell.fr, &env);
    let bytes = craft_application(&mut cell.fr, &ch, env.binding().encode(), payload);
    cell.relay.inject(&ch.0, bytes);
    assert_refused(&mut [&mut cell.admin, &mut cell.de], &ch, |e| {
        matches!(e, EngineError::Rule(RuleViolation::AboveCeiling { .. }))
    });
    // The refusal is recorded with what failed, for the apps to say it.
    let refused = cell
        .admin
        .engine
        .store
        .audit_log(crate::store::AuditScope::All, None, 1000)
        .unwrap()
        .into_iter()
        .find(|entry| entry.event == "delivery.refused")
        .unwrap();
    let facts = refused.facts.unwrap();
    assert_eq!(facts.text("reason"), Some("aboveCeiling"));
    assert_eq!(facts.text("ceiling"), Some(CEILING));
    let excess = facts.get("excess").and_then(|e| e.as_array()).unwrap();
    assert_eq!(excess[0]["kind"], "level");
    assert_eq!(excess[0]["level"], "COSMIC TOP SECRET");
    assert!(refused.detail.contains("above the channel ceiling"));
    assert_channel_still_works(&mut cell);
}

#[test]
fn rule2_add_of_an_officer_below_the_ceiling_is_refused_by_every_member() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let low = officer(&cell.relay, &cell.fra, "fra.low", "NATO RESTRICTED");
    let package = run(cell.admin.relay.claim_key_package(&low.id)).unwrap();
    craft_commit(&mut cell.admin, &ch, Hostile::Add(&package));
    assert_refused(&mut [&mut cell.fr, &mut cell.de], &ch, |e| {
        matches!(e, EngineError::Rule(RuleViolation::NotAdmitted { .. }))
    });
}

#[test]
fn rule2_add_of_an_officer_from_an_untrusted_authority_is_refused() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let rogue = nation("GBR");
    let impostor = officer(&cell.relay, &rogue, "gbr.impostor", "NATO SECRET");
    let package = run(cell.admin.relay.claim_key_package(&impostor.id)).unwrap();
    craft_commit(&mut cell.admin, &ch, Hostile::Add(&package));
    assert_refused(&mut [&mut cell.fr, &mut cell.de], &ch, |e| {
        matches!(e, EngineError::Rule(RuleViolation::Credential { .. }))
    });
}

#[test]
fn rule3_tightening_that_keeps_a_non_compliant_member_is_refused() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let tighter = cell
        .admin
        .engine
        .policy(&ch)
        .unwrap()
        .with_labels(
            label("NATO SECRET//REL TO FRA, GBR"),
            label("NATO RESTRICTED//REL TO FRA, GBR"),
        )
        .unwrap();
    // DEU no longer complies but the commit does not remove them.
    craft_commit(&mut cell.admin, &ch, Hostile::Policy(tighter.encode()));
    assert_refused(&mut [&mut cell.fr, &mut cell.de], &ch, |e| {
        matches!(
            e,
            EngineError::Rule(RuleViolation::TighteningIncomplete { .. })
        )
    });
    assert_channel_still_works(&mut cell);
}

#[test]
fn rule4_message_without_a_binding_or_with_an_unknown_policy_is_refused() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let env = envelope(label(DEFAULT).to_bytes(), Precedence::Routine, "no binding");
    let payload = signed(&cell.fr, &env);
    let bytes = craft_application(&mut cell.fr, &ch, Vec::new(), payload);
    cell.relay.inject(&ch.0, bytes);
    assert_refused(&mut [&mut cell.admin, &mut cell.de], &ch, |e| {
        matches!(e, EngineError::Rule(RuleViolation::MalformedPayload(_)))
    });
    // A label of a policy nobody here knows.
    let mut unknown = label(DEFAULT).to_bytes();
    let at = unknown.windows(4).position(|w| w == b"NATO").unwrap();
    unknown[at] = b'X';
    let env = envelope(unknown, Precedence::Routine, "unknown policy");
    let payload = signed(&cell.fr, &env);
    let bytes = craft_application(&mut cell.fr, &ch, env.binding().encode(), payload);
    cell.relay.inject(&ch.0, bytes);
    assert_refused(&mut [&mut cell.admin, &mut cell.de], &ch, |e| {
        matches!(e, EngineError::Rule(RuleViolation::InvalidLabel(_)))
    });
    assert_channel_still_works(&mut cell);
}

#[test]
fn an_envelope_signed_for_another_channel_or_epoch_is_refused() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let epoch = cell.fr.engine.epoch(&ch).unwrap();
    let elsewhere = [
        // Replayed from another channel: same epoch, other group.
        liaison_proto::EnvelopeContext {
            group_id: vec![0xEE; ch.0.len()],
            epoch,
        },
        // Moved to another place in this channel.
        liaison_proto::EnvelopeContext {
            group_id: ch.0.clone(),
            epoch: epoch + 1,
        },
    ];
    for context in elsewhere {
        let mut env = envelope(label(DEFAULT).to_bytes(), Precedence::Routine, "moved");
        env.context = Some(context);
        let payload = signed(&cell.fr, &env);
        let bytes = craft_application(&mut cell.fr, &ch, env.binding().encode(), payload);
        cell.relay.inject(&ch.0, bytes);
        assert_refused(&mut [&mut cell.admin, &mut cell.de], &ch, |e| {
            matches!(e, EngineError::Rule(RuleViolation::ContextMismatch { .. }))
        });
    }
    assert_channel_still_works(&mut cell);
}

#[test]
fn a_sent_envelope_names_its_channel_and_epoch() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let id = cell.fr.engine.send(&ch, Draft::text("bound")).unwrap();
    let stored: Vec<u8> = cell
        .fr
        .engine
        .store
        .connection()
        .query_row(
            "SELECT envelope FROM messages WHERE message_id = ?1",
            [id.0.as_slice()],
            |row| row.get(0),
        )
        .unwrap();
    let envelope = Envelope::decode(&stored).unwrap();
    let context = envelope.context.unwrap();
    assert_eq!(context.group_id, ch.0);
    assert_eq!(context.epoch, cell.fr.engine.epoch(&ch).unwrap());
    assert!(
        cell.fr
            .engine
            .message(&ch, id)
            .unwrap()
            .unwrap()
            .context_signed
    );
}

#[test]
fn rule5_binding_that_differs_from_the_envelope_label_is_refused() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    // The relay-visible label says RESTRICTED, the envelope says SECRET.
    let env = envelope(
        label(CEILING).to_bytes(),
        Precedence::Routine,
        "mislabelled",
    );
    let mut binding = env.binding();
    binding.label = label(DEFAULT).to_bytes();
    let payload = signed(&cell.fr, &env);
    let bytes = craft_application(&mut cell.fr, &ch, binding.encode(), payload);
    cell.relay.inject(&ch.0, bytes);
    assert_refused(&mut [&mut cell.admin, &mut cell.de], &ch, |e| {
        matches!(e, EngineError::Rule(RuleViolation::BindingMismatch))
    });
    assert_channel_still_works(&mut cell);
}

#[test]
fn rule5_envelope_signed_by_another_key_is_refused() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let env = envelope(label(DEFAULT).to_bytes(), Precedence::Routine, "forged");
    // Signed by the DEU officer's key but sent by FRA.
    let payload = signed(&cell.de, &env);
    let bytes = craft_application(&mut cell.fr, &ch, env.binding().encode(), payload);
    cell.relay.inject(&ch.0, bytes);
    assert_refused(&mut [&mut cell.admin, &mut cell.de], &ch, |e| {
        matches!(e, EngineError::Rule(RuleViolation::BadEnvelopeSignature))
    });
}

#[test]
fn rule6_reply_below_its_source_label_is_refused() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let source = cell
        .admin
        .engine
        .send(
            &ch,
            Draft {
                label: Some(label(CEILING)),
                ..Draft::text("source")
            },
        )
        .unwrap();
    cell.admin.flush();
    for o in [&mut cell.fr, &mut cell.de] {
        o.sync();
    }
    let mut env = envelope(
        label(DEFAULT).to_bytes(),
        Precedence::Routine,
        "downgraded reply",
    );
    env.reference = Some(Reference {
        kind: ReferenceKind::Reply,
        message_id: source,
        // It even lies about the source's label: receivers hold the source.
        label: label(DEFAULT).to_bytes(),
    });
    let payload = signed(&cell.fr, &env);
    let bytes = craft_application(&mut cell.fr, &ch, env.binding().encode(), payload);
    cell.relay.inject(&ch.0, bytes);
    assert_refused(&mut [&mut cell.admin, &mut cell.de], &ch, |e| {
        matches!(
            e,
            EngineError::Rule(RuleViolation::InheritanceBroken { .. })
        )
    });
}

#[test]
fn rule8_precedence_in_the_binding_must_match_the_envelope() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let env = envelope(
        label(DEFAULT).to_bytes(),
        Precedence::Flash,
        "FLASH hidden as ROUTINE",
    );
    let binding = Binding {
        precedence: Precedence::Routine,
        ..env.binding()
    };
    let payload = signed(&cell.fr, &env);
    let bytes = craft_application(&mut cell.fr, &ch, binding.encode(), payload);
    cell.relay.inject(&ch.0, bytes);
    assert_refused(&mut [&mut cell.admin, &mut cell.de], &ch, |e| {
        matches!(e, EngineError::Rule(RuleViolation::BindingMismatch))
    });
}

#[test]
fn rule9_add_committed_by_a_non_admin_is_refused_by_every_member() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let newcomer = officer(&cell.relay, &cell.fra, "fra.newcomer", "NATO SECRET");
    let package = run(cell.fr.relay.claim_key_package(&newcomer.id)).unwrap();
    craft_commit(&mut cell.fr, &ch, Hostile::Add(&package));
    assert_refused(&mut [&mut cell.admin, &mut cell.de], &ch, |e| {
        matches!(e, EngineError::Rule(RuleViolation::NotAdmin { .. }))
    });
}

#[test]
fn rule9_non_admin_cannot_promote_itself() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let promoted = cell
        .fr
        .engine
        .policy(&ch)
        .unwrap()
        .with_admin("fra.officer", true)
        .unwrap();
    craft_commit(&mut cell.fr, &ch, Hostile::Policy(promoted.encode()));
    assert_refused(&mut [&mut cell.admin, &mut cell.de], &ch, |e| {
        matches!(e, EngineError::Rule(RuleViolation::NotAdmin { .. }))
    });
}

#[test]
fn rule9_non_admin_cannot_remove_another_member() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let de_leaf = cell
        .fr
        .engine
        .members(&ch)
        .unwrap()
        .into_iter()
        .find(|m| m.officer_id == "deu.officer")
        .unwrap()
        .leaf_index;
    craft_commit(
        &mut cell.fr,
        &ch,
        Hostile::Remove(LeafNodeIndex::new(de_leaf)),
    );
    assert_refused(&mut [&mut cell.admin, &mut cell.de], &ch, |e| {
        matches!(e, EngineError::Rule(RuleViolation::NotAdmin { .. }))
    });
}

#[test]
fn refused_commit_leaves_the_group_usable_for_the_next_valid_message() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let promoted = cell
        .fr
        .engine
        .policy(&ch)
        .unwrap()
        .with_admin("fra.officer", true)
        .unwrap();
    craft_commit(&mut cell.fr, &ch, Hostile::Policy(promoted.encode()));
    let results = cell.de.receive_all(&ch);
    assert!(results.last().unwrap().is_err());
    assert_eq!(cell.de.engine.epoch(&ch).unwrap(), 1);
    // A message from the current epoch still decrypts.
    cell.admin.engine.epoch(&ch).unwrap();
    let id = cell.admin.engine.send(&ch, Draft::text("valid")).unwrap();
    cell.admin.flush();
    let results = cell.de.receive_all(&ch);
    assert!(matches!(results.last().unwrap(), Ok(Received::Message(got)) if *got == id));
}
