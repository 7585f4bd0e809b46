//! Fixtures of the end-to-end scenarios: partner authorities, officers with
//! real certificates, the real relay on 127.0.0.1:0 with its development
//! certificate pinned, and members — an engine on its own SQLCipher file
//! plus a `RelayClient` — driven by the sync layer exactly as the apps do.
#![allow(clippy::unwrap_used, dead_code, unreachable_pub)]

pub mod proxy;
pub mod rogue;

use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use liaison_core::{
    CertificateChain, ChannelId, ChannelPolicy, DeliveryError, DeliveryService, DeviceKey, Draft,
    Engine, InitialTrust, Label, PolicyRegistry, PullReport, RelayClient, RelayClientConfig,
    RelayTrust, StoredMessage, TrustAnchors, commit_with_retry, danger, flush_outbox, pull, sync,
    top_up_key_packages,
};
use liaison_demo::{ExerciseAuthority, ExerciseOfficer, LocalRelay, RelaySettings};
use tempfile::TempDir;

/// The partnership every scenario sets up.
pub const PARTNERSHIP: &str = "GBR-FRA-DEU border cell";
/// Its ceiling.
pub const CEILING: &str = "NATO SECRET//REL TO DEU, FRA, GBR";
/// Its default label.
pub const DEFAULT: &str = "NATO RESTRICTED//REL TO DEU, FRA, GBR";

/// Bound on any single step that waits on the network or another process.
pub const STEP: Duration = Duration::from_secs(30);

/// Awaits `future`, failing the test if it takes longer than [`STEP`].
pub async fn within<F: Future>(what: &str, future: F) -> F::Output {
    match tokio::time::timeout(STEP, future).await {
        Ok(output) => output,
        Err(_) => panic!("{what}: no answer within {STEP:?}"),
    }
}

pub fn registry() -> Arc<PolicyRegistry> {
    static REGISTRY: OnceLock<Arc<PolicyRegistry>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| Arc::new(PolicyRegistry::builtin()))
        .clone()
}

pub fn label(marking: &str) -> Label {
    Label::parse_marking(marking, &registry()).unwrap()
}

/// A partner authority (a national root issuing officer certificates).
pub type Nation = ExerciseAuthority;

pub fn nation(code: &str) -> Nation {
    ExerciseAuthority::for_nation(code).unwrap()
}

pub fn anchors(nations: &[&Nation]) -> TrustAnchors {
    liaison_demo::trust_anchors(nations.iter().copied()).unwrap()
}

/// An officer's certificate chain and device key, before any engine.
pub struct Identity {
    pub id: String,
    pub chain: CertificateChain,
    seed: [u8; 32],
}

impl Identity {
    pub fn key(&self) -> DeviceKey {
        DeviceKey::from_seed(&self.seed)
    }
}

/// An officer cleared NATO SECRET by `nation`.
pub fn identity(nation: &Nation, id: &str) -> Identity {
    identity_cleared(nation, id, "NATO SECRET")
}

/// An identity made of a chain issued elsewhere and its device key.
pub fn identity_from(chain: CertificateChain, key: &DeviceKey, id: &str) -> Identity {
    Identity {
        id: id.to_owned(),
        chain,
        seed: *key.to_seed(),
    }
}

/// An officer of `nation` cleared to `level`.
pub fn identity_cleared(nation: &Nation, id: &str, level: &str) -> Identity {
    let key = DeviceKey::generate().unwrap();
    let officer = ExerciseOfficer::new(
        id,
        format!("Officer {id}"),
        nation.nation().to_string(),
        level,
    );
    let chain = nation
        .issue(
            &officer,
            &key,
            Duration::from_secs(90 * 86_400),
            &registry(),
        )
        .unwrap();
    Identity {
        id: id.to_owned(),
        chain,
        seed: *key.to_seed(),
    }
}

/// An officer of `nation` cleared NATO SECRET whose certificate expires
/// `lifetime` from now.
pub fn identity_valid_for(nation: &Nation, id: &str, lifetime: Duration) -> Identity {
    let key = DeviceKey::generate().unwrap();
    let officer = ExerciseOfficer::new(
        id,
        format!("Officer {id}"),
        nation.nation().to_string(),
        "NATO SECRET",
    );
    let chain = nation.issue(&officer, &key, lifetime, &registry()).unwrap();
    Identity {
        id: id.to_owned(),
        chain,
        seed: *key.to_seed(),
    }
}

/// The commit stamp an honest client puts in a commit's authenticated
/// data, for commits the tests build with openmls by hand.
pub fn stamp_now() -> Vec<u8> {
    liaison_proto::CommitStamp {
        instant: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    }
    .encode()
}

/// Where a relay is and which certificate to pin.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub addr: SocketAddr,
    pub certificate: PathBuf,
    /// The partner authorities the relay trusts (DER): the partnership,
    /// whose authorities members pin at onboarding ([`Member::enrol`]).
    pub partners: Vec<Vec<u8>>,
}

