//! The command line's errors and the exit codes they map to.
//!
//! Every engine error keeps its type up to here, so the exit code is decided
//! by what went wrong, not by parsing a message. No message carries a
//! secret, a passphrase or message content.

use std::path::PathBuf;

use liaison_core::{
    ArchiveError, AuthorityError, ChannelPolicyError, CredentialError, DeliveryError, EngineError,
    LabelError, NationalityError, PinError, PolicyError, SearchError, StoreError, SyncError,
};

/// How `liaison` exits; the number is the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExitStatus {
    /// 0: done.
    Ok,
    /// 1: the command line or a value in it is wrong (unknown profile,
    /// channel, message or member, a marking that does not parse, a missing
    /// file).
    Usage,
    /// 2: refused by a rule: a channel rule (ceiling, admission, admin
    /// rights, …), a read-only channel, or the delivery service's own rules.
    Refused,
    /// 3: the profile is locked: wrong passphrase, no passphrase given,
    /// keyring unavailable or without the key, or our own certificate no
    /// longer accepted.
    Locked,
    /// 4: the relay cannot be reached.
    RelayUnreachable,
    /// 5: anything else (storage failure, corrupt data, internal error).
    Failure,
    /// 6: nothing was done because the command needs confirmation
    /// (`--yes`); what it would do was printed.
    NotConfirmed,
}

