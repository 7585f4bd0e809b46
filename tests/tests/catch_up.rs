//! A member offline for 500 messages and 5 commits (a promotion, an add by
//! the new admin, two policy changes, a demotion) comes back, syncs once,
//! and reads everything in order on the same epoch as everyone else.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::time::Instant;

use common::*;
use liaison_core::{ChannelId, Draft, HistoryOnRemoval, Precedence, TrafficKind};

const MESSAGES: usize = 500;
/// Messages sent by one sender before flushing and handing over.
const BLOCK: usize = 25;

/// The commit made just before message `index`, if any.
async fn commit_before(index: usize, members: &mut BTreeMap<String, Member>, channel: &ChannelId) {
    match index {
        100 => {
            let admin = members.get_mut("gbr.admin").unwrap();
            admin
                .commit(channel, |e, ch| e.set_admin(ch, "fra.officer", true))
                .await;
        }
        200 => {
            // The new admin adds an officer, who then sends too.
            let fr = members.get_mut("fra.officer").unwrap();
            fr.pull(channel).await;
            fr.add(channel, &["gbr.late"]).await;
            let late = members.get_mut("gbr.late").unwrap();
            late.sync().await;
            assert!(late.is_active(channel));
        }
        300 => {
            let admin = members.get_mut("gbr.admin").unwrap();
            admin.pull(channel).await;
            admin
                .commit(channel, |e, ch| {
                    let policy = e
                        .policy(ch)?
                        .with_retention(Some(30), HistoryOnRemoval::Keep);
                    e.change_policy(ch, policy)
                })
                .await;
        }
        400 => {
            let admin = members.get_mut("gbr.admin").unwrap();
            admin.pull(channel).await;
            admin
                .commit(channel, |e, ch| e.set_admin(ch, "fra.officer", false))
                .await;
        }
        450 => {
            let admin = members.get_mut("gbr.admin").unwrap();
            admin.pull(channel).await;
            admin
                .commit(channel, |e, ch| {
                    let policy = e.policy(ch)?.with_labels(
                        label(CEILING),
                        label("NATO CONFIDENTIAL//REL TO DEU, FRA, GBR"),
                    )?;
                    e.change_policy(ch, policy)
                })
                .await;
        }
        _ => {}
    }
}

#[tokio::test]
async fn member_offline_for_500_messages_and_5_commits_catches_up_in_order() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;
    let mut ops = Member::enrol(&at, identity(&gbr, "gbr.ops")).await;
    let mut de = Member::enrol(&at, identity(&deu, "deu.officer")).await;
    let late = Member::enrol(&at, identity(&gbr, "gbr.late")).await;
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut fr, &mut ops, &mut de],
    )
    .await;
    let epoch_left = de.engine.epoch(&channel).unwrap();
    let away = de.disconnect();

    let mut members: BTreeMap<String, Member> = [admin, fr, ops, late]
        .into_iter()
        .map(|m| (m.id().to_owned(), m))
        .collect();
    let mut expected = Vec::with_capacity(MESSAGES);
    for block in 0..MESSAGES / BLOCK {
        let first = block * BLOCK;
        commit_before(first, &mut members, &channel).await;
        let senders: &[&str] = if first < 200 {
            &["gbr.admin", "fra.officer", "gbr.ops"]
        } else {
            &["gbr.admin", "fra.officer", "gbr.ops", "gbr.late"]
        };
        let sender = members.get_mut(senders[block % senders.len()]).unwrap();
        sender.pull(&channel).await;
        for index in first..first + BLOCK {
            let body = format!("{index:03} from {}", sender.id());
            let secret = index.is_multiple_of(7);
            let draft = draft(
                &body,
                secret.then_some(CEILING),
                if secret {
                    Precedence::Priority
                } else {
                    Precedence::Routine
                },
                TrafficKind::Operation,
            );
            sender.engine.send(&channel, draft).unwrap();
            expected.push(body);
        }
        assert_eq!(sender.flush().await, 0);
    }
    for member in members.values_mut() {
        member.sync().await;
    }
    let online = assert_agree(members.values_mut(), &channel);
    assert_eq!(online.epoch, epoch_left + 5);

    // Back online: one sync reads the whole backlog.
    let mut de = away.reconnect(&at).await;
    let started = Instant::now();
    let report = de.sync().await;
    let took = started.elapsed();
    assert_eq!(report.applied, MESSAGES + 5, "{report:?}");
    assert_eq!(report.refused, 0);
    assert_eq!(de.bodies(&channel), expected);
    let seqs: Vec<u64> = de
        .messages(&channel)
        .iter()
        .map(|m| m.seq.unwrap())
        .collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "out of order");
    let view = de.view(&channel);
    assert_eq!(view, online);
    assert_eq!(
        view.roster,
        [
            ("gbr.admin".to_owned(), true),
            ("fra.officer".to_owned(), false),
            ("gbr.ops".to_owned(), false),
            ("deu.officer".to_owned(), false),
            ("gbr.late".to_owned(), false),
        ]
    );
    let policy = de.engine.policy(&channel).unwrap();
    assert_eq!(policy.retention_days(), Some(30));
    assert_eq!(
        policy.default_label().marking(),
        "NATO CONFIDENTIAL//REL TO DEU, FRA, GBR"
    );
    eprintln!("caught up on {} deliveries in {took:?}", MESSAGES + 5);

    // And it can talk again: the others read its reply.
    de.say(&channel, Draft::text("Wieder da, alles gelesen"))
        .await;
    for member in members.values_mut() {
        member.pull(&channel).await;
        assert_eq!(
            member.bodies(&channel).last().map(String::as_str),
            Some("Wieder da, alles gelesen")
        );
    }
    relay.stop().await;
}
