//! Errors of the desktop runtime, and their serialisable form for the
//! window: a `kind` the UI switches on, a message in plain English words,
//! for bad input the name of the field, and for the refusals the window
//! says in the officer's language a stable `code` with its `params`
//! (`errors.codes.<code>` in the UI's locales; the English message stays
//! the fallback).
//!
//! Messages never carry message content, key material or passphrases; an
//! internal failure is described by what was being done, and its detail
//! goes to the log only.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use thiserror::Error;
use ts_rs::TS;

use liaison_core::{DeliveryError, EngineError, PinError, Refusal, StoreError, SyncError};
use liaison_rules::RuleViolation;

/// What went wrong, for the UI to switch on (`AppErrorKind` in types.ts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum ErrorKind {
    /// No profile yet: the window shows onboarding.
    NoProfile,
    /// The profile is locked: the window shows the unlock screen.
    Locked,
    /// The passphrase does not open the store.
    WrongPassphrase,
    /// The PIN does not open the store (keyring-and-PIN profiles).
    WrongPin,
    /// Too many wrong PINs or passphrases: wait `retryAfterSeconds`.
    TooManyAttempts,
    /// No usable OS keyring: the window offers passphrase mode.
    KeyringUnavailable,
    /// A field the user typed is wrong (`field` names it).
    InvalidInput,
    /// The label is not allowed in this channel.
    LabelRefused,
    /// An admin action would break a channel rule.
    RuleViolation,
    /// Not allowed (not an admin, archived, left).
    Forbidden,
    /// No such channel, message or member.
    NotFound,
    /// The relay cannot be reached; the action is queued or refused.
    Offline,
    /// A certificate or key file is invalid, expired or untrusted.
    Certificate,
    /// Anything else.
    Internal,
}

/// The error the window receives (`AppError` in types.ts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Plain words for the user.
    pub message: String,
    /// For `invalidInput`: the argument that was wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// For `tooManyAttempts`: seconds before the next try is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub retry_after_seconds: Option<u32>,
    /// What exactly was refused, as a stable code the window translates
    /// (`aboveCeiling`, `pinTooShort`…; docs/desktop.md lists them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub code: Option<String>,
    /// The values the code's sentence names (markings, officers, nations,
    /// an excess over the ceiling each with its own `kind`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, unknown>")]
    pub params: Option<Map<String, Value>>,
}

/// A refusal the window can say in the officer's language: its kind, a
/// stable code and the code's parameters, with the English words kept for
/// the log and as the fallback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    /// What the window switches on.
    pub kind: ErrorKind,
    /// The stable code.
    pub code: String,
    /// The values its sentence names.
    pub params: Map<String, Value>,
    /// The English sentence.
    pub message: String,
    /// For bad input: the field.
    pub field: Option<&'static str>,
}

/// An error of the desktop runtime.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeskError {
    /// No profile exists in this home.
    #[error("no profile has been set up on this computer yet")]
    NoProfile,
    /// The profile exists but is locked.
    #[error("the profile is locked")]
    Locked,
    /// The passphrase is wrong.
    #[error("the passphrase is not correct")]
    WrongPassphrase,
    /// The PIN is wrong.
    #[error("the PIN is not correct")]
    WrongPin,
    /// Too many wrong secrets in a row; the next try must wait.
    #[error("too many wrong attempts: try again in {retry_after_seconds} seconds")]
    TooManyAttempts {
        /// Seconds before the next try is accepted.
        retry_after_seconds: u32,
    },
    /// The OS keyring cannot be used; passphrase mode is the alternative.
    #[error("{0}")]
    KeyringUnavailable(String),
    /// Bad user input.
    #[error("{reason}")]
    InvalidInput {
        /// The request field (camelCase, as the UI names it).
        field: &'static str,
        /// What is wrong, in plain words.
        reason: String,
    },
    /// The label is refused in this channel.
    #[error("{0}")]
    LabelRefused(String),
    /// A channel rule forbids the action.
    #[error("{0}")]
    RuleViolation(String),
    /// The user may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Something named does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The relay cannot be reached.
    #[error("{0}")]
    Offline(String),
    /// A certificate or key is unusable.
    #[error("{0}")]
    Certificate(String),
    /// An unexpected failure; the message says what was being done.
    #[error("{0}")]
    Internal(String),
    /// A refusal with a stable code the window translates.
    #[error("{}", .0.message)]
    Explained(Box<Explained>),
}

