//! Nations, officers on SQLCipher files, live channels over the loopback
//! relay, and real signed envelopes for the archive tests.

use std::time::Duration;

use liaison_proto::{Envelope, MessageId, Precedence, TrafficKind};
use tempfile::TempDir;

use crate::archive::bulk::{BulkMessage, insert_bulk_channel, insert_bulk_messages};
use crate::delivery::{DeliveryService, LoopbackConnection, LoopbackRelay, flush_outbox, sync};
use crate::engine::{ChannelId, Engine, InitialTrust};
use crate::test_support::loopback::connect;
use crate::test_support::{create_profile, partner, partnership};
use liaison_identity::{CertificateChain, DeviceKey};
use liaison_rules::{ChannelPolicy, Label};

pub(super) use crate::test_support::loopback::run;
pub(super) use crate::test_support::{
    CEILING, DEFAULT, Nation, anchors, channel_policy, clearance, label, now_ms,
};

pub(super) const DAY_MS: u64 = 86_400_000;

/// A partner authority, valid from 400 days ago so that certificates (and
/// messages) may be dated up to a year back; officers created after it pin
/// it at onboarding.
pub(super) fn nation(code: &str) -> Nation {
    partner(Nation::around_now(
        code,
        Duration::from_secs(400 * 86_400),
        Duration::from_secs(3 * 365 * 86_400),
    ))
}

/// An officer's certified identity, able to sign envelopes.
pub(super) struct Identity {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) nation: String,
    pub(super) seed: [u8; 32],
    pub(super) chain: CertificateChain,
}

pub(super) fn identity(nation: &Nation, id: &str, level: &str) -> Identity {
    let device = DeviceKey::generate().unwrap();
    let now = std::time::SystemTime::now();
    let chain = nation.certify(
        id,
        clearance(level),
        &device,
        now - Duration::from_secs(365 * 86_400),
        now + Duration::from_secs(90 * 86_400),
    );
    Identity {
        id: id.to_owned(),
        name: format!("Officer {id}"),
        nation: nation.code.to_string(),
        seed: *device.to_seed(),
        chain,
    }
}

impl Identity {
    pub(super) fn device(&self) -> DeviceKey {
        DeviceKey::from_seed(&self.seed)
    }

    /// A message as the engine would store it: a real envelope, signed.
    pub(super) fn bulk_message(
        &self,
        id: [u8; 16],
        label: &Label,
        precedence: Precedence,
        body: String,
        sent_at_ms: u64,
    ) -> BulkMessage {
        let envelope = Envelope {
            message_id: MessageId(id),
            label: label.to_bytes(),
            precedence,
            kind: TrafficKind::Operation,
            body: body.clone(),
            reference: None,
            sent_at_ms,
            context: None,
        };
        let encoded = envelope.encode();
        let signature = self.device().sign(&Envelope::signing_input(&encoded));
        BulkMessage {
            message_id: id,
            seq: None,
            sender_id: self.id.clone(),
            sender_name: self.name.clone(),
            sender_nation: self.nation.clone(),
            label: label.clone(),
            precedence,
            kind: TrafficKind::Operation,
            body,
            sent_at_ms,
            received_at_ms: sent_at_ms,
            envelope: encoded,
            signature,
            sender_chain: self.chain.to_mls_credential().serialized_content().to_vec(),
        }
    }
}

/// An officer's engine on its own SQLCipher file, with a relay connection
/// when the test needs one.
pub(super) struct Officer {
    pub(super) engine: Engine,
    pub(super) relay: Option<LoopbackConnection>,
    pub(super) dir: TempDir,
}

pub(super) fn officer(identity: &Identity, relay: Option<&LoopbackRelay>) -> Officer {
    let dir = tempfile::tempdir().unwrap();
    let trust = InitialTrust::onboarding(partnership());
    let (mut engine, _) = create_profile(
        dir.path(),
        &identity.id,
        identity.chain.clone(),
        identity.device(),
        &trust,
    );
    let relay = relay.map(|relay| connect(relay, &mut engine, &identity.id));
    Officer { engine, relay, dir }
}

impl Officer {
    fn relay(&self) -> &LoopbackConnection {
        self.relay.as_ref().unwrap()
    }

    pub(super) fn sync(&mut self) {
        let relay = self.relay.take().unwrap();
        run(sync(&mut self.engine, &relay)).unwrap();
        self.relay = Some(relay);
    }

    pub(super) fn flush(&mut self) {
        let relay = self.relay.take().unwrap();
        run(flush_outbox(&mut self.engine, &relay)).unwrap();
        self.relay = Some(relay);
    }

    /// Claims key packages and commits an add through the relay.
    pub(super) fn add(&mut self, channel: &ChannelId, officers: &[&str]) {
        let packages: Vec<Vec<u8>> = officers
            .iter()
            .map(|o| run(self.relay().claim_key_package(o)).unwrap())
            .collect();
        self.engine.add_members(channel, &packages).unwrap();
        self.flush();
    }

    /// Puts bulk messages in a new channel row of this officer's store.
    pub(super) fn bulk_channel(
        &self,
        policy: &ChannelPolicy,
        messages: &[BulkMessage],
    ) -> ChannelId {
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).unwrap();
        let channel = ChannelId(id.to_vec());
        let conn = self.engine.store().connection();
        insert_bulk_channel(conn, &channel, policy, now_ms()).unwrap();
        self.engine
            .store()
            .transaction(|store| insert_bulk_messages(store.connection(), &channel, messages))
            .unwrap();
        channel
    }
}

pub(super) fn policy(name: &str, admins: &[&str], nations: &[&Nation]) -> ChannelPolicy {
    channel_policy(name, CEILING, DEFAULT, admins, anchors(nations))
}

/// A fresh random message id.
pub(super) fn message_id() -> [u8; 16] {
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).unwrap();
    id
}
