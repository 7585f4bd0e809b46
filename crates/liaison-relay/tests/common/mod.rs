//! Shared fixtures of the relay's integration tests: nations (partner
//! authorities), officers (a liaison-core engine with a certificate), a
//! relay on 127.0.0.1:0 with a development certificate, and a raw protocol
//! client over real TLS and WebSocket.
#![allow(clippy::unwrap_used, dead_code, unreachable_pub, unused_imports)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures_util::{SinkExt as _, StreamExt as _};
use liaison_core::{
    CertificateChain, ChannelId, ChannelPolicy, DeviceKey, Engine, InitialTrust, TrustAnchors,
};
use liaison_proto::relay::{
    CHANNEL_BINDING_LABEL, CHANNEL_BINDING_LEN, ClientFrame, ErrorCode, Push, Request, Response,
    ResponseResult, ServerFrame, auth_signing_input,
};
use liaison_proto::{Bytes, Delivery, Seq, Submission, SubmitOutcome};
use liaison_relay::{Config, Limits};
pub use liaison_test_kit::TestRelay;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, ServerName};
use tempfile::TempDir;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

pub use liaison_test_kit::{
    CEILING, DEFAULT, Nation, anchors, cell_policy, clearance, create_profile, label, partner,
    partnership, registry,
};

/// A partner authority, valid from thirty days ago for three years, of
/// this test's partnership.
pub fn nation(code: &str) -> Nation {
    partner(Nation::around_now(
        code,
        Duration::from_secs(30 * 86_400),
        Duration::from_secs(3 * 365 * 86_400),
    ))
}

/// An officer: certificate chain, device key seed, and an engine on its own
/// SQLCipher file.
pub struct Officer {
    pub id: String,
    pub chain: CertificateChain,
    pub seed: [u8; 32],
    pub engine: Engine,
    pub dir: TempDir,
}

impl Officer {
    pub fn key(&self) -> DeviceKey {
        DeviceKey::from_seed(&self.seed)
    }
}

/// A NATO SECRET officer's certificate for `key`, valid between the two
/// instants.
pub fn certificate(
    nation: &Nation,
    id: &str,
    key: &DeviceKey,
    not_before: SystemTime,
    not_after: SystemTime,
) -> CertificateChain {
    nation.certify(id, clearance("NATO SECRET"), key, not_before, not_after)
}

pub fn officer(nation: &Nation, id: &str) -> Officer {
    let key = DeviceKey::generate().unwrap();
    let now = SystemTime::now();
    let chain = certificate(
        nation,
        id,
        &key,
        now - Duration::from_secs(60),
        now + Duration::from_secs(90 * 86_400),
    );
    let seed = *key.to_seed();
    let dir = tempfile::tempdir().unwrap();
    let trust = InitialTrust::onboarding(partnership());
    let (engine, _) = create_profile(dir.path(), id, chain.clone(), key, &trust);
    Officer {
        id: id.to_owned(),
        chain,
        seed,
        engine,
        dir,
    }
}

pub fn policy(admins: &[&str], nations: &[&Nation]) -> ChannelPolicy {
    cell_policy(admins, anchors(nations))
}

/// A relay serving on 127.0.0.1:0 from `data` with `limits`.
pub async fn start_relay(data: &Path, trust: TrustAnchors, limits: Limits) -> TestRelay {
    start_relay_at("127.0.0.1:0".parse().unwrap(), data, trust, limits).await
}

/// [`start_relay`] on a given address (to restart a relay where clients
/// expect it).
pub async fn start_relay_at(
    addr: std::net::SocketAddr,
    data: &Path,
    trust: TrustAnchors,
    limits: Limits,
) -> TestRelay {
    let mut config = Config::new("relay.test", data, trust);
    config.limits = limits;
    TestRelay::start_with(addr, config).await
}

/// A relay whose trust is read from `trust_dir`, and read again every
/// `interval` (as `liaison-relay --trust DIR` does every minute).
pub async fn start_reloading(data: &Path, trust_dir: &Path, interval: Duration) -> TestRelay {
    let trust = liaison_relay::load_trust(&[trust_dir.to_path_buf()]).unwrap();
    let mut config = Config::new("relay.test", data, trust);
    config.trust_files = vec![trust_dir.to_path_buf()];
    config.trust_reload_interval = interval;
    TestRelay::start_with("127.0.0.1:0".parse().unwrap(), config).await
}

pub fn tls_connector(certificate: &Path) -> TlsConnector {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(certificate).unwrap() {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(config))
}

/// A raw protocol client.
pub struct RawClient {
    ws: WebSocketStream<TlsStream<TcpStream>>,
    pub nonce: Vec<u8>,
    pub relay_name: String,
    next_id: u64,
    pub pushes: Vec<Push>,
}

