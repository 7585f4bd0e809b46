//! Every member sees one order: the relay's. Three members send at once
//! while a fourth is offline; a sender reads another's message while its
//! own still waits for the relay; one sender's answer from the relay is
//! lost and only the echo of its message comes back. Afterwards every
//! member's history lists the channel's messages in the same order, the
//! relay's, and a message of ours is pending, at the end, until the relay
//! orders it.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use liaison_core::{
    ChannelId, DeliveryService as _, MessageId, OutgoingKind, Precedence, TrafficKind,
};
use liaison_proto::Submission;

fn routine(body: &str) -> liaison_core::Draft {
    draft(body, None, Precedence::Routine, TrafficKind::Operation)
}

/// The channel's message ids as `member` lists them.
fn order(member: &Member, channel: &ChannelId) -> Vec<MessageId> {
    member
        .messages(channel)
        .into_iter()
        .map(|m| m.message_id)
        .collect()
}

#[tokio::test]
async fn members_sending_at_once_see_the_relays_order() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let at = relay.endpoint.clone();
    let mut smith = Member::enrol(&at, identity(&gbr, "gbr.smith")).await;
    let mut martin = Member::enrol(&at, identity(&fra, "fra.martin")).await;
    let mut weber = Member::enrol(&at, identity(&deu, "deu.weber")).await;
    let mut ops = Member::enrol(&at, identity(&gbr, "gbr.ops")).await;
    let channel = open_channel(
        &mut smith,
        cell_policy(&["gbr.smith"], &[&gbr, &fra, &deu]),
        &mut [&mut martin, &mut weber, &mut ops],
    )
    .await;
    let ops = ops.disconnect();

    // Three members write at once: every message is stored locally before
    // any reaches the relay.
    let w1 = weber.engine.send(&channel, routine("weber 1")).unwrap();
    let m1 = martin.engine.send(&channel, routine("martin 1")).unwrap();
    let s1 = smith.engine.send(&channel, routine("smith 1")).unwrap();
    let w2 = weber.engine.send(&channel, routine("weber 2")).unwrap();

    // Weber's messages wait: pending, at the end of its own thread.
    let pending = weber.messages(&channel);
    assert_eq!(
        pending.iter().map(|m| m.seq).collect::<Vec<_>>(),
        [None, None]
    );

    // Martin's and Smith's reach the relay first; Weber reads them while
    // its own still wait. They go before Weber's pending messages.
    martin.flush().await;
    smith.flush().await;
    weber.pull(&channel).await;
    assert_eq!(order(&weber, &channel), [m1, s1, w1, w2]);
    assert!(
        weber.messages(&channel)[2..]
            .iter()
            .all(|m| m.seq.is_none())
    );

    // Weber's first message is submitted, but the relay's answer is lost:
    // only its echo in the channel says where the relay put it.
    let entry = weber
        .engine
        .outbox()
        .unwrap()
        .into_iter()
        .find(|e| e.kind == OutgoingKind::Application)
        .unwrap();
    weber
        .client
        .submit(Submission {
            group_id: entry.channel.0.clone(),
            message: entry.message.clone(),
            welcome: None,
        })
        .await
        .unwrap();
    // Martin answers before Weber's second message goes out.
    martin.pull(&channel).await;
    let m2 = martin.engine.send(&channel, routine("martin 2")).unwrap();
    martin.flush().await;
    weber.pull(&channel).await;
    let placed = weber.messages(&channel);
    assert!(placed[2].seq.is_some(), "the echo did not order weber 1");
    assert_eq!(order(&weber, &channel), [m1, s1, w1, m2, w2]);
    assert_eq!(placed[4].seq, None, "weber 2 is still pending");
    // The entry left the outbox with the echo: it is not sent twice.
    assert_eq!(weber.flush().await, 0);
    assert_eq!(
        weber.engine.outbox().unwrap().len(),
        0,
        "weber 1 was submitted again"
    );

    // Everyone catches up, the offline member included.
    let mut ops = ops.reconnect(&at).await;
    for member in [&mut smith, &mut martin, &mut weber, &mut ops] {
        member.sync().await;
    }
    let expected = [m1, s1, w1, m2, w2];
    for member in [&smith, &martin, &weber, &ops] {
        assert_eq!(
            order(member, &channel),
            expected,
            "{} lists another order",
            member.id()
        );
        let seqs: Vec<u64> = member
            .messages(&channel)
            .iter()
            .map(|m| m.seq.unwrap())
            .collect();
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "{} does not list the relay's order: {seqs:?}",
            member.id()
        );
    }
    relay.stop().await;
}
