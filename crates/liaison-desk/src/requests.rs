//! What the window asks for: request bodies deserialised from the webview
//! (their TypeScript types are generated from these, `contract.rs`).
//! Everything here is untrusted input; the handlers parse it before use.
//! No request carries a file path: files are named by the tokens of the
//! native dialogs' answers (`files.rs`).

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::files::FileToken;
use super::views::{AuditCategoryView, LabelSpec, OnRemoval, PrecedenceView, ProtectionKind};

/// Which audit entries to read, newest first. Every filter is optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditRequest {
    /// At most this many (capped at 1000).
    pub limit: u32,
    /// Only entries about this channel (hex id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub channel_id: Option<String>,
    /// Only entries of these categories (all when absent or empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub categories: Option<Vec<AuditCategoryView>>,
    /// Only entries at or after this instant (Unix ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub from_ms: Option<u64>,
    /// Only entries before this instant (Unix ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub to_ms: Option<u64>,
    /// Only entries older than this one (paging).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub before_id: Option<i64>,
}

/// A new exercise profile, issued by the configured exercise authority.
#[derive(Clone, Deserialize, Serialize, TS)]
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
    /// Keyring (with a PIN) or passphrase.
    pub protection: ProtectionKind,
    /// Required in passphrase mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub passphrase: Option<String>,
    /// Required in keyring mode: the PIN asked at every unlock (at least
    /// six characters, not trivial).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pin: Option<String>,
}

impl fmt::Debug for ExerciseProfileRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExerciseProfileRequest")
            .field("officer_id", &self.officer_id)
            .field("protection", &self.protection)
            .finish_non_exhaustive()
    }
}

/// A profile from a certificate chain and key issued elsewhere. The files
/// are the ones the officer chose in native dialogs, named by their tokens.
#[derive(Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportProfileRequest {
    /// PEM certificate chain, leaf first, ending with the issuing authority
    /// (a token for [`FilePurpose::OpenCertificate`](super::FilePurpose)).
    pub certificate_file: FileToken,
    /// PEM PKCS#8 Ed25519 private key (a token for
    /// [`FilePurpose::OpenKey`](super::FilePurpose)).
    pub key_file: FileToken,
    /// Keyring (with a PIN) or passphrase.
    pub protection: ProtectionKind,
    /// Required in passphrase mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub passphrase: Option<String>,
    /// Required in keyring mode: the PIN asked at every unlock (at least
    /// six characters, not trivial).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pin: Option<String>,
}

impl fmt::Debug for ImportProfileRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportProfileRequest")
            .field("certificate_file", &self.certificate_file)
            .field("key_file", &self.key_file)
            .field("protection", &self.protection)
            .finish_non_exhaustive()
    }
}

/// A message to send.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SendRequest {
    /// Hex channel id.
    pub channel_id: String,
    /// The text.
    pub body: String,
    /// Display marking of the chosen label (one of the composer options'
    /// labels).
    pub marking: String,
    /// Precedence.
    pub precedence: PrecedenceView,
    /// EXERCISE traffic.
    pub exercise: bool,
    /// Hex id of the message replied to; the core checks label inheritance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reply_to: Option<String>,
}

/// A search, as the window asks for it (`SearchQuery` in types.ts).
#[derive(Debug, Clone, Default, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchRequest {
    /// Words to find: plain words (no FTS5 syntax), all must match; a
    /// trailing `*` is a prefix.
    pub text: String,
    /// Only this channel (hex id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub channel_id: Option<String>,
    /// Only this sender (officer id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sender_id: Option<String>,
    /// Only this classification, by name ("NATO SECRET").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub classification: Option<String>,
    /// Only this precedence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub precedence: Option<PrecedenceView>,
    /// Sent at or after (Unix milliseconds, sender's clock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub from_ms: Option<u64>,
    /// Sent at or before (Unix milliseconds, sender's clock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub to_ms: Option<u64>,
    /// Most results (1 to 500).
    pub limit: u32,
}

/// How a new archive file is protected.
#[derive(Clone, Deserialize, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum ExportProtection {
    /// A passphrase the recipient is told separately.
    Passphrase {
        /// The passphrase; must not be empty.
        passphrase: String,
    },
    /// A named officer's certificate: only they open the file.
    Certificate {
        /// PEM certificate chain of the recipient, leaf first (a token for
        /// [`FilePurpose::OpenCertificate`](super::FilePurpose)).
        #[serde(rename = "certificateFile")]
        certificate_file: FileToken,
    },
}

impl fmt::Debug for ExportProtection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Passphrase { .. } => f.write_str("Passphrase"),
            Self::Certificate { certificate_file } => f
                .debug_struct("Certificate")
                .field("certificate_file", certificate_file)
                .finish(),
        }
    }
}

/// A channel's history to write to an archive file (`ExportRequest`).
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportArchiveRequest {
    /// Hex channel id.
    pub channel_id: String,
    /// Only messages sent at or after (Unix milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub from_ms: Option<u64>,
    /// Only messages sent at or before (Unix milliseconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub to_ms: Option<u64>,
    /// The file to write (a token for
    /// [`FilePurpose::SaveArchive`](super::FilePurpose)).
    pub file: FileToken,
    /// Passphrase or certificate.
    pub protection: ExportProtection,
}

/// An archive file to open read-only (`ImportRequest`).
#[derive(Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportArchiveRequest {
    /// The archive file (a token for
    /// [`FilePurpose::OpenArchive`](super::FilePurpose)).
    pub file: FileToken,
    /// Its passphrase, for a passphrase-protected archive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub passphrase: Option<String>,
}

impl fmt::Debug for ImportArchiveRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportArchiveRequest")
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

/// The user accepts an invitation, having confirmed the fingerprint of
/// every authority of the channel not yet pinned.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AcceptInvitationRequest {
    /// The invitation's id.
    pub id: i64,
    /// The fingerprints the user compared and confirmed (hex, colons
    /// allowed): every unpinned authority's.
    pub confirmed_fingerprints: Vec<String>,
}

/// A new channel, as the new-channel screen sends it. The user is always
/// one of its admins, whether listed or not.
#[derive(Debug, Clone, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewChannelRequest {
    /// Partnership name.
    pub name: String,
    /// The ceiling, in parts (its REL TO is the channel's releasability).
    pub ceiling: LabelSpec,
    /// The default label, in parts; within the ceiling.
    pub default_label: LabelSpec,
    /// Other admins' officer ids (from the relay's directory).
    pub admins: Vec<String>,
    /// The partner authorities to trust: fingerprints of pinned ones
    /// (hex, colons allowed). The one that certifies the user is needed.
    pub anchors: Vec<String>,
    /// Days messages are kept, if limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub retention_days: Option<u32>,
    /// What happens to a removed member's history.
    pub on_removal: OnRemoval,
}
