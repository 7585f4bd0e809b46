//! Tests of the desktop runtime: real SQLCipher files in temporary homes,
//! the real relay in process on 127.0.0.1:0, and partner officers driven
//! through the engine and the sync layer as the other apps do.
#![allow(clippy::unwrap_used)]

mod archive;
mod create;
mod harness;
mod locking;
mod offline;
mod online;
mod secret;
mod thread;
mod trust;
