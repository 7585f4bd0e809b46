//! What the window asks for: request bodies deserialised from the webview,
//! mirroring `ui/src/lib/api/types.ts`. Everything here is untrusted input;
//! the handlers parse it before use.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::views::{PrecedenceView, ProtectionKind};

/// A new exercise profile, issued by the configured exercise authority.
#[derive(Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExerciseProfileRequest {
    /// Display name for the certificate.
    pub display_name: String,
    /// Officer id for the certificate.
    pub officer_id: String,
    /// ISO 3166 alpha-3.
    pub nationality: String,
    /// Clearance level name, e.g. "NATO SECRET".
    pub clearance: String,
    /// Keyring or passphrase.
    pub protection: ProtectionKind,
    /// Required in passphrase mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase: Option<String>,
}

impl fmt::Debug for ExerciseProfileRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExerciseProfileRequest")
            .field("officer_id", &self.officer_id)
            .field("protection", &self.protection)
            .finish_non_exhaustive()
    }
}

/// A profile from a certificate chain and key issued elsewhere.
#[derive(Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportProfileRequest {
    /// PEM certificate chain, leaf first, ending with the issuing authority.
    pub certificate_path: PathBuf,
    /// PEM PKCS#8 Ed25519 private key.
    pub key_path: PathBuf,
    /// Keyring or passphrase.
    pub protection: ProtectionKind,
    /// Required in passphrase mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase: Option<String>,
}

impl fmt::Debug for ImportProfileRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportProfileRequest")
            .field("certificate_path", &self.certificate_path)
            .field("protection", &self.protection)
            .finish_non_exhaustive()
    }
}

/// A message to send.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SendRequest {
    /// Hex channel id.
    pub channel_id: String,
    /// The text.
    pub body: String,
    /// Display marking of the chosen label.
    pub marking: String,
    /// Precedence.
    pub precedence: PrecedenceView,
    /// EXERCISE traffic.
    pub exercise: bool,
    /// Hex id of the message replied to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
}
