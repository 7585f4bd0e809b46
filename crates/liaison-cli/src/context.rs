//! What every command runs with: where the profiles live, which one, how
//! to unlock it, and how to reach the relay.

use std::path::PathBuf;

use liaison_core::{KdfParams, Passphrase};
use zeroize::Zeroizing;

use crate::error::CliError;

/// Where a passphrase comes from.
pub enum PassphraseSource {
    /// The first line of a file (`--passphrase-file`).
    File(PathBuf),
    /// A value handed over by the caller (the `LIAISON_PASSPHRASE`
    /// environment variable, or a test).
    Text(Zeroizing<String>),
}

impl std::fmt::Debug for PassphraseSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(path) => f.debug_tuple("File").field(path).finish(),
            Self::Text(_) => f.write_str("Text(<redacted>)"),
        }
    }
}

impl PassphraseSource {
    /// Reads the passphrase. A file's first line is taken without its line
    /// ending, so `echo secret > file` works.
    pub fn read(&self) -> Result<Passphrase, CliError> {
        let text = match self {
            Self::Text(text) => Zeroizing::new(text.as_str().to_owned()),
            Self::File(path) => {
                let raw = Zeroizing::new(
                    std::fs::read_to_string(path).map_err(|e| CliError::io(path, e))?,
                );
                Zeroizing::new(raw.lines().next().unwrap_or_default().to_owned())
            }
        };
        if text.is_empty() {
            return Err(CliError::Usage("the passphrase is empty".into()));
        }
        Ok(Passphrase::new(text.as_str().to_owned()))
    }
}

/// The settings a command runs with.
#[derive(Debug)]
pub struct Context {
    /// The home directory: `profiles/` and `policies/` live under it.
    pub home: PathBuf,
    /// The profile chosen with `--profile`, if any.
    pub profile: Option<String>,
    /// Where the passphrase comes from, if one was given.
    pub passphrase: Option<PassphraseSource>,
    /// Argon2id cost for new passphrase-protected profiles.
    pub kdf: KdfParams,
    /// The relay URL given on the command line, overriding the profile's.
    pub relay: Option<String>,
    /// The relay certificate to trust (PEM file); system roots otherwise.
    pub relay_ca: Option<PathBuf>,
    /// Whether to stay away from the relay.
    pub offline: bool,
    /// Where an archive's passphrase comes from (`export`, `import`), if
    /// given other than by `--archive-passphrase-file`.
    pub archive_passphrase: Option<PassphraseSource>,
}

impl Context {
    /// A context for `home` with every option at its default.
    pub fn new(home: impl Into<PathBuf>) -> Self {
        Self {
            home: home.into(),
            profile: None,
            passphrase: None,
            kdf: KdfParams::default(),
            relay: None,
            relay_ca: None,
            offline: false,
            archive_passphrase: None,
        }
    }
}
