//! The engine: one officer's profile, its channels and their MLS groups,
//! over the encrypted store. All rule enforcement happens here, on send and
//! again on receipt.

mod anchor_changes;
mod authorities;
mod commit;
mod commit_audit;
mod create;
mod history;
mod ids;
mod invitations;
mod keypackages;
mod membership;
mod outbox;
mod receive;
mod rejoin;
mod roster;
mod send;
mod signer;
mod thread;
mod txn;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use openmls::prelude::{Credential, CredentialType, CredentialWithKey, GroupId, MlsGroup};

use crate::channel::{EngineError, policy_bytes};
use crate::store::{DeviceKeySeed, Store};
use liaison_identity::{CertificateChain, DeviceKey};
use liaison_rules::ChannelPolicy;
use liaison_rules::CredentialCache;
use liaison_rules::PolicyRegistry;

pub use anchor_changes::AnchorAdded;
pub(crate) use authorities::list_anchors;
pub use authorities::{ChannelAnchor, InitialTrust, PinError, PinSource, PinnedAuthority};
pub use create::Inviter;
pub(crate) use history::stored_message;
pub use history::{Acknowledgement, ChannelSummary, Departure, StoredMessage};
pub use invitations::Invitation;
pub(crate) use invitations::WelcomeOutcome;
pub(crate) use liaison_rules::check_admission;
pub(crate) use receive::open_envelope;
pub use rejoin::{Fork, Gap, RejoinPlan, RejoinVerdict};
pub use roster::{MemberInfo, clearance_marking};
pub use send::{Draft, Outgoing, OutgoingKind};
pub use thread::{MessageNotice, RepliedMessage, ThreadEntry};

/// The first 16 bytes of a group's epoch authenticator (RFC 9420 §8.7),
/// carried in every message's binding and kept for every epoch entered.
pub(crate) fn epoch_check(group: &MlsGroup) -> [u8; liaison_proto::EPOCH_CHECK_LEN] {
    let mut check = [0u8; liaison_proto::EPOCH_CHECK_LEN];
    let authenticator = group.epoch_authenticator().as_slice();
    let n = authenticator.len().min(check.len());
    check[..n].copy_from_slice(&authenticator[..n]);
    check
}

/// What receiving one delivery did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// A labelled message was stored.
    Message(liaison_proto::MessageId),
    /// An acknowledgement was recorded.
    Ack {
        /// The acknowledged message.
        message_id: liaison_proto::MessageId,
        /// Who acknowledged it.
        officer_id: String,
    },
    /// A commit was applied.
    Commit {
        /// The new epoch.
        epoch: u64,
        /// We were removed by it.
        removed_self: bool,
        /// Partner authorities its policy change added to the channel's
        /// anchors (also audited as `channel.anchor_added` and listed by
        /// [`Engine::anchor_additions`]): every member is told, since
        /// every member now trusts what they certify in this channel.
        anchors_added: Vec<ChannelAnchor>,
    },
    /// A proposal was queued for the next commit.
    Proposal,
    /// Our own message came back from the relay.
    OwnEcho,
    /// A redelivery (same relay position or same bytes), ignored.
    Duplicate,
}

/// A source of the current time, replaceable in tests (certificate expiry).
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// A channel's identifier: its MLS group id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChannelId(pub Vec<u8>);

impl ChannelId {
    /// Lowercase hex, for display and command lines.
    pub fn to_hex(&self) -> String {
        hex::encode(&self.0)
    }

    pub(crate) fn group_id(&self) -> GroupId {
        GroupId::from_slice(&self.0)
    }
}

/// A channel as the engine holds it in memory: its MLS group and the policy
/// decoded from the group context.
struct LoadedChannel {
    group: MlsGroup,
    policy: ChannelPolicy,
}

/// One officer's engine.
pub struct Engine {
    store: Store,
    registry: Arc<PolicyRegistry>,
    officer_id: String,
    chain: CertificateChain,
    signer: signer::DeviceSigner,
    ids: ids::IdSequence,
    credential: CredentialWithKey,
    channels: HashMap<ChannelId, LoadedChannel>,
    verified: CredentialCache,
    clock: Clock,
    /// Per channel, the lowest thread index whose message changed other
    /// than by an append, since the last [`Engine::take_reordered`].
    reordered: HashMap<ChannelId, u64>,
    /// Per channel, `(our epoch, a later epoch seen)` when the relay has
    /// not delivered a commit to us ([`Engine::withheld`]).
    withheld: HashMap<ChannelId, (u64, u64)>,
    /// This opening pinned, once, what a profile made before pinning
    /// existed relied on (`authorities.rs`).
    upgraded_pins: bool,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("officer_id", &self.officer_id)
            .field("channels", &self.channels.len())
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Saves a new identity into an empty store, pins the partner
    /// authorities it starts with (`trust`: at least the authority that
    /// issued the officer's certificate, when the caller has it) and opens
    /// the engine on it.
    pub fn create_profile(
        store: Store,
        registry: Arc<PolicyRegistry>,
        officer_id: &str,
        chain: CertificateChain,
        device_key: DeviceKey,
        trust: &InitialTrust,
    ) -> Result<Self, EngineError> {
        store.save_profile(
            officer_id,
            chain.to_mls_credential().serialized_content(),
            &DeviceKeySeed::new(*device_key.to_seed()),
        )?;
        let mut engine = Self::open(store, registry)?;
        engine.pin_initial(trust)?;
        Ok(engine)
    }

