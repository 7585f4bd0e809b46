//! Labelled messages between members: delivery, labels, past epochs,
//! redelivery, acknowledgements, inheritance.

use liaison_proto::{Precedence, ReferenceKind, TrafficKind};

use super::harness::*;
use crate::engine::{Draft, Received};
use crate::{EngineError, RuleViolation};

#[test]
fn three_nations_exchange_labelled_messages_intact() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    assert_eq!(cell.fr.engine.epoch(&ch).unwrap(), 1);
    let secret = label("NATO SECRET//REL TO DEU, FRA, GBR");
    cell.admin
        .engine
        .send(
            &ch,
            Draft {
                label: Some(secret.clone()),
                ..Draft::text("Convoy crosses at 0400Z")
            },
        )
        .unwrap();
    cell.admin.flush();
    cell.fr.sync();
    cell.fr
        .engine
        .send(&ch, Draft::text("Reçu, merci"))
        .unwrap();
    cell.fr.flush();
    cell.de.sync();
    cell.de.engine.send(&ch, Draft::text("Verstanden")).unwrap();
    cell.de.flush();
    for officer in [&mut cell.admin, &mut cell.fr, &mut cell.de] {
        officer.sync();
        let messages = officer.engine.messages(&ch).unwrap();
        let bodies: Vec<_> = messages.iter().map(|m| m.body.as_str()).collect();
        assert_eq!(
            bodies,
            ["Convoy crosses at 0400Z", "Reçu, merci", "Verstanden"]
        );
        assert_eq!(messages[0].label, secret);
        assert_eq!(messages[0].sender_id, "gbr.admin");
        assert_eq!(messages[0].sender_nation, "GBR");
        // No label given: the channel default (rule 4).
        assert_eq!(messages[1].label, label(DEFAULT));
        assert_eq!(
            messages[1].portion_marking,
            label(DEFAULT).portion_marking()
        );
        assert!(messages.iter().all(|m| m.seq.is_some()));
    }
}

#[test]
fn message_above_the_ceiling_is_refused_before_sending() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let error = cell
        .fr
        .engine
        .send(
            &ch,
            Draft {
                label: Some(label("COSMIC TOP SECRET//REL TO DEU, FRA, GBR")),
                ..Draft::text("too high")
            },
        )
        .unwrap_err();
    assert!(matches!(
        error,
        EngineError::Rule(RuleViolation::AboveCeiling { .. })
    ));
    // NATO SECRET without REL TO is releasable to all NATO nations: the
    // ceiling's narrower REL TO does not dominate it... but it is dominated:
    // broader releasability is allowed. A label releasable only to GBR is not.
    let error = cell
        .fr
        .engine
        .send(
            &ch,
            Draft {
                label: Some(label("NATO SECRET//REL TO GBR")),
                ..Draft::text("GBR eyes only")
            },
        )
        .unwrap_err();
    assert!(matches!(
        error,
        EngineError::Rule(RuleViolation::AboveCeiling { .. })
    ));
    assert!(cell.fr.engine.outbox().unwrap().is_empty());
    assert!(cell.fr.engine.messages(&ch).unwrap().is_empty());
}

#[test]
fn batch_of_drafts_is_sent_in_order_and_arrives_intact() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let secret = label("NATO SECRET//REL TO DEU, FRA, GBR");
    let results = cell
        .fr
        .engine
        .send_batch(
            &ch,
            vec![
                Draft::text("first"),
                Draft {
                    label: Some(secret.clone()),
                    ..Draft::text("second")
                },
                Draft::text("third"),
            ],
        )
        .unwrap();
    let ids: Vec<_> = results.into_iter().map(Result::unwrap).collect();
    assert_eq!(cell.fr.engine.outbox().unwrap().len(), 3);
    assert_eq!(cell.fr.bodies(&ch), ["first", "second", "third"]);
    cell.fr.flush();
    cell.de.sync();
    let received = cell.de.engine.messages(&ch).unwrap();
    let received_ids: Vec<_> = received.iter().map(|m| m.message_id).collect();
    assert_eq!(received_ids, ids);
    assert_eq!(received[1].label, secret);
    assert!(received.iter().all(|m| m.sender_id == "fra.officer"));
}

