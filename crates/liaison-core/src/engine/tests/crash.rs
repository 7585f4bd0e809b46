//! Interrupted work: a transaction aborted between steps, the database
//! reopened, and nothing lost or decrypted twice.

use liaison_proto::{Delivery, Submission};

use super::harness::*;
use crate::DeliveryService;
use crate::engine::{Draft, Received, txn};

fn relay_log(cell: &Cell) -> Vec<Delivery> {
    run(cell
        .relay
        .connect("reader")
        .fetch(&cell.channel.0, 0, 10_000))
    .unwrap()
}

#[test]
fn receive_aborted_after_decryption_loses_nothing_and_decrypts_once() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    cell.admin
        .engine
        .send(&ch, Draft::text("survives the crash"))
        .unwrap();
    cell.admin.flush();
    let delivery = relay_log(&cell).last().unwrap().clone();
    // Decrypt inside a transaction (the MLS secret tree advances and the
    // message key is deleted), then "crash" before the commit.
    let conn = cell.fr.engine.store.connection();
    txn::begin(conn, "receive").unwrap();
    let received = cell.fr.engine.process(&ch, &delivery).unwrap();
    assert!(matches!(received, Received::Message(_)));
    let fr = cell.fr.reopen();
    cell.fr = fr;
    assert!(cell.fr.bodies(&ch).is_empty());
    // After the restart the same delivery decrypts (the key was not lost
    // with the aborted transaction) and is stored once.
    cell.fr.sync();
    assert_eq!(cell.fr.bodies(&ch), ["survives the crash"]);
    assert_eq!(
        cell.fr.engine.receive(&delivery).unwrap(),
        Received::Duplicate
    );
    cell.fr.sync();
    assert_eq!(cell.fr.bodies(&ch), ["survives the crash"]);
}

#[test]
fn unsent_message_waits_in_the_outbox_across_a_restart() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    cell.fr
        .engine
        .send(&ch, Draft::text("queued offline"))
        .unwrap();
    let fr = cell.fr.reopen();
    cell.fr = fr;
    assert_eq!(cell.fr.engine.outbox().unwrap().len(), 1);
    assert_eq!(cell.fr.bodies(&ch), ["queued offline"]);
    cell.fr.sync();
    assert!(cell.fr.engine.outbox().unwrap().is_empty());
    cell.de.sync();
    assert_eq!(cell.de.bodies(&ch), ["queued offline"]);
}

#[test]
fn crash_after_the_relay_accepted_a_message_delivers_it_once() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    cell.fr
        .engine
        .send(&ch, Draft::text("exactly once"))
        .unwrap();
    // The relay orders it, but we crash before recording that.
    let outgoing = cell.fr.engine.outbox().unwrap().remove(0);
    run(cell.fr.relay.submit(Submission {
        group_id: ch.0.clone(),
        message: outgoing.message,
        welcome: None,
    }))
    .unwrap();
    let fr = cell.fr.reopen();
    cell.fr = fr;
    // The restarted engine sends it again: the relay now holds it twice.
    cell.fr.sync();
    assert_eq!(relay_log(&cell).len(), 3);
    cell.de.sync();
    cell.admin.sync();
    assert_eq!(cell.de.bodies(&ch), ["exactly once"]);
    assert_eq!(cell.admin.bodies(&ch), ["exactly once"]);
    assert_eq!(cell.fr.bodies(&ch), ["exactly once"]);
}

#[test]
fn crash_after_the_relay_accepted_our_commit_merges_it_on_restart() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    let id = cell
        .admin
        .engine
        .set_admin(&ch, "fra.officer", true)
        .unwrap();
    let outgoing = cell
        .admin
        .engine
        .outbox()
        .unwrap()
        .into_iter()
        .find(|o| o.outbox_id == id)
        .unwrap();
    run(cell.admin.relay.submit(Submission {
        group_id: ch.0.clone(),
        message: outgoing.message,
        welcome: None,
    }))
    .unwrap();
    let admin = cell.admin.reopen();
    cell.admin = admin;
    assert_eq!(cell.admin.engine.epoch(&ch).unwrap(), 1);
    // Pulling finds our own commit in the log and merges the pending commit.
    let report = cell.admin.pull(&ch);
    assert_eq!(report.refused, 0);
    assert!(cell.admin.engine.outbox().unwrap().is_empty());
    cell.fr.sync();
    assert_eq!(cell.admin.engine.epoch(&ch).unwrap(), 2);
    assert_eq!(cell.fr.engine.epoch(&ch).unwrap(), 2);
    assert!(
        cell.admin
            .engine
            .policy(&ch)
            .unwrap()
            .is_admin("fra.officer")
    );
    // And the channel still works both ways.
    cell.admin
        .engine
        .send(&ch, Draft::text("after restart"))
        .unwrap();
    cell.admin.flush();
    cell.fr.sync();
    assert_eq!(cell.fr.bodies(&ch), ["after restart"]);
}

#[test]
fn send_aborted_before_commit_leaves_nothing_and_the_next_send_works() {
    let mut cell = cell();
    let ch = cell.channel.clone();
    // Encrypt inside the send transaction, then "crash" before the outbox
    // row and the commit: the ciphertext never left the process.
    cell.fr.engine.epoch(&ch).unwrap();
    txn::begin(cell.fr.engine.store.connection(), "send").unwrap();
    let binding = liaison_proto::Binding {
        epoch_check: None,
        message_id: liaison_proto::MessageId([1; 16]),
        label: label(DEFAULT).to_bytes(),
        precedence: liaison_proto::Precedence::Routine,
        kind: liaison_proto::TrafficKind::Operation,
    };
    cell.fr
        .engine
        .encrypt(
            &ch,
            &binding,
            &liaison_proto::Payload::Ack {
                message_id: binding.message_id,
            },
        )
        .unwrap();
    let fr = cell.fr.reopen();
    cell.fr = fr;
    assert!(cell.fr.engine.outbox().unwrap().is_empty());
    assert!(cell.fr.bodies(&ch).is_empty());
    cell.fr
        .engine
        .send(&ch, Draft::text("after the aborted send"))
        .unwrap();
    cell.fr.flush();
    cell.de.sync();
    assert_eq!(cell.de.bodies(&ch), ["after the aborted send"]);
}
