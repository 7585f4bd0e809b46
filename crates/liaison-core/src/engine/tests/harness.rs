//! Nations, officers and channels for the engine tests.

use std::time::{Duration, SystemTime};

use liaison_proto::Delivery;
use tempfile::TempDir;

use crate::delivery::{LoopbackConnection, LoopbackRelay, flush_outbox, pull, sync};
use crate::engine::{ChannelId, Engine, InitialTrust, Received};
use crate::store::Store;
use crate::store::danger::open_with_raw_key;
use crate::{DeliveryService as _, EngineError};
use liaison_identity::{DeviceKey, Validity};

use crate::test_support::loopback::connect;
pub(super) use crate::test_support::loopback::run;
pub(super) use crate::test_support::partnership;
pub(super) use crate::test_support::{
    CEILING, DEFAULT, Nation, anchors, channel_policy, clearance, label, registry,
};
use crate::test_support::{create_profile, partner};

/// A partner authority of this test's partnership: officers created after
/// it pin it at onboarding (see [`unpinned_nation`] for one they do not).
pub(super) fn nation(code: &str) -> Nation {
    partner(unpinned_nation(code))
}

/// A partner authority no officer pins at onboarding.
pub(super) fn unpinned_nation(code: &str) -> Nation {
    Nation::new(
        code,
        Validity::starting_now(Duration::from_secs(3 * 365 * 86_400)).unwrap(),
    )
}

/// What a new officer pins at onboarding: its own authority and the
/// partnership's.
fn onboarding_trust(own: &Nation) -> InitialTrust {
    let mut authorities = vec![own.certificate_der().to_vec()];
    authorities.extend(partnership());
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
    let now = SystemTime::now();
    let chain = nation.certify(
        id,
        clearance,
        &device,
        now,
        now + Duration::from_secs(90 * 86_400),
    );
    let dir = tempfile::tempdir().unwrap();
    let (mut engine, key) =
        create_profile(dir.path(), id, chain, device, &onboarding_trust(nation));
    let connection = connect(relay, &mut engine, id);
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
        anchors(&[&gbr, &fra, &deu]),
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
