//! Two admins commit at the same moment, round after round, over the real
//! relay: exactly one commit per round is ordered, the other is answered
//! "wrong epoch", rolled back and rebuilt on the winner's state, and every
//! member — admins and not — ends each round on the same epoch, roster and
//! policy. No fork.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use liaison_core::{ChannelId, ChannelPolicy, Draft, EngineError, HistoryOnRemoval, flush_outbox};

const ROUNDS: u32 = 20;

/// GBR's change in round `round`: the retention period.
fn gbr_change(policy: &ChannelPolicy, round: u32) -> ChannelPolicy {
    policy.with_retention(Some(round + 1), HistoryOnRemoval::Keep)
}

/// FRA's change in round `round`: the default label, and whether gbr.ops
/// is an admin.
fn fra_change(policy: &ChannelPolicy, round: u32) -> Result<ChannelPolicy, EngineError> {
    Ok(policy
        .with_labels(label(CEILING), label(fra_default(round)))?
        .with_admin("gbr.ops", round.is_multiple_of(3))?)
}

fn fra_default(round: u32) -> &'static str {
    if round.is_multiple_of(2) {
        "NATO CONFIDENTIAL//REL TO DEU, FRA, GBR"
    } else {
        DEFAULT
    }
}

/// Submits the member's outbox from its own task; returns the member and
/// how many entries the relay answered "wrong epoch".
fn submit_concurrently(mut member: Member) -> tokio::task::JoinHandle<(Member, usize)> {
    tokio::spawn(async move {
        let stale = flush_outbox(&mut member.engine, &member.client)
            .await
            .unwrap();
        (member, stale)
    })
}

async fn rebuild(member: &mut Member, channel: &ChannelId, round: u32) -> u64 {
    let gbr = member.id() == "gbr.admin";
    member
        .commit(channel, |engine, ch| {
            let policy = engine.policy(ch)?;
            let policy = if gbr {
                gbr_change(&policy, round)
            } else {
                fra_change(&policy, round)?
            };
            engine.change_policy(ch, policy)
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_admins_committing_at_once_never_fork_the_channel() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let at = relay.endpoint.clone();
    let mut uk = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.admin")).await;
    let mut de = Member::enrol(&at, identity(&deu, "deu.officer")).await;
    let mut ops = Member::enrol(&at, identity(&gbr, "gbr.ops")).await;
    let channel = open_channel(
        &mut uk,
        cell_policy(&["gbr.admin", "fra.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut fr, &mut de, &mut ops],
    )
    .await;
    uk.pull(&channel).await;
    let start = assert_agree([&mut uk, &mut fr, &mut de, &mut ops], &channel);

    let mut wins = [0u32; 2];
    for round in 0..ROUNDS {
        let epoch = uk.engine.epoch(&channel).unwrap();
        assert_eq!(fr.engine.epoch(&channel).unwrap(), epoch);
        // Both build a commit against the same epoch...
        let policy = uk.engine.policy(&channel).unwrap();
        uk.engine
            .change_policy(&channel, gbr_change(&policy, round))
            .unwrap();
        let policy = fr.engine.policy(&channel).unwrap();
        fr.engine
            .change_policy(&channel, fra_change(&policy, round).unwrap())
            .unwrap();
        // ...and submit it from its own task at the same moment (who
        // starts first alternates).
        let (uk_task, fr_task) = if round.is_multiple_of(2) {
            let uk_task = submit_concurrently(uk);
            (uk_task, submit_concurrently(fr))
        } else {
            let fr_task = submit_concurrently(fr);
            (submit_concurrently(uk), fr_task)
        };
        let ((uk_back, uk_stale), (fr_back, fr_stale)) = within("racing submits", async {
            (uk_task.await.unwrap(), fr_task.await.unwrap())
        })
        .await;
        (uk, fr) = (uk_back, fr_back);
        // Exactly one is ordered; the other was answered "wrong epoch",
        // caught up and rolled back.
        let (winner, loser) = match (uk_stale, fr_stale) {
            (0, 1) => (&mut uk, &mut fr),
            (1, 0) => (&mut fr, &mut uk),
            other => panic!("round {round}: stale counts {other:?}, expected exactly one"),
        };
        wins[usize::from(winner.id() == "fra.admin")] += 1;
        assert_eq!(winner.engine.epoch(&channel).unwrap(), epoch + 1);
        // Before rolling back, the loser read the channel (its own commit
        // might have been ordered with the answer lost): it holds the
        // winner's commit now, and its own is gone from the outbox.
        assert_eq!(loser.engine.epoch(&channel).unwrap(), epoch + 1);
        assert!(loser.engine.outbox().unwrap().is_empty());
        // The loser catches up and rebuilds its change on the winner's policy.
        assert_eq!(rebuild(loser, &channel, round).await, epoch + 2);

        for member in [&mut uk, &mut fr, &mut de, &mut ops] {
            member.pull(&channel).await;
        }
        let view = assert_agree([&mut uk, &mut fr, &mut de, &mut ops], &channel);
        assert_eq!(view.epoch, epoch + 2, "round {round}");
        assert_eq!(view.officers(), start.officers());
        // Both changes survived the race.
        let policy = de.engine.policy(&channel).unwrap();
        assert_eq!(policy.retention_days(), Some(round + 1), "round {round}");
        assert_eq!(policy.default_label().marking(), fra_default(round));
        assert_eq!(policy.is_admin("gbr.ops"), round.is_multiple_of(3));
        assert!(!policy.is_admin("deu.officer"));
    }
    assert_eq!(wins.iter().sum::<u32>(), ROUNDS);

    // Everyone still shares the group's keys: each one's message reads
    // everywhere.
    for member in [&mut uk, &mut fr, &mut de, &mut ops] {
        let body = format!("{} still here", member.id());
        member.say(&channel, Draft::text(body)).await;
    }
    for member in [&mut uk, &mut fr, &mut de, &mut ops] {
        member.pull(&channel).await;
        let mut bodies = member.bodies(&channel);
        bodies.sort();
        assert_eq!(
            bodies,
            [
                "deu.officer still here",
                "fra.admin still here",
                "gbr.admin still here",
                "gbr.ops still here"
            ],
            "{}",
            member.id()
        );
    }
    let end = assert_agree([&mut uk, &mut fr, &mut de, &mut ops], &channel);
    assert_eq!(end.epoch, start.epoch + 2 * u64::from(ROUNDS));
    relay.stop().await;
}
