//! Fixtures: authorities, desks on temporary homes, an in-process relay,
//! and partner officers.

use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::views::{ConnectionState, FileChoice, ProtectionKind};
use crate::{
    AuthorityIssuer, Desk, DeskConfig, DeskEvent, ExerciseProfileRequest, FilePurpose, FileToken,
    RelayTimings,
};
use liaison_core::{
    Authority, ChannelPolicy, Clearance, ClearanceAttribute, DeliveryService as _, DeviceKey,
    Engine, InitialTrust, KdfParams, Label, Nationality, OfficerAttributes, PolicyRegistry,
    RelayClient, RelayClientConfig, RelayTrust, TrustAnchors, Validity, commit_with_retry, danger,
    flush_outbox, sync, top_up_key_packages,
};

/// Bound on any step that waits on the network.
pub(super) const STEP: Duration = Duration::from_secs(30);

pub(super) async fn within<F: Future>(what: &str, future: F) -> F::Output {
    match tokio::time::timeout(STEP, future).await {
        Ok(output) => output,
        Err(_) => panic!("{what}: no answer within {STEP:?}"),
    }
}

/// Polls `check` until it holds (the runtime works in the background).
pub(super) async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    within(what, async {
        while !check().await {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
}

pub(super) fn registry() -> Arc<PolicyRegistry> {
    Arc::new(PolicyRegistry::builtin())
}

pub(super) fn label(marking: &str) -> Label {
    Label::parse_marking(marking, &registry()).unwrap()
}

pub(super) fn clearance(level: &str) -> ClearanceAttribute {
    let nato = registry().get("NATO").unwrap().clone();
    Clearance::builder(&nato, level)
        .build()
        .unwrap()
        .to_attribute()
}

pub(super) fn nation(code: &str) -> Authority {
    let code: Nationality = code.parse().unwrap();
    let now = SystemTime::now();
    Authority::init(
        &format!("{code} Liaison Authority"),
        &format!("{code} Ministry of Defence"),
        &code,
        Validity::new(
            now - Duration::from_secs(86_400),
            now + Duration::from_secs(365 * 86_400),
        )
        .unwrap(),
    )
    .unwrap()
}

pub(super) fn anchors(authorities: &[&Authority]) -> TrustAnchors {
    TrustAnchors::new(
        authorities
            .iter()
            .map(|a| a.certificate_der().to_vec())
            .collect(),
    )
    .unwrap()
}

/// An authority that issues the desk user's exercise certificate; the
/// profile pins it and `partners` at onboarding.
pub(super) fn issuer(authority: &Authority, partners: &[Vec<u8>]) -> Arc<AuthorityIssuer> {
    let copy = Authority::from_pem(&authority.to_pem()).unwrap();
    Arc::new(
        AuthorityIssuer::new(copy, "GBR Liaison Staff", Duration::from_secs(30 * 86_400))
            .with_partners(partners.to_vec()),
    )
}

/// Events a desk emitted, for assertions.
#[derive(Clone, Default)]
pub(super) struct Events(Arc<Mutex<Vec<DeskEvent>>>);

impl Events {
    pub(super) fn names(&self) -> Vec<&'static str> {
        self.0.lock().unwrap().iter().map(DeskEvent::name).collect()
    }

    pub(super) fn all(&self) -> Vec<DeskEvent> {
        self.0.lock().unwrap().clone()
    }
}

/// A desk on a temporary home, with cheap Argon2 and quick reconnection.
pub(super) struct TestDesk {
    pub(super) desk: Desk,
    pub(super) events: Events,
    pub(super) home: TempDir,
}

pub(super) fn desk_config(
    home: &Path,
    authority: Option<&Authority>,
    relay: Option<&Endpoint>,
    events: &Events,
) -> DeskConfig {
    let mut config = DeskConfig::new(home);
    config.kdf = KdfParams::new(64, 1, 1).unwrap();
    // The partnership is the relay's: a desk user pins every authority
    // the relay trusts at onboarding, as the demo's profiles do.
    let partners = relay.map(|r| r.partners.clone()).unwrap_or_default();
    config.issuer = authority.map(|a| issuer(a, &partners) as Arc<dyn crate::Issuer>);
    if let Some(relay) = relay {
        config.relay_url = Some(relay.url());
        config.relay_trust = Some(relay.trust());
    }
    config.timings = RelayTimings {
        request_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        min_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(250),
    };
    let sink = events.0.clone();
    config.events = Arc::new(move |event| sink.lock().unwrap().push(event));
    config
}

pub(super) fn test_desk(authority: Option<&Authority>, relay: Option<&Endpoint>) -> TestDesk {
    let home = tempfile::tempdir().unwrap();
    let events = Events::default();
    let desk = Desk::new(desk_config(home.path(), authority, relay, &events));
    TestDesk { desk, events, home }
}

/// Grants `path` as a native dialog's answer would, for `purpose`.
pub(super) fn grant(desk: &Desk, purpose: FilePurpose, path: &Path) -> FileToken {
    match desk.grant_file(purpose, path.to_path_buf()).unwrap() {
        FileChoice::Chosen { token, name } => {
            assert_eq!(
                Some(name.as_str()),
                path.file_name().and_then(|n| n.to_str())
            );
            token
        }
        FileChoice::Cancelled => panic!("a grant is never a cancellation"),
    }
}

pub(super) fn exercise_request(officer_id: &str, passphrase: &str) -> ExerciseProfileRequest {
    ExerciseProfileRequest {
        display_name: format!("Officer {officer_id}"),
        officer_id: officer_id.to_owned(),
        nationality: "GBR".into(),
        clearance: "NATO SECRET".into(),
        protection: ProtectionKind::Passphrase,
        passphrase: Some(passphrase.to_owned()),
    }
}

/// Where the test relay is and which certificate to pin.
#[derive(Clone, Debug)]
pub(super) struct Endpoint {
    pub(super) addr: std::net::SocketAddr,
    pub(super) certificate: std::path::PathBuf,
    /// The partner authorities the relay trusts (DER): the partnership
    /// officers pin at onboarding.
    pub(super) partners: Vec<Vec<u8>>,
}

impl Endpoint {
    pub(super) fn url(&self) -> String {
        format!("wss://{}/v1/ws", self.addr)
    }

    pub(super) fn trust(&self) -> RelayTrust {
        RelayTrust::from_pem_file(&self.certificate).unwrap()
    }
}

/// The real relay, in this process.
pub(super) struct TestRelay {
    pub(super) endpoint: Endpoint,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), liaison_relay::StartError>>>,
    _data: TempDir,
}

