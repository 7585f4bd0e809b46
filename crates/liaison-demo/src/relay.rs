//! The real relay, in this process, on 127.0.0.1 with its development
//! certificate: what the demo, scripted scenarios and tests talk to over
//! real sockets.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use liaison_core::{
    CertificateChain, DeliveryError, DeviceKey, RelayClient, RelayClientConfig, RelayTrust,
    TrustAnchors,
};
use liaison_relay::{Config, Limits, Server, StartError};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::DemoError;

/// The relay's name, signed by clients when they authenticate.
pub const RELAY_NAME: &str = "liaison-demo-relay";

/// A relay serving from a data directory on 127.0.0.1 until stopped.
#[derive(Debug)]
pub struct LocalRelay {
    addr: SocketAddr,
    certificate: PathBuf,
    certificate_pem: String,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), StartError>>>,
}

/// How a local relay runs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RelaySettings {
    /// Bounds on clients and groups.
    pub limits: Limits,
    /// Whether each commit waits for the disk (see
    /// `liaison_relay::Config::durable_commits`).
    pub durable_commits: bool,
}

impl Default for RelaySettings {
    /// A relay as deployed: default limits, durable commits.
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            durable_commits: true,
        }
    }
}

impl RelaySettings {
    /// The demo's relay: its only clients are the demo's, so no rate limit
    /// worth the name, room for the benchmarks' long channels, and commits
    /// that do not wait for the disk (exercise traffic on one machine; a
    /// power cut may lose the last messages, a crash does not).
    pub fn demo() -> Self {
        let mut limits = Limits::default();
        limits.requests_per_second = 100_000;
        limits.request_burst = 100_000;
        limits.claim_burst = 100_000;
        limits.claims_per_hour = 100_000;
        limits.max_messages_per_group = 10_000_000;
        Self {
            limits,
            durable_commits: false,
        }
    }
}

impl LocalRelay {
    /// Starts a relay on `addr` (port 0 for any free one) serving from
    /// `data_dir` (created if missing: database and development
    /// certificate, both reused by later starts), trusting the officers of
    /// `trust`.
    pub async fn start(
        addr: SocketAddr,
        data_dir: &Path,
        trust: TrustAnchors,
        settings: &RelaySettings,
    ) -> Result<Self, DemoError> {
        let listener = TcpListener::bind(addr).await.map_err(|e| {
            DemoError::Relay(StartError::Io {
                what: format!("listening on {addr}"),
                source: e,
            })
        })?;
        Self::serve(listener, data_dir, trust, settings)
    }

    /// Starts on `preferred` if that port is free, otherwise on any free
    /// port of 127.0.0.1 (a restarted demo keeps its address when it can).
    pub async fn start_preferring(
        preferred: Option<SocketAddr>,
        data_dir: &Path,
        trust: TrustAnchors,
        settings: &RelaySettings,
    ) -> Result<Self, DemoError> {
        if let Some(addr) = preferred
            && let Ok(listener) = TcpListener::bind(addr).await
        {
            return Self::serve(listener, data_dir, trust, settings);
        }
        let any = SocketAddr::from(([127, 0, 0, 1], 0));
        Self::start(any, data_dir, trust, settings).await
    }

    fn serve(
        listener: TcpListener,
        data_dir: &Path,
        trust: TrustAnchors,
        settings: &RelaySettings,
    ) -> Result<Self, DemoError> {
        let mut config = Config::new(RELAY_NAME, data_dir, trust);
        config.limits = settings.limits.clone();
        config.durable_commits = settings.durable_commits;
        let server = Server::bind(listener, config)?;
        let addr = server.local_addr()?;
        let certificate = server.certificate_path().to_path_buf();
        let certificate_pem = std::fs::read_to_string(&certificate)
            .map_err(|e| DemoError::io("reading", &certificate, e))?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.run(async move {
            // A dropped sender stops the relay as well.
            let _ = stopped.await;
        }));
        Ok(Self {
            addr,
            certificate,
            certificate_pem,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `wss://127.0.0.1:<port>/v1/ws`.
    pub fn url(&self) -> String {
        format!("wss://{}/v1/ws", self.addr)
    }

    /// The development certificate file clients pin.
    pub fn certificate_path(&self) -> &Path {
        &self.certificate
    }

    /// The development certificate (PEM) clients pin.
    pub fn certificate_pem(&self) -> &str {
        &self.certificate_pem
    }

    /// A client configuration pinning the development certificate, with
    /// quick reconnection (the relay is local).
    pub fn client_config(&self) -> Result<RelayClientConfig, DeliveryError> {
        let trust = RelayTrust::from_pem(self.certificate_pem.as_bytes())?;
        let mut config = RelayClientConfig::new(self.url(), trust);
        config.min_backoff = Duration::from_millis(50);
        config.max_backoff = Duration::from_secs(1);
        config.connect_timeout = Duration::from_secs(5);
        Ok(config)
    }

    /// Connects and authenticates as the holder of `chain` and `key`.
    pub async fn connect(
        &self,
        chain: CertificateChain,
        key: DeviceKey,
    ) -> Result<RelayClient, DeliveryError> {
        RelayClient::connect(self.client_config()?, chain, key).await
    }

    /// Stops accepting, closes every connection, and returns once the relay
    /// has stopped.
    pub async fn stop(mut self) -> Result<(), DemoError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => match task.await {
                Ok(result) => Ok(result?),
                // The relay task panicked or was cancelled: nothing is left
                // to stop.
                Err(_) => Ok(()),
            },
            None => Ok(()),
        }
    }
}
