//! Nations, officers on SQLCipher files, live channels over the loopback
//! relay, and real signed envelopes for the archive tests.

use std::cell::RefCell;
use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use liaison_proto::{Envelope, MessageId, Precedence, TrafficKind};
use tempfile::TempDir;

use crate::archive::bulk::{BulkMessage, insert_bulk_channel, insert_bulk_messages};
use crate::delivery::{DeliveryService, LoopbackConnection, LoopbackRelay, flush_outbox, sync};
use crate::engine::{ChannelId, Engine, InitialTrust};
use crate::store::danger::create_with_raw_key;
use liaison_identity::{
    Authority, CertificateChain, ClearanceAttribute, DeviceKey, Nationality, OfficerAttributes,
    TrustAnchors, Validity,
};
use liaison_rules::ChannelPolicy;
use liaison_rules::{Clearance, Label, PolicyRegistry};

pub(super) const DAY_MS: u64 = 86_400_000;
pub(super) const CEILING: &str = "NATO SECRET//REL TO DEU, FRA, GBR";
pub(super) const DEFAULT: &str = "NATO RESTRICTED//REL TO DEU, FRA, GBR";

pub(super) fn registry() -> Arc<PolicyRegistry> {
    static REGISTRY: OnceLock<Arc<PolicyRegistry>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| Arc::new(PolicyRegistry::builtin()))
        .clone()
}

pub(super) fn label(marking: &str) -> Label {
    Label::parse_marking(marking, &registry()).unwrap()
}

pub(super) fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

pub(super) fn now_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

/// A partner authority, valid from 400 days ago so that certificates (and
/// messages) may be dated up to a year back.
pub(super) struct Nation {
    pub(super) authority: Authority,
    pub(super) code: Nationality,
}

thread_local! {
    /// The partner authorities made so far by this test (each test runs on
    /// its own thread): officers pin them at onboarding.
    static PARTNERSHIP: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// What officers created from now on pin at onboarding.
fn onboarding_trust() -> InitialTrust {
    InitialTrust::onboarding(PARTNERSHIP.with(|p| p.borrow().clone()))
}

pub(super) fn nation(code: &str) -> Nation {
    let nation = unpinned(code);
    PARTNERSHIP.with(|p| {
        p.borrow_mut()
            .push(nation.authority.certificate_der().to_vec())
    });
    nation
}

fn unpinned(code: &str) -> Nation {
    let code: Nationality = code.parse().unwrap();
    let now = SystemTime::now();
    let authority = Authority::init(
        &format!("{code} Liaison Authority"),
        &format!("{code} Ministry of Defence"),
        &code,
        Validity::new(
            now - Duration::from_secs(400 * 86_400),
            now + Duration::from_secs(3 * 365 * 86_400),
        )
        .unwrap(),
    )
    .unwrap();
    Nation { authority, code }
}

pub(super) fn clearance(level: &str) -> ClearanceAttribute {
    let nato = registry().get("NATO").unwrap().clone();
    Clearance::builder(&nato, level)
        .build()
        .unwrap()
        .to_attribute()
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
    let name = format!("Officer {id}");
    let attributes = OfficerAttributes::new(
        id,
        name.clone(),
        format!("{} Liaison Staff", nation.code),
        nation.code,
        clearance(level),
    )
    .unwrap();
    let now = SystemTime::now();
    let certificate = nation
        .authority
        .issue(
            &attributes,
            &device.public_key(),
            now - Duration::from_secs(365 * 86_400),
            now + Duration::from_secs(90 * 86_400),
        )
        .unwrap();
    Identity {
        id: id.to_owned(),
        name,
        nation: nation.code.to_string(),
        seed: *device.to_seed(),
        chain: nation.authority.chain_for(certificate).unwrap(),
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
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).unwrap();
    let store = create_with_raw_key(dir.path().join("profile.db"), &key).unwrap();
    let mut engine = Engine::create_profile(
        store,
        registry(),
        &identity.id,
        identity.chain.clone(),
        identity.device(),
        &onboarding_trust(),
    )
    .unwrap();
    let relay = relay.map(|relay| {
        let connection = relay.connect(&identity.id);
        let packages = engine.generate_key_packages(4, true).unwrap();
        run(connection.publish_key_packages(packages)).unwrap();
        connection
    });
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

pub(super) fn anchors(nations: &[&Nation]) -> TrustAnchors {
    TrustAnchors::new(
        nations
            .iter()
            .map(|n| n.authority.certificate_der().to_vec())
            .collect(),
    )
    .unwrap()
}

pub(super) fn policy(name: &str, admins: &[&str], nations: &[&Nation]) -> ChannelPolicy {
    ChannelPolicy::new(
        name,
        label(CEILING),
        label(DEFAULT),
        admins.iter().map(|a| (*a).to_owned()),
        anchors(nations),
    )
    .unwrap()
}

/// A fresh random message id.
pub(super) fn message_id() -> [u8; 16] {
    let mut id = [0u8; 16];
    getrandom::fill(&mut id).unwrap();
    id
}
