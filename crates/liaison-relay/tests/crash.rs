//! The `liaison-relay` binary killed with SIGKILL loses nothing it
//! answered `accepted`.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use liaison_core::{Draft, OutgoingKind};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn spawn(data: &Path, trust: &Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_liaison-relay"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .arg("--data")
        .arg(data)
        .arg("--trust")
        .arg(trust)
        .args(["--name", "relay.test"])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// A handle on the spawned relay for the raw client.
async fn wait_ready(data: &Path, port: u16) -> TestRelayAddr {
    for _ in 0..200 {
        let certificate = liaison_relay::development_certificate(data);
        if certificate.exists()
            && tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
        {
            return TestRelayAddr {
                addr: format!("127.0.0.1:{port}").parse().unwrap(),
                certificate,
            };
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the relay did not start");
}

struct TestRelayAddr {
    addr: std::net::SocketAddr,
    certificate: std::path::PathBuf,
}

#[tokio::test]
async fn accepted_messages_survive_sigkill() {
    let gbr = nation("GBR");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let trust = dir.path().join("gbr.pem");
    std::fs::write(&trust, pem_certificate(gbr.authority.certificate_der())).unwrap();
    let port = free_port();
    let mut child = spawn(&data, &trust, port);
    let ready = wait_ready(&data, port).await;
    let relay = TestRelay::remote(ready.addr, ready.certificate.clone());
    let mut admin = officer(&gbr, "gbr.admin");
    let mut a = RawClient::login(&relay, &admin).await;
    let channel = admin
        .engine
        .create_channel(policy(&["gbr.admin"], &[&gbr]))
        .unwrap();
    register_channel(&mut a, &mut admin, &channel).await;
    let mut accepted = Vec::new();
    for text in ["one", "two", "three"] {
        admin.engine.send(&channel, Draft::text(text)).unwrap();
        let outgoing = admin
            .engine
            .outbox()
            .unwrap()
            .into_iter()
            .find(|o| o.kind == OutgoingKind::Application)
            .unwrap();
        let seq = a.accepted(&channel.0, outgoing.message.clone(), None).await;
        admin
            .engine
            .outbox_accepted(outgoing.outbox_id, seq)
            .unwrap();
        accepted.push((seq, outgoing.message));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let mut child = spawn(&data, &trust, port);
    let ready = wait_ready(&data, port).await;
    let relay = TestRelay::remote(ready.addr, ready.certificate);
    let mut a = RawClient::login(&relay, &admin).await;
    let fetched: Vec<(u64, Vec<u8>)> = a
        .fetch(&channel.0, 0)
        .await
        .into_iter()
        .map(|d| (d.seq, d.message))
        .collect();
    assert_eq!(fetched, accepted);
    child.kill().unwrap();
    child.wait().unwrap();
}

fn pem_certificate(der: &[u8]) -> String {
    use base64::Engine as _;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut pem = String::from("-----BEGIN CERTIFICATE-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(std::str::from_utf8(line).unwrap());
        pem.push('\n');
    }
    pem.push_str("-----END CERTIFICATE-----\n");
    pem
}