impl ExitStatus {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::Usage => 1,
            Self::Refused => 2,
            Self::Locked => 3,
            Self::RelayUnreachable => 4,
            Self::Failure => 5,
            Self::NotConfirmed => 6,
        }
    }

    /// The `kind` field of a JSON error object.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Usage => "usage",
            Self::Refused => "refused",
            Self::Locked => "locked",
            Self::RelayUnreachable => "relay_unreachable",
            Self::Failure => "failure",
            Self::NotConfirmed => "not_confirmed",
        }
    }
}

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// A value on the command line is wrong or missing.
    #[error("{0}")]
    Usage(String),
    /// No profile of this name exists under the home directory.
    #[error("no profile named {name:?} (see `liaison profile list`)")]
    ProfileNotFound {
        /// The name asked for.
        name: String,
    },
    /// A profile of this name exists already.
    #[error("a profile named {name:?} already exists")]
    ProfileExists {
        /// The name asked for.
        name: String,
    },
    /// No profile exists yet.
    #[error("no profile yet; create one with `liaison profile create`")]
    NoProfiles,
    /// Several profiles exist and none was chosen.
    #[error("several profiles exist ({}); choose one with --profile or LIAISON_PROFILE", available.join(", "))]
    ProfileNotChosen {
        /// The profiles to choose from.
        available: Vec<String>,
    },
    /// The profile is passphrase-protected and no passphrase was given.
    #[error(
        "this profile is protected by a passphrase; give it with --passphrase-file or LIAISON_PASSPHRASE"
    )]
    PassphraseRequired,
    /// No channel matches the reference given.
    #[error("no channel matches {0:?} (see `liaison channel list`)")]
    UnknownChannel(String),
    /// Several channels match the reference given.
    #[error("{0:?} matches several channels; give more of the channel id")]
    AmbiguousChannel(String),
    /// No message matches the reference given.
    #[error("no message matches {0:?}")]
    UnknownMessage(String),
    /// Several messages match the reference given.
    #[error("{0:?} matches several messages; give more of the message id")]
    AmbiguousMessage(String),
    /// The command needs a relay and none is configured.
    #[error("no relay configured; pass --relay URL, set LIAISON_RELAY, or use --offline")]
    NoRelayConfigured,
    /// The relay cannot be reached (or this build has no client for it).
    #[error("relay unreachable: {0}")]
    RelayUnavailable(String),
    /// The engine refused or failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The encrypted store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// A sync with the delivery service failed.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// The delivery service failed.
    #[error(transparent)]
    Delivery(#[from] DeliveryError),
    /// The exercise authority refused or failed.
    #[error("authority: {0}")]
    Authority(#[from] AuthorityError),
    /// A certificate, chain, anchor or revocation list is unusable.
    #[error("certificate: {0}")]
    Credential(#[from] CredentialError),
    /// A label or clearance does not parse or does not fit its policy.
    #[error("label: {0}")]
    Label(#[from] LabelError),
    /// A label policy file is invalid.
    #[error("label policy: {0}")]
    LabelPolicy(#[from] PolicyError),
    /// The channel policy given is invalid.
    #[error("channel policy: {0}")]
    ChannelPolicy(#[from] ChannelPolicyError),
    /// A nation code is malformed.
    #[error("nation code: {0}")]
    Nationality(#[from] NationalityError),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// A file's content is not what it should be.
    #[error("{}: {reason}", path.display())]
    BadFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A search, an export or an import failed.
    #[error("archive: {0}")]
    Archive(#[from] ArchiveError),
    /// The operating system's random generator failed.
    #[error("the system random generator failed")]
    Randomness,
    /// Writing the output failed (for example a closed pipe).
    #[error("cannot write output: {0}")]
    Output(#[source] std::io::Error),
}

impl From<SearchError> for CliError {
    fn from(error: SearchError) -> Self {
        Self::Archive(ArchiveError::Search(error))
    }
}

impl CliError {
    /// An I/O error on `path`.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    /// A file whose content is wrong.
    pub(crate) fn bad_file(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Self::BadFile {
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// The exit status this error maps to (see [`ExitStatus`]).
    pub fn status(&self) -> ExitStatus {
        match self {
            Self::Usage(_)
            | Self::ProfileNotFound { .. }
            | Self::ProfileExists { .. }
            | Self::NoProfiles
            | Self::ProfileNotChosen { .. }
            | Self::UnknownChannel(_)
            | Self::AmbiguousChannel(_)
            | Self::UnknownMessage(_)
            | Self::AmbiguousMessage(_)
            | Self::NoRelayConfigured
            | Self::Credential(_)
            | Self::Label(_)
            | Self::LabelPolicy(_)
            | Self::ChannelPolicy(_)
            | Self::Nationality(_)
            | Self::BadFile { .. } => ExitStatus::Usage,
            Self::PassphraseRequired => ExitStatus::Locked,
            Self::RelayUnavailable(_) => ExitStatus::RelayUnreachable,
            Self::Engine(e) => engine_status(e),
            Self::Store(e) => store_status(e),
            Self::Sync(e) => sync_status(e),
            Self::Delivery(e) => delivery_status(e),
            Self::Authority(e) => authority_status(e),
            Self::Archive(e) => archive_status(e),
            Self::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                ExitStatus::Usage
            }
            Self::Io { .. } | Self::Output(_) | Self::Randomness => ExitStatus::Failure,
        }
    }
}

fn engine_status(error: &EngineError) -> ExitStatus {
    match error {
        EngineError::Rule(_) | EngineError::ReadOnly | EngineError::UnpinnedAuthorities { .. } => {
            ExitStatus::Refused
        }
        EngineError::Pinning(e) => pin_status(e),
        EngineError::Store(e) => store_status(e),
        EngineError::UnknownChannel
        | EngineError::UnknownMessage(_)
        | EngineError::UnknownMember(_)
        | EngineError::Policy(_) => ExitStatus::Usage,
        EngineError::OwnCredential(_) => ExitStatus::Locked,
        _ => ExitStatus::Failure,
    }
}

fn pin_status(error: &PinError) -> ExitStatus {
    match error {
        // A fingerprint that is not the certificate's, or not one of the
        // channel's authorities: the officer compared the wrong thing.
        PinError::FingerprintMismatch { .. } | PinError::NotAnAnchor(_) => ExitStatus::Refused,
        PinError::Unconfirmed { .. } => ExitStatus::NotConfirmed,
        _ => ExitStatus::Usage,
    }
}

fn store_status(error: &StoreError) -> ExitStatus {
    match error {
        StoreError::WrongKey
        | StoreError::KeyringUnavailable { .. }
        | StoreError::KeyMissing { .. }
        | StoreError::KeyringEntryExists { .. }
        | StoreError::KeyringAmbiguous
        | StoreError::KeyringRejected { .. }
        | StoreError::MalformedKey
        | StoreError::SidecarMissing { .. }
        | StoreError::EmptyPassphrase
        | StoreError::KeyDerivation => ExitStatus::Locked,
        StoreError::AlreadyExists { .. } => ExitStatus::Usage,
        _ => ExitStatus::Failure,
    }
}

fn sync_status(error: &SyncError) -> ExitStatus {
    match error {
        SyncError::Engine(e) => engine_status(e),
        SyncError::Delivery(e) => delivery_status(e),
        _ => ExitStatus::Failure,
    }
}

fn delivery_status(error: &DeliveryError) -> ExitStatus {
    match error {
        DeliveryError::Unavailable(_) => ExitStatus::RelayUnreachable,
        DeliveryError::Refused(_)
        | DeliveryError::Forbidden(_)
        | DeliveryError::QuotaExceeded(_)
        | DeliveryError::AmbiguousOfficer(_) => ExitStatus::Refused,
        _ => ExitStatus::Failure,
    }
}

fn archive_status(error: &ArchiveError) -> ExitStatus {
    match error {
        ArchiveError::Engine(e) => engine_status(e),
        ArchiveError::Store(e) => store_status(e),
        ArchiveError::Search(_)
        | ArchiveError::NotAnArchive
        | ArchiveError::UnsupportedVersion { .. }
        | ArchiveError::MalformedHeader(_)
        | ArchiveError::EmptyPassphrase
        | ArchiveError::AlreadyImported { .. }
        | ArchiveError::Policy(_)
        | ArchiveError::RecipientCertificate(_) => ExitStatus::Usage,
        ArchiveError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            ExitStatus::Usage
        }
        ArchiveError::PassphraseRequired
        | ArchiveError::WrongPassphrase
        | ArchiveError::NotForThisProfile { .. } => ExitStatus::Locked,
        ArchiveError::Tampered { .. }
        | ArchiveError::Truncated
        | ArchiveError::MalformedContent(_)
        | ArchiveError::Recipient(_) => ExitStatus::Refused,
        _ => ExitStatus::Failure,
    }
}

fn authority_status(error: &AuthorityError) -> ExitStatus {
    match error {
        AuthorityError::Randomness | AuthorityError::Generation(_) => ExitStatus::Failure,
        _ => ExitStatus::Usage,
    }
}
