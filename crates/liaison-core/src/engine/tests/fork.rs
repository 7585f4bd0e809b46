//! A relay that gives members different commits for the same epoch splits
//! the channel into branches whose members can no longer read each other.
//! Every message carries its sender's epoch authenticator (the binding's
//! epoch check), so the first message across branches is refused as a fork,
//! named as such and audited, instead of passing for an undecryptable one.

use liaison_proto::Delivery;

use super::harness::*;
use crate::engine::{ChannelId, Draft, Received};
use crate::test_support::hostile::{Hostile, craft_from_store};
use crate::{DeliveryService as _, EngineError, HistoryOnRemoval, RuleViolation};

/// Delivers `message` to `officer` as the relay's next position.
fn deliver(
    officer: &mut Officer,
    ch: &ChannelId,
    message: Vec<u8>,
) -> Result<Received, EngineError> {
    let seq = officer.engine.cursor(ch).unwrap() + 1;
    officer.engine.receive(&Delivery {
        group_id: ch.0.clone(),
        seq,
        message,
    })
}

/// The last message `officer` queued.
fn last_queued(officer: &Officer) -> Vec<u8> {
    officer.engine.outbox().unwrap().pop().unwrap().message
}

/// A valid, stamped policy change for the admin's current epoch, made from
/// its state on the side (the admin's own state does not move): what a
/// relay that forks a channel hands some members instead of the commit it
/// orders for the others.
fn side_commit(admin: &mut Officer, ch: &ChannelId) -> Vec<u8> {
    let policy = admin.engine.policy(ch).unwrap();
    let other = policy.with_retention(Some(2), HistoryOnRemoval::Keep);
    let stamp = liaison_rules::stamp_at(std::time::SystemTime::now()).encode();
    let engine = &admin.engine;
    let what = Hostile::Policy(other.encode());
    craft_from_store(engine, ch, engine.device_key(), what, stamp).message
}

#[test]
fn a_relay_that_gives_members_different_commits_is_caught_at_the_first_message() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    cell.admin.sync();
    let epoch = cell.admin.engine.epoch(&ch).unwrap();
    let policy = cell.admin.engine.policy(&ch).unwrap();

    // Commit Y, valid and stamped, made from the admin's state on the side.
    let y = side_commit(&mut cell.admin, &ch);
    // Commit X, the admin's own for the same epoch.
    cell.admin
        .engine
        .change_policy(&ch, policy.with_retention(Some(1), HistoryOnRemoval::Keep))
        .unwrap();
    let x = last_queued(&cell.admin);

    // The malicious relay orders X for FRA and Y for DEU: each is valid.
    assert!(matches!(
        deliver(&mut cell.fr, &ch, x),
        Ok(Received::Commit { .. })
    ));
    assert!(matches!(
        deliver(&mut cell.de, &ch, y),
        Ok(Received::Commit { .. })
    ));
    assert_eq!(cell.fr.engine.epoch(&ch).unwrap(), epoch + 1);
    assert_eq!(cell.de.engine.epoch(&ch).unwrap(), epoch + 1);

    // Within that epoch, the first message across the branches says so.
    cell.fr.engine.send(&ch, Draft::text("Bonjour")).unwrap();
    let from_fr = last_queued(&cell.fr);
    let error = deliver(&mut cell.de, &ch, from_fr).unwrap_err();
    assert!(
        matches!(
            error,
            EngineError::Rule(RuleViolation::ForkDetected { epoch: e }) if e == epoch + 1
        ),
        "{error:?}"
    );
    cell.de.engine.send(&ch, Draft::text("Guten Tag")).unwrap();
    let from_de = last_queued(&cell.de);
    assert!(matches!(
        deliver(&mut cell.fr, &ch, from_de),
        Err(EngineError::Rule(RuleViolation::ForkDetected { .. }))
    ));
    for officer in [&cell.fr, &cell.de] {
        let audit = officer
            .engine
            .store()
            .audit_log(crate::AuditScope::Group(&ch.0), None, 20)
            .unwrap();
        assert!(
            audit.iter().any(|e| e.event == "channel.fork_detected"),
            "{} did not record the fork",
            officer.id
        );
    }
}

/// A cell where everyone is in step at the returned epoch, and the admin
/// has just had a policy change ordered by the relay (nobody else has read
/// it yet).
fn cell_with_a_new_commit() -> (Cell, ChannelId, u64) {
    let mut cell = cell();
    let ch = cell.channel.clone();
    for officer in [&mut cell.admin, &mut cell.fr, &mut cell.de] {
        officer.sync();
    }
    let epoch = cell.de.engine.epoch(&ch).unwrap();
    let policy = cell.admin.engine.policy(&ch).unwrap();
    cell.admin
        .engine
        .change_policy(&ch, policy.with_retention(Some(3), HistoryOnRemoval::Keep))
        .unwrap();
    cell.admin.flush();
    (cell, ch, epoch)
}