impl RawClient {
    pub async fn connect(relay: &TestRelay) -> Self {
        let tcp = TcpStream::connect(relay.endpoint.addr).await.unwrap();
        let name = ServerName::IpAddress(relay.endpoint.addr.ip().into());
        let tls = tls_connector(&relay.endpoint.certificate)
            .connect(name, tcp)
            .await
            .unwrap();
        let (ws, _) = tokio_tungstenite::client_async(relay.endpoint.url(), tls)
            .await
            .unwrap();
        let mut client = Self {
            ws,
            nonce: Vec::new(),
            relay_name: String::new(),
            next_id: 1,
            pushes: Vec::new(),
        };
        match client.next_frame().await {
            Some(ServerFrame::Push {
                push: Push::Challenge { nonce, relay, .. },
            }) => {
                client.nonce = nonce.0;
                client.relay_name = relay;
            }
            other => panic!("expected a challenge, got {other:?}"),
        }
        client
    }

    /// Connects and authenticates as `officer`.
    pub async fn login(relay: &TestRelay, officer: &Officer) -> Self {
        let mut client = Self::connect(relay).await;
        let result = client.authenticate(&officer.chain, &officer.key()).await;
        assert!(
            matches!(result, ResponseResult::Ok(Response::Authenticated { .. })),
            "{result:?}"
        );
        client
    }

    /// The channel binding of this connection's TLS session, which a login
    /// signature must cover.
    pub fn channel_binding(&self) -> [u8; CHANNEL_BINDING_LEN] {
        self.ws
            .get_ref()
            .get_ref()
            .1
            .export_keying_material([0u8; CHANNEL_BINDING_LEN], CHANNEL_BINDING_LABEL, None)
            .unwrap()
    }

    pub async fn authenticate(
        &mut self,
        chain: &CertificateChain,
        key: &DeviceKey,
    ) -> ResponseResult {
        let signature = key.sign(&auth_signing_input(
            &self.nonce,
            &self.channel_binding(),
            &self.relay_name,
        ));
        self.request(Request::Authenticate {
            certificate_chain: chain
                .certificates()
                .iter()
                .map(|c| Bytes(c.clone()))
                .collect(),
            signature: Bytes(signature.to_vec()),
        })
        .await
    }