impl DeskError {
    /// Bad input in `field`.
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidInput {
            field,
            reason: reason.into(),
        }
    }

    /// A refusal of `kind` with a stable `code`, its parameters and its
    /// English message.
    pub fn explained(
        kind: ErrorKind,
        code: &str,
        params: Map<String, Value>,
        message: impl Into<String>,
    ) -> Self {
        Self::Explained(Box::new(Explained {
            kind,
            code: code.to_owned(),
            params,
            message: message.into(),
            field: None,
        }))
    }

    /// Bad input in `field`, with a stable code and no parameters.
    pub fn invalid_coded(field: &'static str, code: &str, reason: impl Into<String>) -> Self {
        Self::invalid_coded_with(field, code, Map::new(), reason)
    }

    /// Bad input in `field`, with a stable code and its parameters.
    pub fn invalid_coded_with(
        field: &'static str,
        code: &str,
        params: Map<String, Value>,
        reason: impl Into<String>,
    ) -> Self {
        Self::Explained(Box::new(Explained {
            kind: ErrorKind::InvalidInput,
            code: code.to_owned(),
            params,
            message: reason.into(),
            field: Some(field),
        }))
    }

    /// A refusal of `kind` coded by the core ([`Refusal`]), said as
    /// `message`.
    fn refused(kind: ErrorKind, refusal: Refusal, message: String) -> Self {
        Self::explained(kind, refusal.code, refusal.facts.into_map(), message)
    }

    /// The stable code, for a coded refusal.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Explained(explained) => Some(&explained.code),
            _ => None,
        }
    }

    /// An unexpected failure while doing `what`.
    pub fn internal(what: impl Into<String>) -> Self {
        Self::Internal(what.into())
    }

    /// A file-system failure while doing `what` (the OS error is kept, it
    /// names no secret).
    pub(crate) fn io(what: &str, error: &std::io::Error) -> Self {
        Self::Internal(format!("{what}: {error}"))
    }

    /// The kind the window switches on.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::NoProfile => ErrorKind::NoProfile,
            Self::Locked => ErrorKind::Locked,
            Self::WrongPassphrase => ErrorKind::WrongPassphrase,
            Self::WrongPin => ErrorKind::WrongPin,
            Self::TooManyAttempts { .. } => ErrorKind::TooManyAttempts,
            Self::KeyringUnavailable(_) => ErrorKind::KeyringUnavailable,
            Self::InvalidInput { .. } => ErrorKind::InvalidInput,
            Self::LabelRefused(_) => ErrorKind::LabelRefused,
            Self::RuleViolation(_) => ErrorKind::RuleViolation,
            Self::Forbidden(_) => ErrorKind::Forbidden,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Offline(_) => ErrorKind::Offline,
            Self::Certificate(_) => ErrorKind::Certificate,
            Self::Internal(_) => ErrorKind::Internal,
            Self::Explained(explained) => explained.kind,
        }
    }

    /// The serialisable form.
    pub fn to_app_error(&self) -> AppError {
        AppError {
            kind: self.kind(),
            message: self.to_string(),
            field: match self {
                Self::InvalidInput { field, .. } => Some((*field).to_owned()),
                Self::Explained(explained) => explained.field.map(str::to_owned),
                _ => None,
            },
            retry_after_seconds: match self {
                Self::TooManyAttempts {
                    retry_after_seconds,
                } => Some(*retry_after_seconds),
                _ => None,
            },
            code: self.code().map(str::to_owned),
            params: match self {
                Self::Explained(explained) if !explained.params.is_empty() => {
                    Some(explained.params.clone())
                }
                _ => None,
            },
        }
    }
}

/// The window's boundary: every command's error crosses it once, and is
/// logged here, once, inside the command's span. An internal failure is an
/// error of ours (with its cause in the message); the rest are the user's
/// or the network's and only worth a debug line.
impl From<DeskError> for AppError {
    fn from(error: DeskError) -> Self {
        match &error {
            DeskError::Internal(_) => tracing::error!(%error, "command failed"),
            other => tracing::debug!(error = %other, "command refused"),
        }
        error.to_app_error()
    }
}

impl From<StoreError> for DeskError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::WrongKey => Self::WrongPassphrase,
            StoreError::KeyringUnavailable { .. } => Self::KeyringUnavailable(
                "The system keyring cannot be used (no Secret Service, or it is locked). \
                 Unlock it, or protect the profile with a passphrase instead."
                    .into(),
            ),
            StoreError::KeyMissing { .. } => {
                Self::KeyringUnavailable("The system keyring holds no key for this profile.".into())
            }
            StoreError::EmptyPassphrase => Self::invalid("passphrase", "enter a passphrase"),
            other => Self::Internal(format!("the encrypted store failed: {other}")),
        }
    }
}

