//! Nations, officers and channels for the engine tests.

use std::cell::RefCell;
use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime};

use liaison_proto::Delivery;
use tempfile::TempDir;

use crate::delivery::{
    DeliveryService, LoopbackConnection, LoopbackRelay, flush_outbox, pull, sync,
};
use crate::engine::{ChannelId, Engine, InitialTrust, Received};
use crate::store::Store;
use crate::store::danger::{create_with_raw_key, open_with_raw_key};
use crate::{ChannelPolicy, EngineError};
use liaison_identity::Nationality;
use liaison_identity::{Authority, DeviceKey, OfficerAttributes, TrustAnchors, Validity};
use liaison_rules::{Clearance, Label, PolicyRegistry};

pub(super) fn registry() -> Arc<PolicyRegistry> {
    static REGISTRY: OnceLock<Arc<PolicyRegistry>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| Arc::new(PolicyRegistry::builtin()))
        .clone()
}

/// Runs a future to completion on a fresh single-threaded runtime.
pub(super) fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

pub(super) fn label(marking: &str) -> Label {
    Label::parse_marking(marking, &registry()).unwrap()
}

/// A partner authority.
pub(super) struct Nation {
    pub(super) authority: Authority,
    pub(super) code: Nationality,
}

thread_local! {
    /// The partner authorities made so far by this test (each test runs on
    /// its own thread): the partnership officers pin at onboarding.
    static PARTNERSHIP: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// A partner authority of this test's partnership: officers created after
/// it pin it at onboarding (see [`unpinned_nation`] for one they do not).
pub(super) fn nation(code: &str) -> Nation {
    let nation = unpinned_nation(code);
    PARTNERSHIP.with(|p| {
        p.borrow_mut()
            .push(nation.authority.certificate_der().to_vec())
    });
    nation
}

/// A partner authority no officer pins at onboarding.
pub(super) fn unpinned_nation(code: &str) -> Nation {
    let code: Nationality = code.parse().unwrap();
    let authority = Authority::init(
        &format!("{code} Liaison Authority"),
        &format!("{code} Ministry of Defence"),
        &code,
        Validity::starting_now(Duration::from_secs(3 * 365 * 86_400)).unwrap(),
    )
    .unwrap();
    Nation { authority, code }
}

/// What a new officer pins at onboarding: its own authority and the
/// partnership's.
fn onboarding_trust(own: &Nation) -> InitialTrust {
    let mut authorities = vec![own.authority.certificate_der().to_vec()];
    PARTNERSHIP.with(|p| authorities.extend(p.borrow().iter().cloned()));
    authorities.dedup();
    InitialTrust::onboarding(authorities)
}

/// An officer: an engine on its own SQLCipher file, and a relay connection.
pub(super) struct Officer {
    pub(super) engine: Engine,
    pub(super) relay: LoopbackConnection,
    pub(super) id: String,
    pub(super) dir: TempDir,
    pub(super) key: [u8; 32],
}

pub(super) fn clearance(level: &str) -> liaison_identity::ClearanceAttribute {
    let nato = registry().get("NATO").unwrap().clone();
    Clearance::builder(&nato, level)
        .build()
        .unwrap()
        .to_attribute()
}

pub(super) fn officer(relay: &LoopbackRelay, nation: &Nation, id: &str, level: &str) -> Officer {
    officer_with(relay, nation, id, clearance(level))
}

pub(super) fn officer_with(
    relay: &LoopbackRelay,
    nation: &Nation,
    id: &str,
    clearance: liaison_identity::ClearanceAttribute,
) -> Officer {
    let device = DeviceKey::generate().unwrap();
    let attributes = OfficerAttributes::new(
        id,
        format!("Officer {id}"),
        format!("{} Liaison Staff", nation.code),
        nation.code,
        clearance,
    )
    .unwrap();
    let now = SystemTime::now();
    let certificate = nation
        .authority
        .issue(
            &attributes,
            &device.public_key(),
            now,
            now + Duration::from_secs(90 * 86_400),
        )
        .unwrap();
    let chain = nation.authority.chain_for(certificate).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).unwrap();
    let store = create_with_raw_key(dir.path().join("profile.db"), &key).unwrap();
    let mut engine = Engine::create_profile(
        store,
        registry(),
        id,
        chain,
        device,
        &onboarding_trust(nation),
    )
    .unwrap();
    let connection = relay.connect(id);
    let packages = engine.generate_key_packages(4, true).unwrap();
    run(connection.publish_key_packages(packages)).unwrap();
    Officer {
        engine,
        relay: connection,
        id: id.to_owned(),
        dir,
        key,
    }
}

