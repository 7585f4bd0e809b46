//! A bot's task: catch up on what the relay pushes, run the world's
//! commands, and carry out due acknowledgements and replies.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use liaison_core::{
    ChannelId, DeliveryService as _, Engine, MessageId, Received, RelayClient, join_pending, sync,
};
use tokio::sync::{Notify, broadcast, mpsc};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::Command;
use crate::DemoError;

/// Deliveries fetched and applied per transaction while catching up.
const CATCH_UP_BATCH: usize = 256;

/// How long a bot lets pushes gather before it catches up: a seeded
/// history then arrives in batches (one transaction each) rather than one
/// message at a time, and the bot's think time dwarfs it.
const COALESCE: Duration = Duration::from_millis(50);

/// Something the bot will do once its think time has passed.
pub(super) struct Due {
    pub(super) at: Instant,
    pub(super) channel: ChannelId,
    pub(super) message: MessageId,
    pub(super) action: Action,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    Acknowledge,
    Reply,
}

/// Channels with new deliveries at the relay, filled by the subscription
/// forwarders and emptied by the bot: any number of pushes become one
/// catch-up per channel.
#[derive(Default)]
struct Dirty {
    channels: Mutex<BTreeSet<ChannelId>>,
    wake: Notify,
}

impl Dirty {
    fn mark(&self, channel: &ChannelId) {
        self.channels
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(channel.clone());
        self.wake.notify_one();
    }

    fn take(&self) -> BTreeSet<ChannelId> {
        std::mem::take(&mut *self.channels.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

pub(crate) struct Bot {
    pub(super) engine: Engine,
    pub(super) relay: RelayClient,
    pub(super) nationality: &'static str,
    pub(super) reply_delay: Duration,
    pub(super) due: Vec<Due>,
    dirty: Arc<Dirty>,
    forwarders: HashMap<ChannelId, JoinHandle<()>>,
}

impl Bot {
    pub(super) fn new(
        engine: Engine,
        relay: RelayClient,
        nationality: &'static str,
        reply_delay: Duration,
    ) -> Self {
        Self {
            engine,
            relay,
            nationality,
            reply_delay,
            due: Vec::new(),
            dirty: Arc::new(Dirty::default()),
            forwarders: HashMap::new(),
        }
    }

    pub(super) fn id(&self) -> &str {
        self.engine.officer_id()
    }

    pub(super) async fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        let mut welcomes = Some(self.relay.welcome_notices());
        if let Err(error) = self.start_up().await {
            tracing::warn!(bot = self.id(), %error, "catching up at start failed");
        }
        loop {
            let next = self.due.iter().map(|d| d.at).min();
            let dirty = self.dirty.clone();
            tokio::select! {
                command = commands.recv() => match command {
                    Some(command) => self.handle(command).await,
                    None => break,
                },
                () = dirty.wake.notified() => {
                    // Let a burst of pushes gather into one batch.
                    tokio::time::sleep(COALESCE).await;
                    for channel in self.dirty.take() {
                        self.catch_up_logged(&channel).await;
                    }
                }
                notice = recv_notice(&mut welcomes) => {
                    if notice == Err(broadcast::error::RecvError::Closed) {
                        welcomes = None;
                    } else if let Err(error) = self.join().await {
                        tracing::warn!(bot = self.id(), %error, "joining failed");
                    }
                }
                () = sleep_until(next), if next.is_some() => self.run_due().await,
            }
        }
        for (_, forwarder) in self.forwarders.drain() {
            forwarder.abort();
        }
    }

    async fn start_up(&mut self) -> Result<(), DemoError> {
        sync(&mut self.engine, &self.relay).await?;
        self.follow_active().await?;
        let now = Instant::now();
        for summary in self.engine.channels()? {
            if !summary.active {
                continue;
            }
            for message in self.engine.awaiting_acknowledgement(&summary.id)? {
                self.due.push(Due {
                    at: now,
                    channel: summary.id.clone(),
                    message,
                    action: Action::Acknowledge,
                });
            }
        }
        Ok(())
    }

    async fn join(&mut self) -> Result<(), DemoError> {
        join_pending(&mut self.engine, &self.relay).await?;
        self.follow_active().await
    }

    /// Subscribes to every active channel not yet followed.
    async fn follow_active(&mut self) -> Result<(), DemoError> {
        for summary in self.engine.channels()? {
            if !summary.active || self.forwarders.contains_key(&summary.id) {
                continue;
            }
            let cursor = self.engine.cursor(&summary.id)?;
            let mut subscription = self.relay.subscribe(&summary.id.0, cursor).await?;
            let dirty = self.dirty.clone();
            let channel = summary.id.clone();
            dirty.mark(&channel);
            let forwarder = tokio::spawn(async move {
                // The pushed delivery itself is dropped: the bot fetches
                // from its cursor, which also covers what it sent itself.
                while subscription.recv().await.is_some() {
                    dirty.mark(&channel);
                }
            });
            self.forwarders.insert(summary.id, forwarder);
        }
        Ok(())
    }

    pub(super) async fn catch_up_logged(&mut self, channel: &ChannelId) {
        if let Err(error) = self.catch_up(channel).await {
            tracing::warn!(bot = self.id(), %error, "catching up failed");
        }
    }

    /// Applies everything the relay holds after the cursor, then considers
    /// each new message.
    pub(super) async fn catch_up(&mut self, channel: &ChannelId) -> Result<(), DemoError> {
        let mut fresh = Vec::new();
        loop {
            let cursor = self.engine.cursor(channel)?;
            let batch = self.relay.fetch(&channel.0, cursor, CATCH_UP_BATCH).await?;
            if batch.is_empty() {
                break;
            }
            for result in self.engine.receive_batch(&batch) {
                match result {
                    Ok(Received::Message(id)) => fresh.push(id),
                    Ok(_) => {}
                    Err(error) => {
                        tracing::debug!(bot = self.id(), %error, "delivery refused");
                    }
                }
            }
            if self.engine.cursor(channel)? == cursor {
                break;
            }
        }
        for message in fresh {
            self.consider(channel, message)?;
        }
        Ok(())
    }
}

async fn recv_notice(
    welcomes: &mut Option<broadcast::Receiver<Vec<u8>>>,
) -> Result<Vec<u8>, broadcast::error::RecvError> {
    match welcomes {
        Some(receiver) => receiver.recv().await,
        None => std::future::pending().await,
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
