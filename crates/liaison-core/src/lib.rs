//! The Liaison engine: partner identities (X.509), security labels and
//! policy, MLS partnership channels, and the encrypted local store. Usable
//! and tested without a window or a network; the desktop app, the command
//! line and the tests are thin shells over it.

mod archive;
mod audit;
mod channel;
mod delivery;
mod engine;
mod store;
#[cfg(any(test, feature = "test-utils"))]
pub mod test_support;

pub use archive::{
    ArchiveError, ArchiveInfo, ArchiveKeyKind, ArchiveProtection, ChannelOrigin, ChannelRetention,
    ExportContents, ExportReport, ExportRequest, ImportReport, ImportRequest, MAX_SEARCH_LIMIT,
    MAX_SEARCH_TERMS, MAX_SEARCH_TEXT, Progress, RELEVANCE_WINDOW, RetentionReport, SearchError,
    SearchHit, SearchOrder, SearchQuery, SearchResults, SearchText, Verification, highest_label,
    inspect_archive,
};
pub use audit::{
    AckedMessage, AuditCategory, AuditEvent, Facts, LockReason, Officer, PolicyChange, Refusal,
};
pub use channel::{
    CIPHERSUITE, EngineError, MAX_PAST_EPOCHS, PADDING_SIZE, POLICY_EXTENSION_TYPE,
    group_context_extensions,
};
pub use delivery::{
    DeliveryError, DeliveryService, JoinOutcome, JoinReport, KEY_PACKAGE_LOW_WATER,
    KEY_PACKAGE_TARGET, LoopbackConnection, LoopbackRelay, PullReport, RelayClient,
    RelayClientConfig, RelayTrust, RepairReport, Subscription, SyncError, commit_with_retry,
    flush_outbox, join_pending, join_welcomes, pull, repair_forks, sync, top_up_key_packages,
    welcome_hash,
};
pub use engine::{
    Acknowledgement, AnchorAdded, ChannelAnchor, ChannelId, ChannelSummary, Clock, Departure,
    Draft, Engine, Fork, Gap, InitialTrust, Invitation, Inviter, MemberInfo, MessageNotice,
    Outgoing, OutgoingKind, PinError, PinSource, PinnedAuthority, Received, RejoinPlan,
    RejoinVerdict, RepliedMessage, StoredMessage, ThreadEntry, clearance_marking,
};
pub use liaison_identity::{
    Authority, AuthorityError, CertificateChain, CertificateSerial, ClearanceAttribute,
    CredentialError, DeviceKey, DeviceKeyError, Fingerprint, LIAISON_KEY_PURPOSE, MAX_ANCHORS,
    MAX_CERTIFICATE_LEN, MAX_CHAIN_LEN, MAX_CRL_LEN, MAX_INTERMEDIATES, Nationality,
    NationalityError, OfficerAttributes, TrustAnchors, Validity, VerifiedCredential,
    authority_name, verify_credential,
};
pub use liaison_proto::{MessageId, Precedence, ReferenceKind, TrafficKind};
pub use liaison_rules::{
    CLOCK_SKEW, Category, CategoryKind, ChannelPolicy, ChannelPolicyError, Clearance,
    ClearanceBuilder, Colour, DecodeError, Excerpt, HistoryOnRemoval, Label, LabelBuilder,
    LabelError, LabelPolicy, Level, MarkingError, NotAdmitted, PolicyError, PolicyRegistry,
    RuleViolation, Tag, check_inheritance, check_message_label,
};
pub use store::{
    AuditEntry, AuditQuery, AuditScope, CodecError, DeviceKeySeed, KEYRING_SERVICE, KdfParams,
    KeyProtection, MlsStorage, Passphrase, Profile, Store, StoreCodec, StoreError, StoreProvider,
    danger, delete_keyring_key,
};
