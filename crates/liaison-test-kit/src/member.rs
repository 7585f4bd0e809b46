//! Officers and members: a certificate chain with its device key, and an
//! engine on its own SQLCipher file with a relay client, driven by the
//! sync layer as the apps drive it.

use liaison_core::{
    CertificateChain, ChannelId, ChannelPolicy, DeliveryService as _, DeviceKey, Draft, Engine,
    EngineError, InitialTrust, MessageId, PullReport, RelayClient, StoredMessage,
    commit_with_retry, flush_outbox, pull, sync, top_up_key_packages,
};
use tempfile::TempDir;

use crate::hostile::{Crafted, Hostile, craft_from_store};
use crate::{Endpoint, create_profile, eventually, within};

/// An officer's certificate chain and device key, before any engine.
pub struct Identity {
    /// The officer's identifier.
    pub id: String,
    /// The officer's certificate chain.
    pub chain: CertificateChain,
    seed: [u8; 32],
}

impl Identity {
    /// Officer `id`, certified by `chain` for `key`.
    pub fn new(id: &str, chain: CertificateChain, key: &DeviceKey) -> Self {
        Self {
            id: id.to_owned(),
            chain,
            seed: *key.to_seed(),
        }
    }

    /// The device key.
    pub fn key(&self) -> DeviceKey {
        DeviceKey::from_seed(&self.seed)
    }
}

/// A channel member: an engine on its own SQLCipher file and its relay
/// client.
pub struct Member {
    /// Who it is.
    pub identity: Identity,
    /// Its engine.
    pub engine: Engine,
    /// Its relay connection.
    pub client: RelayClient,
    _dir: TempDir,
}

impl Member {
    /// Opens a fresh profile for `identity`, pinning the partnership's
    /// authorities (every one the relay trusts) at onboarding, connects,
    /// and publishes key packages (as the app's first sync does) so admins
    /// can add it.
    pub async fn enrol(endpoint: &Endpoint, identity: Identity) -> Self {
        let partners = endpoint.partners.clone();
        Self::enrol_pinning(endpoint, identity, partners).await
    }

    /// [`Member::enrol`], pinning exactly the authorities `pins` (DER).
    pub async fn enrol_pinning(
        endpoint: &Endpoint,
        identity: Identity,
        pins: Vec<Vec<u8>>,
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let (mut engine, _) = create_profile(
            dir.path(),
            &identity.id,
            identity.chain.clone(),
            identity.key(),
            &InitialTrust::onboarding(pins),
        );
        let client = endpoint.connect(&identity).await.unwrap();
        assert_eq!(client.officer_id(), identity.id);
        within(
            "publishing key packages",
            top_up_key_packages(&mut engine, &client),
        )
        .await
        .unwrap();
        Self {
            identity,
            engine,
            client,
            _dir: dir,
        }
    }

    /// Drops the relay connection; the profile stays on disk.
    pub fn disconnect(self) -> Offline {
        Offline {
            identity: self.identity,
            engine: self.engine,
            dir: self._dir,
        }
    }

    /// The officer's identifier.
    pub fn id(&self) -> &str {
        &self.identity.id
    }

    /// One full sync round (join, key packages, outbox, pull, departures).
    pub async fn sync(&mut self) -> PullReport {
        within(
            &format!("sync of {}", self.identity.id),
            sync(&mut self.engine, &self.client),
        )
        .await
        .unwrap()
    }

    /// Sends the outbox; returns how many messages are left in it.
    pub async fn flush(&mut self) -> usize {
        within(
            &format!("outbox of {}", self.identity.id),
            flush_outbox(&mut self.engine, &self.client),
        )
        .await
        .unwrap()
    }

    /// Fetches and applies `channel`'s new deliveries.
    pub async fn pull(&mut self, channel: &ChannelId) -> PullReport {
        within(
            &format!("pull of {}", self.identity.id),
            pull(&mut self.engine, &self.client, channel),
        )
        .await
        .unwrap()
    }

    /// Sends and flushes one message.
    pub async fn say(&mut self, channel: &ChannelId, draft: Draft) -> MessageId {
        let id = self.engine.send(channel, draft).unwrap();
        assert_eq!(self.flush().await, 0);
        id
    }

    /// Runs an admin operation as a commit, retried on lost races.
    pub async fn commit(
        &mut self,
        channel: &ChannelId,
        mut operation: impl FnMut(&mut Engine, &ChannelId) -> Result<i64, EngineError>,
    ) -> u64 {
        let ch = channel.clone();
        within(
            &format!("commit by {}", self.identity.id),
            commit_with_retry(&mut self.engine, &self.client, channel, 5, |engine| {
                operation(engine, &ch)
            }),
        )
        .await
        .unwrap()
    }

