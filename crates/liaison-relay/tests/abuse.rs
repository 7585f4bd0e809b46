//! What one authenticated officer must not be able to do to the relay or to
//! other officers: grow the relay's memory with made-up groups.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use liaison_proto::relay::{ErrorCode, ResponseResult};
use openmls::prelude::*;
use openmls_rust_crypto::OpenMlsRustCrypto;
use tls_codec::Serialize as _;

const SUITE: Ciphersuite = Ciphersuite::MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519;

/// An MLS application message of a group of `officer`'s making that the
/// relay has never heard of, with the given group id.
fn message_of_made_up_group(officer: &Officer, group_id: &[u8]) -> Vec<u8> {
    let provider = OpenMlsRustCrypto::default();
    let signer = officer.key().to_openmls_signer();
    let config = MlsGroupCreateConfig::builder().ciphersuite(SUITE).build();
    let mut group = MlsGroup::new_with_group_id(
        &provider,
        &signer,
        &config,
        GroupId::from_slice(group_id),
        CredentialWithKey {
            credential: officer.chain.to_mls_credential(),
            signature_key: officer.key().public_key().to_vec().into(),
        },
    )
    .unwrap();
    group
        .create_message(&provider, &signer, b"nothing")
        .unwrap()
        .tls_serialize_detached()
        .unwrap()
}

#[tokio::test]
async fn submissions_to_made_up_groups_leave_no_state_at_the_relay() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let mut limits = limits();
    limits.requests_per_second = 100_000;
    limits.request_burst = 100_000;
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits).await;
    let attacker = officer(&gbr, "gbr.attacker");
    let mut client = RawClient::login(&relay, &attacker).await;
    assert_eq!(metric(&relay, "liaison_relay_group_slots").await, 0);

    for n in 0..300u32 {
        let mut group_id = [0u8; 16];
        group_id[..4].copy_from_slice(&n.to_be_bytes());
        let message = message_of_made_up_group(&attacker, &group_id);
        match client.submit(&group_id, message, None).await {
            ResponseResult::Error(error) => assert_eq!(error.code, ErrorCode::UnknownGroup),
            other => panic!("submission {n} to a made-up group: {other:?}"),
        }
    }
    // A group id longer than any Liaison makes is refused before any read.
    let long = vec![7u8; 65];
    let message = message_of_made_up_group(&attacker, &long);
    match client.submit(&long, message, None).await {
        ResponseResult::Error(error) => assert_eq!(error.code, ErrorCode::Malformed),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        metric(&relay, "liaison_relay_group_slots").await,
        0,
        "the relay kept state for groups that do not exist"
    );
    relay.stop().await;
}

#[tokio::test]
async fn a_key_package_lacking_the_channel_capabilities_is_refused_at_publish() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits()).await;
    let mut officer = officer(&gbr, "gbr.officer");
    let mut client = RawClient::login(&relay, &officer).await;
    let provider = OpenMlsRustCrypto::default();
    let credential = CredentialWithKey {
        credential: officer.chain.to_mls_credential(),
        signature_key: officer.key().public_key().to_vec().into(),
    };
    // Without the policy extension 0xF1A0 every channel requires: an add
    // would fail late, at the admin; the relay refuses it now.
    let lacking = KeyPackage::builder()
        .leaf_node_capabilities(
            Capabilities::builder()
                .extensions(vec![ExtensionType::LastResort])
                .credentials(vec![CredentialType::X509])
                .build(),
        )
        .build(
            SUITE,
            &provider,
            &officer.key().to_openmls_signer(),
            credential,
        )
        .unwrap();
    let bytes = MlsMessageOut::from(lacking.key_package().clone())
        .tls_serialize_detached()
        .unwrap();
    let refused = client
        .refused(liaison_proto::relay::Request::PublishKeyPackages {
            key_packages: vec![liaison_proto::Bytes(bytes)],
        })
        .await;
    assert_eq!(refused, ErrorCode::Malformed);
    // The officer's own client publishes packages that pass.
    let good = officer.engine.generate_key_packages(1, true).unwrap();
    client.publish(good).await;
    relay.stop().await;
}

#[tokio::test]
async fn an_officer_holds_a_bounded_number_of_connections() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let mut limits = limits();
    limits.max_connections_per_officer = 2;
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits).await;
    let officer = officer(&gbr, "gbr.many");
    let first = RawClient::login(&relay, &officer).await;
    let _second = RawClient::login(&relay, &officer).await;
    let mut third = RawClient::connect(&relay).await;
    match third.authenticate(&officer.chain, &officer.key()).await {
        ResponseResult::Error(error) => assert_eq!(error.code, ErrorCode::RateLimited),
        other => panic!("a third connection was admitted: {other:?}"),
    }
    // Another officer is not affected, and a closed connection frees its place.
    RawClient::login(&relay, &self::officer(&gbr, "gbr.other")).await;
    drop(first);
    let mut admitted = false;
    for _ in 0..50 {
        let mut again = RawClient::connect(&relay).await;
        if matches!(
            again.authenticate(&officer.chain, &officer.key()).await,
            ResponseResult::Ok(_)
        ) {
            admitted = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(admitted, "the closed connection's place was never freed");
    relay.stop().await;
}
