//! Errors of search, export and import. No message carries a passphrase,
//! key material or message content: only paths, counts, names the user
//! typed for a filter, and reasons.

use std::path::PathBuf;

use thiserror::Error;

use super::query::{MAX_SEARCH_LIMIT, MAX_SEARCH_TERMS, MAX_SEARCH_TEXT};
use crate::channel::EngineError;
use crate::store::StoreError;
use liaison_identity::CredentialError;
use liaison_proto::DecodeError;
use liaison_rules::{ChannelPolicyError, RuleViolation};

/// A search the user asked for that cannot run. Every way of mistyping a
/// query ends here, never in a panic or an FTS5 syntax error.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum SearchError {
    /// No words and no filter: the query would list everything.
    #[error("type some words to search for, or choose a filter")]
    Empty,
    /// The words contain no letter or digit to search for (only
    /// punctuation, or a lone `*`).
    #[error("the search has no letters or digits to look for")]
    NoSearchableWords,
    /// The text is longer than a search may be.
    #[error("the search text is longer than {MAX_SEARCH_TEXT} bytes")]
    TooLong,
    /// More words than a search may have.
    #[error("a search may have at most {MAX_SEARCH_TERMS} words")]
    TooManyTerms,
    /// No label policy has a classification of this name.
    #[error("no label policy has a classification named {0:?}")]
    UnknownClassification(String),
    /// The date range ends before it starts.
    #[error("the date range ends before it starts")]
    InvertedRange,
    /// The result limit is zero or too large.
    #[error("the result limit must be between 1 and {MAX_SEARCH_LIMIT}")]
    BadLimit,
}

/// Why a search, an archive export or an import failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ArchiveError {
    /// The search query is invalid.
    #[error("search: {0}")]
    Search(#[from] SearchError),
    /// The engine refused or failed (unknown channel, store failure, …).
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// A database statement failed.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The archive file (or its temporary sibling).
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// The file does not start like a Liaison archive.
    #[error("not a Liaison archive file")]
    NotAnArchive,
    /// The archive was written by a newer format version.
    #[error("archive format version {found} is not supported (this build reads {supported})")]
    UnsupportedVersion {
        /// The version in the file.
        found: u8,
        /// The version this build reads.
        supported: u8,
    },
    /// The plaintext header is malformed.
    #[error("malformed archive header: {0}")]
    MalformedHeader(DecodeError),
    /// Authenticated content that does not follow the format: written by a
    /// faulty or hostile exporter who held the key.
    #[error("malformed archive content: {0}")]
    MalformedContent(String),
    /// The archive is protected by a passphrase and none was given.
    #[error("this archive is protected by a passphrase")]
    PassphraseRequired,
    /// An empty passphrase was given for a new archive.
    #[error("an archive passphrase must not be empty")]
    EmptyPassphrase,
    /// The passphrase does not open this archive.
    #[error("the passphrase does not open this archive")]
    WrongPassphrase,
    /// The archive is addressed to another officer's certificate.
    #[error("this archive is addressed to another certificate ({recipient})")]
    NotForThisProfile {
        /// The recipient certificate's SHA-256 fingerprint.
        recipient: String,
    },
    /// The archive's bytes were altered or damaged: a chunk (or the
    /// recipient's wrapped key) fails authentication.
    #[error("the archive was altered or damaged (chunk {chunk} fails authentication)")]
    Tampered {
        /// The first chunk that fails, counting from 0 (`u64::MAX` for the
        /// wrapped key in the header).
        chunk: u64,
    },
    /// The archive ends before its last chunk: cut short.
    #[error("the archive is truncated")]
    Truncated,
    /// The recipient certificate cannot be used for this channel.
    #[error("recipient certificate refused: {0}")]
    Recipient(#[from] RuleViolation),
    /// The recipient certificate is malformed.
    #[error("recipient certificate: {0}")]
    RecipientCertificate(#[from] CredentialError),
    /// The archive's channel policy does not decode here (for example a
    /// label policy this profile does not know).
    #[error("the archive's channel policy cannot be used here: {0}")]
    Policy(#[from] ChannelPolicyError),
    /// This archive was imported already.
    #[error("this archive was imported already (channel {channel})")]
    AlreadyImported {
        /// The imported channel's id (hex).
        channel: String,
    },
    /// The passphrase key derivation cannot run: the header's Argon2id
    /// parameters are out of bounds, or memory ran out.
    #[error("key derivation failed: {reason}")]
    KeyDerivation {
        /// Why.
        reason: String,
    },
    /// The encrypted store failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// The operating system's random generator failed.
    #[error("the system random generator failed")]
    Randomness,
    /// A cryptographic primitive failed for a reason other than
    /// authentication (a library error).
    #[error("cryptographic failure while {0}")]
    Crypto(&'static str),
}

impl ArchiveError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
