//! Provenance, as the store keeps it and the window shows it: how far a
//! stored message is trusted ([`Verification`]) and where a channel came
//! from ([`ChannelOrigin`]). The checks that decide an imported message's
//! state are `offline_verifier.rs`; this file only names the outcomes.

use crate::channel::EngineError;

/// How far a stored message is trusted (the UI's `VerificationState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verification {
    /// The sender's certificate, signature and label were checked: at
    /// receipt for a live channel, offline against the archive's recorded
    /// authorities (one of them known to this profile) for an imported one.
    Verified,
    /// Sent by this profile, in a live channel.
    Own,
    /// An imported message whose sender cannot be vouched for here: the
    /// authority is not known to this profile, or the certificate does not
    /// verify against the recorded authorities at the time the message was
    /// sent, or the label is above the recorded ceiling.
    Unverified,
    /// An imported message whose signature does not verify, or whose label
    /// or envelope is malformed: shown, flagged, never trusted.
    Tampered,
}

impl Verification {
    /// The name the UI contract uses: `verified`, `own`, `unverified`,
    /// `tampered`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::Own => "own",
            Self::Unverified => "unverified",
            Self::Tampered => "tampered",
        }
    }

    /// The value kept in the `messages.verification` column (`own` is not
    /// stored: it is a verified message whose sender is this profile).
    pub(crate) fn stored(self) -> &'static str {
        match self {
            Self::Verified | Self::Own => "verified",
            Self::Unverified => "unverified",
            Self::Tampered => "tampered",
        }
    }

    /// Reads the stored column; `own` tells whether a verified message is
    /// this profile's own, in a live channel.
    pub fn from_stored(text: &str, own: bool) -> Result<Self, EngineError> {
        match (text, own) {
            ("verified", true) => Ok(Self::Own),
            ("verified", false) => Ok(Self::Verified),
            ("unverified", _) => Ok(Self::Unverified),
            ("tampered", _) => Ok(Self::Tampered),
            _ => Err(EngineError::CorruptStore(
                "unknown verification state in the store".into(),
            )),
        }
    }
}

/// Where a channel in this profile came from (the UI's `ChannelView.origin`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelOrigin {
    /// A channel this profile is or was a member of.
    Live,
    /// Opened read-only from an archive file; it has no MLS group.
    Imported,
}

impl ChannelOrigin {
    /// `live` or `imported`, as in the UI contract and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Imported => "imported",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Self, EngineError> {
        match text {
            "live" => Ok(Self::Live),
            "imported" => Ok(Self::Imported),
            _ => Err(EngineError::CorruptStore(
                "unknown channel origin in the store".into(),
            )),
        }
    }
}
