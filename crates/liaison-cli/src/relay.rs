//! The one place where the binary chooses its delivery service.
//!
//! Every networked command is written against `liaison_core::DeliveryService`
//! and receives its relay from a [`Connector`]. The binary uses
//! [`RelayConnector`], whose [`Relay`] is an enum of the transports this
//! build has. Tests use a connector over the in-process `LoopbackRelay`.
//!
//! To plug in the WebSocket relay client: add a variant
//! `Remote(liaison_core::RelayClient)` to [`Relay`], forward each trait
//! method to it in the `impl DeliveryService for Relay` below, and build it
//! in [`RelayConnector::connect`] from the URL and the profile's identity
//! (see `docs/cli.md`, "Relay").

use liaison_core::{DeliveryError, DeliveryService};
use liaison_proto::{Delivery, Seq, Submission, SubmitOutcome};

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

/// The transports this build can reach a relay with. None yet: the relay
/// client is being written; until it lands every networked command reports
/// "relay unreachable" (exit code 4) and `--offline` queues changes.
#[derive(Debug)]
pub enum Relay {}

/// The binary's connector.
#[derive(Debug, Clone, Copy, Default)]
pub struct RelayConnector;

impl Connector for RelayConnector {
    type Relay = Relay;

    fn connect(&self, ctx: &Context, session: &Session) -> Result<Relay, CliError> {
        let url = session.relay_url(ctx).ok_or(CliError::NoRelayConfigured)?;
        Err(CliError::RelayUnavailable(format!(
            "{url}: this build has no relay client yet"
        )))
    }
}

impl DeliveryService for Relay {
    async fn publish_key_packages(&self, _: Vec<Vec<u8>>) -> Result<(), DeliveryError> {
        match *self {}
    }

    async fn claim_key_package(&self, _: &str) -> Result<Vec<u8>, DeliveryError> {
        match *self {}
    }

    async fn create_group(&self, _: &[u8], _: Vec<u8>) -> Result<(), DeliveryError> {
        match *self {}
    }

    async fn key_package_count(&self) -> Result<(u32, bool), DeliveryError> {
        match *self {}
    }

    async fn submit(&self, _: Submission) -> Result<SubmitOutcome, DeliveryError> {
        match *self {}
    }

    async fn fetch(&self, _: &[u8], _: Seq, _: usize) -> Result<Vec<Delivery>, DeliveryError> {
        match *self {}
    }

    async fn welcomes(&self) -> Result<Vec<Vec<u8>>, DeliveryError> {
        match *self {}
    }
}
