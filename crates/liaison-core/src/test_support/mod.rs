//! What the workspace's tests share about the engine (feature
//! `test-utils`, never on in a normal build; always in this crate's own
//! tests): the rulebook's and the identity crate's fixtures, re-exported,
//! the builder of hostile messages ([`hostile`]), and officers' profiles
//! pinning the test's partnership ([`partner`], [`create_profile`]). The
//! engine's own tests drive the loopback relay with `loopback`. Every
//! fixture panics on failure, as test fixtures do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod hostile;
#[cfg(test)]
pub(crate) mod loopback;
mod partnership;

pub use liaison_rules::test_utils::*;
pub use partnership::{create_profile, partner, partnership};