impl Endpoint {
    pub fn url(&self) -> String {
        format!("wss://{}/v1/ws", self.addr)
    }

    /// A client configuration pinning the relay's development certificate,
    /// reconnecting quickly (the tests restart relays).
    pub fn client_config(&self) -> RelayClientConfig {
        let mut config = RelayClientConfig::new(
            self.url(),
            RelayTrust::from_pem_file(&self.certificate).unwrap(),
        );
        config.min_backoff = Duration::from_millis(50);
        config.max_backoff = Duration::from_millis(250);
        config.request_timeout = Duration::from_secs(20);
        config.connect_timeout = Duration::from_secs(5);
        config
    }

    /// Connects and authenticates as `identity`.
    pub async fn connect(&self, identity: &Identity) -> Result<RelayClient, DeliveryError> {
        within(
            "connecting to the relay",
            RelayClient::connect(self.client_config(), identity.chain.clone(), identity.key()),
        )
        .await
    }
}

/// The real relay, in this process, serving on 127.0.0.1:0 from a
/// temporary data directory with default limits.
pub struct TestRelay {
    pub endpoint: Endpoint,
    relay: LocalRelay,
    _data: TempDir,
}

impl TestRelay {
    pub async fn start(trust: TrustAnchors) -> Self {
        let data = tempfile::tempdir().unwrap();
        let relay = LocalRelay::start(
            "127.0.0.1:0".parse().unwrap(),
            data.path(),
            trust.clone(),
            &RelaySettings::default(),
        )
        .await
        .unwrap();
        let endpoint = Endpoint {
            addr: relay.addr(),
            certificate: relay.certificate_path().to_path_buf(),
            partners: trust.anchors().to_vec(),
        };
        Self {
            endpoint,
            relay,
            _data: data,
        }
    }

    /// Graceful shutdown; returns once the relay has stopped.
    pub async fn stop(self) {
        within("stopping the relay", self.relay.stop())
            .await
            .unwrap();
    }
}

/// A channel member: an engine on its own SQLCipher file and its relay
/// client.
pub struct Member {
    pub identity: Identity,
    pub engine: Engine,
    pub client: RelayClient,
    _dir: TempDir,
}

impl Member {
    /// Opens a fresh profile for `identity`, pinning the partnership's
    /// authorities (every one the relay trusts) at onboarding, connects,
    /// and publishes key packages (as the app's first sync does) so admins
    /// can add it.
    pub async fn enrol(endpoint: &Endpoint, identity: Identity) -> Self {
        let partners = endpoint.partners.clone();
        Self::enrol_pinning(endpoint, identity, partners).await
    }

    /// [`Member::enrol`], pinning exactly the authorities `pins` (DER).
    pub async fn enrol_pinning(
        endpoint: &Endpoint,
        identity: Identity,
        pins: Vec<Vec<u8>>,
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut store_key = [0u8; 32];
        getrandom::fill(&mut store_key).unwrap();
        let store = danger::create_with_raw_key(dir.path().join("profile.db"), &store_key).unwrap();
        let mut engine = Engine::create_profile(
            store,
            registry(),
            &identity.id,
            identity.chain.clone(),
            identity.key(),
            &InitialTrust::onboarding(pins),
        )
        .unwrap();
        let client = endpoint.connect(&identity).await.unwrap();
        assert_eq!(client.officer_id(), identity.id);
        within(
            "publishing key packages",
            top_up_key_packages(&mut engine, &client),
        )
        .await
        .unwrap();
        Self {
            identity,
            engine,
            client,
            _dir: dir,
        }
    }

    /// Drops the relay connection; the profile stays on disk.
    pub fn disconnect(self) -> Offline {
        Offline {
            identity: self.identity,
            engine: self.engine,
            dir: self._dir,
        }
    }

    pub fn id(&self) -> &str {
        &self.identity.id
    }

    /// One full sync round (join, key packages, outbox, pull, departures).
    pub async fn sync(&mut self) -> PullReport {
        within(
            &format!("sync of {}", self.identity.id),
            sync(&mut self.engine, &self.client),
        )
        .await
        .unwrap()
    }

    pub async fn flush(&mut self) -> usize {
        within(
            &format!("outbox of {}", self.identity.id),
            flush_outbox(&mut self.engine, &self.client),
        )
        .await
        .unwrap()
    }

    pub async fn pull(&mut self, channel: &ChannelId) -> PullReport {
        within(
            &format!("pull of {}", self.identity.id),
            pull(&mut self.engine, &self.client, channel),
        )
        .await
        .unwrap()
    }

    /// Sends and flushes one message.
    pub async fn say(&mut self, channel: &ChannelId, draft: Draft) -> liaison_core::MessageId {
        let id = self.engine.send(channel, draft).unwrap();
        assert_eq!(self.flush().await, 0);
        id
    }