    /// Opens the engine on a store holding a profile.
    pub fn open(store: Store, registry: Arc<PolicyRegistry>) -> Result<Self, EngineError> {
        let profile = store.profile()?.ok_or(EngineError::NoProfile)?;
        let chain = CertificateChain::from_mls_credential(&Credential::new(
            CredentialType::X509,
            profile.certificate_chain.clone(),
        ))
        .map_err(EngineError::OwnCredential)?;
        let device_key = DeviceKey::from_seed(profile.device_key_seed.expose());
        let credential = CredentialWithKey {
            credential: chain.to_mls_credential(),
            signature_key: device_key.public_key().to_vec().into(),
        };
        let mut engine = Self {
            store,
            registry,
            officer_id: profile.officer_id.clone(),
            chain,
            signer: signer::DeviceSigner::new(device_key),
            ids: ids::IdSequence::new()
                .map_err(|e| EngineError::mls("drawing a message id stream", e))?,
            credential,
            channels: HashMap::new(),
            verified: CredentialCache::new(),
            clock: Arc::new(SystemTime::now),
            reordered: HashMap::new(),
            withheld: HashMap::new(),
            upgraded_pins: false,
        };
        engine.upgraded_pins = engine.seed_pins_after_upgrade()?;
        Ok(engine)
    }

    /// The channels whose threads changed other than at their end since
    /// the last call, each with the lowest thread index that changed: a
    /// message placed before our own pending ones, or our own message
    /// ordered by the relay (no longer pending, maybe moved). A window
    /// showing the thread reloads from there.
    pub fn take_reordered(&mut self) -> Vec<(ChannelId, u64)> {
        self.reordered.drain().collect()
    }

    fn note_reordered(&mut self, channel: &ChannelId, from: u64) {
        self.reordered
            .entry(channel.clone())
            .and_modify(|lowest| *lowest = (*lowest).min(from))
            .or_insert(from);
    }

    /// Replaces the clock (tests of certificate expiry).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
        self.verified.clear();
    }

    /// This officer's identifier.
    pub fn officer_id(&self) -> &str {
        &self.officer_id
    }

    /// This officer's certificate chain (leaf first).
    pub fn certificate_chain(&self) -> &CertificateChain {
        &self.chain
    }

    /// The label policies this engine knows.
    pub fn registry(&self) -> &PolicyRegistry {
        &self.registry
    }

    /// The label policies, shared (for code that keeps them past a borrow
    /// of the engine).
    pub(crate) fn registry_arc(&self) -> Arc<PolicyRegistry> {
        Arc::clone(&self.registry)
    }

    /// The underlying store (for audit reads and tests).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Gives the store back, closing the engine.
    pub fn into_store(self) -> Store {
        self.store
    }

    /// The engine's clock (replaceable in tests).
    pub(crate) fn now(&self) -> SystemTime {
        (self.clock)()
    }

    /// This officer's device key: the archive module unwraps archives
    /// addressed to the officer's certificate with it.
    pub(crate) fn device_key(&self) -> &DeviceKey {
        self.signer.key()
    }

    /// The engine's clock in Unix milliseconds.
    pub(crate) fn now_ms(&self) -> u64 {
        self.now()
            .duration_since(UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0)
    }

    /// Loads a channel into the cache if needed.
    fn channel(&mut self, id: &ChannelId) -> Result<&mut LoadedChannel, EngineError> {
        if !self.channels.contains_key(id) {
            let loaded = self.load_channel(id)?;
            self.channels.insert(id.clone(), loaded);
        }
        self.channels.get_mut(id).ok_or(EngineError::UnknownChannel)
    }

    fn load_channel(&self, id: &ChannelId) -> Result<LoadedChannel, EngineError> {
        let group = MlsGroup::load(&self.store.mls_storage(), &id.group_id())
            .map_err(|e| EngineError::mls("loading group", e))?
            .ok_or(EngineError::UnknownChannel)?;
        let policy = decode_policy(&group, &self.registry)?;
        Ok(LoadedChannel { group, policy })
    }

    /// Drops the cached copy, so the next use reloads from the store (after
    /// a rollback, the in-memory group may be ahead of the database).
    fn forget(&mut self, id: &ChannelId) {
        self.channels.remove(id);
    }
}

fn decode_policy(
    group: &MlsGroup,
    registry: &PolicyRegistry,
) -> Result<ChannelPolicy, EngineError> {
    let bytes = policy_bytes(group.extensions()).ok_or(EngineError::MalformedMessage(
        "group has no Liaison policy extension".into(),
    ))?;
    Ok(ChannelPolicy::decode(bytes, registry)?)
}