impl From<RuleViolation> for DeskError {
    fn from(violation: RuleViolation) -> Self {
        let kind = match violation {
            RuleViolation::AboveCeiling { .. }
            | RuleViolation::InheritanceBroken { .. }
            | RuleViolation::InvalidLabel(_)
            | RuleViolation::ForeignLabelPolicy { .. } => ErrorKind::LabelRefused,
            RuleViolation::NotAdmin { .. } => ErrorKind::Forbidden,
            _ => ErrorKind::RuleViolation,
        };
        Self::refused(
            kind,
            Refusal::of_violation(&violation),
            sentence(&violation),
        )
    }
}

impl From<EngineError> for DeskError {
    fn from(error: EngineError) -> Self {
        match error {
            EngineError::Rule(violation) => violation.into(),
            EngineError::Store(store) => store.into(),
            EngineError::UnknownChannel => Self::refused(
                ErrorKind::NotFound,
                Refusal::of_engine(&error),
                "No such channel.".into(),
            ),
            EngineError::UnknownMessage(_) => Self::refused(
                ErrorKind::NotFound,
                Refusal::of_engine(&error),
                "No such message here.".into(),
            ),
            EngineError::UnknownMember(ref officer) => {
                let message = format!("{officer} is not a member of this channel.");
                Self::refused(ErrorKind::NotFound, Refusal::of_engine(&error), message)
            }
            EngineError::ReadOnly => Self::refused(
                ErrorKind::Forbidden,
                Refusal::of_engine(&error),
                "This channel is read-only: it is archived, or you are no longer a member.".into(),
            ),
            EngineError::NoProfile => Self::NoProfile,
            EngineError::OwnCredential(ref e) => {
                let message = format!("Your certificate is not accepted: {e}.");
                Self::refused(ErrorKind::Certificate, Refusal::of_engine(&error), message)
            }
            EngineError::Policy(ref e) => {
                let message = format!("Invalid channel policy: {e}.");
                Self::refused(
                    ErrorKind::RuleViolation,
                    Refusal::of_engine(&error),
                    message,
                )
            }
            EngineError::CommitPending => Self::refused(
                ErrorKind::Offline,
                Refusal::of_engine(&error),
                "An earlier change to this channel is still waiting for the relay.".into(),
            ),
            EngineError::UnpinnedAuthorities { .. } => Self::refused(
                ErrorKind::RuleViolation,
                Refusal::of_engine(&error),
                sentence(&error),
            ),
            EngineError::Pinning(e) => e.into(),
            EngineError::Database(e) => Self::Internal(format!("the local database failed: {e}")),
            // What a peer or the relay sent (a key package, a Welcome) is
            // not what it claims: nothing the user typed was wrong.
            EngineError::MalformedMessage(reason) => Self::Forbidden(format!(
                "Refused data from the relay or a partner: {reason}."
            )),
            EngineError::CorruptStore(reason) => Self::Internal(format!(
                "the local store holds data this version cannot read: {reason}"
            )),
            EngineError::Mls { .. } => {
                Self::Internal(format!("the channel engine failed: {error}"))
            }
            // A redelivery is dropped before it reaches an operation of the
            // window; seen here it is the engine's bug, not the user's.
            EngineError::Duplicate => {
                Self::Internal("a duplicate delivery reached the window".into())
            }
        }
    }
}

impl From<PinError> for DeskError {
    fn from(error: PinError) -> Self {
        match error {
            PinError::UnknownInvitation(_) => {
                Self::NotFound("This invitation is no longer waiting.".into())
            }
            PinError::NotPinned(_) => {
                Self::NotFound("This authority is not among your pinned authorities.".into())
            }
            // The fingerprints the user confirmed do not fit the channel.
            PinError::FingerprintMismatch { .. }
            | PinError::NotAnAnchor(_)
            | PinError::Unconfirmed { .. } => {
                Self::invalid("confirmedFingerprints", sentence(&error))
            }
            other => Self::Certificate(sentence(&other)),
        }
    }
}

