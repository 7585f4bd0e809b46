//! liaison-core's `RelayClient` against the real relay: engines exchange
//! labelled messages through it with the sync driver, subscriptions push,
//! and the client rides out a relay restart.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::*;
use liaison_core::{
    ChannelId, DeliveryError, DeliveryService, Draft, RelayClient, RelayClientConfig, RelayTrust,
    commit_with_retry, flush_outbox, pull, sync,
};

async fn client(relay: &TestRelay, officer: &Officer) -> RelayClient {
    let mut config = RelayClientConfig::new(
        relay.endpoint.url(),
        RelayTrust::from_pem_file(&relay.endpoint.certificate).unwrap(),
    );
    config.min_backoff = Duration::from_millis(50);
    config.max_backoff = Duration::from_millis(400);
    RelayClient::connect(config, officer.chain.clone(), officer.key())
        .await
        .unwrap()
}

fn bodies(officer: &Officer, channel: &ChannelId) -> Vec<String> {
    officer
        .engine
        .messages(channel)
        .unwrap()
        .into_iter()
        .map(|m| m.body)
        .collect()
}

/// A channel of `gbr.admin` with `fra.officer` joined, both over the relay.
async fn channel(
    relay: &TestRelay,
    policy: liaison_core::ChannelPolicy,
    admin: &mut Officer,
    fr: &mut Officer,
) -> (RelayClient, RelayClient, ChannelId) {
    let a = client(relay, admin).await;
    let f = client(relay, fr).await;
    assert_eq!(f.officer_id(), "fra.officer");
    f.publish_key_packages(fr.engine.generate_key_packages(3, true).unwrap())
        .await
        .unwrap();
    assert_eq!(f.key_package_count().await.unwrap(), (3, true));
    let channel = admin.engine.create_channel(policy).unwrap();
    flush_outbox(&mut admin.engine, &a).await.unwrap();
    let package = a.claim_key_package("fra.officer").await.unwrap();
    let epoch = commit_with_retry(&mut admin.engine, &a, &channel, 3, |engine| {
        engine.add_members(&channel, std::slice::from_ref(&package))
    })
    .await
    .unwrap();
    assert_eq!(epoch, 1);
    sync(&mut fr.engine, &f).await.unwrap();
    assert!(
        fr.engine
            .channels()
            .unwrap()
            .iter()
            .any(|c| c.id == channel)
    );
    (a, f, channel)
}

#[tokio::test]
async fn two_engines_exchange_labelled_messages_through_the_relay() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let dir = tempfile::tempdir().unwrap();
    // The relay trusts every authority the channel names: it refuses a
    // channel that brings in one it does not.
    let relay = start_relay(dir.path(), anchors(&[&gbr, &fra, &deu]), limits()).await;
    let mut admin = officer(&gbr, "gbr.admin");
    let mut fr = officer(&fra, "fra.officer");
    let cell = policy(&["gbr.admin"], &[&gbr, &fra, &deu]);
    let (a, f, ch) = channel(&relay, cell, &mut admin, &mut fr).await;

    let secret = label(CEILING);
    admin
        .engine
        .send(
            &ch,
            Draft {
                label: Some(secret.clone()),
                ..Draft::text("Convoy crosses at 0400Z")
            },
        )
        .unwrap();
    flush_outbox(&mut admin.engine, &a).await.unwrap();
    sync(&mut fr.engine, &f).await.unwrap();
    fr.engine.send(&ch, Draft::text("Reçu, merci")).unwrap();
    flush_outbox(&mut fr.engine, &f).await.unwrap();
    pull(&mut admin.engine, &a, &ch).await.unwrap();
    for officer in [&admin, &fr] {
        assert_eq!(
            bodies(officer, &ch),
            ["Convoy crosses at 0400Z", "Reçu, merci"]
        );
        let messages = officer.engine.messages(&ch).unwrap();
        assert_eq!(messages[0].label, secret);
        assert_eq!(messages[0].sender_id, "gbr.admin");
        assert_eq!(messages[1].label, label(DEFAULT));
    }
    relay.stop().await;
}

#[tokio::test]
async fn subscription_pushes_and_survives_a_relay_restart() {
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let dir = tempfile::tempdir().unwrap();
    let trust = anchors(&[&gbr, &fra]);
    let relay = start_relay(dir.path(), trust.clone(), limits()).await;
    let mut admin = officer(&gbr, "gbr.admin");
    let mut fr = officer(&fra, "fra.officer");
    let cell = policy(&["gbr.admin"], &[&gbr, &fra]);
    let (a, f, ch) = channel(&relay, cell, &mut admin, &mut fr).await;
    let cursor = fr.engine.cursor(&ch).unwrap();
    let mut pushed = f.subscribe(&ch.0, cursor).await.unwrap();

    admin.engine.send(&ch, Draft::text("first")).unwrap();
    flush_outbox(&mut admin.engine, &a).await.unwrap();
    let delivery = tokio::time::timeout(Duration::from_secs(10), pushed.recv())
        .await
        .unwrap()
        .unwrap();
    fr.engine.receive(&delivery).unwrap();
    assert_eq!(bodies(&fr, &ch), ["first"]);

    // The relay goes away: requests fail Unavailable, for the sync layer
    // to retry.
    let addr = relay.endpoint.addr;
    relay.stop().await;
    let error = a.key_package_count().await.unwrap_err();
    assert!(matches!(error, DeliveryError::Unavailable(_)), "{error:?}");
    assert!(error.is_transient());

    // It comes back on the same address: both clients reconnect, the
    // subscription resumes from the last pushed message.
    let relay = start_relay_at(addr, dir.path(), trust, limits()).await;
    for _ in 0..100 {
        if a.is_connected() && f.is_connected() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(a.is_connected() && f.is_connected());
    admin.engine.send(&ch, Draft::text("second")).unwrap();
    flush_outbox(&mut admin.engine, &a).await.unwrap();
    let delivery = tokio::time::timeout(Duration::from_secs(10), pushed.recv())
        .await
        .unwrap()
        .unwrap();
    fr.engine.receive(&delivery).unwrap();
    assert_eq!(bodies(&fr, &ch), ["first", "second"]);
    relay.stop().await;
}

#[tokio::test]
async fn untrusted_officer_gets_a_typed_refusal() {
    let (gbr, rus) = (nation("GBR"), nation("RUS"));
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits()).await;
    let ivan = officer(&rus, "rus.ivan");
    let config = RelayClientConfig::new(
        relay.endpoint.url(),
        RelayTrust::from_pem_file(&relay.endpoint.certificate).unwrap(),
    );
    let error = RelayClient::connect(config, ivan.chain.clone(), ivan.key())
        .await
        .unwrap_err();
    assert_eq!(error, DeliveryError::UnknownAuthority);
    relay.stop().await;
}

#[tokio::test]
async fn a_relay_with_another_certificate_is_not_trusted() {
    let gbr = nation("GBR");
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let relay = start_relay(one.path(), anchors(&[&gbr]), limits()).await;
    let impostor = start_relay(two.path(), anchors(&[&gbr]), limits()).await;
    let alice = officer(&gbr, "gbr.alice");
    // Pinning the first relay's certificate while dialling the second.
    let config = RelayClientConfig::new(
        impostor.endpoint.url(),
        RelayTrust::from_pem_file(&relay.endpoint.certificate).unwrap(),
    );
    let error = RelayClient::connect(config, alice.chain.clone(), alice.key())
        .await
        .unwrap_err();
    assert!(matches!(error, DeliveryError::Unavailable(_)), "{error:?}");
    relay.stop().await;
    impostor.stop().await;
}
