//! The client side of the delivery service: the transport trait the engine
//! syncs through, an in-process ordered implementation for tests and the
//! demo, and the sync driver (outbox flush, pull, commit retry).

mod loopback;
mod remote;
mod sync;

use std::future::Future;

use liaison_proto::{Delivery, Seq, Submission, SubmitOutcome};
use thiserror::Error;

pub use loopback::{LoopbackConnection, LoopbackRelay};
pub use remote::{RelayClient, RelayClientConfig, RelayTrust, Subscription};
pub use sync::{
    JoinOutcome, JoinReport, KEY_PACKAGE_LOW_WATER, KEY_PACKAGE_TARGET, PullReport, RepairReport,
    SyncError, commit_with_retry, flush_outbox, join_pending, join_welcomes, pull, repair_forks,
    sync, top_up_key_packages,
};

/// Why the delivery service could not serve a request.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeliveryError {
    /// No key package is left for this officer (not even a last-resort one).
    #[error("no key package available for {0}")]
    NoKeyPackage(String),
    /// The submitted bytes are not an MLS message the service can order.
    #[error("malformed submission: {0}")]
    Malformed(String),
    /// The service cannot be reached.
    #[error("delivery service unavailable: {0}")]
    Unavailable(String),
    /// The service refused the request (size, rate or membership limits).
    #[error("refused by the delivery service: {0}")]
    Refused(String),
    /// The group is unknown to the service.
    #[error("the delivery service does not know this group")]
    UnknownGroup,
    /// The group is already registered with the service.
    #[error("the group is already registered with the delivery service")]
    GroupExists,
    /// This officer's device is not (or no longer) a member of the group.
    #[error("this officer is not a member of the group at the delivery service")]
    NotMember,
    /// A rule of the service forbids the request (for example a commit by a
    /// member who is not an admin of the channel policy).
    #[error("forbidden by the delivery service: {0}")]
    Forbidden(String),
    /// Too many requests: slow down and retry.
    #[error("rate limited by the delivery service; retry later")]
    RateLimited,
    /// The message or request is larger than the service accepts.
    #[error("too large for the delivery service: {0}")]
    TooLarge(String),
    /// The group holds as many messages as the service keeps.
    #[error("the group's queue at the delivery service is full")]
    QueueFull,
    /// The group's, or this member's, storage quota at the service is used up.
    #[error("storage quota exceeded at the delivery service: {0}")]
    QuotaExceeded(String),
    /// This officer already holds as many key packages as the service keeps.
    #[error("the delivery service holds the maximum number of key packages for this officer")]
    TooManyKeyPackages,
    /// The service refused this officer's credential or proof of possession.
    #[error("the delivery service refused authentication: {0}")]
    Unauthenticated(String),
    /// The officer's certificate is not from an authority the service trusts.
    #[error("the delivery service does not trust this officer's authority")]
    UnknownAuthority,
    /// The officer's certificate has expired (or is not yet valid).
    #[error("the delivery service refused an expired certificate")]
    CertificateExpired,
    /// The officer's certificate is revoked.
    #[error("the delivery service refused a revoked certificate")]
    CertificateRevoked,
    /// Officers of several partner authorities use this officer id: the
    /// claim must name the authority.
    #[error("ambiguous officer id: {0}")]
    AmbiguousOfficer(String),
}

impl DeliveryError {
    /// Whether retrying the same request later may succeed (the service was
    /// unreachable, busy or rate limiting).
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Unavailable(_) | Self::RateLimited)
    }
}

/// What the engine needs from a delivery service. The real relay client
/// and the in-process [`LoopbackRelay`] implement it; the engine does not
/// know which one it talks to.
pub trait DeliveryService {
    /// Publishes key packages (serialised MLS messages) for this officer.
    fn publish_key_packages(
        &self,
        key_packages: Vec<Vec<u8>>,
    ) -> impl Future<Output = Result<(), DeliveryError>> + Send;

    /// Claims one key package of another officer; each is handed out once,
    /// except the last-resort one. Refused `AmbiguousOfficer` when officers
    /// of several partner authorities use the id.
    fn claim_key_package(
        &self,
        officer_id: &str,
    ) -> impl Future<Output = Result<Vec<u8>, DeliveryError>> + Send;

    /// Claims one key package of `officer_id` as certified by the partner
    /// authority with fingerprint `authority` (each authority has its own
    /// officer-id namespace).
    fn claim_key_package_from(
        &self,
        officer_id: &str,
        authority: &liaison_identity::Fingerprint,
    ) -> impl Future<Output = Result<Vec<u8>, DeliveryError>> + Send;

    /// Registers a new group from its creator's GroupInfo (serialised MLS
    /// message with the ratchet tree).
    fn create_group(
        &self,
        group_id: &[u8],
        group_info: Vec<u8>,
    ) -> impl Future<Output = Result<(), DeliveryError>> + Send;

    /// How many one-time key packages this officer has left, and whether a
    /// last-resort one is held.
    fn key_package_count(&self) -> impl Future<Output = Result<(u32, bool), DeliveryError>> + Send;

    /// Submits a message for ordering.
    fn submit(
        &self,
        submission: Submission,
    ) -> impl Future<Output = Result<SubmitOutcome, DeliveryError>> + Send;

    /// Messages of a group after `after`, at most `limit`, in order.
    fn fetch(
        &self,
        group_id: &[u8],
        after: Seq,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Delivery>, DeliveryError>> + Send;

    /// Welcomes addressed to this officer. They stay waiting until dropped
    /// with [`DeliveryService::drop_welcomes`].
    fn welcomes(&self) -> impl Future<Output = Result<Vec<Vec<u8>>, DeliveryError>> + Send;

    /// Deletes waiting Welcomes this officer has dealt with, named by
    /// [`welcome_hash`]. Called only once the joins they led to are stored,
    /// so that a client stopped in between gets them again.
    fn drop_welcomes(
        &self,
        hashes: Vec<[u8; 32]>,
    ) -> impl Future<Output = Result<(), DeliveryError>> + Send;

    /// Asks the group's admins, through the service, to add this device
    /// back: it holds another branch of the channel than they do. `request`
    /// is an encoded `liaison_proto::rejoin::RejoinRequest`; the service
    /// keeps one per member and group.
    fn request_rejoin(
        &self,
        group_id: &[u8],
        request: Vec<u8>,
    ) -> impl Future<Output = Result<(), DeliveryError>> + Send;

    /// The rejoin requests waiting in a group, as `(officer id, encoded
    /// request)`, oldest first. Only the group's admins may read them.
    fn rejoin_requests(
        &self,
        group_id: &[u8],
    ) -> impl Future<Output = Result<Vec<(String, Vec<u8>)>, DeliveryError>> + Send;
}

/// How [`DeliveryService::drop_welcomes`] names a Welcome: the SHA-256 of
/// its serialised bytes.
pub fn welcome_hash(welcome: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(welcome).into()
}
