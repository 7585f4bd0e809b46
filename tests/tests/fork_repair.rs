//! A relay that forks a channel, and its repair, over the real relay: two
//! admins commit for the same epoch; the relay orders GBR's, but a
//! malicious relay (simulated by handing the bytes straight to DEU's
//! engine at the ordered commit's position) gives DEU FRA's. DEU finds the
//! fork at the first message from the other branch, asks through the relay
//! to be added back, an admin's client re-adds it, DEU drops its branch,
//! rejoins, shows the gap, and the channel is one again.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use liaison_core::{DeliveryService as _, Draft, HistoryOnRemoval, Received};
use liaison_proto::Delivery;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_given_another_commit_is_added_back_with_a_gap_and_reads_again() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let at = relay.endpoint.clone();
    let mut uk = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.admin")).await;
    let mut de = Member::enrol(&at, identity(&deu, "deu.officer")).await;
    let channel = open_channel(
        &mut uk,
        cell_policy(&["gbr.admin", "fra.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut fr, &mut de],
    )
    .await;
    uk.pull(&channel).await;
    let epoch = de.engine.epoch(&channel).unwrap();

    // Both admins commit for the same epoch; the relay orders GBR's.
    let policy = uk.engine.policy(&channel).unwrap();
    uk.engine
        .change_policy(
            &channel,
            policy.with_retention(Some(5), HistoryOnRemoval::Keep),
        )
        .unwrap();
    let policy = fr.engine.policy(&channel).unwrap();
    fr.engine
        .change_policy(
            &channel,
            policy.with_retention(Some(9), HistoryOnRemoval::Keep),
        )
        .unwrap();
    let fra_commit = fr.engine.outbox().unwrap().pop().unwrap().message;
    assert_eq!(uk.flush().await, 0);
    // FRA's loses the race and is rebuilt on nothing: it rolls back.
    assert_eq!(fr.flush().await, 1);
    fr.sync().await;
    assert_eq!(fr.engine.epoch(&channel).unwrap(), epoch + 1);

    // The malicious relay gives DEU FRA's commit at GBR's position.
    let cursor = de.engine.cursor(&channel).unwrap();
    let ordered = de.client.fetch(&channel.0, cursor, 1).await.unwrap();
    let received = de.engine.receive(&Delivery {
        group_id: channel.0.clone(),
        seq: ordered[0].seq,
        message: fra_commit,
    });
    assert!(
        matches!(received, Ok(Received::Commit { .. })),
        "{received:?}"
    );
    assert_eq!(de.engine.epoch(&channel).unwrap(), epoch + 1);

    // Within that epoch, GBR speaks; DEU finds the fork and asks.
    uk.say(&channel, Draft::text("Status at 0900")).await;
    let report = de.sync().await;
    assert_eq!(report.repair.requested, vec![channel.clone()]);
    let fork = de.engine.fork(&channel).unwrap().unwrap();
    assert_eq!(fork.epoch, epoch + 1);
    assert!(!de.bodies(&channel).contains(&"Status at 0900".to_owned()));

    // An admin's client re-adds DEU (the relay lists the request to admins).
    let report = uk.sync().await;
    assert_eq!(
        report.repair.readded,
        vec![(channel.clone(), "deu.officer".to_owned())]
    );
    // The other admin finds it answered: the relay dropped the request
    // with DEU's old leaf.
    let report = fr.sync().await;
    assert!(report.repair.readded.is_empty(), "{:?}", report.repair);

    // DEU rejoins from the Welcome and keeps the gap.
    de.sync().await;
    assert_eq!(de.engine.fork(&channel).unwrap(), None);
    let gaps = de.engine.gaps(&channel).unwrap();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!(gaps[0].fork_epoch, epoch + 1);
    assert_eq!(gaps[0].rejoined_epoch, epoch + 2);

    // One channel again, at one epoch, with one roster.
    de.say(&channel, Draft::text("Back in the net")).await;
    uk.say(&channel, Draft::text("Welcome back")).await;
    for member in [&mut uk, &mut fr, &mut de] {
        member.sync().await;
    }
    assert_agree([&mut uk, &mut fr, &mut de], &channel);
    assert!(de.bodies(&channel).contains(&"Welcome back".to_owned()));
    for member in [&uk, &fr] {
        assert!(
            member
                .bodies(&channel)
                .contains(&"Back in the net".to_owned()),
            "{} does not read DEU",
            member.id()
        );
    }
    relay.stop().await;
}
