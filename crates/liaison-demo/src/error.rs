//! What can go wrong while running the demo world. No variant carries a
//! key, a passphrase or message content.

use std::path::{Path, PathBuf};
use std::time::Duration;

use liaison_core::{
    AuthorityError, ChannelPolicyError, CredentialError, DeliveryError, EngineError, LabelError,
    NationalityError, StoreError, SyncError,
};

/// Why the demo world could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DemoError {
    /// A file or directory of the demo could not be read or written.
    #[error("{what} {}: {source}", path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The demo's state file is not one this version wrote.
    #[error("the demo state in {} is unreadable: {reason}", path.display())]
    CorruptState {
        /// The state file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Randomness,
    /// The world has no exercise authority for this nation.
    #[error("the demo has no exercise authority for {0}")]
    UnknownNation(String),
    /// No label policy has a level of this name.
    #[error("no label policy has the clearance level {0:?}")]
    UnknownClearance(String),
    /// The officer was not issued by this world.
    #[error("officer {0:?} was not issued by this demo world")]
    UnknownOfficer(String),
    /// The officer id is one of the partner officers the bots play.
    #[error("officer id {0:?} belongs to a demo partner officer")]
    ReservedOfficerId(String),
    /// The world has no channel of this name.
    #[error("the demo has no channel named {0:?}")]
    UnknownChannel(String),
    /// The officer's clearance and nationality admit none of the demo
    /// channels.
    #[error("officer {0:?} is admitted to none of the demo channels")]
    NotAdmitted(String),
    /// The officer published no key package in time, so nobody can add it.
    #[error("officer {officer_id:?} published no key package within {waited:?}")]
    KeyPackagesMissing {
        /// The officer waited for.
        officer_id: String,
        /// How long the world waited.
        waited: Duration,
    },
    /// A partner officer (bot) has stopped, so it cannot act.
    #[error("the demo officer {0} has stopped")]
    BotStopped(String),
    /// A nationality is not an ISO 3166 alpha-3 code.
    #[error(transparent)]
    Nationality(#[from] NationalityError),
    /// A label or clearance is malformed or unknown to the policies.
    #[error(transparent)]
    Label(#[from] LabelError),
    /// An exercise authority could not be made, loaded or used.
    #[error(transparent)]
    Authority(#[from] AuthorityError),
    /// A certificate or chain is malformed.
    #[error(transparent)]
    Credential(#[from] CredentialError),
    /// A channel policy is invalid.
    #[error(transparent)]
    Policy(#[from] ChannelPolicyError),
    /// An officer's encrypted store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An officer's engine refused or failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// Syncing with the relay failed.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// The relay refused a request or could not be reached.
    #[error(transparent)]
    Delivery(#[from] DeliveryError),
    /// The local relay could not start or stop cleanly.
    #[error("the demo relay: {0}")]
    Relay(#[from] liaison_relay::StartError),
}

impl DemoError {
    pub(crate) fn io(what: &'static str, path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            what,
            path: path.to_owned(),
            source,
        }
    }

    pub(crate) fn corrupt(path: &Path, reason: impl Into<String>) -> Self {
        Self::CorruptState {
            path: path.to_owned(),
            reason: reason.into(),
        }
    }
}