impl From<DeliveryError> for DeskError {
    fn from(error: DeliveryError) -> Self {
        match error {
            DeliveryError::Unavailable(_) | DeliveryError::RateLimited => Self::explained(
                ErrorKind::Offline,
                "relayUnreachable",
                Map::new(),
                "The relay cannot be reached; try again when the connection is back.",
            ),
            DeliveryError::NoKeyPackage(officer) => {
                let message = format!(
                    "{officer} has no key package at the relay: they must sign in once before they can be added."
                );
                Self::explained(
                    ErrorKind::NotFound,
                    "noKeyPackage",
                    params([("officer", officer.into())]),
                    message,
                )
            }
            DeliveryError::Forbidden(reason) => {
                Self::Forbidden(format!("The relay refused: {reason}."))
            }
            DeliveryError::QuotaExceeded(reason) => Self::Forbidden(format!(
                "The relay's storage for this channel is used up ({reason}); ask an admin to shorten its retention."
            )),
            DeliveryError::AmbiguousOfficer(_) => Self::NotFound(
                "Officers of several partner authorities use this officer id: choose the one to add by their authority."
                    .into(),
            ),
            DeliveryError::UnknownAuthority
            | DeliveryError::CertificateExpired
            | DeliveryError::CertificateRevoked
            | DeliveryError::Unauthenticated(_) => {
                Self::Certificate(format!("The relay refused your certificate: {error}."))
            }
            other => Self::Internal(format!("the relay refused the request: {other}")),
        }
    }
}

impl From<SyncError> for DeskError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::Engine(e) => e.into(),
            SyncError::Delivery(e) => e.into(),
            SyncError::GaveUp { .. } => Self::explained(
                ErrorKind::Offline,
                "gaveUp",
                Map::new(),
                "Other changes kept reaching the relay first; try again in a moment.",
            ),
        }
    }
}

/// Parameters of a coded error, by name.
pub(crate) fn params<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
}

/// An error as a sentence for the window: capitalised, with a full stop.
pub(super) fn sentence(error: &dyn std::fmt::Display) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn engine_failures_reach_the_window_as_what_they_are() {
        let peer: DeskError = EngineError::MalformedMessage("not a key package".into()).into();
        assert!(
            matches!(&peer, DeskError::Forbidden(m) if m.contains("not a key package")),
            "{peer:?}"
        );
        let ours: DeskError = EngineError::CorruptStore("outbox kind x".into()).into();
        assert!(
            matches!(&ours, DeskError::Internal(m) if m.contains("local store")),
            "{ours:?}"
        );
        let mls: DeskError = EngineError::Mls {
            operation: "merging commit",
            source: Box::new(std::io::Error::other("tree broken")),
        }
        .into();
        assert!(
            matches!(&mls, DeskError::Internal(m) if m.contains("merging commit") && m.contains("tree broken")),
            "{mls:?}"
        );
        let gave_up: DeskError = SyncError::GaveUp { attempts: 5 }.into();
        assert_eq!(gave_up.kind(), ErrorKind::Offline);
        assert_eq!(gave_up.code(), Some("gaveUp"));
    }

    #[test]
    fn a_rule_violation_reaches_the_window_with_its_code_and_facts() {
        let violation = RuleViolation::AboveCeiling {
            label: "NATO SECRET//REL TO GBR".into(),
            ceiling: "NATO SECRET//REL TO FRA, GBR".into(),
            excess: vec![liaison_rules::Excess::LeavesOutNations {
                nations: vec!["FRA".into()],
            }],
        };
        let english = sentence(&violation);
        let error: DeskError = violation.into();
        assert_eq!(error.kind(), ErrorKind::LabelRefused);
        let app = error.to_app_error();
        assert_eq!(app.code.as_deref(), Some("aboveCeiling"));
        assert_eq!(app.message, english);
        let params = app.params.clone().unwrap();
        assert_eq!(params["ceiling"], "NATO SECRET//REL TO FRA, GBR");
        assert_eq!(params["excess"][0]["kind"], "leavesOutNations");
        assert_eq!(params["excess"][0]["nations"][0], "FRA");

        // Serialised for the window: the code and params beside the kind.
        let json = serde_json::to_value(&app).unwrap();
        assert_eq!(json["kind"], "labelRefused");
        assert_eq!(json["code"], "aboveCeiling");
        // An error without a code sends neither key.
        let plain = serde_json::to_value(DeskError::WrongPin.to_app_error()).unwrap();
        assert!(plain.get("code").is_none() && plain.get("params").is_none());
    }

    #[test]
    fn pin_refusals_carry_a_code_and_their_field() {
        let short = crate::pin::check_new_pin("12").unwrap_err().to_app_error();
        assert_eq!(short.kind, ErrorKind::InvalidInput);
        assert_eq!(short.field.as_deref(), Some("pin"));
        assert_eq!(short.code.as_deref(), Some("pinTooShort"));
        assert_eq!(short.params.unwrap()["min"], 6);
        for (pin, code) in [
            ("", "pinMissing"),
            ("777777", "pinRepeated"),
            ("234567", "pinSequence"),
        ] {
            let error = crate::pin::check_new_pin(pin).unwrap_err();
            assert_eq!(error.code(), Some(code), "{pin:?}");
        }
    }
}
