//! Authentication: officers of trusted partner authorities get in; unknown,
//! expired, revoked and impostor credentials are refused with their code.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, SystemTime};

use common::*;
use liaison_core::{CertificateSerial, DeviceKey};
use liaison_proto::relay::{ErrorCode, Request, Response, ResponseResult};

fn refusal(result: ResponseResult) -> ErrorCode {
    match result {
        ResponseResult::Error(error) => error.code,
        ResponseResult::Ok(ok) => panic!("expected a refusal, got {ok:?}"),
    }
}

#[tokio::test]
async fn officer_of_a_trusted_authority_is_authenticated() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits()).await;
    let alice = officer(&gbr, "gbr.alice");
    let mut client = RawClient::connect(&relay).await;
    assert_eq!(client.relay_name, "relay.test");
    assert_eq!(client.nonce.len(), 32);
    let result = client.authenticate(&alice.chain, &alice.key()).await;
    assert_eq!(
        result,
        ResponseResult::Ok(Response::Authenticated {
            officer_id: "gbr.alice".to_owned()
        })
    );
    assert!(matches!(
        client.ok(Request::KeyPackageCount).await,
        Response::KeyPackageCount {
            one_time: 0,
            last_resort: false
        }
    ));
    relay.stop().await;
}

#[tokio::test]
async fn officer_of_an_unknown_authority_is_refused_and_disconnected() {
    let (gbr, rus) = (nation("GBR"), nation("RUS"));
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits()).await;
    let ivan = officer(&rus, "rus.ivan");
    let mut client = RawClient::connect(&relay).await;
    let result = client.authenticate(&ivan.chain, &ivan.key()).await;
    assert_eq!(refusal(result), ErrorCode::UnknownAuthority);
    assert!(client.closed().await);
    relay.stop().await;
}

#[tokio::test]
async fn expired_certificate_is_refused() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits()).await;
    let key = DeviceKey::generate().unwrap();
    let now = SystemTime::now();
    let day = Duration::from_secs(86_400);
    let chain = certificate(&gbr, "gbr.old", &key, now - 20 * day, now - day);
    let mut client = RawClient::connect(&relay).await;
    assert_eq!(
        refusal(client.authenticate(&chain, &key).await),
        ErrorCode::Expired
    );
    relay.stop().await;
}

#[tokio::test]
async fn certificate_revoked_by_a_configured_crl_is_refused() {
    let mut gbr = nation("GBR");
    let alice = officer(&gbr, "gbr.alice");
    let bob = officer(&gbr, "gbr.bob");
    gbr.authority
        .revoke(&CertificateSerial::of_certificate(alice.chain.leaf()).unwrap());
    let now = SystemTime::now();
    let crl = gbr
        .authority
        .crl(
            now - Duration::from_secs(60),
            now + Duration::from_secs(86_400),
        )
        .unwrap();
    let trust = anchors(&[&gbr]).with_crl(crl).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), trust, limits()).await;
    let mut client = RawClient::connect(&relay).await;
    assert_eq!(
        refusal(client.authenticate(&alice.chain, &alice.key()).await),
        ErrorCode::Revoked
    );
    // The CRL does not touch other officers.
    RawClient::login(&relay, &bob).await;
    relay.stop().await;
}

#[tokio::test]
async fn challenge_signed_by_another_key_is_refused() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits()).await;
    let alice = officer(&gbr, "gbr.alice");
    let mut client = RawClient::connect(&relay).await;
    let thief = DeviceKey::generate().unwrap();
    assert_eq!(
        refusal(client.authenticate(&alice.chain, &thief).await),
        ErrorCode::Unauthenticated
    );
    assert!(client.closed().await);
    relay.stop().await;
}

#[tokio::test]
async fn signature_for_another_connection_is_refused() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits()).await;
    let alice = officer(&gbr, "gbr.alice");
    let first = RawClient::connect(&relay).await;
    let mut second = RawClient::connect(&relay).await;
    // Replaying the first connection's challenge answer on the second.
    second.nonce = first.nonce.clone();
    assert_eq!(
        refusal(second.authenticate(&alice.chain, &alice.key()).await),
        ErrorCode::Unauthenticated
    );
    relay.stop().await;
}