#[test]
fn a_relay_that_withholds_a_commit_from_one_member_is_noticed_at_the_next_epochs_first_message() {
    let (mut cell, ch, epoch) = cell_with_a_new_commit();
    cell.fr.sync();
    assert_eq!(cell.fr.engine.epoch(&ch).unwrap(), epoch + 1);
    cell.fr.engine.send(&ch, Draft::text("Bonjour")).unwrap();
    cell.fr.flush();

    // The relay gives DEU everything after its cursor but the commit.
    let cursor = cell.de.engine.cursor(&ch).unwrap();
    let backlog: Vec<Delivery> = run(cell.de.relay.fetch(&ch.0, cursor, 100)).unwrap();
    let commit_seq = backlog.first().unwrap().seq;
    let without_commit: Vec<Delivery> = backlog
        .iter()
        .filter(|d| d.seq != commit_seq)
        .cloned()
        .collect();
    assert_eq!(without_commit.len(), 1);
    let refusals = |officer: &Officer| {
        officer
            .engine
            .store()
            .audit_log(crate::AuditScope::Group(&ch.0), None, 100)
            .unwrap()
            .iter()
            .filter(|e| e.event == "delivery.refused")
            .count()
    };
    let refused_before = refusals(&cell.de);
    for _ in 0..3 {
        let results = cell.de.engine.receive_batch(&without_commit);
        assert!(
            matches!(
                results.as_slice(),
                [Err(EngineError::Rule(RuleViolation::CommitWithheld { ours, theirs }))]
                    if *ours == epoch && *theirs == epoch + 1
            ),
            "{results:?}"
        );
    }
    // Named as such, once; the message is not consumed.
    assert_eq!(cell.de.engine.withheld(&ch), Some((epoch, epoch + 1)));
    assert_eq!(cell.de.engine.cursor(&ch).unwrap(), cursor);
    let audit = cell
        .de
        .engine
        .store()
        .audit_log(crate::AuditScope::Group(&ch.0), None, 20)
        .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.event == "channel.commit_withheld")
            .count(),
        1
    );
    assert_eq!(
        refusals(&cell.de),
        refused_before,
        "the message was refused"
    );

    // Once the relay delivers the commit, the waiting message reads.
    let report = cell.de.pull(&ch);
    assert!(report.withheld.is_empty());
    assert_eq!(cell.de.engine.epoch(&ch).unwrap(), epoch + 1);
    assert_eq!(
        cell.de.bodies(&ch).last().map(String::as_str),
        Some("Bonjour")
    );
    assert_eq!(cell.de.engine.withheld(&ch), None);
}

#[test]
fn a_pull_reports_the_withheld_commit() {
    let (mut cell, ch, epoch) = cell_with_a_new_commit();
    // DEU is taken past the commit by hand (as a relay that skipped it for
    // DEU would leave it): its cursor is after the commit's position.
    let commit_seq = run(cell
        .de
        .relay
        .fetch(&ch.0, cell.de.engine.cursor(&ch).unwrap(), 1))
    .unwrap()
    .first()
    .unwrap()
    .seq;
    cell.de.engine.set_cursor(&ch, commit_seq).unwrap();
    cell.fr.sync();
    cell.fr.engine.send(&ch, Draft::text("Bonjour")).unwrap();
    cell.fr.flush();
    let report = cell.de.pull(&ch);
    assert_eq!(report.withheld, vec![(ch.clone(), epoch, epoch + 1)]);
    assert_eq!(report.refused, 0);
    assert!(!cell.de.bodies(&ch).contains(&"Bonjour".to_owned()));
}

