//! The client of the real relay: one WebSocket over TLS 1.3 (rustls),
//! authenticated with the officer's certificate chain and device key,
//! implementing [`DeliveryService`] by request and response, with pushed
//! deliveries per subscribed group and automatic reconnection.

mod connect;
mod driver;
mod error;
mod trust;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use liaison_identity::{CertificateChain, DeviceKey};
use liaison_proto::relay::{Request, Response};
use liaison_proto::{Bytes, Delivery, Seq, Submission, SubmitOutcome};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio_rustls::TlsConnector;

pub use trust::RelayTrust;

use super::{DeliveryError, DeliveryService};
use driver::{Backoff, Command, Driver};

/// How to reach and trust a relay.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RelayClientConfig {
    /// `wss://HOST:PORT/v1/ws`.
    pub url: String,
    /// The relay certificates trusted.
    pub trust: RelayTrust,
    /// How long one request may take before it fails `Unavailable`.
    pub request_timeout: Duration,
    /// How long one connection attempt (TCP, TLS, authentication) may take.
    pub connect_timeout: Duration,
    /// First delay before reconnecting; doubled after each failure.
    pub min_backoff: Duration,
    /// Longest delay between reconnection attempts.
    pub max_backoff: Duration,
}

impl RelayClientConfig {
    /// A configuration with default timings (30 s requests, 10 s
    /// connections, reconnecting after 0.5 s up to 30 s).
    pub fn new(url: impl Into<String>, trust: RelayTrust) -> Self {
        Self {
            url: url.into(),
            trust,
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
        }
    }
}

/// An authenticated connection to a relay. Cheap to share by reference;
/// dropping it closes the connection.
#[derive(Debug)]
pub struct RelayClient {
    commands: mpsc::Sender<Command>,
    officer_id: String,
    request_timeout: Duration,
    welcomes: broadcast::Sender<Vec<u8>>,
    connected: Arc<AtomicBool>,
}

/// Deliveries pushed for one group, in order, without repeats across
/// reconnections. Ends (`None`) when the relay stops the subscription (the
/// member was removed) or the client is dropped.
#[derive(Debug)]
pub struct Subscription {
    deliveries: mpsc::UnboundedReceiver<Delivery>,
}

impl Subscription {
    /// The next delivery.
    pub async fn recv(&mut self) -> Option<Delivery> {
        self.deliveries.recv().await
    }
}

fn unexpected() -> DeliveryError {
    DeliveryError::Malformed("unexpected answer from the relay".into())
}

impl RelayClient {
    /// Connects and authenticates. A refused credential is reported as such
    /// (`UnknownAuthority`, `CertificateExpired`, …); an unreachable relay
    /// as `Unavailable`. Once connected, the client reconnects by itself.
    /// Must be called inside a tokio runtime.
    pub async fn connect(
        config: RelayClientConfig,
        chain: CertificateChain,
        key: DeviceKey,
    ) -> Result<Self, DeliveryError> {
        let tls = TlsConnector::from(config.trust.client_config()?);
        let (socket, officer_id) =
            connect::open(&config.url, &tls, &chain, &key, config.connect_timeout).await?;
        let (commands, receiver) = mpsc::channel(64);
        let (welcomes, _) = broadcast::channel(64);
        let connected = Arc::new(AtomicBool::new(true));
        let driver = Driver::new(
            config.url,
            tls,
            chain,
            key,
            Backoff {
                min: config.min_backoff,
                max: config.max_backoff,
                connect_timeout: config.connect_timeout,
            },
            receiver,
            welcomes.clone(),
            connected.clone(),
        );
        tokio::spawn(driver.run(socket));
        Ok(Self {
            commands,
            officer_id,
            request_timeout: config.request_timeout,
            welcomes,
            connected,
        })
    }

    /// The officer id the relay authenticated.
    pub fn officer_id(&self) -> &str {
        &self.officer_id
    }

    /// Whether the connection is up (it may drop at any moment).
    pub fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Acquire)
    }

    /// Welcomes pushed from now on, as a hint to call
    /// [`DeliveryService::welcomes`] (which hands them out).
    pub fn welcome_notices(&self) -> broadcast::Receiver<Vec<u8>> {
        self.welcomes.subscribe()
    }

    /// Pushes every message of a group after `after`, now and as they
    /// arrive, re-subscribing from the last one received after a
    /// reconnection. A new subscription to the same group replaces the old.
    pub async fn subscribe(
        &self,
        group_id: &[u8],
        after: Seq,
    ) -> Result<Subscription, DeliveryError> {
        let (sink, deliveries) = mpsc::unbounded_channel();
        let (reply, answer) = oneshot::channel();
        self.send(Command::Subscribe {
            group_id: group_id.to_vec(),
            after,
            sink,
            reply,
        })
        .await?;
        self.wait(answer).await?;
        Ok(Subscription { deliveries })
    }

    /// The officers who hold key packages at the relay (so they can be
    /// added to a channel now), sorted by officer id, with the certificate
    /// chains their packages carry. The chains are unverified: check them
    /// against a channel's anchors. An entry whose chain does not parse is
    /// left out.
    pub async fn list_officers(
        &self,
        limit: u32,
    ) -> Result<Vec<(String, CertificateChain)>, DeliveryError> {
        match self.call(Request::ListOfficers { limit }).await? {
            Response::Officers { officers } => Ok(officers
                .into_iter()
                .filter_map(|entry| {
                    let ders = entry.certificate_chain.into_iter().map(|b| b.0).collect();
                    let chain = CertificateChain::from_der(ders).ok()?;
                    Some((entry.officer_id, chain))
                })
                .collect()),
            _ => Err(unexpected()),
        }
    }

    async fn send(&self, command: Command) -> Result<(), DeliveryError> {
        self.commands
            .send(command)
            .await
            .map_err(|_| DeliveryError::Unavailable("the relay connection is closed".into()))
    }

    async fn wait<T>(
        &self,
        answer: oneshot::Receiver<Result<T, DeliveryError>>,
    ) -> Result<T, DeliveryError> {
        match tokio::time::timeout(self.request_timeout, answer).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(DeliveryError::Unavailable(
                "the relay connection is closed".into(),
            )),
            Err(_) => Err(DeliveryError::Unavailable(
                "the relay did not answer in time".into(),
            )),
        }
    }

    async fn call(&self, request: Request) -> Result<Response, DeliveryError> {
        let (reply, answer) = oneshot::channel();
        self.send(Command::Call { request, reply }).await?;
        self.wait(answer).await
    }
}