    /// Runs an admin operation as a commit, retried on lost races.
    pub async fn commit(
        &mut self,
        channel: &ChannelId,
        mut operation: impl FnMut(&mut Engine, &ChannelId) -> Result<i64, liaison_core::EngineError>,
    ) -> u64 {
        let ch = channel.clone();
        within(
            &format!("commit by {}", self.identity.id),
            commit_with_retry(&mut self.engine, &self.client, channel, 5, |engine| {
                operation(engine, &ch)
            }),
        )
        .await
        .unwrap()
    }

    /// Claims one key package of each officer and commits their addition.
    pub async fn add(&mut self, channel: &ChannelId, officers: &[&str]) -> u64 {
        let mut packages = Vec::new();
        for officer in officers {
            packages.push(
                within(
                    "claiming a key package",
                    self.client.claim_key_package(officer),
                )
                .await
                .unwrap(),
            );
        }
        self.commit(channel, |engine, ch| engine.add_members(ch, &packages))
            .await
    }

    pub fn messages(&self, channel: &ChannelId) -> Vec<StoredMessage> {
        self.engine.messages(channel).unwrap()
    }

    pub fn bodies(&self, channel: &ChannelId) -> Vec<String> {
        self.messages(channel).into_iter().map(|m| m.body).collect()
    }

    /// What every member must agree on: epoch, roster (officer id, admin)
    /// in leaf order, and the policy's canonical encoding.
    pub fn view(&mut self, channel: &ChannelId) -> View {
        View {
            epoch: self.engine.epoch(channel).unwrap(),
            roster: self
                .engine
                .members(channel)
                .unwrap()
                .into_iter()
                .map(|m| (m.officer_id, m.admin))
                .collect(),
            policy: self.engine.policy(channel).unwrap().encode(),
        }
    }

    pub fn is_active(&self, channel: &ChannelId) -> bool {
        self.engine
            .channels()
            .unwrap()
            .into_iter()
            .find(|c| c.id == *channel)
            .map(|c| c.active)
            .unwrap()
    }
}

/// A member without a relay connection.
pub struct Offline {
    pub identity: Identity,
    pub engine: Engine,
    dir: TempDir,
}

impl Offline {
    /// Connects again (a fresh client, a fresh authentication).
    pub async fn reconnect(self, endpoint: &Endpoint) -> Member {
        let client = endpoint.connect(&self.identity).await.unwrap();
        Member {
            identity: self.identity,
            engine: self.engine,
            client,
            _dir: self.dir,
        }
    }
}

/// A member's view of a channel's shared state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub epoch: u64,
    pub roster: Vec<(String, bool)>,
    pub policy: Vec<u8>,
}

impl View {
    pub fn officers(&self) -> Vec<&str> {
        self.roster.iter().map(|(id, _)| id.as_str()).collect()
    }
}

/// Asserts every member holds the same view of `channel`, and returns it.
pub fn assert_agree<'a>(
    members: impl IntoIterator<Item = &'a mut Member>,
    channel: &ChannelId,
) -> View {
    let mut first: Option<(String, View)> = None;
    for member in members {
        let view = member.view(channel);
        match &first {
            None => first = Some((member.identity.id.clone(), view)),
            Some((who, expected)) => {
                assert_eq!(&view, expected, "{} and {who} disagree", member.identity.id)
            }
        }
    }
    first.unwrap().1
}

/// The border cell's policy with `admins`, trusting `nations`.
pub fn cell_policy(admins: &[&str], nations: &[&Nation]) -> ChannelPolicy {
    ChannelPolicy::new(
        PARTNERSHIP,
        label(CEILING),
        label(DEFAULT),
        admins.iter().map(|a| (*a).to_owned()),
        anchors(nations),
    )
    .unwrap()
}

/// `admin` creates a channel with `policy`, registers it with the relay,
/// adds `others` in one commit, and each of them joins by syncing.
pub async fn open_channel(
    admin: &mut Member,
    policy: ChannelPolicy,
    others: &mut [&mut Member],
) -> ChannelId {
    let channel = admin.engine.create_channel(policy).unwrap();
    assert_eq!(admin.flush().await, 0);
    let ids: Vec<String> = others.iter().map(|m| m.identity.id.clone()).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let epoch = admin.add(&channel, &ids).await;
    assert_eq!(epoch, 1);
    for member in others.iter_mut() {
        member.sync().await;
        assert!(member.is_active(&channel), "{} did not join", member.id());
    }
    channel
}

/// A labelled draft.
pub fn draft(
    body: &str,
    marking: Option<&str>,
    precedence: liaison_core::Precedence,
    kind: liaison_core::TrafficKind,
) -> Draft {
    Draft {
        label: marking.map(label),
        precedence,
        kind,
        body: body.to_owned(),
        reference: None,
    }
}