#[test]
fn a_forked_member_is_added_back_by_an_admin_and_shows_the_gap() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    for officer in [&mut cell.admin, &mut cell.fr, &mut cell.de] {
        officer.sync();
    }
    let epoch = cell.de.engine.epoch(&ch).unwrap();
    let y = side_commit(&mut cell.admin, &ch);
    // X, the admin's own, is ordered by the relay; the malicious relay
    // gives DEU Y at X's position instead.
    let policy = cell.admin.engine.policy(&ch).unwrap();
    cell.admin
        .engine
        .change_policy(&ch, policy.with_retention(Some(1), HistoryOnRemoval::Keep))
        .unwrap();
    cell.admin.flush();
    assert_eq!(cell.admin.engine.epoch(&ch).unwrap(), epoch + 1);
    let cursor = cell.de.engine.cursor(&ch).unwrap();
    let x_seq = run(cell.de.relay.fetch(&ch.0, cursor, 1)).unwrap()[0].seq;
    assert!(matches!(
        cell.de.engine.receive(&Delivery {
            group_id: ch.0.clone(),
            seq: x_seq,
            message: y,
        }),
        Ok(Received::Commit { .. })
    ));
    cell.fr.sync();

    // Each side speaks in epoch + 1; each finds the fork at the other's
    // message, and the members ask the admins to add them back.
    cell.de.engine.send(&ch, Draft::text("Guten Tag")).unwrap();
    cell.de.flush();
    cell.fr.engine.send(&ch, Draft::text("Bonjour")).unwrap();
    cell.fr.flush();
    cell.de.sync();
    cell.fr.sync();
    for officer in [&cell.de, &cell.fr] {
        let fork = officer.engine.fork(&ch).unwrap().unwrap();
        assert_eq!(fork.epoch, epoch + 1, "{}", officer.id);
        assert!(fork.requested, "{} did not ask", officer.id);
    }
    assert!(!cell.de.bodies(&ch).contains(&"Bonjour".to_owned()));

    // The admin re-adds DEU, whose branch differs from its own, and
    // declines FRA, who holds the admins' branch.
    let report = run(crate::sync(&mut cell.admin.engine, &cell.admin.relay)).unwrap();
    assert_eq!(
        report.repair.readded,
        vec![(ch.clone(), "deu.officer".to_owned())]
    );
    assert_eq!(report.repair.declined, 1);
    assert!(report.repair.requested.is_empty(), "an admin asks nobody");
    assert_eq!(cell.admin.engine.fork(&ch).unwrap(), None);
    assert_eq!(cell.admin.engine.epoch(&ch).unwrap(), epoch + 2);

    // DEU joins from the Welcome, drops its branch, and keeps a gap.
    cell.de.sync();
    assert_eq!(cell.de.engine.fork(&ch).unwrap(), None);
    assert_eq!(cell.de.engine.epoch(&ch).unwrap(), epoch + 2);
    let gaps = cell.de.engine.gaps(&ch).unwrap();
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0].fork_epoch, epoch + 1);
    assert_eq!(gaps[0].rejoined_epoch, epoch + 2);
    assert_eq!(
        gaps[0].detected_seq,
        x_seq + 2,
        "the fork showed at Bonjour"
    );
    let audit = cell
        .de
        .engine
        .store()
        .audit_log(crate::AuditScope::Group(&ch.0), None, 100)
        .unwrap();
    assert!(audit.iter().any(|e| e.event == "channel.rejoined"));
    // Its history before the fork, and its own unread message, stay.
    assert!(cell.de.bodies(&ch).contains(&"Guten Tag".to_owned()));

    // FRA merges the admin's commit: its fork is settled, with no gap.
    cell.fr.sync();
    assert_eq!(cell.fr.engine.fork(&ch).unwrap(), None);
    assert!(cell.fr.engine.gaps(&ch).unwrap().is_empty());
    assert_eq!(cell.fr.engine.epoch(&ch).unwrap(), epoch + 2);

    // One channel again: everyone reads everyone.
    cell.admin
        .engine
        .send(&ch, Draft::text("Welcome back"))
        .unwrap();
    cell.admin.flush();
    cell.de.engine.send(&ch, Draft::text("Danke")).unwrap();
    cell.de.flush();
    for officer in [&mut cell.admin, &mut cell.fr, &mut cell.de] {
        officer.sync();
    }
    assert!(cell.de.bodies(&ch).contains(&"Welcome back".to_owned()));
    assert!(cell.fr.bodies(&ch).contains(&"Danke".to_owned()));
    assert!(cell.admin.bodies(&ch).contains(&"Danke".to_owned()));
    // Nothing more to repair: the answered requests are not judged again.
    let report = run(crate::sync(&mut cell.admin.engine, &cell.admin.relay)).unwrap();
    assert_eq!(report.repair, crate::RepairReport::default());
}

#[test]
fn a_rejoin_request_not_signed_by_the_named_member_is_refused() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    cell.admin.sync();
    let epoch = cell.admin.engine.epoch(&ch).unwrap();
    let claim = liaison_proto::rejoin::RejoinClaim {
        group_id: ch.0.clone(),
        epoch,
        authenticator: vec![0; liaison_proto::EPOCH_CHECK_LEN],
    };
    // FRA signs a request that the relay files under DEU's name.
    let signature = cell.fr.engine.signer.key().sign(&claim.signing_input());
    let forged = liaison_proto::rejoin::RejoinRequest {
        claim,
        signature: signature.to_vec(),
    }
    .encode();
    let verdict = cell
        .admin
        .engine
        .judge_rejoin(&ch, "deu.officer", &forged)
        .unwrap();
    assert!(
        matches!(verdict, crate::RejoinVerdict::Refused(_)),
        "{verdict:?}"
    );
    // Under FRA's own name it verifies, and its branch is not ours.
    assert!(matches!(
        cell.admin
            .engine
            .judge_rejoin(&ch, "fra.officer", &forged)
            .unwrap(),
        crate::RejoinVerdict::Readd { .. }
    ));
    assert!(matches!(
        cell.admin
            .engine
            .judge_rejoin(&ch, "fra.officer", b"garbage")
            .unwrap(),
        crate::RejoinVerdict::Refused(_)
    ));
}
