//! A user of the demo world: an engine on its own SQLCipher file and a
//! relay client, as the desktop app holds them.
#![allow(clippy::unwrap_used, dead_code, unreachable_pub)]

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use liaison_core::{
    CertificateChain, ChannelId, DeviceKey, Draft, Engine, MessageId, RelayClient,
    RelayClientConfig, RelayTrust, StoredMessage, danger, flush_outbox, sync, top_up_key_packages,
};
use liaison_demo::{DemoConfig, DemoWorld};

/// Bound on any wait for the world.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Awaits `future`, failing the test past [`PATIENCE`].
pub async fn within<F: Future>(what: &str, future: F) -> F::Output {
    match tokio::time::timeout(PATIENCE, future).await {
        Ok(output) => output,
        Err(_) => panic!("{what}: nothing within {PATIENCE:?}"),
    }
}

/// A quiet world in `dir`: quick replies, no unprompted traffic.
pub async fn quiet_world(dir: &Path) -> DemoWorld {
    let world = within(
        "starting the world",
        DemoWorld::start(DemoConfig {
            data_dir: dir.to_path_buf(),
            reply_delay: Duration::from_millis(100),
        }),
    )
    .await
    .unwrap();
    world.set_chatter(None);
    world
}

pub struct User {
    pub engine: Engine,
    pub client: RelayClient,
    store: PathBuf,
    key: [u8; 32],
}

impl User {
    /// A new profile for the officer `chain` and `device` certify, with key
    /// packages published at the world's relay.
    pub async fn create(
        world: &DemoWorld,
        store: PathBuf,
        chain: CertificateChain,
        device: DeviceKey,
    ) -> Self {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).unwrap();
        let officer_id = chain.claimed_officer_id().unwrap();
        let engine = Engine::create_profile(
            danger::create_with_raw_key(&store, &key).unwrap(),
            world.registry().clone(),
            &officer_id,
            chain,
            device,
            &world.onboarding_trust(),
        )
        .unwrap();
        let mut user = Self::connect(world, engine, store, key).await;
        within(
            "publishing key packages",
            top_up_key_packages(&mut user.engine, &user.client),
        )
        .await
        .unwrap();
        user
    }

    async fn connect(world: &DemoWorld, engine: Engine, store: PathBuf, key: [u8; 32]) -> Self {
        let profile = engine.store().profile().unwrap().unwrap();
        let device = DeviceKey::from_seed(profile.device_key_seed.expose());
        let config = RelayClientConfig::new(
            world.relay_url(),
            RelayTrust::from_pem(world.relay_ca_pem().as_bytes()).unwrap(),
        );
        let client = within(
            "connecting",
            RelayClient::connect(config, engine.certificate_chain().clone(), device),
        )
        .await
        .unwrap();
        Self {
            engine,
            client,
            store,
            key,
        }
    }

    /// Closes the profile and opens it again against `world`'s relay (which
    /// may listen elsewhere now).
    pub async fn reconnect(self, world: &DemoWorld) -> Self {
        let Self {
            engine, store, key, ..
        } = self;
        drop(engine);
        let engine = Engine::open(
            danger::open_with_raw_key(&store, &key).unwrap(),
            world.registry().clone(),
        )
        .unwrap();
        Self::connect(world, engine, store, key).await
    }

    pub async fn sync(&mut self) {
        within("sync", sync(&mut self.engine, &self.client))
            .await
            .unwrap();
    }

    /// Syncs now and then while `world` welcomes this officer, as the app
    /// does: a new device publishes its key packages only once the old
    /// device's are used up.
    pub async fn welcomed(&mut self, world: &DemoWorld) {
        let officer_id = self.engine.officer_id().to_owned();
        let welcome = world.welcome(&officer_id);
        tokio::pin!(welcome);
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            tokio::select! {
                result = &mut welcome => {
                    result.unwrap();
                    break;
                }
                () = tokio::time::sleep(Duration::from_millis(200)) => self.sync().await,
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "welcome: not within {PATIENCE:?}"
            );
        }
        self.sync().await;
    }

    pub async fn say(&mut self, channel: &ChannelId, draft: Draft) -> MessageId {
        let id = self.engine.send(channel, draft).unwrap();
        within("flush", flush_outbox(&mut self.engine, &self.client))
            .await
            .unwrap();
        id
    }

    pub fn messages(&self, channel: &ChannelId) -> Vec<StoredMessage> {
        self.engine.messages(channel).unwrap()
    }

    /// Syncs until `done` holds for the channel's messages.
    pub async fn sync_until(
        &mut self,
        what: &str,
        channel: &ChannelId,
        mut done: impl FnMut(&Engine, &[StoredMessage]) -> bool,
    ) -> Vec<StoredMessage> {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            self.sync().await;
            let messages = self.messages(channel);
            if done(&self.engine, &messages) {
                return messages;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{what}: not within {PATIENCE:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