impl TestRelay {
    pub(super) async fn start(trust: TrustAnchors) -> Self {
        let data = tempfile::tempdir().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let partners = trust.anchors().to_vec();
        let config = liaison_relay::Config::new("relay.desk-tests", data.path(), trust);
        let server = liaison_relay::Server::bind(listener, config).unwrap();
        let endpoint = Endpoint {
            addr: server.local_addr().unwrap(),
            certificate: server.certificate_path().to_path_buf(),
            partners,
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async move {
            let _ = stopped.await;
        }));
        Self {
            endpoint,
            stop: Some(stop),
            task: Some(task),
            _data: data,
        }
    }

    pub(super) async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            within("stopping the relay", task).await.unwrap().unwrap();
        }
    }
}

/// A partner officer: an engine on its own store and a relay client.
pub(super) struct Partner {
    pub(super) engine: Engine,
    pub(super) client: RelayClient,
    _dir: TempDir,
}

impl Partner {
    pub(super) async fn enrol(
        endpoint: &Endpoint,
        authority: &Authority,
        nation: &str,
        id: &str,
        level: &str,
    ) -> Self {
        let key = DeviceKey::generate().unwrap();
        let code = Nationality::new(nation).unwrap();
        let attributes = OfficerAttributes::new(
            id,
            format!("Officer {id}"),
            format!("{code} Liaison Staff"),
            code,
            clearance(level),
        )
        .unwrap();
        let now = SystemTime::now();
        let der = authority
            .issue(
                &attributes,
                &key.public_key(),
                now - Duration::from_secs(60),
                now + Duration::from_secs(30 * 86_400),
            )
            .unwrap();
        let chain = authority.chain_for(der).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut store_key = [0u8; 32];
        getrandom::fill(&mut store_key).unwrap();
        let store = danger::create_with_raw_key(dir.path().join("p.db"), &store_key).unwrap();
        let seed = key.to_seed();
        let trust = InitialTrust::onboarding(endpoint.partners.clone());
        let mut engine =
            Engine::create_profile(store, registry(), id, chain.clone(), key, &trust).unwrap();
        let mut config = RelayClientConfig::new(endpoint.url(), endpoint.trust());
        config.min_backoff = Duration::from_millis(50);
        config.max_backoff = Duration::from_millis(250);
        let client = within(
            "connecting a partner",
            RelayClient::connect(config, chain, DeviceKey::from_seed(&seed)),
        )
        .await
        .unwrap();
        within("key packages", top_up_key_packages(&mut engine, &client))
            .await
            .unwrap();
        Self {
            engine,
            client,
            _dir: dir,
        }
    }

