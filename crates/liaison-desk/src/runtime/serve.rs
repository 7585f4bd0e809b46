//! One connected session with the relay: a full round first, then pushed
//! deliveries, Welcome notices, nudges and periodic rounds until stopped.

use std::collections::HashMap;

use liaison_proto::Delivery;
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::task::JoinHandle;

use super::{ROUND_TICK, STATE_TICK, incoming, pump};
use crate::events::DeskEvent;
use crate::shared::Shared;
use crate::views::ConnectionState;
use liaison_core::{ChannelId, RelayClient};

/// Most deliveries applied in one transaction.
const BATCH: usize = 256;

/// A pushed delivery, or the end of a channel's subscription (`None`).
type Incoming = (ChannelId, Option<Delivery>);

/// The subscriptions of this connection, one forwarding task each.
struct Subscriptions {
    tasks: HashMap<ChannelId, JoinHandle<()>>,
    sink: mpsc::UnboundedSender<Incoming>,
}

impl Subscriptions {
    /// Subscribes to every active channel not yet followed, from its cursor.
    async fn cover(&mut self, shared: &Shared, client: &RelayClient) {
        let wanted: Vec<(ChannelId, u64)> = {
            let engine = shared.engine().await;
            match engine.channels() {
                Ok(channels) => channels
                    .into_iter()
                    .filter(|c| c.active && !self.tasks.contains_key(&c.id))
                    .filter_map(|c| engine.cursor(&c.id).ok().map(|cursor| (c.id, cursor)))
                    .collect(),
                Err(error) => {
                    tracing::warn!(%error, "listing channels to subscribe");
                    Vec::new()
                }
            }
        };
        for (channel, cursor) in wanted {
            match client.subscribe(&channel.0, cursor).await {
                Ok(mut subscription) => {
                    let sink = self.sink.clone();
                    let id = channel.clone();
                    let task = tokio::spawn(async move {
                        while let Some(delivery) = subscription.recv().await {
                            if sink.send((id.clone(), Some(delivery))).is_err() {
                                return;
                            }
                        }
                        let _ = sink.send((id, None));
                    });
                    self.tasks.insert(channel, task);
                }
                Err(error) => tracing::info!(%error, "subscribing to a channel"),
            }
        }
    }

    fn ended(&mut self, channel: &ChannelId) {
        if let Some(task) = self.tasks.remove(channel) {
            task.abort();
        }
    }
}

impl Drop for Subscriptions {
    fn drop(&mut self) {
        for task in self.tasks.values() {
            task.abort();
        }
    }
}

/// Joins, tops up, flushes and subscribes: what a fresh or restored
/// connection needs. Failures are logged; the next round retries.
async fn round(shared: &Shared, client: &RelayClient, subs: &mut Subscriptions) {
    let _gate = shared.gate().await;
    // `pump::join` announces the channels it joined itself.
    if let Err(error) = pump::join(shared, client).await {
        tracing::info!(%error, "fetching Welcomes");
    }
    if let Err(error) = pump::top_up(shared, client).await {
        tracing::info!(%error, "publishing key packages");
    }
    flush(shared, client).await;
    match pump::repair(shared, client).await {
        Ok(true) => shared.emit(DeskEvent::Channels),
        Ok(false) => {}
        Err(error) => tracing::info!(%error, "repairing forked channels"),
    }
    subs.cover(shared, client).await;
}

async fn flush(shared: &Shared, client: &RelayClient) {
    match pump::flush(shared, client).await {
        // Own messages left the pending state.
        Ok(taken) if taken > 0 => shared.emit(DeskEvent::Channels),
        Ok(_) => {}
        Err(error) => tracing::info!(%error, "flushing the outbox"),
    }
}

/// Applies a batch of pushes, commits departures as admin, flushes.
async fn deliver(shared: &Shared, client: &RelayClient, batch: &[Delivery]) {
    let _gate = shared.gate().await;
    let applied = match incoming::apply(shared, batch).await {
        Ok(applied) => applied,
        Err(error) => {
            tracing::warn!(%error, "applying deliveries");
            return;
        }
    };
    if !applied.proposals.is_empty() {
        match pump::commit_departures(shared, &applied.proposals).await {
            Ok(true) => flush(shared, client).await,
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "committing departures"),
        }
    }
}

/// Serves one connection until `stopped` fires.
pub(super) async fn serve(
    shared: &Shared,
    client: &RelayClient,
    stopped: &mut oneshot::Receiver<()>,
) {
    let (sink, mut pushes) = mpsc::unbounded_channel::<Incoming>();
    let mut subs = Subscriptions {
        tasks: HashMap::new(),
        sink,
    };
    let mut welcomes = Some(client.welcome_notices());
    let mut connected = true;
    shared.set_state(ConnectionState::Online);
    round(shared, client, &mut subs).await;
    let mut state_tick = tokio::time::interval(STATE_TICK);
    let mut round_tick = tokio::time::interval(ROUND_TICK);
    round_tick.reset();
    loop {
        tokio::select! {
            _ = &mut *stopped => return,
            Some(first) = pushes.recv() => {
                let mut batch = Vec::new();
                let mut ended = Vec::new();
                let mut next = Some(first);
                while let Some((channel, delivery)) = next.take() {
                    match delivery {
                        Some(delivery) => batch.push(delivery),
                        None => ended.push(channel),
                    }
                    if batch.len() < BATCH {
                        next = pushes.try_recv().ok();
                    }
                }
                if !batch.is_empty() {
                    deliver(shared, client, &batch).await;
                }
                for channel in &ended {
                    // Removed, or the relay stopped serving it: the next
                    // round subscribes again if it is still active.
                    subs.ended(channel);
                    shared.emit(DeskEvent::Channels);
                }
            }
            notice = recv_welcome(&mut welcomes) => {
                if notice {
                    round(shared, client, &mut subs).await;
                }
            }
            () = shared.round.notified() => {
                if connected {
                    round(shared, client, &mut subs).await;
                }
            }
            () = shared.nudge.notified() => {
                if connected {
                    let _gate = shared.gate().await;
                    flush(shared, client).await;
                }
            }
            _ = state_tick.tick() => {
                let now = client.is_connected();
                if now != connected {
                    connected = now;
                    shared.set_state(if now { ConnectionState::Online } else { ConnectionState::Connecting });
                    if now {
                        // Back after a drop: Welcomes may have been missed
                        // and the outbox has waited.
                        round(shared, client, &mut subs).await;
                    }
                }
            }
            _ = round_tick.tick() => {
                if connected {
                    round(shared, client, &mut subs).await;
                }
            }
        }
    }
}

/// Waits for the next Welcome notice; `false` once the notices are gone
/// (the branch then sleeps forever instead of spinning).
async fn recv_welcome(welcomes: &mut Option<broadcast::Receiver<Vec<u8>>>) -> bool {
    let Some(receiver) = welcomes else {
        return std::future::pending().await;
    };
    match receiver.recv().await {
        Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => true,
        Err(broadcast::error::RecvError::Closed) => {
            *welcomes = None;
            false
        }
    }
}
