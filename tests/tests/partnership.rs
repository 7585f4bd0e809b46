//! A partnership of three nations over the real relay: the channel is
//! opened, labelled traffic arrives intact in every member's store, and
//! tightening the ceiling removes the members it no longer admits in the
//! same commit.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use liaison_core::{
    Draft, EngineError, MessageId, Precedence, ReferenceKind, RuleViolation, TrafficKind,
};

/// What a member's store says about one message, everything that must
/// travel intact (the receipt time is local and left out).
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    message_id: MessageId,
    seq: Option<u64>,
    sender: String,
    nation: String,
    marking: String,
    portion: String,
    precedence: Precedence,
    kind: TrafficKind,
    body: String,
    reference: Option<(ReferenceKind, MessageId)>,
    sent_at_ms: u64,
}

fn seen(member: &Member, channel: &liaison_core::ChannelId) -> Vec<Seen> {
    let mut out: Vec<Seen> = member
        .messages(channel)
        .into_iter()
        .map(|m| Seen {
            message_id: m.message_id,
            seq: m.seq,
            sender: m.sender_id,
            nation: m.sender_nation,
            marking: m.label.marking(),
            portion: m.portion_marking,
            precedence: m.precedence,
            kind: m.kind,
            body: m.body,
            reference: m.reference,
            sent_at_ms: m.sent_at_ms,
        })
        .collect();
    out.sort_by_key(|m| m.seq);
    out
}

#[tokio::test]
async fn three_nations_exchange_labelled_traffic_that_arrives_intact_in_every_store() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut ops = Member::enrol(&at, identity(&gbr, "gbr.ops")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;
    let mut de = Member::enrol(&at, identity(&deu, "deu.officer")).await;
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut ops, &mut fr, &mut de],
    )
    .await;
    let mut members = [admin, ops, fr, de];
    let view = assert_agree(members.iter_mut(), &channel);
    assert_eq!(
        view.roster,
        [
            ("gbr.admin".to_owned(), true),
            ("gbr.ops".to_owned(), false),
            ("fra.officer".to_owned(), false),
            ("deu.officer".to_owned(), false),
        ]
    );
    for member in &mut members {
        let summary = member.engine.channels().unwrap();
        assert_eq!(summary.len(), 1);
        assert_eq!(summary[0].name, PARTNERSHIP);
        assert_eq!(
            member.engine.policy(&channel).unwrap().ceiling().marking(),
            CEILING
        );
    }

    // (sender, body, marking, precedence, kind); each sender syncs first, as
    // the app does before showing the composer.
    let traffic = [
        (
            0,
            "FLASH: convoy crosses checkpoint B at 0400Z",
            Some(CEILING),
            Precedence::Flash,
            TrafficKind::Operation,
        ),
        (
            2,
            "Reçu. Équipe française en position à 0345Z.",
            None,
            Precedence::Routine,
            TrafficKind::Operation,
        ),
        (
            3,
            "ÜBUNG — Lagebericht Nr. 3: keine Vorkommnisse",
            Some("NATO CONFIDENTIAL//REL TO DEU, FRA, GBR"),
            Precedence::Priority,
            TrafficKind::Exercise,
        ),
        (
            1,
            "Fog at checkpoint B until 0600Z",
            Some("NATO UNCLASSIFIED"),
            Precedence::Immediate,
            TrafficKind::Operation,
        ),
    ];
    let mut sent = Vec::new();
    for (sender, body, marking, precedence, kind) in traffic {
        members[sender].sync().await;
        let id = members[sender]
            .say(&channel, draft(body, marking, precedence, kind))
            .await;
        sent.push((
            id,
            sender,
            body,
            marking.unwrap_or(DEFAULT),
            precedence,
            kind,
        ));
    }
    // A reply inherits at least its source's label (rule 6).
    members[2].sync().await;
    let flash = sent[0].0;
    let mut reply = draft(
        "Bien reçu, nous escortons.",
        Some(CEILING),
        Precedence::Routine,
        TrafficKind::Operation,
    );
    reply.reference = Some((ReferenceKind::Reply, flash));
    let reply_id = members[2].say(&channel, reply).await;
    for member in &mut members {
        member.sync().await;
    }

    let reference = seen(&members[0], &channel);
    assert_eq!(reference.len(), 5);
    for (stored, (id, sender, body, marking, precedence, kind)) in reference.iter().zip(&sent) {
        assert_eq!(stored.message_id, *id);
        assert!(stored.seq.is_some(), "{body} has no relay position");
        assert_eq!(stored.sender, members[*sender].id());
        assert_eq!(stored.body, *body);
        assert_eq!(stored.marking, *marking);
        assert_eq!(stored.precedence, *precedence);
        assert_eq!(stored.kind, *kind);
        assert_eq!(stored.reference, None);
    }
    assert_eq!(
        reference
            .iter()
            .map(|m| m.nation.as_str())
            .collect::<Vec<_>>(),
        ["GBR", "FRA", "DEU", "GBR", "FRA"]
    );
    assert_eq!(reference[1].marking, DEFAULT);
    assert_eq!(reference[0].portion, "(NS//REL TO DEU, FRA, GBR)");
    assert_eq!(reference[4].message_id, reply_id);
    assert_eq!(reference[4].reference, Some((ReferenceKind::Reply, flash)));
    for member in &members[1..] {
        assert_eq!(
            seen(member, &channel),
            reference,
            "{}'s store differs from gbr.admin's",
            member.id()
        );
    }

    // FLASH and IMMEDIATE traffic waits for acknowledgement by the others.
    let immediate = sent[3].0;
    assert_eq!(
        members[3]
            .engine
            .awaiting_acknowledgement(&channel)
            .unwrap(),
        [flash, immediate]
    );
    assert_eq!(
        members[1]
            .engine
            .awaiting_acknowledgement(&channel)
            .unwrap(),
        [flash]
    );
    members[3].engine.acknowledge(&channel, flash).unwrap();
    assert_eq!(members[3].flush().await, 0);
    members[0].sync().await;
    let acks = members[0].engine.acknowledgements(&channel, flash).unwrap();
    assert_eq!(
        acks.iter()
            .map(|a| a.officer_id.as_str())
            .collect::<Vec<_>>(),
        ["deu.officer"]
    );
    assert_eq!(
        members[3]
            .engine
            .awaiting_acknowledgement(&channel)
            .unwrap(),
        [immediate]
    );
    assert_agree(members.iter_mut(), &channel);
    relay.stop().await;
}