    pub(super) async fn sync(&mut self) {
        within("partner sync", sync(&mut self.engine, &self.client))
            .await
            .unwrap();
    }

    pub(super) async fn flush(&mut self) {
        within(
            "partner flush",
            flush_outbox(&mut self.engine, &self.client),
        )
        .await
        .unwrap();
    }

    /// Creates a channel and registers it with the relay.
    pub(super) async fn open_channel(&mut self, policy: ChannelPolicy) -> liaison_core::ChannelId {
        let channel = self.engine.create_channel(policy).unwrap();
        self.flush().await;
        channel
    }

    /// Adds `officer` once its runtime has published key packages (it does
    /// when it connects).
    pub(super) async fn add_when_published(
        &mut self,
        channel: &liaison_core::ChannelId,
        officer: &str,
    ) {
        let client = &self.client;
        eventually("the officer's key packages", || async {
            client
                .list_officers(10)
                .await
                .unwrap()
                .iter()
                .any(|(id, _)| id == officer)
        })
        .await;
        self.add(channel, officer).await;
    }

    pub(super) async fn add(&mut self, channel: &liaison_core::ChannelId, officer: &str) {
        let package = within("claim", self.client.claim_key_package(officer))
            .await
            .unwrap();
        let ch = channel.clone();
        within(
            "add",
            commit_with_retry(&mut self.engine, &self.client, channel, 5, |engine| {
                engine.add_members(&ch, std::slice::from_ref(&package))
            }),
        )
        .await
        .unwrap();
    }

    pub(super) async fn commit(
        &mut self,
        channel: &liaison_core::ChannelId,
        operation: impl FnMut(&mut Engine) -> Result<i64, liaison_core::EngineError>,
    ) {
        within(
            "commit",
            commit_with_retry(&mut self.engine, &self.client, channel, 5, operation),
        )
        .await
        .unwrap();
    }
}

/// The border cell's policy: NATO SECRET REL TO the three nations.
pub(super) fn cell_policy(admins: &[&str], nations: &[&Authority]) -> ChannelPolicy {
    ChannelPolicy::new(
        "GBR-FRA-DEU border cell",
        label("NATO SECRET//REL TO DEU, FRA, GBR"),
        label("NATO RESTRICTED//REL TO DEU, FRA, GBR"),
        admins.iter().map(|a| (*a).to_owned()),
        anchors(nations),
    )
    .unwrap()
}

/// Waits until the desk's runtime reports `online`.
pub(super) async fn online(desk: &Desk) {
    eventually("the desk goes online", || async {
        desk.connection_state().await == ConnectionState::Online
    })
    .await;
}
