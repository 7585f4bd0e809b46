//! Where the relay keeps its state, behind one trait so that a second
//! backend (PostgreSQL, for several relay processes) can sit beside the
//! SQLite one without touching the protocol code.
//!
//! Every method is one transaction. A method that returns `Ok` has made its
//! change durable: the relay answers `accepted` only after [`Storage::append`]
//! returned.

mod sqlite;

use liaison_proto::{Delivery, Seq};

pub use sqlite::SqliteStorage;

/// Why the storage refused or failed an operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// The group is already registered.
    #[error("the group already exists")]
    GroupExists,
    /// The group is not registered.
    #[error("unknown group")]
    UnknownGroup,
    /// The group holds as many messages as the relay keeps.
    #[error("the group's queue is full")]
    QueueFull,
    /// The group's, or the sender's, storage quota would be exceeded.
    #[error("storage quota exceeded: {0}")]
    QuotaExceeded(&'static str),
    /// The officer would hold more key packages than allowed.
    #[error("too many key packages")]
    TooManyKeyPackages,
    /// A value read back is not what was written (a damaged database).
    #[error("corrupt relay database: {0}")]
    Corrupt(&'static str),
    /// The database failed.
    #[error("relay database error: {0}")]
    Database(#[from] rusqlite::Error),
    /// The database schema is newer than this relay.
    #[error("the relay database has schema version {found}; this relay supports up to {supported}")]
    NewerSchema {
        /// Version found in the file.
        found: u32,
        /// Newest version this build knows.
        supported: u32,
    },
}

/// A key package as the directory keeps it.
#[derive(Clone, Debug)]
pub struct KeyPackageRecord {
    /// The key package reference (RFC 9420 §5.2), which Welcomes name.
    pub hash_ref: Vec<u8>,
    /// The serialised MLS message.
    pub package: Vec<u8>,
    /// Whether it is the officer's last-resort package.
    pub last_resort: bool,
}

/// How many key packages an officer has left.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KeyPackageCount {
    /// One-time packages.
    pub one_time: u32,
    /// Whether a last-resort package is held.
    pub last_resort: bool,
}

/// A member leaf: whose it is and the key that signs for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberRecord {
    /// The officer id the leaf's credential names.
    pub officer_id: String,
    /// The leaf's signature key (the officer's device key).
    pub signature_key: Vec<u8>,
}

/// The part of a group's openmls public state that persists: opaque
/// key/value pairs written by openmls's storage provider.
pub type StateEntries = Vec<(Vec<u8>, Vec<u8>)>;

/// A group as stored.
#[derive(Clone, Debug)]
pub struct GroupRecord {
    /// The group's current epoch.
    pub epoch: u64,
    /// The last sequence number assigned (0 before the first message).
    pub last_seq: Seq,
    /// Messages held now.
    pub stored: u64,
    /// Days messages are kept; 0 = no limit.
    pub retention_days: u32,
    /// openmls's public group state.
    pub state: StateEntries,
    /// Current members.
    pub members: Vec<MemberRecord>,
}

/// A group to register.
#[derive(Clone, Debug)]
pub struct NewGroup {
    /// The MLS group id.
    pub group_id: Vec<u8>,
    /// Its epoch (0 for a new channel).
    pub epoch: u64,
    /// From its policy.
    pub retention_days: u32,
    /// openmls's public group state.
    pub state: StateEntries,
    /// Its members (the creator).
    pub members: Vec<MemberRecord>,
    /// Unix seconds.
    pub created_at: u64,
}

/// How a handshake message changes the group.
#[derive(Clone, Debug)]
pub struct GroupChange {
    /// The epoch after the message.
    pub epoch: u64,
    /// The retention after the message.
    pub retention_days: u32,
    /// The whole public state after the message.
    pub state: StateEntries,
    /// Leaves added by the commit.
    pub added: Vec<MemberRecord>,
    /// Signature keys of the leaves removed by the commit.
    pub removed: Vec<Vec<u8>>,
    /// Signature keys of leaves the commit removed and added again (a
    /// member added back after a fork): their windows go on unbroken.
    pub readded: Vec<Vec<u8>>,
}

/// A Welcome released with its commit.
#[derive(Clone, Debug)]
pub struct WelcomeRecord {
    /// The serialised Welcome.
    pub welcome: Vec<u8>,
    /// The officers whose key packages it names.
    pub recipients: Vec<String>,
}

/// A member's request to be added back to a group.
#[derive(Clone, Debug)]
pub struct RejoinRecord {
    /// The group.
    pub group_id: Vec<u8>,
    /// The signature key of the member's leaf: one request per leaf.
    pub signature_key: Vec<u8>,
    /// The officer id the member authenticated with.
    pub officer_id: String,
    /// The encoded request.
    pub request: Vec<u8>,
    /// Unix seconds.
    pub created_at: u64,
}

/// A message to append to a group's order.
#[derive(Clone, Debug)]
pub struct Append {
    /// The group.
    pub group_id: Vec<u8>,
    /// The serialised MLS message.
    pub message: Vec<u8>,
    /// Unix seconds.
    pub received_at: u64,
    /// Refuse with [`StorageError::QueueFull`] when the group already holds
    /// this many messages.
    pub max_stored: u64,
    /// Who submitted it (the connection's directory key), for quotas.
    pub sender: String,
    /// Refuse with [`StorageError::QuotaExceeded`] when the group's
    /// ciphertext would exceed this many bytes...
    pub max_group_bytes: u64,
    /// ...or the sender's within the group would.
    pub max_sender_bytes: u64,
    /// For handshake messages: the group's new state.
    pub change: Option<GroupChange>,
    /// For a commit that adds members.
    pub welcome: Option<WelcomeRecord>,
}

