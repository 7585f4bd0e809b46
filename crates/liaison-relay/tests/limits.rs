//! Every bound is answered with its error code, and the connection stays
//! usable.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use liaison_core::{Draft, OutgoingKind};
use liaison_proto::relay::{ClientFrame, ErrorCode, Request, Response};

#[tokio::test]
async fn oversized_frame_is_answered_too_large_and_the_connection_stays_open() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let mut limits = limits();
    limits.max_frame_bytes = 4096;
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits).await;
    let alice = officer(&gbr, "gbr.alice");
    let mut client = RawClient::login(&relay, &alice).await;
    let frame = ClientFrame {
        id: 42,
        request: Request::ClaimKeyPackage {
            officer_id: "x".repeat(8000),
            authority: None,
        },
    };
    client
        .send_text(serde_json::to_string(&frame).unwrap())
        .await;
    match client.response(42).await {
        liaison_proto::relay::ResponseResult::Error(error) => {
            assert_eq!(error.code, ErrorCode::TooLarge)
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        client.ok(Request::KeyPackageCount).await,
        Response::KeyPackageCount { .. }
    ));
    relay.stop().await;
}

#[tokio::test]
async fn requests_beyond_the_rate_are_refused() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let mut limits = limits();
    limits.requests_per_second = 1;
    limits.request_burst = 3;
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits).await;
    let alice = officer(&gbr, "gbr.alice");
    // Authentication takes the first token.
    let mut client = RawClient::login(&relay, &alice).await;
    client.ok(Request::KeyPackageCount).await;
    client.ok(Request::KeyPackageCount).await;
    assert_eq!(
        client.refused(Request::KeyPackageCount).await,
        ErrorCode::RateLimited
    );
    relay.stop().await;
}

#[tokio::test]
async fn key_packages_beyond_the_bound_are_refused_whole() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let mut limits = limits();
    limits.max_key_packages = 2;
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits).await;
    let mut alice = officer(&gbr, "gbr.alice");
    let mut client = RawClient::login(&relay, &alice).await;
    let three = alice.engine.generate_key_packages(3, false).unwrap();
    let refused = client
        .refused(Request::PublishKeyPackages {
            key_packages: three.into_iter().map(liaison_proto::Bytes).collect(),
        })
        .await;
    assert_eq!(refused, ErrorCode::TooManyKeyPackages);
    let two = alice.engine.generate_key_packages(2, true).unwrap();
    assert_eq!(
        client.publish(two).await,
        Response::Published {
            one_time: 2,
            last_resort: true
        }
    );
    let one_more = alice.engine.generate_key_packages(1, false).unwrap();
    let refused = client
        .refused(Request::PublishKeyPackages {
            key_packages: one_more.into_iter().map(liaison_proto::Bytes).collect(),
        })
        .await;
    assert_eq!(refused, ErrorCode::TooManyKeyPackages);
    relay.stop().await;
}

#[tokio::test]
async fn a_full_group_queue_is_refused() {
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let dir = tempfile::tempdir().unwrap();
    let mut limits = limits();
    limits.max_messages_per_group = 2;
    let relay = start_relay(dir.path(), anchors(&[&gbr, &fra]), limits).await;
    let mut admin = officer(&gbr, "gbr.admin");
    let mut a = RawClient::login(&relay, &admin).await;
    let channel = admin
        .engine
        .create_channel(policy(&["gbr.admin"], &[&gbr, &fra]))
        .unwrap();
    register_channel(&mut a, &mut admin, &channel).await;
    for (i, text) in ["one", "two", "three"].into_iter().enumerate() {
        admin.engine.send(&channel, Draft::text(text)).unwrap();
        let outgoing = admin
            .engine
            .outbox()
            .unwrap()
            .into_iter()
            .find(|o| o.kind == OutgoingKind::Application)
            .unwrap();
        let result = a.submit(&channel.0, outgoing.message, None).await;
        if i < 2 {
            let liaison_proto::relay::ResponseResult::Ok(Response::Submitted {
                outcome: liaison_proto::SubmitOutcome::Accepted { seq },
            }) = result
            else {
                panic!("{result:?}");
            };
            admin
                .engine
                .outbox_accepted(outgoing.outbox_id, seq)
                .unwrap();
        } else {
            assert!(matches!(
                result,
                liaison_proto::relay::ResponseResult::Error(e) if e.code == ErrorCode::QueueFull
            ));
        }
    }
    relay.stop().await;
}

#[tokio::test]
async fn claims_beyond_an_officers_budget_are_refused_across_its_connections() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let mut limits = limits();
    limits.claim_burst = 2;
    limits.claims_per_hour = 1;
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits).await;
    let alice = officer(&gbr, "gbr.alice");
    let mut victim = officer(&gbr, "gbr.victim");
    let mut owner = RawClient::login(&relay, &victim).await;
    owner
        .publish(victim.engine.generate_key_packages(5, true).unwrap())
        .await;
    let claim = || Request::ClaimKeyPackage {
        officer_id: "gbr.victim".into(),
        authority: None,
    };
    let mut first = RawClient::login(&relay, &alice).await;
    first.ok(claim()).await;
    // A second connection of the same officer shares the budget.
    let mut second = RawClient::login(&relay, &alice).await;
    second.ok(claim()).await;
    assert_eq!(first.refused(claim()).await, ErrorCode::RateLimited);
    assert_eq!(second.refused(claim()).await, ErrorCode::RateLimited);
    // Another officer has its own.
    owner.ok(claim()).await;
    relay.stop().await;
}