impl DeliveryService for RelayClient {
    async fn publish_key_packages(&self, key_packages: Vec<Vec<u8>>) -> Result<(), DeliveryError> {
        let request = Request::PublishKeyPackages {
            key_packages: key_packages.into_iter().map(Bytes).collect(),
        };
        match self.call(request).await? {
            Response::Published { .. } => Ok(()),
            _ => Err(unexpected()),
        }
    }

    async fn claim_key_package(&self, officer_id: &str) -> Result<Vec<u8>, DeliveryError> {
        let request = Request::ClaimKeyPackage {
            officer_id: officer_id.to_owned(),
            authority: None,
        };
        match self.call(request).await? {
            Response::KeyPackage { key_package } => Ok(key_package.0),
            _ => Err(unexpected()),
        }
    }

    async fn claim_key_package_from(
        &self,
        officer_id: &str,
        authority: &liaison_identity::Fingerprint,
    ) -> Result<Vec<u8>, DeliveryError> {
        let request = Request::ClaimKeyPackage {
            officer_id: officer_id.to_owned(),
            authority: Some(Bytes(authority.as_bytes().to_vec())),
        };
        match self.call(request).await? {
            Response::KeyPackage { key_package } => Ok(key_package.0),
            _ => Err(unexpected()),
        }
    }

    async fn create_group(
        &self,
        group_id: &[u8],
        group_info: Vec<u8>,
    ) -> Result<(), DeliveryError> {
        let request = Request::CreateGroup {
            group_id: Bytes(group_id.to_vec()),
            group_info: Bytes(group_info),
        };
        match self.call(request).await? {
            Response::GroupCreated => Ok(()),
            _ => Err(unexpected()),
        }
    }

    async fn key_package_count(&self) -> Result<(u32, bool), DeliveryError> {
        match self.call(Request::KeyPackageCount).await? {
            Response::KeyPackageCount {
                one_time,
                last_resort,
            } => Ok((one_time, last_resort)),
            _ => Err(unexpected()),
        }
    }

    async fn submit(&self, submission: Submission) -> Result<SubmitOutcome, DeliveryError> {
        match self.call(Request::Submit(submission)).await? {
            Response::Submitted { outcome } => Ok(outcome),
            _ => Err(unexpected()),
        }
    }

    async fn fetch(
        &self,
        group_id: &[u8],
        after: Seq,
        limit: usize,
    ) -> Result<Vec<Delivery>, DeliveryError> {
        let request = Request::Fetch {
            group_id: Bytes(group_id.to_vec()),
            after,
            limit: u32::try_from(limit).unwrap_or(u32::MAX),
        };
        match self.call(request).await? {
            Response::Deliveries { deliveries } => {
                if deliveries.iter().any(|d| d.group_id != group_id) {
                    return Err(DeliveryError::Malformed(
                        "the relay answered with another group's messages".into(),
                    ));
                }
                Ok(deliveries)
            }
            _ => Err(unexpected()),
        }
    }

    async fn welcomes(&self) -> Result<Vec<Vec<u8>>, DeliveryError> {
        match self.call(Request::Welcomes).await? {
            Response::Welcomes { welcomes } => Ok(welcomes.into_iter().map(|w| w.0).collect()),
            _ => Err(unexpected()),
        }
    }

    async fn drop_welcomes(&self, hashes: Vec<[u8; 32]>) -> Result<(), DeliveryError> {
        if hashes.is_empty() {
            return Ok(());
        }
        let hashes = hashes.into_iter().map(|h| Bytes(h.to_vec())).collect();
        match self.call(Request::DropWelcomes { hashes }).await? {
            Response::WelcomesDropped { .. } => Ok(()),
            _ => Err(unexpected()),
        }
    }

    async fn request_rejoin(&self, group_id: &[u8], request: Vec<u8>) -> Result<(), DeliveryError> {
        let request = Request::RequestRejoin {
            group_id: Bytes(group_id.to_vec()),
            request: Bytes(request),
        };
        match self.call(request).await? {
            Response::RejoinRequested => Ok(()),
            _ => Err(unexpected()),
        }
    }

    async fn rejoin_requests(
        &self,
        group_id: &[u8],
    ) -> Result<Vec<(String, Vec<u8>)>, DeliveryError> {
        let request = Request::RejoinRequests {
            group_id: Bytes(group_id.to_vec()),
        };
        match self.call(request).await? {
            Response::RejoinRequests { requests } => Ok(requests
                .into_iter()
                .map(|entry| (entry.officer_id, entry.request.0))
                .collect()),
            _ => Err(unexpected()),
        }
    }
}