#[test]
fn draft_breaking_a_rule_is_refused_alone_in_a_batch() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let results = cell
        .fr
        .engine
        .send_batch(
            &ch,
            vec![
                Draft::text("before"),
                Draft {
                    label: Some(label("COSMIC TOP SECRET//REL TO DEU, FRA, GBR")),
                    ..Draft::text("too high")
                },
                Draft::text("after"),
            ],
        )
        .unwrap();
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[2].is_ok());
    assert!(matches!(
        results[1],
        Err(EngineError::Rule(RuleViolation::AboveCeiling { .. }))
    ));
    assert_eq!(cell.fr.engine.outbox().unwrap().len(), 2);
    cell.fr.flush();
    cell.admin.sync();
    assert_eq!(cell.admin.bodies(&ch), ["before", "after"]);
}

#[test]
fn empty_batch_sends_nothing() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    assert!(
        cell.fr
            .engine
            .send_batch(&ch, Vec::new())
            .unwrap()
            .is_empty()
    );
    assert!(cell.fr.engine.outbox().unwrap().is_empty());
}

#[test]
fn message_from_a_recent_past_epoch_still_decrypts() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    // FRA writes at epoch 1 but its message reaches the relay after the
    // admin's commit has moved the group to epoch 2.
    cell.fr
        .engine
        .send(&ch, Draft::text("sent at epoch 1"))
        .unwrap();
    cell.admin
        .engine
        .set_admin(&ch, "fra.officer", true)
        .unwrap();
    cell.admin.flush();
    cell.fr.flush();
    assert_eq!(cell.relay.epoch(&ch.0), 2);
    cell.de.sync();
    cell.admin.sync();
    assert_eq!(cell.de.engine.epoch(&ch).unwrap(), 2);
    assert_eq!(cell.de.bodies(&ch), ["sent at epoch 1"]);
    assert_eq!(cell.admin.bodies(&ch), ["sent at epoch 1"]);
}

#[test]
fn redelivered_message_is_recognised_and_ignored() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    cell.admin.engine.send(&ch, Draft::text("once")).unwrap();
    cell.admin.flush();
    let delivery = cell.relay.connect("x");
    let log = run(crate::DeliveryService::fetch(&delivery, &ch.0, 0, 100)).unwrap();
    let last = log.last().unwrap().clone();
    assert!(cell.fr.engine.receive(&log[0]).is_ok());
    assert!(matches!(
        cell.fr.engine.receive(&last),
        Ok(Received::Message(_))
    ));
    // Same position again.
    assert_eq!(cell.fr.engine.receive(&last).unwrap(), Received::Duplicate);
    // Same bytes at a new position (a relay that replays).
    let seq = cell.relay.inject(&ch.0, last.message.clone());
    let replay = liaison_proto::Delivery { seq, ..last };
    assert_eq!(
        cell.fr.engine.receive(&replay).unwrap(),
        Received::Duplicate
    );
    assert_eq!(cell.fr.bodies(&ch), ["once"]);
    // The state is unharmed: the next message decrypts.
    cell.admin.engine.send(&ch, Draft::text("twice")).unwrap();
    cell.admin.flush();
    cell.fr.sync();
    assert_eq!(cell.fr.bodies(&ch), ["once", "twice"]);
}

