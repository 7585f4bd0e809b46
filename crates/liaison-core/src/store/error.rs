//! The errors of the encrypted store.
//!
//! No message here ever carries key material, a passphrase or stored content:
//! variants hold paths, counts, versions and platform diagnostics only.

use std::path::PathBuf;

/// Why an operation on the encrypted store failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// `Store::open` was given a path where no database file exists.
    #[error("no store at {}", path.display())]
    NotFound {
        /// The path that was looked at.
        path: PathBuf,
    },

    /// `Store::create` was given a path where a file already exists; it never
    /// overwrites one.
    #[error("a file already exists at {}; refusing to create a store over it", path.display())]
    AlreadyExists {
        /// The path that is taken.
        path: PathBuf,
    },

    /// The key or passphrase does not decrypt this database (or the file is not
    /// a Liaison store at all). Nothing was written to the file.
    #[error("the key or passphrase does not open this store")]
    WrongKey,

    /// No OS keyring can be used here: no D-Bus session, no Secret Service, a
    /// locked keyring, or access refused by the platform.
    #[error(
        "no usable OS keyring ({detail}); unlock or install one, or protect the profile with a passphrase instead"
    )]
    KeyringUnavailable {
        /// The platform's own description of the failure.
        detail: String,
    },

    /// The keyring works but holds no key for this profile (it was deleted, or
    /// the store was created on another account or machine).
    #[error(
        "the OS keyring holds no key for this store (service {service:?}, account {account:?})"
    )]
    KeyMissing {
        /// Keyring service name of the entry that was looked up.
        service: String,
        /// Keyring account name of the entry that was looked up.
        account: String,
    },

    /// `Store::create` found a keyring entry under this name already; it never
    /// overwrites one, since that would destroy another store's key.
    #[error(
        "the OS keyring already holds a key under service {service:?}, account {account:?}; choose another account or delete that entry"
    )]
    KeyringEntryExists {
        /// Keyring service name of the existing entry.
        service: String,
        /// Keyring account name of the existing entry.
        account: String,
    },

    /// Several keyring entries match the service and account; the platform
    /// cannot tell which one is the store's key.
    #[error("several OS keyring entries match this store's key; remove the duplicates")]
    KeyringAmbiguous,

    /// The keyring refused or failed the request for another reason (for
    /// example a service or account name the platform does not accept).
    #[error("the OS keyring rejected the request: {detail}")]
    KeyringRejected {
        /// The platform's own description of the failure.
        detail: String,
    },

    /// The keyring entry does not hold a 256-bit key.
    #[error("the OS keyring entry for this store does not hold a 256-bit key")]
    MalformedKey,

    /// A passphrase-protected store's parameter file (`<database>-kdf`) is missing.
    #[error("the key-derivation file {} is missing", path.display())]
    SidecarMissing {
        /// Where the file was expected.
        path: PathBuf,
    },

    /// The parameter file of a passphrase-protected store is unreadable.
    #[error("the key-derivation file {} is malformed: {reason}", path.display())]
    SidecarMalformed {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },

    /// The parameter file was written by a newer version of Liaison.
    #[error(
        "the key-derivation file has format version {found}; this build reads version {supported}"
    )]
    SidecarVersion {
        /// The version found in the file.
        found: u32,
        /// The version this build reads.
        supported: u32,
    },

    /// An empty passphrase was offered for a new store.
    #[error("the passphrase is empty")]
    EmptyPassphrase,

    /// The Argon2id parameters are outside what the implementation accepts.
    #[error("invalid Argon2id parameters: {reason}")]
    InvalidKdfParams {
        /// Which bound was broken.
        reason: String,
    },

    /// Argon2id could not derive the key (for example, the memory could not be
    /// allocated).
    #[error("the passphrase could not be stretched into a key")]
    KeyDerivation,

    /// The operating system's random number generator failed.
    #[error("the operating system's random number generator failed")]
    Randomness,

    /// SQLCipher refused to take the key (the database connection is unusable).
    #[error("SQLCipher did not accept the key")]
    KeyNotApplied,

    /// The database is at a newer schema version than this build knows.
    #[error(
        "the store has schema version {found}; this build knows up to {supported}; update Liaison"
    )]
    NewerSchema {
        /// The `user_version` found in the database.
        found: u32,
        /// The newest version this build can migrate to.
        supported: u32,
    },

    /// A schema migration failed; the database stays at its previous version.
    #[error("schema migration {version} failed")]
    Migration {
        /// The migration that failed.
        version: u32,
        /// The SQLite error.
        #[source]
        source: rusqlite::Error,
    },

    /// The openmls storage tables could not be created or migrated.
    #[error("the MLS state tables could not be migrated")]
    MlsMigration(#[source] Box<dyn std::error::Error + Send + Sync>),

    /// A pragma did not take the value the store relies on.
    #[error("the database refused setting {pragma} to {wanted}")]
    Pragma {
        /// The pragma.
        pragma: &'static str,
        /// The value that was asked for.
        wanted: &'static str,
    },

    /// `save_profile` was called on a store that already has a profile.
    #[error("this store already holds a profile")]
    ProfileExists,

    /// The operation needs a profile and the store has none yet.
    #[error("this store holds no profile yet")]
    ProfileMissing,

    /// A value read from the database is outside its allowed range.
    #[error("corrupt {what} in the store")]
    Corrupt {
        /// Which value.
        what: &'static str,
    },

    /// The system clock is outside the range the store can record.
    #[error("the system clock is out of range")]
    Clock,

    /// A SQLite error.
    #[error("database error")]
    Sqlite(#[from] rusqlite::Error),

    /// A file-system error.
    #[error("file-system error on {}", path.display())]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
