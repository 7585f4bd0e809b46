//! Tests of the labels module: one file per concern, property tests in
//! `properties.rs` over the generators of `strategies.rs`.
#![allow(clippy::unwrap_used)]

mod builder;
mod clearance;
mod dominance;
mod encoding;
mod marking;
mod nationality;
mod policy;
mod properties;
mod registry;
mod strategies;

use std::sync::Arc;

use super::{Label, Nationality, Policy, PolicyRegistry};

/// A built-in policy by identifier.
fn policy(id: &str) -> Arc<Policy> {
    Arc::clone(PolicyRegistry::builtin().get(id).unwrap())
}

fn nato() -> Arc<Policy> {
    policy("NATO")
}

fn gbr() -> Arc<Policy> {
    policy("GBR")
}

fn usa() -> Arc<Policy> {
    policy("USA")
}

fn nation(code: &str) -> Nationality {
    code.parse().unwrap()
}

/// A label written as its marking, for readable tests.
fn label(policy: &Arc<Policy>, marking: &str) -> Label {
    Label::parse_marking_for(marking, policy).unwrap()
}
