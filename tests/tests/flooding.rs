//! One member cannot stop everyone's catch-up, nor lock an officer out:
//! application messages are bounded below the handshake maximum, `fetch`
//! and `welcomes` answers are bounded in bytes (a backlog of large messages
//! is read in several answers instead of one no client can take), and a
//! Welcome is accepted only for exactly the members its commit adds.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use liaison_core::{DeliveryError, DeliveryService, Draft};
use liaison_proto::Submission;
use liaison_test_kit::hostile::craft;
use openmls::prelude::{
    Capabilities, CredentialType, CredentialWithKey, ExtensionType, MlsGroup, MlsGroupCreateConfig,
};
use openmls_rust_crypto::OpenMlsRustCrypto;

#[tokio::test]
async fn a_backlog_of_large_messages_is_caught_up_and_oversized_garbage_is_refused() {
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra, &deu])).await;
    let at = relay.endpoint.clone();
    let mut admin = Member::enrol(&at, identity(&gbr, "gbr.admin")).await;
    let mut fr = Member::enrol(&at, identity(&fra, "fra.officer")).await;
    let channel = open_channel(
        &mut admin,
        cell_policy(&["gbr.admin"], &[&gbr, &fra, &deu]),
        &mut [&mut fr],
    )
    .await;

    // A 512 KiB application message, valid MLS of the group, is refused:
    // application messages are far below the handshake maximum.
    let garbage = admin
        .craft(
            &channel,
            Hostile::Application(vec![0u8; 512 * 1024]),
            Vec::new(),
        )
        .message;
    let refused = within(
        "submitting garbage",
        admin.client.submit(Submission {
            group_id: channel.0.clone(),
            message: garbage,
            welcome: None,
        }),
    )
    .await;
    assert!(
        matches!(refused, Err(DeliveryError::TooLarge(_))),
        "{refused:?}"
    );

    // 300 messages of 60 KiB each: a fetch of 256 of them would be about
    // 20 MB of JSON, past the client's 16 MiB frame limit.
    let body = "x".repeat(60 * 1024);
    for _ in 0..300 {
        admin.engine.send(&channel, Draft::text(&body)).unwrap();
    }
    assert_eq!(admin.flush().await, 0);
    let report = fr.sync().await;
    assert_eq!(report.refused, 0);
    let received = fr.bodies(&channel);
    assert_eq!(received.iter().filter(|b| **b == body).count(), 300);
    relay.stop().await;
}

#[tokio::test]
async fn a_welcome_naming_officers_its_commit_does_not_add_is_refused() {
    let (gbr, fra) = (nation("GBR"), nation("FRA"));
    let relay = TestRelay::start(anchors(&[&gbr, &fra])).await;
    let at = relay.endpoint.clone();
    let mut attacker = Member::enrol(&at, identity(&gbr, "gbr.attacker")).await;
    let mut victim = Member::enrol(&at, identity(&fra, "fra.victim")).await;
    let mut helper = Member::enrol(&at, identity(&fra, "fra.helper")).await;
    // A channel of the attacker's own.
    let own = open_channel(
        &mut attacker,
        cell_policy(&["gbr.attacker"], &[&gbr, &fra]),
        &mut [&mut helper],
    )
    .await;

    // A genuine Welcome naming the victim's key package, from a group the
    // attacker made on its own machine (anyone may claim a key package).
    let package = within("claiming", attacker.client.claim_key_package("fra.victim"))
        .await
        .unwrap();
    let provider = OpenMlsRustCrypto::default();
    let signer = attacker.identity.key().to_openmls_signer();
    let mut local = MlsGroup::new(
        &provider,
        &signer,
        &MlsGroupCreateConfig::builder()
            .ciphersuite(liaison_core::CIPHERSUITE)
            .capabilities(
                Capabilities::builder()
                    .extensions(vec![
                        ExtensionType::Unknown(liaison_core::POLICY_EXTENSION_TYPE),
                        ExtensionType::LastResort,
                    ])
                    .credentials(vec![CredentialType::X509])
                    .build(),
            )
            .build(),
        CredentialWithKey {
            credential: attacker.identity.chain.to_mls_credential(),
            signature_key: attacker.identity.key().public_key().to_vec().into(),
        },
    )
    .unwrap();
    let fake_welcome = craft(
        &mut local,
        &provider,
        &signer,
        Hostile::Add(&package),
        Vec::new(),
    )
    .welcome
    .unwrap();

    // Attached to an honest-looking commit of the attacker's own channel
    // that adds nobody: refused.
    let commit = attacker.craft(&own, Hostile::Empty, stamp_now());
    let refused = within(
        "submitting the poisoned commit",
        attacker.client.submit(Submission {
            group_id: own.0.clone(),
            message: commit.message,
            welcome: Some(fake_welcome),
        }),
    )
    .await;
    assert!(
        matches!(refused, Err(DeliveryError::Forbidden(ref why)) if why.contains("exactly the members")),
        "{refused:?}"
    );
    // Nothing waits for the victim, whose sync goes on as before.
    assert!(
        within("victim's welcomes", victim.client.welcomes())
            .await
            .unwrap()
            .is_empty()
    );
    let report = victim.sync().await;
    assert_eq!(report.join_error, None);
    assert!(victim.engine.channels().unwrap().is_empty());
    relay.stop().await;
}
