//! Faults between clients and the relay: answers lost, connections cut,
//! traffic delayed. Whatever the network does, every member ends on the
//! same epoch and roster with every message exactly once.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::proxy::{FaultProxy, Faults};
use common::*;
use liaison_core::{DeliveryService, Draft, HistoryOnRemoval, commit_with_retry, sync};
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

/// Members sending and admins committing through [`FaultProxy`].
const ROUNDS: usize = 10;
/// Messages each member sends per round (5 members: 1,000 in all).
const PER_ROUND: usize = 20;
/// Attempts at one step before the scenario gives up.
const ATTEMPTS: usize = 400;

/// Connects through the proxy, retrying refused and cut connections.
async fn connect_through(proxy: &FaultProxy, identity: &Identity) -> liaison_core::RelayClient {
    for _ in 0..ATTEMPTS {
        if let Ok(client) = proxy.endpoint.connect(identity).await {
            return client;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{} never connected through the proxy", identity.id);
}

/// Runs `step` until it succeeds; the faults make single attempts fail.
macro_rules! patiently {
    ($what:expr, $step:expr) => {{
        let mut attempt = 0;
        loop {
            attempt += 1;
            match $step.await {
                Ok(value) => break value,
                Err(error) if attempt < ATTEMPTS => {
                    let _ = &error;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                Err(error) => panic!("{}: {error:?} after {ATTEMPTS} attempts", $what),
            }
        }
    }};
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_cuts_delays_and_refusals_every_member_ends_with_the_same_channel() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let at = relay.endpoint.clone();
    let mut members = vec![
        Member::enrol(&at, identity(&gbr, "gbr.admin")).await,
        Member::enrol(&at, identity(&fra, "fra.admin")).await,
        Member::enrol(&at, identity(&gbr, "gbr.officer")).await,
        Member::enrol(&at, identity(&fra, "fra.officer")).await,
        Member::enrol(&at, identity(&deu, "deu.officer")).await,
    ];
    let (first, others) = members.split_at_mut(1);
    let mut others: Vec<&mut Member> = others.iter_mut().collect();
    let channel = open_channel(
        &mut first[0],
        cell_policy(&["gbr.admin", "fra.admin"], &[&gbr, &fra, &deu]),
        &mut others,
    )
    .await;

    // From here on, everything goes through the proxy.
    let faults = Faults {
        seed: 0x4c49_4149_534f_4e21,
        refuse_per_mille: 100,
        cut_per_mille: 8,
        max_delay: Duration::from_millis(2),
    };
    let proxy = FaultProxy::start(&at, faults).await;
    for member in &mut members {
        member.client = connect_through(&proxy, &member.identity).await;
    }

    let mut sent = HashSet::new();
    for round in 0..ROUNDS {
        for member in &mut members {
            for n in 0..PER_ROUND {
                let body = format!("{} round {round} message {n}", member.id());
                sent.insert(member.engine.send(&channel, Draft::text(body)).unwrap());
            }
            // A sync flushes and catches up, as the apps do: a member that
            // never read would write in an epoch the others no longer keep.
            patiently!("syncing", sync(&mut member.engine, &member.client));
        }
        // One commit per round, by the admins in turn: a retention change.
        let admin = &mut members[round % 2];
        let days = u32::try_from(round).unwrap() + 1;
        let ch = channel.clone();
        patiently!(
            "committing",
            commit_with_retry(&mut admin.engine, &admin.client, &channel, 5, |engine| {
                let policy = engine
                    .policy(&ch)?
                    .with_retention(Some(days), HistoryOnRemoval::Keep);
                engine.change_policy(&ch, policy)
            })
        );
    }
    // Everyone catches up (twice: a commit may arrive during the first).
    for _ in 0..2 {
        for member in &mut members {
            patiently!("syncing", sync(&mut member.engine, &member.client));
        }
    }
    proxy.stop();

    let count = &proxy.count;
    let cuts = count.cut.load(std::sync::atomic::Ordering::Relaxed);
    let refused = count.refused.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        cuts > 0 && refused > 0,
        "no faults were injected ({cuts} cuts, {refused} refusals)"
    );
    let view = assert_agree(members.iter_mut(), &channel);
    assert_eq!(view.epoch, 1 + u64::try_from(ROUNDS).unwrap());
    assert_eq!(sent.len(), ROUNDS * PER_ROUND * 5);
    for member in &members {
        let ids: Vec<_> = member
            .messages(&channel)
            .iter()
            .map(|m| m.message_id)
            .collect();
        let unique: HashSet<_> = ids.iter().copied().collect();
        assert_eq!(
            unique.len(),
            ids.len(),
            "{} holds a message twice",
            member.id()
        );
        let missing = sent.difference(&unique).count();
        let refusals: Vec<String> = member
            .engine
            .store()
            .audit_log(liaison_core::AuditScope::Group(&channel.0), None, 1000)
            .unwrap()
            .into_iter()
            .filter(|entry| entry.event == "delivery.refused")
            .map(|entry| entry.detail.chars().take(60).collect())
            .collect();
        assert_eq!(
            missing,
            0,
            "{} lost {missing} of {} messages; refusals: {refusals:?}",
            member.id(),
            sent.len()
        );
    }
    eprintln!(
        "faults: {} connections, {refused} refused, {cuts} cut, {} chunks",
        count.connections.load(std::sync::atomic::Ordering::Relaxed),
        count.chunks.load(std::sync::atomic::Ordering::Relaxed)
    );
    relay.stop().await;
}

#[tokio::test]
async fn messages_queued_offline_while_the_channel_moved_many_epochs_on_are_still_read() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;
    let mut de = Member::enrol(&at, identity(&deu, "deu.officer")).await;
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut fr, &mut de],
    )
    .await;

    // fra.officer writes on a plane: queued, encrypted in today's epoch.
    let offline = fr.disconnect();
    let mut offline = offline;
    for n in 0..3 {
        offline
            .engine
            .send(&channel, Draft::text(format!("Written offline {n}")))
            .unwrap();
    }
    // Meanwhile the channel moves on by more epochs than members keep.
    let commits = liaison_proto::PAST_EPOCHS_KEPT + 2;
    for days in 1..=commits {
        admin
            .commit(&channel, |engine, ch| {
                let policy = engine
                    .policy(ch)?
                    .with_retention(Some(u32::try_from(days).unwrap()), HistoryOnRemoval::Keep);
                engine.change_policy(ch, policy)
            })
            .await;
    }
    // Back online: the queued messages reach everyone, none lost.
    let mut fr = offline.reconnect(&at).await;
    fr.sync().await;
    for member in [&mut admin, &mut de] {
        let report = member.sync().await;
        assert_eq!(report.refused, 0, "{} refused a message", member.id());
        let bodies = member.bodies(&channel);
        for n in 0..3 {
            assert!(
                bodies.contains(&format!("Written offline {n}")),
                "{} never read message {n}",
                member.id()
            );
        }
    }
    assert_agree([&mut admin, &mut fr, &mut de], &channel);
    relay.stop().await;
}
