//! The Liaison relay: the MLS delivery service of a partnership.
//!
//! It authenticates officers by their X.509 certificates, keeps a
//! key-package directory, totally orders each group's messages (a commit
//! only for the group's current epoch), follows each group's membership
//! with openmls's public group state, and carries ciphertext to the
//! group's current members over WebSocket (TLS 1.3, rustls). It never sees
//! content. The protocol is `docs/relay-protocol.md`; running it is
//! `docs/relay.md`.
//!
//! [`launch`] serves on a listener until a shutdown future completes;
//! [`Server`] splits that into binding and running, so a caller can read
//! the address and the certificate to pin first.

mod auth;
mod config;
mod error;
mod http;
mod listener;
mod metrics;
mod mls;
mod rate;
mod relay;
mod server;
mod state;
mod storage;
mod tls;
mod trust;
mod ws;

pub use config::{Config, Limits, TlsSource};
pub use error::{Error, StartError};
pub use http::app;
pub use server::{Server, development_certificate, launch, shutdown_signal};
pub use state::AppState;
pub use storage::{
    Append, Expired, GroupChange, GroupRecord, KeyPackageCount, KeyPackageRecord, MemberRecord,
    NewGroup, SqliteStorage, StateEntries, Storage, StorageError, WelcomeRecord, Window,
};
pub use tls::{DEV_CERTIFICATE_FILE, DEV_KEY_FILE};
pub use trust::load_trust;