#[tokio::test]
async fn tightening_the_ceiling_removes_non_compliant_members_in_the_same_commit() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;
    let mut de = Member::enrol(&at, identity(&deu, "deu.officer")).await;
    let mut de2 = Member::enrol(&at, identity(&deu, "deu.second")).await;
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut fr, &mut de, &mut de2],
    )
    .await;
    de.say(&channel, Draft::text("Guten Morgen")).await;
    for member in [&mut admin, &mut fr, &mut de, &mut de2] {
        member.sync().await;
    }
    let before = admin.view(&channel);

    let tighter = admin
        .engine
        .policy(&channel)
        .unwrap()
        .with_labels(
            label("NATO SECRET//REL TO FRA, GBR"),
            label("NATO RESTRICTED//REL TO FRA, GBR"),
        )
        .unwrap();
    let preview: Vec<String> = admin
        .engine
        .preview_policy_change(&channel, &tighter)
        .unwrap()
        .into_iter()
        .map(|m| m.officer_id)
        .collect();
    assert_eq!(preview, ["deu.officer", "deu.second"]);
    let epoch = admin
        .commit(&channel, |engine, ch| {
            engine.change_policy(ch, tighter.clone())
        })
        .await;
    // One commit: the policy and both removals.
    assert_eq!(epoch, before.epoch + 1);

    for member in [&mut fr, &mut admin] {
        member.sync().await;
    }
    for removed in [&mut de, &mut de2] {
        let report = removed.sync().await;
        assert!(report.removed_self, "{} missed its removal", removed.id());
        assert!(!removed.is_active(&channel));
    }
    let after = assert_agree([&mut admin, &mut fr], &channel);
    assert_eq!(after.epoch, epoch);
    assert_eq!(after.officers(), ["gbr.admin", "fra.officer"]);
    assert_eq!(after.policy, tighter.encode());

    // The removed members keep their history read-only and see nothing new.
    admin
        .say(
            &channel,
            draft(
                "FRA-GBR only from now on",
                None,
                Precedence::Routine,
                TrafficKind::Operation,
            ),
        )
        .await;
    fr.sync().await;
    de.sync().await;
    assert_eq!(
        fr.bodies(&channel),
        ["Guten Morgen", "FRA-GBR only from now on"]
    );
    assert_eq!(
        fr.messages(&channel)[1].label.marking(),
        "NATO RESTRICTED//REL TO FRA, GBR"
    );
    assert_eq!(de.bodies(&channel), ["Guten Morgen"]);
    assert!(matches!(
        de.engine.send(&channel, Draft::text("still here?")),
        Err(EngineError::ReadOnly)
    ));
    // And the new ceiling keeps DEU out.
    let package = within(
        "claiming a key package",
        liaison_core::DeliveryService::claim_key_package(&admin.client, "deu.second"),
    )
    .await
    .unwrap();
    let refused = admin.engine.add_members(&channel, &[package]).unwrap_err();
    assert!(
        matches!(
            refused,
            EngineError::Rule(RuleViolation::NotAdmitted { .. })
        ),
        "{refused:?}"
    );
    relay.stop().await;
}
