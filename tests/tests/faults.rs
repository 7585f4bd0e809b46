//! Faults between clients and the relay: answers lost, connections cut,
//! traffic delayed. Whatever the network does, every member ends on the
//! same epoch and roster with every message exactly once.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use liaison_core::{DeliveryService, Draft};
use liaison_proto::{Submission, SubmitOutcome};

#[tokio::test]
async fn a_commit_whose_answer_was_lost_is_recognised_when_it_comes_back() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;
    let mut de = Member::enrol(&at, identity(&deu, "deu.officer")).await;
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut fr],
    )
    .await;
    let before = assert_agree([&mut admin, &mut fr], &channel);

    // The admin's add reaches the relay and is ordered, but the answer is
    // lost (the connection dropped after the relay stored it).
    let package = within("claiming", admin.client.claim_key_package("deu.officer"))
        .await
        .unwrap();
    admin
        .engine
        .add_members(&channel, std::slice::from_ref(&package))
        .unwrap();
    let pending = admin.engine.outbox().unwrap().remove(0);
    let outcome = within(
        "the first submission",
        admin.client.submit(Submission {
            group_id: channel.0.clone(),
            message: pending.message.clone(),
            welcome: pending.welcome.clone(),
        }),
    )
    .await
    .unwrap();
    assert!(matches!(outcome, SubmitOutcome::Accepted { .. }));

    // The client submits it again and is told "wrong epoch": its own
    // commit, ordered already. It must merge it, not roll it back.
    assert_eq!(admin.flush().await, 0, "the ordered commit was rolled back");
    for member in [&mut fr, &mut de] {
        member.sync().await;
    }
    let view = assert_agree([&mut admin, &mut fr, &mut de], &channel);
    assert_eq!(view.epoch, before.epoch + 1);
    admin.say(&channel, Draft::text("Still one channel")).await;
    for member in [&mut fr, &mut de] {
        member.sync().await;
        assert!(
            member
                .bodies(&channel)
                .contains(&"Still one channel".to_owned())
        );
    }
    relay.stop().await;
}