impl Officer {
    /// Closes the engine and opens it again from the file, as after a crash
    /// or a restart.
    pub(super) fn reopen(self) -> Self {
        let Officer {
            engine,
            relay,
            id,
            dir,
            key,
        } = self;
        drop(engine);
        Self::open(relay, id, dir, key)
    }

    pub(super) fn open(relay: LoopbackConnection, id: String, dir: TempDir, key: [u8; 32]) -> Self {
        let store: Store = open_with_raw_key(dir.path().join("profile.db"), &key).unwrap();
        let engine = Engine::open(store, registry()).unwrap();
        Officer {
            engine,
            relay,
            id,
            dir,
            key,
        }
    }

    pub(super) fn sync(&mut self) {
        run(sync(&mut self.engine, &self.relay)).unwrap();
    }

    pub(super) fn flush(&mut self) {
        run(flush_outbox(&mut self.engine, &self.relay)).unwrap();
    }

    pub(super) fn pull(&mut self, channel: &ChannelId) -> crate::PullReport {
        run(pull(&mut self.engine, &self.relay, channel)).unwrap()
    }

    /// Receives every delivery after our cursor one at a time, returning
    /// each result (for tests that look at refusals).
    pub(super) fn receive_all(
        &mut self,
        channel: &ChannelId,
    ) -> Vec<Result<Received, EngineError>> {
        let cursor = self.engine.cursor(channel).unwrap();
        let batch: Vec<Delivery> = run(self.relay.fetch(&channel.0, cursor, 10_000)).unwrap();
        batch.iter().map(|d| self.engine.receive(d)).collect()
    }

    pub(super) fn bodies(&self, channel: &ChannelId) -> Vec<String> {
        self.engine
            .messages(channel)
            .unwrap()
            .into_iter()
            .map(|m| m.body)
            .collect()
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

pub(super) fn channel_policy(
    name: &str,
    ceiling: &str,
    default: &str,
    admins: &[&str],
    nations: &[&Nation],
) -> ChannelPolicy {
    ChannelPolicy::new(
        name,
        label(ceiling),
        label(default),
        admins.iter().map(|a| (*a).to_owned()),
        anchors(nations),
    )
    .unwrap()
}

/// The standard cell of the first scenario: a GBR admin, a FRA and a DEU
/// officer, ceiling NATO SECRET releasable to the three.
pub(super) struct Cell {
    pub(super) relay: LoopbackRelay,
    pub(super) gbr: Nation,
    pub(super) fra: Nation,
    pub(super) deu: Nation,
    pub(super) admin: Officer,
    pub(super) fr: Officer,
    pub(super) de: Officer,
    pub(super) channel: ChannelId,
}

pub(super) const CEILING: &str = "NATO SECRET//REL TO DEU, FRA, GBR";
pub(super) const DEFAULT: &str = "NATO RESTRICTED//REL TO DEU, FRA, GBR";

pub(super) fn cell() -> Cell {
    let relay = LoopbackRelay::new();
    let (gbr, fra, deu) = (nation("GBR"), nation("FRA"), nation("DEU"));
    let mut admin = officer(&relay, &gbr, "gbr.admin", "NATO SECRET");
    let mut fr = officer(&relay, &fra, "fra.officer", "NATO SECRET");
    let mut de = officer(&relay, &deu, "deu.officer", "NATO SECRET");
    let policy = channel_policy(
        "GBR-FRA-DEU border cell",
        CEILING,
        DEFAULT,
        &["gbr.admin"],
        &[&gbr, &fra, &deu],
    );
    let channel = admin.engine.create_channel(policy).unwrap();
    add(&mut admin, &channel, &["fra.officer", "deu.officer"]);
    fr.sync();
    de.sync();
    Cell {
        relay,
        gbr,
        fra,
        deu,
        admin,
        fr,
        de,
        channel,
    }
}

/// Claims key packages and commits an add through the relay.
pub(super) fn add(admin: &mut Officer, channel: &ChannelId, officers: &[&str]) {
    let packages: Vec<Vec<u8>> = officers
        .iter()
        .map(|o| run(admin.relay.claim_key_package(o)).unwrap())
        .collect();
    admin.engine.add_members(channel, &packages).unwrap();
    admin.flush();
}
