//! The relay's configuration: name, data directory, trusted partner
//! authorities, TLS certificate and limits.

use std::path::PathBuf;
use std::time::Duration;

use liaison_identity::TrustAnchors;
use liaison_rules::PolicyRegistry;

/// Where the relay's TLS certificate comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TlsSource {
    /// A certificate chain and private key in PEM files (a real
    /// deployment's certificate).
    Files {
        /// Certificate chain, leaf first.
        certificate: PathBuf,
        /// The private key (PKCS#8, SEC1 or PKCS#1).
        key: PathBuf,
    },
    /// A self-signed development certificate, made on first start and kept
    /// in the data directory; clients pin it.
    Development,
}

/// Bounds on what one client or group may use. Each is answered with its
/// protocol error code when exceeded.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Largest JSON frame, in bytes (`too_large`).
    pub max_frame_bytes: usize,
    /// Largest MLS message or Welcome in a submission, decoded (`too_large`).
    pub max_message_bytes: usize,
    /// Messages kept per group (`queue_full`).
    pub max_messages_per_group: u64,
    /// Ciphertext bytes kept per group (`quota_exceeded`).
    pub max_group_bytes: u64,
    /// Ciphertext bytes kept per member within a group (`quota_exceeded`),
    /// so that one member cannot use up the group's quota alone.
    pub max_member_bytes: u64,
    /// One-time key packages held per officer (`too_many_key_packages`).
    pub max_key_packages: u32,
    /// Steady request rate per connection (`rate_limited`).
    pub requests_per_second: u32,
    /// Requests a connection may make in a burst.
    pub request_burst: u32,
    /// Most deliveries in one `fetch` answer.
    pub max_fetch: u32,
    /// Most ciphertext bytes in one `fetch` or `welcomes` answer, past its
    /// first item (clients ask again from where it stopped), and in one
    /// read of a subscription's catch-up.
    pub max_answer_bytes: usize,
    /// Largest application message (a PrivateMessage), below
    /// `max_message_bytes`, which bounds commits and Welcomes: a labelled
    /// message body is at most 64 KiB (`too_large`).
    pub max_application_bytes: usize,
    /// Time a new connection has to authenticate.
    pub auth_timeout: Duration,
    /// Authenticated connections one officer may hold at once
    /// (`rate_limited`): several devices and reconnects, not a flood.
    pub max_connections_per_officer: u32,
    /// Key packages one officer may claim at once, across its connections
    /// (`rate_limited` past it): enough to add a whole channel of partners
    /// in one go.
    pub claim_burst: u32,
    /// Key packages one officer may claim per hour once its burst is spent:
    /// an officer who drains others' one-time packages does so slowly and
    /// visibly, and the owners top up long before it matters.
    pub claims_per_hour: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_frame_bytes: 1024 * 1024,
            max_message_bytes: 512 * 1024,
            max_messages_per_group: 100_000,
            max_group_bytes: 2 * 1024 * 1024 * 1024,
            max_member_bytes: 512 * 1024 * 1024,
            max_key_packages: 100,
            requests_per_second: 50,
            request_burst: 200,
            max_fetch: 1000,
            max_answer_bytes: 4 * 1024 * 1024,
            max_application_bytes: 128 * 1024,
            auth_timeout: Duration::from_secs(10),
            max_connections_per_officer: 16,
            claim_burst: 64,
            claims_per_hour: 240,
        }
    }
}

/// Everything the relay needs to start.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// The relay's name: signed by clients when they authenticate (so a
    /// signature cannot be replayed to another relay) and put in the
    /// development certificate.
    pub name: String,
    /// Directory of the database and the development certificate.
    pub data_dir: PathBuf,
    /// The partner authorities whose officers may connect, with their
    /// revocation lists, as at start.
    pub trust: TrustAnchors,
    /// Files and directories `trust` was read from. When set, the relay
    /// reads them again every `trust_reload_interval`: a new CRL takes
    /// effect without a restart, and connections of officers it revokes
    /// are closed.
    pub trust_files: Vec<PathBuf>,
    /// How often `trust_files` are read again.
    pub trust_reload_interval: Duration,
    /// The label policies the relay judges channel policies and clearances
    /// with: the built-in NATO, GBR and USA, and any the operator adds. A
    /// channel whose label policy the relay does not know is refused.
    pub label_policies: PolicyRegistry,
    /// The TLS certificate.
    pub tls: TlsSource,
    /// Bounds.
    pub limits: Limits,
    /// Whether `/metrics` answers any peer; by default only the relay's own
    /// machine (loopback).
    pub metrics_public: bool,
    /// How often ciphertext past retention is deleted.
    pub retention_interval: Duration,
    /// Waiting Welcomes and key-package owners older than this are deleted.
    pub directory_horizon: Duration,
    /// Whether each commit waits for the disk, so an `accepted` answer
    /// survives a power cut (the default). Off only for a throwaway relay,
    /// such as the demo's, whose benchmark histories would otherwise wait
    /// for one fsync per message.
    pub durable_commits: bool,
}

impl Config {
    /// A configuration with a development certificate and default limits.
    pub fn new(name: impl Into<String>, data_dir: impl Into<PathBuf>, trust: TrustAnchors) -> Self {
        Self {
            name: name.into(),
            data_dir: data_dir.into(),
            trust,
            trust_files: Vec::new(),
            trust_reload_interval: Duration::from_secs(60),
            label_policies: PolicyRegistry::builtin(),
            tls: TlsSource::Development,
            limits: Limits::default(),
            metrics_public: false,
            retention_interval: Duration::from_secs(3600),
            directory_horizon: Duration::from_secs(90 * 24 * 3600),
            durable_commits: true,
        }
    }

    /// The database file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("relay.db")
    }
}
