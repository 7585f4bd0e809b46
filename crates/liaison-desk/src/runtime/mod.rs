//! The background runtime of an unlocked profile: connects to the relay,
//! subscribes to every active channel, applies pushed deliveries, joins on
//! Welcomes, tops up key packages, flushes the outbox when nudged, and
//! reports the connection state. The relay client reconnects by itself
//! once connected; until the first connection succeeds this loop retries
//! with exponential backoff.

mod incoming;
mod pump;
mod serve;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::shared::Shared;
use super::views::ConnectionState;
use liaison_core::{DeliveryError, RelayClient, RelayClientConfig};
use liaison_identity::{CertificateChain, DeviceKey};

/// Where the runtime connects, and as whom.
pub(crate) struct RelayTarget {
    pub(crate) config: RelayClientConfig,
    pub(crate) chain: CertificateChain,
    pub(crate) key: DeviceKey,
}

/// A running runtime; [`Runtime::stop`] ends it.
pub(crate) struct Runtime {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Runtime {
    /// Starts the runtime; with no target (no relay configured) it only
    /// reports `offline`.
    pub(crate) fn spawn(shared: Arc<Shared>, target: Option<RelayTarget>) -> Self {
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(run(shared, target, stopped));
        Self {
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// Stops the runtime and waits for it (its relay client is dropped,
    /// which closes the connection).
    pub(crate) async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

fn refuses_credential(error: &DeliveryError) -> bool {
    matches!(
        error,
        DeliveryError::Unauthenticated(_)
            | DeliveryError::UnknownAuthority
            | DeliveryError::CertificateExpired
            | DeliveryError::CertificateRevoked
    )
}

async fn run(shared: Arc<Shared>, target: Option<RelayTarget>, mut stopped: oneshot::Receiver<()>) {
    let Some(target) = target else {
        shared.set_state(ConnectionState::Offline);
        let _ = stopped.await;
        return;
    };
    let mut delay = target.config.min_backoff;
    loop {
        shared.set_state(ConnectionState::Connecting);
        let key = DeviceKey::from_seed(&target.key.to_seed());
        let connect = RelayClient::connect(target.config.clone(), target.chain.clone(), key);
        let result = tokio::select! {
            _ = &mut stopped => break,
            result = connect => result,
        };
        match result {
            Ok(client) => {
                let client = Arc::new(client);
                shared.set_client(Some(Arc::clone(&client)));
                serve::serve(&shared, &client, &mut stopped).await;
                shared.set_client(None);
                break;
            }
            Err(error) => {
                shared.set_state(ConnectionState::Offline);
                if refuses_credential(&error) {
                    tracing::warn!(%error, "the relay refuses this profile's certificate");
                    delay = target.config.max_backoff;
                } else {
                    tracing::info!(%error, "the relay cannot be reached");
                }
            }
        }
        let wait = tokio::time::sleep(delay);
        tokio::select! {
            _ = &mut stopped => break,
            () = wait => {}
            // A command (a send) asks for a connection now.
            () = shared.nudge.notified() => {}
        }
        delay = delay.saturating_mul(2).min(target.config.max_backoff);
    }
    shared.set_state(ConnectionState::Offline);
}

/// How often the connection state is sampled.
const STATE_TICK: Duration = Duration::from_secs(1);
/// How often a full round (Welcomes, key packages, outbox) runs anyway.
const ROUND_TICK: Duration = Duration::from_secs(60);