#[tokio::test]
async fn a_challenge_passed_through_by_another_server_gives_that_server_no_login() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits()).await;
    let alice = officer(&gbr, "gbr.alice");
    // A malicious server opens its own connection to the real relay and
    // hands the relay's challenge (nonce and name) to alice, whose TLS
    // session is with the malicious server, not with the relay.
    let mut mallory = RawClient::connect(&relay).await;
    let alice_session = RawClient::connect(&relay).await;
    let signature = alice.key().sign(&liaison_proto::relay::auth_signing_input(
        &mallory.nonce,
        &alice_session.channel_binding(),
        &mallory.relay_name,
    ));
    let result = mallory
        .request(Request::Authenticate {
            certificate_chain: alice
                .chain
                .certificates()
                .iter()
                .map(|c| liaison_proto::Bytes(c.clone()))
                .collect(),
            signature: liaison_proto::Bytes(signature.to_vec()),
        })
        .await;
    assert_eq!(refusal(result), ErrorCode::Unauthenticated);
    // The same signature over mallory's own session's binding would pass:
    // the binding is what refused it.
    let honest = RawClient::login(&relay, &alice).await;
    assert_ne!(honest.channel_binding(), mallory.channel_binding());
    relay.stop().await;
}

#[tokio::test]
async fn requests_before_authentication_are_refused() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits()).await;
    let mut client = RawClient::connect(&relay).await;
    assert_eq!(
        client.refused(Request::KeyPackageCount).await,
        ErrorCode::Unauthenticated
    );
    assert_eq!(
        client
            .refused(Request::ClaimKeyPackage {
                officer_id: "gbr.alice".to_owned(),
                authority: None,
            })
            .await,
        ErrorCode::Unauthenticated
    );
    relay.stop().await;
}

#[tokio::test]
async fn health_and_metrics_answer_over_https() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits()).await;
    let alice = officer(&gbr, "gbr.alice");
    let mut client = RawClient::login(&relay, &alice).await;
    client.ok(Request::KeyPackageCount).await;
    let health = https_get(&relay, "/health").await;
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.ends_with("ok\n"));
    let metrics = https_get(&relay, "/metrics").await;
    assert!(
        metrics.contains("liaison_relay_connections_open 1"),
        "{metrics}"
    );
    assert!(metrics.contains("liaison_relay_authentications_total 1"));
    let other = https_get(&relay, "/v2/ws").await;
    assert!(other.starts_with("HTTP/1.1 404"), "{other}");
    relay.stop().await;
}

#[tokio::test]
async fn a_revocation_loaded_while_running_closes_the_officers_session() {
    let mut gbr = nation("GBR");
    let alice = officer(&gbr, "gbr.alice");
    let bob = officer(&gbr, "gbr.bob");
    let trust_dir = tempfile::tempdir().unwrap();
    std::fs::write(
        trust_dir.path().join("gbr.der"),
        gbr.authority.certificate_der(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let relay = start_reloading(dir.path(), trust_dir.path(), Duration::from_millis(100)).await;
    let mut alice_session = RawClient::login(&relay, &alice).await;
    let mut bob_session = RawClient::login(&relay, &bob).await;

    // The authority revokes alice; its CRL is dropped beside the anchor.
    gbr.authority
        .revoke(&CertificateSerial::of_certificate(alice.chain.leaf()).unwrap());
    let now = SystemTime::now();
    let crl = gbr
        .authority
        .crl(
            now - Duration::from_secs(60),
            now + Duration::from_secs(86_400),
        )
        .unwrap();
    std::fs::write(trust_dir.path().join("gbr.crl"), crl).unwrap();

    // Without a restart, alice's open session is told and closed...
    let told = tokio::time::timeout(Duration::from_secs(10), alice_session.response(0))
        .await
        .expect("the revoked session stayed open");
    assert_eq!(refusal(told), ErrorCode::Revoked);
    assert!(alice_session.closed().await);
    // ...a new login is refused, and bob is untouched.
    let mut again = RawClient::connect(&relay).await;
    assert_eq!(
        refusal(again.authenticate(&alice.chain, &alice.key()).await),
        ErrorCode::Revoked
    );
    bob_session.ok(Request::KeyPackageCount).await;
    relay.stop().await;
}

#[tokio::test]
async fn a_session_ends_when_the_certificate_expires() {
    let gbr = nation("GBR");
    let key = DeviceKey::generate().unwrap();
    let now = SystemTime::now();
    let chain = certificate(
        &gbr,
        "gbr.short",
        &key,
        now - Duration::from_secs(60),
        now + Duration::from_secs(3),
    );
    let dir = tempfile::tempdir().unwrap();
    let relay = start_relay(dir.path(), anchors(&[&gbr]), limits()).await;
    let mut client = RawClient::connect(&relay).await;
    assert!(matches!(
        client.authenticate(&chain, &key).await,
        ResponseResult::Ok(Response::Authenticated { .. })
    ));
    // Nothing asked: the relay itself ends the session at expiry.
    let ended = tokio::time::timeout(Duration::from_secs(10), client.response(0))
        .await
        .expect("the session outlived its certificate");
    assert_eq!(refusal(ended), ErrorCode::Expired);
    assert!(client.closed().await);
    relay.stop().await;
}
