//! The user's settings: a small plaintext JSON file in the profile home,
//! readable before unlocking (the lock screen needs the language). It
//! holds nothing secret.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::DeskError;
use super::home::write_atomically;

/// Longest idle delay accepted, in minutes (one day).
pub const MAX_IDLE_LOCK_MINUTES: u32 = 24 * 60;
/// Longest relay URL accepted.
const MAX_URL_LEN: usize = 2048;
/// Largest settings file read.
const MAX_SETTINGS_LEN: u64 = 64 * 1024;

/// UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Language {
    /// "en" or "fr".
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fr => "fr",
        }
    }
}

/// The settings the window edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// `wss://HOST:PORT/v1/ws`, or empty when no relay is configured.
    pub relay_url: String,
    /// Notifications show sender and label only unless this is true.
    pub notifications_show_content: bool,
    /// Lock after this many minutes without input; 0 disables.
    pub idle_lock_minutes: u32,
    /// UI language.
    pub language: Language,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            relay_url: String::new(),
            notifications_show_content: false,
            idle_lock_minutes: 15,
            language: Language::En,
        }
    }
}

impl Settings {
    /// Checks values typed by the user: a relay URL must be `wss://` with
    /// a host; the idle delay at most a day.
    pub fn validate(&self) -> Result<(), DeskError> {
        let url = self.relay_url.trim();
        if url.len() != self.relay_url.len() || url.len() > MAX_URL_LEN {
            return Err(DeskError::invalid(
                "relayUrl",
                "the relay address must be a wss:// URL without spaces",
            ));
        }
        if !url.is_empty() {
            let host = url.strip_prefix("wss://").unwrap_or_default();
            if host.is_empty() || host.starts_with('/') || host.chars().any(char::is_whitespace) {
                return Err(DeskError::invalid(
                    "relayUrl",
                    "the relay address must look like wss://relay.example:8443/v1/ws",
                ));
            }
        }
        if self.idle_lock_minutes > MAX_IDLE_LOCK_MINUTES {
            return Err(DeskError::invalid(
                "idleLockMinutes",
                "the idle lock delay is at most 1440 minutes (one day)",
            ));
        }
        Ok(())
    }

    /// Reads the settings file; defaults when there is none. A damaged
    /// file is reported, not silently replaced.
    pub fn load(path: &Path) -> Result<Self, DeskError> {
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(DeskError::io("reading the settings", &e)),
        };
        if meta.len() > MAX_SETTINGS_LEN {
            return Err(DeskError::internal("the settings file is too large"));
        }
        let text =
            fs::read_to_string(path).map_err(|e| DeskError::io("reading the settings", &e))?;
        let settings: Self = serde_json::from_str(&text)
            .map_err(|_| DeskError::internal("the settings file is damaged"))?;
        settings.validate()?;
        Ok(settings)
    }

    /// Writes the settings (atomically: a crash leaves the old or the new file).
    pub fn save(&self, path: &Path) -> Result<(), DeskError> {
        self.validate()?;
        let text = serde_json::to_string_pretty(self)
            .map_err(|_| DeskError::internal("encoding the settings"))?;
        write_atomically(path, text.as_bytes())
    }
}
