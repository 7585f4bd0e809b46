//! The one place where the binary chooses its delivery service.
//!
//! Every networked command is written against `liaison_core::DeliveryService`
//! and receives its relay from a [`Connector`]. The binary uses
//! [`RelayConnector`], whose [`Relay`] is an enum of the transports this
//! build has. Tests use a connector over the in-process `LoopbackRelay`.
//!

use liaison_core::{
    CertificateChain, DeliveryError, DeliveryService, DeviceKey, RelayClient, RelayClientConfig,
    RelayTrust,
};
use liaison_proto::{Delivery, Seq, Submission, SubmitOutcome};
use tokio::sync::OnceCell;

use crate::context::Context;
use crate::error::CliError;
use crate::session::Session;

/// Opens a delivery-service connection for an unlocked profile.
pub trait Connector {
    /// The connection type.
    type Relay: DeliveryService;

    /// Connects as the profile's officer to the relay the context or the
    /// profile names.
    fn connect(&self, ctx: &Context, session: &Session) -> Result<Self::Relay, CliError>;
}

/// The transports this build can reach a relay with: the relay's
/// WebSocket protocol, connected on first use (so a command that finds
/// nothing to send does not need the relay).
pub enum Relay {
    /// A relay reached over `wss://`.
    Remote(LazyRelay),
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Remote(lazy) => f.debug_tuple("Remote").field(&lazy.config.url).finish(),
        }
    }
}

/// A relay client that connects and authenticates on its first request.
pub struct LazyRelay {
    config: RelayClientConfig,
    chain: CertificateChain,
    device_key: DeviceKey,
    client: OnceCell<RelayClient>,
}

impl LazyRelay {
    async fn client(&self) -> Result<&RelayClient, DeliveryError> {
        self.client
            .get_or_try_init(|| {
                RelayClient::connect(
                    self.config.clone(),
                    self.chain.clone(),
                    DeviceKey::from_seed(&self.device_key.to_seed()),
                )
            })
            .await
    }
}

/// The binary's connector.
#[derive(Debug, Clone, Copy, Default)]
pub struct RelayConnector;

impl Connector for RelayConnector {
    type Relay = Relay;

    fn connect(&self, ctx: &Context, session: &Session) -> Result<Relay, CliError> {
        let url = session.relay_url(ctx).ok_or(CliError::NoRelayConfigured)?;
        let trust = match &ctx.relay_ca {
            Some(path) => RelayTrust::from_pem_file(path),
            None => RelayTrust::system(),
        }
        .map_err(|e| CliError::RelayUnavailable(format!("{url}: {e}")))?;
        let profile = session
            .engine
            .store()
            .profile()?
            .ok_or_else(|| CliError::RelayUnavailable("the profile has no identity".into()))?;
        Ok(Relay::Remote(LazyRelay {
            config: RelayClientConfig::new(url, trust),
            chain: session.engine.certificate_chain().clone(),
            device_key: DeviceKey::from_seed(profile.device_key_seed.expose()),
            client: OnceCell::new(),
        }))
    }
}

impl DeliveryService for Relay {
    async fn publish_key_packages(&self, packages: Vec<Vec<u8>>) -> Result<(), DeliveryError> {
        let Self::Remote(lazy) = self;
        lazy.client().await?.publish_key_packages(packages).await
    }

    async fn claim_key_package(&self, officer_id: &str) -> Result<Vec<u8>, DeliveryError> {
        let Self::Remote(lazy) = self;
        lazy.client().await?.claim_key_package(officer_id).await
    }

    async fn claim_key_package_from(
        &self,
        officer_id: &str,
        authority: &liaison_core::Fingerprint,
    ) -> Result<Vec<u8>, DeliveryError> {
        let Self::Remote(lazy) = self;
        lazy.client()
            .await?
            .claim_key_package_from(officer_id, authority)
            .await
    }

    async fn create_group(
        &self,
        group_id: &[u8],
        group_info: Vec<u8>,
    ) -> Result<(), DeliveryError> {
        let Self::Remote(lazy) = self;
        lazy.client()
            .await?
            .create_group(group_id, group_info)
            .await
    }

    async fn key_package_count(&self) -> Result<(u32, bool), DeliveryError> {
        let Self::Remote(lazy) = self;
        lazy.client().await?.key_package_count().await
    }

    async fn submit(&self, submission: Submission) -> Result<SubmitOutcome, DeliveryError> {
        let Self::Remote(lazy) = self;
        lazy.client().await?.submit(submission).await
    }

    async fn fetch(
        &self,
        group_id: &[u8],
        after: Seq,
        limit: usize,
    ) -> Result<Vec<Delivery>, DeliveryError> {
        let Self::Remote(lazy) = self;
        lazy.client().await?.fetch(group_id, after, limit).await
    }

    async fn welcomes(&self) -> Result<Vec<Vec<u8>>, DeliveryError> {
        let Self::Remote(lazy) = self;
        lazy.client().await?.welcomes().await
    }

    async fn drop_welcomes(&self, hashes: Vec<[u8; 32]>) -> Result<(), DeliveryError> {
        let Self::Remote(lazy) = self;
        lazy.client().await?.drop_welcomes(hashes).await
    }

    async fn request_rejoin(&self, group_id: &[u8], request: Vec<u8>) -> Result<(), DeliveryError> {
        let Self::Remote(lazy) = self;
        lazy.client().await?.request_rejoin(group_id, request).await
    }

    async fn rejoin_requests(
        &self,
        group_id: &[u8],
    ) -> Result<Vec<(String, Vec<u8>)>, DeliveryError> {
        let Self::Remote(lazy) = self;
        lazy.client().await?.rejoin_requests(group_id).await
    }
}
