//! The home directory: one directory per profile under `profiles/`, extra
//! label policies under `policies/`, and each profile's small plaintext
//! settings file.
//!
//! ```text
//! $LIAISON_HOME/
//!   policies/*.toml          extra label policies (optional)
//!   profiles/<name>/
//!     profile.json           settings: protection, keyring account, relay
//!     store.db               the SQLCipher store (store.db-kdf in passphrase mode)
//!     anchor.pem             the officer's own authority certificate (optional)
//! ```
//!
//! `profile.json` holds nothing secret and no officer identity: the officer
//! id and certificate live in the encrypted store.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::CliError;

/// The settings file's `format` field.
const CONFIG_FORMAT: &str = "liaison-profile";
/// The settings file version this build writes and reads.
const CONFIG_VERSION: u32 = 1;
/// Longest profile name.
const MAX_NAME_LEN: usize = 64;

/// The platform data directory for Liaison: `$XDG_DATA_HOME/liaison` or
/// `~/.local/share/liaison` on Linux and other Unix systems,
/// `~/Library/Application Support/liaison` on macOS, `%APPDATA%\liaison`
/// on Windows.
pub fn default_home() -> Result<PathBuf, CliError> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(windows) {
        var("APPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|h| h.join("Library").join("Application Support"))
    } else {
        var("XDG_DATA_HOME").or_else(|| var("HOME").map(|h| h.join(".local").join("share")))
    };
    base.map(|b| b.join("liaison")).ok_or_else(|| {
        CliError::Usage("no home directory found; pass --home or set LIAISON_HOME".into())
    })
}

/// The directory holding every profile.
pub fn profiles_dir(home: &Path) -> PathBuf {
    home.join("profiles")
}

/// The directory of extra label policy files.
pub fn policies_dir(home: &Path) -> PathBuf {
    home.join("policies")
}

/// A profile name: 1 to 64 ASCII letters, digits, '.', '-' or '_', not
/// starting with '.', so it is a safe directory and keyring account name.
pub fn check_profile_name(name: &str) -> Result<(), CliError> {
    let valid = !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if valid {
        Ok(())
    } else {
        Err(CliError::Usage(format!(
            "invalid profile name {name:?}: use 1 to {MAX_NAME_LEN} letters, digits, '.', '-' or '_'"
        )))
    }
}

/// The directory of one profile.
pub fn profile_dir(home: &Path, name: &str) -> Result<PathBuf, CliError> {
    check_profile_name(name)?;
    Ok(profiles_dir(home).join(name))
}

/// The store file inside a profile directory.
pub fn store_path(dir: &Path) -> PathBuf {
    dir.join("store.db")
}

/// The authority certificate kept beside a profile.
pub fn anchor_path(dir: &Path) -> PathBuf {
    dir.join("anchor.pem")
}

fn config_path(dir: &Path) -> PathBuf {
    dir.join("profile.json")
}

/// The names of the profiles under `home`, sorted.
pub fn list_profiles(home: &Path) -> Result<Vec<String>, CliError> {
    let dir = profiles_dir(home);
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(CliError::io(&dir, e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| CliError::io(&dir, e))?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if check_profile_name(&name).is_ok() && config_path(&entry.path()).is_file() {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// How a profile's store key is protected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StoredProtection {
    /// In the OS keyring, under Liaison's service name and this account.
    Keyring {
        /// The keyring account: the profile name and a random suffix, so two
        /// home directories never share an entry.
        account: String,
    },
    /// Derived from a passphrase; the parameters are beside the store.
    Passphrase,
}

/// A profile's settings file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    /// Always "liaison-profile".
    pub format: String,
    /// The file version.
    pub version: u32,
    /// How the store key is protected.
    pub protection: StoredProtection,
    /// The relay's URL, if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay: Option<String>,
}

impl ProfileConfig {
    /// A new settings file.
    pub fn new(protection: StoredProtection, relay: Option<String>) -> Self {
        Self {
            format: CONFIG_FORMAT.to_owned(),
            version: CONFIG_VERSION,
            protection,
            relay,
        }
    }

    /// Reads a profile's settings.
    pub fn read(dir: &Path) -> Result<Self, CliError> {
        let path = config_path(dir);
        let text = fs::read_to_string(&path).map_err(|e| CliError::io(&path, e))?;
        let config: Self = serde_json::from_str(&text)
            .map_err(|e| CliError::bad_file(&path, format!("unreadable settings: {e}")))?;
        if config.format != CONFIG_FORMAT || config.version != CONFIG_VERSION {
            return Err(CliError::bad_file(
                &path,
                format!(
                    "settings format {} version {}; this build reads {CONFIG_FORMAT} version {CONFIG_VERSION}",
                    config.format, config.version
                ),
            ));
        }
        Ok(config)
    }

    /// Writes the settings (replacing the file atomically).
    pub fn write(&self, dir: &Path) -> Result<(), CliError> {
        let path = config_path(dir);
        let tmp = dir.join("profile.json.tmp");
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| CliError::bad_file(&path, e.to_string()))?;
        fs::write(&tmp, text + "\n").map_err(|e| CliError::io(&tmp, e))?;
        fs::rename(&tmp, &path).map_err(|e| CliError::io(&path, e))
    }
}

/// Creates a directory readable by the owner only; fails if it exists.
pub(crate) fn create_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}
