//! Tests of the labels module: one file per concern, property tests in
//! `properties.rs` over the generators of `strategies.rs`.
#![allow(clippy::unwrap_used)]

mod builder;
mod clearance;
mod dominance;
mod encoding;
mod label_policy;
mod marking;
mod nationality;
mod properties;
mod registry;
mod strategies;

use std::sync::Arc;

use super::{Label, LabelPolicy, Nationality, PolicyRegistry};

/// A built-in policy by identifier.
fn policy(id: &str) -> Arc<LabelPolicy> {
    Arc::clone(PolicyRegistry::builtin().get(id).unwrap())
}

fn nato() -> Arc<LabelPolicy> {
    policy("NATO")
}

fn gbr() -> Arc<LabelPolicy> {
    policy("GBR")
}

fn usa() -> Arc<LabelPolicy> {
    policy("USA")
}

fn nation(code: &str) -> Nationality {
    code.parse().unwrap()
}

/// A label written as its marking, for readable tests.
fn label(policy: &Arc<LabelPolicy>, marking: &str) -> Label {
    Label::parse_marking_for(marking, policy).unwrap()
}
