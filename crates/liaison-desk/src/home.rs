//! The profile home: one data directory per installation.
//!
//! ```text
//! <home>/
//!   settings.json   relay URL, notifications, idle lock, language (plaintext, nothing secret)
//!   profile.json    how the store key is protected (plaintext, nothing secret)
//!   store.db        the SQCipher store (store.db-kdf beside it in PIN and passphrase modes)
//!   unlock-attempts.json  wrong PINs or passphrases since the last unlock (`attempts.rs`)
//!   policies/*.toml extra label policies (optional)
//! ```
//!
//! `profile.json` is written last when a profile is created, so its
//! presence is what "a profile exists" means; a store left by an
//! interrupted creation is deleted by the next one.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::DeskError;
use super::views::ProtectionKind;

const RECORD_FORMAT: &str = "liaison-desktop-profile";
const RECORD_VERSION: u32 = 1;
const MAX_RECORD_LEN: u64 = 16 * 1024;

/// How the profile's store key is protected, as recorded in `profile.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum StoredProtection {
    /// In the OS keyring under this service and account (random per profile).
    Keyring {
        /// Keyring service.
        service: String,
        /// Keyring account.
        account: String,
    },
    /// Derived from a PIN with Argon2id keyed with a secret in the OS
    /// keyring under this service and account; the KDF parameters are
    /// beside the store.
    KeyringPin {
        /// Keyring service.
        service: String,
        /// Keyring account.
        account: String,
    },
    /// Derived from a passphrase; the KDF parameters are beside the store.
    Passphrase,
}

impl StoredProtection {
    /// A keyring profile made before PINs: the officer chooses one at the
    /// next unlock.
    pub(crate) fn needs_new_pin(&self) -> bool {
        matches!(self, Self::Keyring { .. })
    }

    pub(crate) fn kind(&self) -> ProtectionKind {
        match self {
            Self::Keyring { .. } | Self::KeyringPin { .. } => ProtectionKind::Keyring,
            Self::Passphrase => ProtectionKind::Passphrase,
        }
    }
}

/// The content of `profile.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProfileRecord {
    format: String,
    version: u32,
    pub(crate) protection: StoredProtection,
}

impl ProfileRecord {
    pub(crate) fn new(protection: StoredProtection) -> Self {
        Self {
            format: RECORD_FORMAT.to_owned(),
            version: RECORD_VERSION,
            protection,
        }
    }
}

/// The data directory of the desktop app.
#[derive(Debug, Clone)]
pub struct DeskHome {
    dir: PathBuf,
}

impl DeskHome {
    /// A home at `dir` (created when a profile is).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn store_path(&self) -> PathBuf {
        self.dir.join("store.db")
    }

    pub(crate) fn settings_path(&self) -> PathBuf {
        self.dir.join("settings.json")
    }

    pub(crate) fn policies_dir(&self) -> PathBuf {
        self.dir.join("policies")
    }

    fn record_path(&self) -> PathBuf {
        self.dir.join("profile.json")
    }

    /// Creates the directory (owner-only on Unix) if it is missing.
    pub(crate) fn ensure_dir(&self) -> Result<(), DeskError> {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(&self.dir)
            .map_err(|e| DeskError::io("creating the data directory", &e))
    }

    /// The profile record, or `None` when no profile exists.
    pub(crate) fn record(&self) -> Result<Option<ProfileRecord>, DeskError> {
        let path = self.record_path();
        let meta = match fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(DeskError::io("reading the profile record", &e)),
        };
        if meta.len() > MAX_RECORD_LEN {
            return Err(DeskError::internal("the profile record is too large"));
        }
        let text = fs::read_to_string(&path)
            .map_err(|e| DeskError::io("reading the profile record", &e))?;
        let record: ProfileRecord = serde_json::from_str(&text)
            .map_err(|_| DeskError::internal("the profile record is damaged"))?;
        if record.format != RECORD_FORMAT || record.version != RECORD_VERSION {
            return Err(DeskError::internal(format!(
                "the profile record has format {} version {}; this build reads {RECORD_FORMAT} version {RECORD_VERSION}",
                record.format, record.version
            )));
        }
        Ok(Some(record))
    }

    pub(crate) fn write_record(&self, record: &ProfileRecord) -> Result<(), DeskError> {
        let text = serde_json::to_string_pretty(record)
            .map_err(|_| DeskError::internal("encoding the profile record"))?;
        write_atomically(&self.record_path(), text.as_bytes())
    }

    /// Deletes the store files an interrupted creation may have left.
    pub(crate) fn remove_stale_store(&self) -> Result<(), DeskError> {
        let store = self.store_path();
        for suffix in ["", "-wal", "-shm", "-journal", "-kdf"] {
            let mut name = store.as_os_str().to_owned();
            name.push(suffix);
            match fs::remove_file(PathBuf::from(name)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(DeskError::io("removing an unfinished profile", &e)),
            }
        }
        Ok(())
    }
}

/// Writes a file owner-readable only, through a temporary file and a
/// rename, so a crash leaves the old or the new content.
pub(crate) fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), DeskError> {
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = PathBuf::from(tmp_name);
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let write = || -> std::io::Result<()> {
        let mut file = options.open(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    };
    write().map_err(|e| DeskError::io("writing a file in the data directory", &e))
}