    pub async fn next_frame(&mut self) -> Option<ServerFrame> {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(20), self.ws.next())
                .await
                .expect("a frame within 20 s")?;
            match message {
                Ok(Message::Text(text)) => return Some(serde_json::from_str(&text).unwrap()),
                Ok(Message::Close(_)) | Err(_) => return None,
                Ok(_) => continue,
            }
        }
    }

    pub async fn send_text(&mut self, text: String) {
        self.ws.send(Message::Text(text.into())).await.unwrap();
    }

    /// Sends a request and waits for its response, keeping pushes aside.
    pub async fn request(&mut self, request: Request) -> ResponseResult {
        let id = self.next_id;
        self.next_id += 1;
        let text = serde_json::to_string(&ClientFrame { id, request }).unwrap();
        self.send_text(text).await;
        self.response(id).await
    }

    pub async fn response(&mut self, id: u64) -> ResponseResult {
        loop {
            match self.next_frame().await {
                Some(ServerFrame::Response { id: got, result }) if got == id || got == 0 => {
                    return result;
                }
                Some(ServerFrame::Response { id: got, .. }) => panic!("response {got} for {id}"),
                Some(ServerFrame::Push { push }) => self.pushes.push(push),
                None => panic!("connection closed while waiting for response {id}"),
            }
        }
    }

    /// The next push (taking those already received first).
    pub async fn push(&mut self) -> Push {
        if !self.pushes.is_empty() {
            return self.pushes.remove(0);
        }
        match self.next_frame().await {
            Some(ServerFrame::Push { push }) => push,
            other => panic!("expected a push, got {other:?}"),
        }
    }

    pub async fn ok(&mut self, request: Request) -> Response {
        match self.request(request).await {
            ResponseResult::Ok(response) => response,
            ResponseResult::Error(error) => panic!("refused: {error}"),
        }
    }

    pub async fn refused(&mut self, request: Request) -> ErrorCode {
        match self.request(request).await {
            ResponseResult::Error(error) => error.code,
            ResponseResult::Ok(response) => panic!("expected a refusal, got {response:?}"),
        }
    }

    pub async fn publish(&mut self, packages: Vec<Vec<u8>>) -> Response {
        self.ok(Request::PublishKeyPackages {
            key_packages: packages.into_iter().map(Bytes).collect(),
        })
        .await
    }

    pub async fn claim(&mut self, officer_id: &str) -> Vec<u8> {
        match self
            .ok(Request::ClaimKeyPackage {
                officer_id: officer_id.to_owned(),
                authority: None,
            })
            .await
        {
            Response::KeyPackage { key_package } => key_package.0,
            other => panic!("{other:?}"),
        }
    }

    pub async fn submit(
        &mut self,
        group_id: &[u8],
        message: Vec<u8>,
        welcome: Option<Vec<u8>>,
    ) -> ResponseResult {
        self.request(Request::Submit(Submission {
            group_id: group_id.to_vec(),
            message,
            welcome,
        }))
        .await
    }

    pub async fn accepted(
        &mut self,
        group_id: &[u8],
        message: Vec<u8>,
        welcome: Option<Vec<u8>>,
    ) -> Seq {
        match self.submit(group_id, message, welcome).await {
            ResponseResult::Ok(Response::Submitted {
                outcome: SubmitOutcome::Accepted { seq },
            }) => seq,
            other => panic!("not accepted: {other:?}"),
        }
    }

    pub async fn fetch(&mut self, group_id: &[u8], after: Seq) -> Vec<Delivery> {
        match self
            .ok(Request::Fetch {
                group_id: Bytes(group_id.to_vec()),
                after,
                limit: 1000,
            })
            .await
        {
            Response::Deliveries { deliveries } => deliveries,
            other => panic!("{other:?}"),
        }
    }

    pub async fn welcomes(&mut self) -> Vec<Vec<u8>> {
        match self.ok(Request::Welcomes).await {
            Response::Welcomes { welcomes } => welcomes.into_iter().map(|w| w.0).collect(),
            other => panic!("{other:?}"),
        }
    }

    /// Drops Welcomes by the SHA-256 of their bytes; returns how many went.
    pub async fn drop_welcomes(&mut self, welcomes: &[Vec<u8>]) -> u32 {
        use sha2::{Digest, Sha256};
        let hashes = welcomes
            .iter()
            .map(|welcome| Bytes(Sha256::digest(welcome).to_vec()))
            .collect();
        match self.ok(Request::DropWelcomes { hashes }).await {
            Response::WelcomesDropped { dropped } => dropped,
            other => panic!("{other:?}"),
        }
    }

    /// Whether the relay closed the connection (within a few seconds).
    pub async fn closed(&mut self) -> bool {
        matches!(
            tokio::time::timeout(Duration::from_secs(5), self.next_frame()).await,
            Ok(None)
        )
    }
}

/// Registers the channel an officer just created: sends the GroupInfo from
/// its outbox and marks it sent.
pub async fn register_channel(client: &mut RawClient, officer: &mut Officer, channel: &ChannelId) {
    let outgoing = officer.engine.outbox().unwrap();
    let create = outgoing
        .iter()
        .find(|o| o.kind == liaison_core::OutgoingKind::Create)
        .unwrap();
    let response = client
        .ok(Request::CreateGroup {
            group_id: Bytes(channel.0.clone()),
            group_info: Bytes(create.message.clone()),
        })
        .await;
    assert_eq!(response, Response::GroupCreated);
    officer.engine.outbox_accepted(create.outbox_id, 0).unwrap();
}

/// The single pending commit (and Welcome) in an officer's outbox.
pub fn pending_commit(officer: &Officer) -> (i64, Vec<u8>, Option<Vec<u8>>) {
    let outgoing = officer.engine.outbox().unwrap();
    let commit = outgoing
        .into_iter()
        .find(|o| o.kind == liaison_core::OutgoingKind::Commit)
        .unwrap();
    (commit.outbox_id, commit.message, commit.welcome)
}

/// Default limits, for tests that change one of them.
pub fn limits() -> Limits {
    Limits::default()
}

/// A plain HTTPS GET to the relay (health, metrics); the whole response.
pub async fn https_get(relay: &TestRelay, path: &str) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let tcp = tokio::net::TcpStream::connect(relay.endpoint.addr)
        .await
        .unwrap();
    let name = rustls_pki_types::ServerName::IpAddress(relay.endpoint.addr.ip().into());
    let mut tls = tls_connector(&relay.endpoint.certificate)
        .connect(name, tcp)
        .await
        .unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: relay\r\nConnection: close\r\n\r\n");
    tls.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    let _ = tls.read_to_end(&mut response).await;
    String::from_utf8(response).unwrap()
}

/// The value of one metric in the relay's `/metrics` text.
pub async fn metric(relay: &TestRelay, name: &str) -> u64 {
    let text = https_get(relay, "/metrics").await;
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no metric {name} in {text}"))
}
