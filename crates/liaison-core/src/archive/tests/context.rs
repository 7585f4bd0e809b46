//! An archive binds each message to its place: a version 2 envelope names
//! the channel and the epoch under the sender's signature, so an archive
//! cannot move a genuinely signed message to another channel or epoch;
//! version 1 messages still read, marked. Revocation is checked against
//! the importer's own revocation lists too, not only the ones the exporter
//! chose to record.

use std::time::{Duration, SystemTime};

use liaison_identity::CertificateSerial;
use liaison_proto::{Envelope, EnvelopeContext, Precedence};

use super::export_import::{import, passphrase, scene};
use super::fixture::{DEFAULT, Identity, anchors, identity, label, message_id, now_ms, officer};
use crate::archive::Verification;
use crate::archive::bulk::{BulkMessage, insert_bulk_messages};
use liaison_rules::ChannelPolicy;

/// A message of `sender` whose envelope names `context`, signed.
fn placed(sender: &Identity, body: &str, context: Option<EnvelopeContext>) -> BulkMessage {
    let mut message = sender.bulk_message(
        message_id(),
        &label(DEFAULT),
        Precedence::Routine,
        body.to_owned(),
        now_ms(),
    );
    let mut envelope = Envelope::decode(&message.envelope).unwrap();
    envelope.context = context;
    message.envelope = envelope.encode();
    message.signature = sender
        .device()
        .sign(&Envelope::signing_input(&message.envelope));
    message
}

#[test]
fn an_archive_cannot_move_a_signed_message_to_another_channel_or_epoch() {
    let scene = scene(10);
    let sender = identity(&scene.nations[1], "fra.moreau", "NATO SECRET");
    let here = scene.channel.0.clone();
    // Bulk history is stored at epoch 0.
    let at = |group_id: &[u8], epoch| {
        Some(EnvelopeContext {
            group_id: group_id.to_vec(),
            epoch,
        })
    };
    let messages = [
        placed(&sender, "bound here", at(&here, 0)),
        placed(&sender, "from another channel", at(&[0xEE; 16], 0)),
        placed(&sender, "from another epoch", at(&here, 7)),
        placed(&sender, "older format", None),
    ];
    let conn = scene.exporter.engine.store().connection();
    insert_bulk_messages(conn, &scene.channel, &messages).unwrap();

    let path = scene.exporter.dir.path().join("moved.archive");
    assert_eq!(scene.export(&path, passphrase("pass")), 14);
    let (_, mut importer) = scene.importer();
    let report = import(&mut importer, &path, Some("pass")).unwrap();
    assert_eq!(
        (report.messages, report.verified, report.tampered),
        (14, 12, 2)
    );
    let stored = importer.engine.messages(&report.channel).unwrap();
    let state = |body: &str| {
        let m = stored.iter().find(|m| m.body == body).unwrap();
        (m.verification, m.context_signed)
    };
    assert_eq!(state("bound here"), (Verification::Verified, true));
    assert_eq!(state("older format"), (Verification::Verified, false));
    assert_eq!(state("from another channel").0, Verification::Tampered);
    assert_eq!(state("from another epoch").0, Verification::Tampered);
}

#[test]
fn import_checks_revocation_against_the_importers_own_lists() {
    let mut scene = scene(5);
    let sender = identity(&scene.nations[1], "fra.moreau", "NATO SECRET");
    let message = placed(&sender, "signed before the revocation", None);
    let conn = scene.exporter.engine.store().connection();
    insert_bulk_messages(conn, &scene.channel, &[message]).unwrap();
    let path = scene.exporter.dir.path().join("unrevoked.archive");
    // The exporter's recorded policy carries no revocation list.
    assert_eq!(scene.export(&path, passphrase("pass")), 6);

    // Without a list of its own, the importer verifies the sender.
    let (_, mut unaware) = scene.importer();
    let report = import(&mut unaware, &path, Some("pass")).unwrap();
    assert_eq!(report.verified, 6);

    // An importer whose live channel holds FRA's list revoking the sender.
    let serial = CertificateSerial::of_certificate(sender.chain.leaf()).unwrap();
    let fra = &mut scene.nations[1].authority;
    fra.revoke(&serial);
    let now = SystemTime::now();
    let crl = fra.crl(now, now + Duration::from_secs(7 * 86_400)).unwrap();
    let [gbr, fra, deu] = &scene.nations;
    let who = identity(fra, "fra.leroy", "NATO SECRET");
    let aware = officer(&who, None);
    let policy = ChannelPolicy::new(
        "Other cell",
        label(super::fixture::CEILING),
        label(DEFAULT),
        ["fra.leroy".to_owned()],
        anchors(&[gbr, fra, deu]).with_crl(crl).unwrap(),
    )
    .unwrap();
    aware.bulk_channel(&policy, &[]);
    let mut aware = aware;
    let report = import(&mut aware, &path, Some("pass")).unwrap();
    assert_eq!((report.verified, report.unverified), (5, 1));
    let stored = aware.engine.messages(&report.channel).unwrap();
    let revoked = stored
        .iter()
        .find(|m| m.body == "signed before the revocation")
        .unwrap();
    assert_eq!(revoked.verification, Verification::Unverified);
}
