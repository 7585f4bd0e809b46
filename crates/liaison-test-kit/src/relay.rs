//! The real relay, in this process, and where a client finds it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use liaison_core::{DeliveryError, RelayClient, RelayClientConfig, RelayTrust, TrustAnchors};
use liaison_relay::{Config, Server, StartError};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::{Identity, within};

/// Where a relay is and which certificate to pin.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// The address it listens on.
    pub addr: SocketAddr,
    /// Its development certificate (PEM), which clients pin.
    pub certificate: PathBuf,
    /// The partner authorities the relay trusts (DER): the partnership,
    /// whose authorities members pin at onboarding ([`crate::Member::enrol`]).
    pub partners: Vec<Vec<u8>>,
}

impl Endpoint {
    /// Its WebSocket URL.
    pub fn url(&self) -> String {
        format!("wss://{}/v1/ws", self.addr)
    }

    /// Trust in its development certificate alone.
    pub fn trust(&self) -> RelayTrust {
        RelayTrust::from_pem_file(&self.certificate).unwrap()
    }

    /// A client configuration pinning the relay's development certificate,
    /// reconnecting quickly (tests restart relays).
    pub fn client_config(&self) -> RelayClientConfig {
        let mut config = RelayClientConfig::new(self.url(), self.trust());
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

/// The real relay, in this process (or, [`TestRelay::remote`], one run
/// elsewhere).
pub struct TestRelay {
    /// Where it listens.
    pub endpoint: Endpoint,
    /// Its data directory (database, development certificate).
    pub dir: PathBuf,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), StartError>>>,
    _data: Option<TempDir>,
}

impl TestRelay {
    /// Serves on 127.0.0.1:0 from a temporary data directory with default
    /// limits, trusting the officers of `trust`.
    pub async fn start(trust: TrustAnchors) -> Self {
        let data = tempfile::tempdir().unwrap();
        let config = Config::new("relay.test", data.path(), trust);
        let mut relay = Self::start_with(SocketAddr::from(([127, 0, 0, 1], 0)), config).await;
        relay._data = Some(data);
        relay
    }

    /// Serves on `addr` (port 0 for any free one) as `config` says, from
    /// its data directory.
    pub async fn start_with(addr: SocketAddr, config: Config) -> Self {
        let dir = config.data_dir.clone();
        let partners = config.trust.anchors().to_vec();
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        let server = Server::bind(listener, config).unwrap();
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
            dir,
            stop: Some(stop),
            task: Some(task),
            _data: None,
        }
    }

    /// A relay run elsewhere (another process), reached at `addr` with
    /// `certificate` pinned; [`TestRelay::stop`] leaves it running.
    pub fn remote(addr: SocketAddr, certificate: PathBuf) -> Self {
        Self {
            endpoint: Endpoint {
                addr,
                certificate,
                partners: Vec::new(),
            },
            dir: PathBuf::new(),
            stop: None,
            task: None,
            _data: None,
        }
    }

    /// Graceful shutdown; returns once the relay has stopped, which it
    /// must within ten seconds.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .expect("the relay stops within 10 s")
                .unwrap()
                .unwrap();
        }
    }
}
