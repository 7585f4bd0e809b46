//! What the workspace's tests share about the engine (feature
//! `test-utils`, never on in a normal build; always in this crate's own
//! tests): the rulebook's and the identity crate's fixtures, re-exported,
//! and the builder of hostile messages ([`hostile`]). The engine's own
//! tests find their officers on the loopback relay in [`loopback`]. Every
//! fixture panics on failure, as test fixtures do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod hostile;
#[cfg(test)]
pub(crate) mod loopback;

pub use liaison_rules::test_utils::*;
