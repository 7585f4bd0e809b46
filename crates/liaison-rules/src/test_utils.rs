//! Fixtures the workspace's tests share (feature `test-utils`, never on in
//! a normal build): the built-in label policies, labels written as their
//! markings, clearances, and the border cell's channel policy; with the
//! identity fixtures (nations, certificates, anchors) they build on. They
//! panic on any failure, as test fixtures do.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, OnceLock};

pub use liaison_identity::test_utils::*;
use liaison_identity::{ClearanceAttribute, TrustAnchors};

use crate::{ChannelPolicy, Clearance, Label, PolicyRegistry};

/// The partnership the tests' channels serve.
pub const PARTNERSHIP: &str = "GBR-FRA-DEU border cell";
/// Its ceiling.
pub const CEILING: &str = "NATO SECRET//REL TO DEU, FRA, GBR";
/// Its default label.
pub const DEFAULT: &str = "NATO RESTRICTED//REL TO DEU, FRA, GBR";

/// The built-in label policies (one registry per test process).
pub fn registry() -> Arc<PolicyRegistry> {
    static REGISTRY: OnceLock<Arc<PolicyRegistry>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| Arc::new(PolicyRegistry::builtin()))
        .clone()
}

/// A label written as its marking.
pub fn label(marking: &str) -> Label {
    Label::parse_marking(marking, &registry()).unwrap()
}

/// A NATO clearance at `level`, as a certificate carries it.
pub fn clearance(level: &str) -> ClearanceAttribute {
    let nato = registry().get("NATO").unwrap().clone();
    Clearance::builder(&nato, level)
        .build()
        .unwrap()
        .to_attribute()
}

/// A channel policy named `name` with `admins`, trusting `anchors`.
pub fn channel_policy(
    name: &str,
    ceiling: &str,
    default: &str,
    admins: &[&str],
    anchors: TrustAnchors,
) -> ChannelPolicy {
    ChannelPolicy::new(
        name,
        label(ceiling),
        label(default),
        admins.iter().map(|a| (*a).to_owned()),
        anchors,
    )
    .unwrap()
}

/// The border cell's policy ([`PARTNERSHIP`], [`CEILING`], [`DEFAULT`])
/// with `admins`, trusting `anchors`.
pub fn cell_policy(admins: &[&str], anchors: TrustAnchors) -> ChannelPolicy {
    channel_policy(PARTNERSHIP, CEILING, DEFAULT, admins, anchors)
}
