//! Archive tests: search against a naive scan over a 100,000-message
//! store, retention, archived channels, export and import round trips,
//! tampering. Real SQLCipher files and real certificates throughout.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod context;
mod corpus;
mod export_import;
mod fixture;
mod lifecycle;
mod query;
mod retention;
mod search;
mod tamper;
