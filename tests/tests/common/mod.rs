//! Fixtures of the end-to-end scenarios: partner authorities as the
//! exercise tools make them, officers with real certificates, and the test
//! kit's relay (the real relay on 127.0.0.1:0 with its development
//! certificate pinned) and members — an engine on its own SQLCipher file
//! plus a `RelayClient` — driven by the sync layer exactly as the apps do.
#![allow(clippy::unwrap_used, dead_code, unreachable_pub, unused_imports)]

pub mod proxy;

use std::time::Duration;

use liaison_core::{ChannelPolicy, DeviceKey, Draft, TrustAnchors};
use liaison_demo::{ExerciseAuthority, ExerciseOfficer};
pub use liaison_test_kit::{
    CEILING, DEFAULT, Endpoint, Identity, Member, Offline, PARTNERSHIP, STEP, TestRelay, View,
    assert_agree, hostile::Hostile, label, open_channel, registry, within,
};

/// A partner authority (a national root issuing officer certificates), as
/// the exercise tools make it.
pub type Nation = ExerciseAuthority;

pub fn nation(code: &str) -> Nation {
    ExerciseAuthority::for_nation(code).unwrap()
}

pub fn anchors(nations: &[&Nation]) -> TrustAnchors {
    liaison_demo::trust_anchors(nations.iter().copied()).unwrap()
}

/// An officer cleared NATO SECRET by `nation`.
pub fn identity(nation: &Nation, id: &str) -> Identity {
    identity_cleared(nation, id, "NATO SECRET")
}

/// An identity made of a chain issued elsewhere and its device key.
pub fn identity_from(chain: liaison_core::CertificateChain, key: &DeviceKey, id: &str) -> Identity {
    Identity::new(id, chain, key)
}

/// An officer of `nation` cleared to `level`.
pub fn identity_cleared(nation: &Nation, id: &str, level: &str) -> Identity {
    issued(nation, id, level, Duration::from_secs(90 * 86_400))
}

/// An officer of `nation` cleared NATO SECRET whose certificate expires
/// `lifetime` from now.
pub fn identity_valid_for(nation: &Nation, id: &str, lifetime: Duration) -> Identity {
    issued(nation, id, "NATO SECRET", lifetime)
}

fn issued(nation: &Nation, id: &str, level: &str, lifetime: Duration) -> Identity {
    let key = DeviceKey::generate().unwrap();
    let officer = ExerciseOfficer::new(
        id,
        format!("Officer {id}"),
        nation.nation().to_string(),
        level,
    );
    let chain = nation.issue(&officer, &key, lifetime, &registry()).unwrap();
    Identity::new(id, chain, &key)
}

/// The commit stamp an honest client puts in a commit's authenticated
/// data, for commits the tests build with openmls by hand.
pub fn stamp_now() -> Vec<u8> {
    liaison_proto::CommitStamp {
        instant: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    }
    .encode()
}

/// The border cell's policy with `admins`, trusting `nations`.
pub fn cell_policy(admins: &[&str], nations: &[&Nation]) -> ChannelPolicy {
    liaison_test_kit::cell_policy(admins, anchors(nations))
}

/// A labelled draft.
pub fn draft(
    body: &str,
    marking: Option<&str>,
    precedence: liaison_core::Precedence,
    kind: liaison_core::TrafficKind,
) -> Draft {
    Draft {
        label: marking.map(label),
        precedence,
        kind,
        body: body.to_owned(),
        reference: None,
    }
}