/// The stretch of a group's order a leaf may read: after `since`, up to
/// and including `until` (the commit that removed it), if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// The last sequence number before the leaf joined.
    pub since: Seq,
    /// The commit that removed the leaf; `None` while it is a member.
    pub until: Option<Seq>,
}

impl Window {
    /// Whether the leaf is a member now.
    pub fn is_open(&self) -> bool {
        self.until.is_none()
    }
}

/// What a retention pass deleted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Expired {
    /// Messages past their group's retention.
    pub messages: u64,
    /// Welcomes and key-package owners past the relay's horizon.
    pub directory: u64,
}

/// The relay's persistent state.
pub trait Storage: Send + Sync + 'static {
    /// Adds key packages of one officer. A last-resort package replaces the
    /// previous one. Refused whole when the officer would then hold more
    /// than `max_one_time` one-time packages.
    fn publish_key_packages(
        &self,
        officer_id: &str,
        packages: &[KeyPackageRecord],
        max_one_time: u32,
        now: u64,
    ) -> Result<KeyPackageCount, StorageError>;

    /// Takes the oldest one-time package of an officer, or else returns
    /// (and keeps) the last-resort one.
    fn claim_key_package(&self, officer_id: &str) -> Result<Option<Vec<u8>>, StorageError>;

    /// The directory keys (authority and officer id) holding key packages
    /// for this officer id, one per partner authority whose officer uses it.
    fn key_package_namespaces(&self, officer_id: &str) -> Result<Vec<String>, StorageError>;

    /// The packages an officer has left.
    fn key_package_count(&self, officer_id: &str) -> Result<KeyPackageCount, StorageError>;

    /// The officers who published the key packages with these references
    /// (sorted, without duplicates; unknown references are skipped).
    fn key_package_owners(&self, hash_refs: &[Vec<u8>]) -> Result<Vec<String>, StorageError>;

    /// Registers a group; [`StorageError::GroupExists`] if it is known.
    fn create_group(&self, group: &NewGroup) -> Result<(), StorageError>;

    /// A group with its state and current members.
    fn group(&self, group_id: &[u8]) -> Result<Option<GroupRecord>, StorageError>;

    /// Appends a message with the next sequence number, applying its change
    /// to the group and queueing its Welcome, all in one transaction.
    fn append(&self, append: &Append) -> Result<Seq, StorageError>;

    /// The windows in which a leaf (by signature key) of this officer was a
    /// member, oldest first. `None` when the group is unknown.
    fn windows(
        &self,
        group_id: &[u8],
        officer_id: &str,
        signature_key: &[u8],
    ) -> Result<Option<Vec<Window>>, StorageError>;

    /// Messages with `after < seq <= until` (no upper bound when `until` is
    /// `None`), in order, at most `limit` of them and, past the first, at
    /// most `max_bytes` of ciphertext in all. Rows past the budget are not
    /// read.
    fn deliveries(
        &self,
        group_id: &[u8],
        after: Seq,
        until: Option<Seq>,
        limit: u32,
        max_bytes: usize,
    ) -> Result<Vec<Delivery>, StorageError>;

    /// Officers holding at least one key package, sorted by officer id,
    /// each with their newest package, at most `limit`.
    fn key_package_holders(&self, limit: u32) -> Result<Vec<(String, Vec<u8>)>, StorageError>;

    /// The groups in which this officer's device is a member now.
    fn groups_of(
        &self,
        officer_id: &str,
        signature_key: &[u8],
    ) -> Result<Vec<Vec<u8>>, StorageError>;

    /// The officer ids of the current members of these groups.
    fn members_of(&self, group_ids: &[Vec<u8>]) -> Result<Vec<String>, StorageError>;

    /// The Welcomes waiting for an officer, oldest first. They stay until
    /// dropped (or until they expire).
    fn welcomes(&self, officer_id: &str, max_bytes: usize) -> Result<Vec<Vec<u8>>, StorageError>;

    /// Deletes the officer's waiting Welcomes whose SHA-256 is in `hashes`;
    /// returns how many.
    fn drop_welcomes(&self, officer_id: &str, hashes: &[[u8; 32]]) -> Result<usize, StorageError>;

    /// Keeps a member's request to be added back to a group (see
    /// `liaison_proto::rejoin`), replacing an older one of the same leaf.
    fn put_rejoin_request(&self, request: &RejoinRecord) -> Result<(), StorageError>;

    /// The rejoin requests waiting in a group, oldest first, at most
    /// `limit`: `(officer id, encoded request)`.
    fn rejoin_requests(
        &self,
        group_id: &[u8],
        limit: u32,
    ) -> Result<Vec<(String, Vec<u8>)>, StorageError>;

    /// Deletes messages past their group's retention at `now` (Unix
    /// seconds), and Welcomes and key-package owners older than
    /// `directory_horizon` seconds.
    fn expire(&self, now: u64, directory_horizon: u64) -> Result<Expired, StorageError>;
}
