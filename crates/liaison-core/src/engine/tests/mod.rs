//! Engine tests: several officers of several nations on an in-process
//! relay, real SQLCipher files, real certificates.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit;
mod crash;
mod fork;
mod harness;
mod membership;
mod messaging;
mod pinning;
mod rules;
mod sync;