#[test]
fn flash_message_asks_for_acknowledgements_which_are_recorded() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let id = cell
        .admin
        .engine
        .send(
            &ch,
            Draft {
                precedence: Precedence::Flash,
                kind: TrafficKind::Exercise,
                ..Draft::text("EXERCISE EXERCISE EXERCISE: checkpoint closed")
            },
        )
        .unwrap();
    cell.admin.flush();
    cell.fr.sync();
    cell.de.sync();
    assert_eq!(cell.fr.engine.awaiting_acknowledgement(&ch).unwrap(), [id]);
    let stored = &cell.fr.engine.messages(&ch).unwrap()[0];
    assert_eq!(stored.precedence, Precedence::Flash);
    assert_eq!(stored.kind, TrafficKind::Exercise);
    cell.fr.engine.acknowledge(&ch, id).unwrap();
    cell.fr.flush();
    assert!(
        cell.fr
            .engine
            .awaiting_acknowledgement(&ch)
            .unwrap()
            .is_empty()
    );
    cell.admin.sync();
    let acks = cell.admin.engine.acknowledgements(&ch, id).unwrap();
    assert_eq!(acks.len(), 1);
    assert_eq!(acks[0].officer_id, "fra.officer");
    // DEU has not acknowledged yet and is still asked to.
    assert_eq!(cell.de.engine.awaiting_acknowledgement(&ch).unwrap(), [id]);
    // A routine message asks for nothing.
    cell.admin.engine.send(&ch, Draft::text("routine")).unwrap();
    cell.admin.flush();
    cell.de.sync();
    assert_eq!(cell.de.engine.awaiting_acknowledgement(&ch).unwrap(), [id]);
}

#[test]
fn reply_must_carry_at_least_its_source_label() {
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
    cell.fr.sync();
    let error = cell
        .fr
        .engine
        .send(
            &ch,
            Draft {
                reference: Some((ReferenceKind::Reply, source)),
                ..Draft::text("reply at the default label")
            },
        )
        .unwrap_err();
    assert!(matches!(
        error,
        EngineError::Rule(RuleViolation::InheritanceBroken { .. })
    ));
    cell.fr
        .engine
        .send(
            &ch,
            Draft {
                label: Some(label(CEILING)),
                reference: Some((ReferenceKind::Reply, source)),
                ..Draft::text("reply at the source label")
            },
        )
        .unwrap();
    cell.fr.flush();
    cell.de.sync();
    let messages = cell.de.engine.messages(&ch).unwrap();
    assert_eq!(messages[1].reference, Some((ReferenceKind::Reply, source)));
}

#[test]
fn message_older_than_the_past_epoch_window_is_refused_without_damage() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    cell.fr
        .engine
        .send(&ch, Draft::text("far too late"))
        .unwrap();
    let commits = u64::try_from(crate::MAX_PAST_EPOCHS).unwrap() + 1;
    for round in 0..commits {
        let admin = round % 2 == 0;
        super::membership::commit_now(&mut cell.admin, &ch, |e, ch| {
            e.set_admin(ch, "deu.officer", admin)
        });
    }
    cell.fr.flush();
    cell.de.sync();
    assert_eq!(cell.de.engine.epoch(&ch).unwrap(), 1 + commits);
    assert!(cell.de.bodies(&ch).is_empty());
    let audit = cell
        .de
        .engine
        .store
        .audit_log(crate::store::AuditScope::All, None, 100)
        .unwrap();
    assert!(audit.iter().any(|e| e.event == "delivery.refused"));
    // The channel still works for everyone.
    cell.fr.sync();
    cell.fr.engine.send(&ch, Draft::text("current")).unwrap();
    cell.fr.flush();
    cell.de.sync();
    assert_eq!(cell.de.bodies(&ch), ["current"]);
}

#[test]
fn one_message_is_found_by_its_id_and_only_in_its_channel() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let id = cell
        .admin
        .engine
        .send(
            &ch,
            Draft {
                precedence: Precedence::Flash,
                ..Draft::text("Checkpoint K7 closed")
            },
        )
        .unwrap();
    cell.admin.flush();
    cell.fr.sync();
    let found = cell.fr.engine.message(&ch, id).unwrap().unwrap();
    assert_eq!(found.message_id, id);
    assert_eq!(found.body, "Checkpoint K7 closed");
    assert_eq!(found.precedence, Precedence::Flash);
    assert_eq!(found.sender_id, "gbr.admin");
    let other = crate::ChannelId(vec![0; 16]);
    assert!(cell.fr.engine.message(&other, id).unwrap().is_none());
    let unknown = crate::MessageId([7; 16]);
    assert!(cell.fr.engine.message(&ch, unknown).unwrap().is_none());
}