    /// Claims one key package of each officer and commits their addition.
    pub async fn add(&mut self, channel: &ChannelId, officers: &[&str]) -> u64 {
        let mut packages = Vec::new();
        for officer in officers {
            packages.push(
                within(
                    "claiming a key package",
                    self.client.claim_key_package(officer),
                )
                .await
                .unwrap(),
            );
        }
        self.commit(channel, |engine, ch| engine.add_members(ch, &packages))
            .await
    }

    /// Adds `officer` once it has published key packages (a desk's
    /// runtime does when it connects).
    pub async fn add_when_published(&mut self, channel: &ChannelId, officer: &str) -> u64 {
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
        self.add(channel, &[officer]).await
    }

    /// Creates a channel with `policy` and registers it with the relay.
    pub async fn create_channel(&mut self, policy: ChannelPolicy) -> ChannelId {
        let channel = self.engine.create_channel(policy).unwrap();
        assert_eq!(self.flush().await, 0);
        channel
    }

    /// A hostile message `what` by this member on `channel`, built with
    /// openmls from its stored state as a client that skips its own checks
    /// would, with authenticated data `aad`; its store is not touched.
    pub fn craft(&self, channel: &ChannelId, what: Hostile<'_>, aad: Vec<u8>) -> Crafted {
        craft_from_store(&self.engine, channel, &self.identity.key(), what, aad)
    }

    /// `channel`'s stored messages.
    pub fn messages(&self, channel: &ChannelId) -> Vec<StoredMessage> {
        self.engine.messages(channel).unwrap()
    }

    /// The bodies of `channel`'s stored messages.
    pub fn bodies(&self, channel: &ChannelId) -> Vec<String> {
        self.messages(channel).into_iter().map(|m| m.body).collect()
    }

    /// What every member must agree on: epoch, roster (officer id, admin)
    /// in leaf order, and the policy's canonical encoding.
    pub fn view(&mut self, channel: &ChannelId) -> View {
        View {
            epoch: self.engine.epoch(channel).unwrap(),
            roster: self
                .engine
                .members(channel)
                .unwrap()
                .into_iter()
                .map(|m| (m.officer_id, m.admin))
                .collect(),
            policy: self.engine.policy(channel).unwrap().encode(),
        }
    }

    /// Whether this member is (still) in `channel`.
    pub fn is_active(&self, channel: &ChannelId) -> bool {
        self.engine
            .channels()
            .unwrap()
            .into_iter()
            .find(|c| c.id == *channel)
            .map(|c| c.active)
            .unwrap()
    }
}

/// A member without a relay connection.
pub struct Offline {
    /// Who it is.
    pub identity: Identity,
    /// Its engine.
    pub engine: Engine,
    dir: TempDir,
}

impl Offline {
    /// Connects again (a fresh client, a fresh authentication).
    pub async fn reconnect(self, endpoint: &Endpoint) -> Member {
        let client = endpoint.connect(&self.identity).await.unwrap();
        Member {
            identity: self.identity,
            engine: self.engine,
            client,
            _dir: self.dir,
        }
    }
}

/// A member's view of a channel's shared state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The epoch.
    pub epoch: u64,
    /// Officer identifier and admin flag of each member, in leaf order.
    pub roster: Vec<(String, bool)>,
    /// The channel policy's canonical encoding.
    pub policy: Vec<u8>,
}

impl View {
    /// The members' officer identifiers, in leaf order.
    pub fn officers(&self) -> Vec<&str> {
        self.roster.iter().map(|(id, _)| id.as_str()).collect()
    }
}

/// Asserts every member holds the same view of `channel`, and returns it.
pub fn assert_agree<'a>(
    members: impl IntoIterator<Item = &'a mut Member>,
    channel: &ChannelId,
) -> View {
    let mut first: Option<(String, View)> = None;
    for member in members {
        let view = member.view(channel);
        match &first {
            None => first = Some((member.identity.id.clone(), view)),
            Some((who, expected)) => {
                assert_eq!(&view, expected, "{} and {who} disagree", member.identity.id)
            }
        }
    }
    first.unwrap().1
}

/// `admin` creates a channel with `policy`, registers it with the relay,
/// adds `others` in one commit, and each of them joins by syncing.
pub async fn open_channel(
    admin: &mut Member,
    policy: ChannelPolicy,
    others: &mut [&mut Member],
) -> ChannelId {
    let channel = admin.create_channel(policy).await;
    let ids: Vec<String> = others.iter().map(|m| m.identity.id.clone()).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let epoch = admin.add(&channel, &ids).await;
    assert_eq!(epoch, 1);
    for member in others.iter_mut() {
        member.sync().await;
        assert!(member.is_active(&channel), "{} did not join", member.id());
    }
    channel
}
