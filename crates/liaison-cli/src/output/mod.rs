//! What commands return, and how it is shown: each view is a plain struct
//! that serialises to the documented JSON object (`--json`) and renders as
//! readable text otherwise.
//!
//! Text output never writes control characters that came from the network
//! or a certificate to the terminal: see [`sanitize`].

mod archive;
mod authority;
mod channel;
mod events;
mod message;
mod pinning;
mod profile;

#[cfg(test)]
mod tests;

use std::io::{self, Write};

use serde::Serialize;

use crate::error::{CliError, ExitStatus};

pub use archive::{ArchivedView, ExportView, ImportView, SearchHitView, SearchView};
pub use authority::{AuthorityView, CrlView, IssuedView, PemView, RevokedView};
pub use channel::{
    ChannelListView, ChannelRefView, ChannelSummaryView, ChannelView, LeaveView, MemberView,
    MembersView, MembershipChangeView, PolicyChangeView, PolicySummary,
};
pub use events::{AuditEntryView, AuditView, ListenEvent};
pub use message::{
    AckResultView, AckView, ForkView, GapView, MessageView, MessagesView, ReaddedView,
    ReferenceView, SentView, SyncView, WithheldView, banner,
};
pub use pinning::{
    AcceptView, AnchorAddedView, AuthorityRefView, DeclineView, HeldView, InvitationView,
    InvitationsView, InviterView, PinChangeView, PinnedListView, PinnedView,
};
pub use profile::{
    CertificateView, DeletedView, KeygenView, ProfileListEntry, ProfileListView, ProfileView,
    UnlockView,
};

/// Whether what a command queued reached the relay.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DeliveryView {
    /// Everything queued reached the relay.
    pub delivered: bool,
    /// Why not, when the relay could not be reached (exit code 4; the
    /// change stays queued for the next sync). Null with `--offline`.
    pub relay_error: Option<String>,
}

impl DeliveryView {
    /// Delivered.
    pub fn delivered() -> Self {
        Self {
            delivered: true,
            relay_error: None,
        }
    }

    /// Kept in the outbox on purpose (`--offline`).
    pub fn offline() -> Self {
        Self::default()
    }

    /// Kept in the outbox because the relay could not be reached.
    pub fn unreachable(reason: String) -> Self {
        Self {
            delivered: false,
            relay_error: Some(reason),
        }
    }

    /// Exit code 4 when the relay could not be reached.
    pub fn status(&self) -> ExitStatus {
        if self.relay_error.is_some() {
            ExitStatus::RelayUnreachable
        } else {
            ExitStatus::Ok
        }
    }

    /// A note for text output.
    pub fn note(&self) -> String {
        match (&self.relay_error, self.delivered) {
            (_, true) => " (delivered)".to_owned(),
            (None, false) => " (queued: sent at the next sync)".to_owned(),
            (Some(reason), false) => format!(
                " (queued: sent at the next sync; relay unreachable: {})",
                sanitize_line(reason)
            ),
        }
    }
}

/// A command's result: JSON for scripts, text for people.
pub trait Render: Serialize {
    /// Writes the readable form.
    fn text(&self, out: &mut dyn Write) -> io::Result<()>;

    /// The exit status the result stands for (almost always success).
    fn status(&self) -> ExitStatus {
        ExitStatus::Ok
    }
}

/// Writes a view as one line of JSON or as text; returns its exit status.
pub fn emit<R: Render>(view: &R, json: bool, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    if json {
        serde_json::to_writer(&mut *out, view)
            .map_err(|e| CliError::Output(io::Error::other(e)))?;
        writeln!(out).map_err(CliError::Output)?;
    } else {
        view.text(out).map_err(CliError::Output)?;
    }
    out.flush().map_err(CliError::Output)?;
    Ok(view.status())
}

/// The JSON error object printed with `--json` when a command fails:
/// `{"error":{"kind":"refused","exit_code":2,"message":"…"}}`.
pub fn error_json(error: &CliError) -> String {
    let status = error.status();
    serde_json::json!({
        "error": {
            "kind": status.kind(),
            "exit_code": status.code(),
            "message": error.to_string(),
        }
    })
    .to_string()
}

/// Makes untrusted text (message bodies, names from certificates, audit
/// details) safe to print on a terminal: control characters other than
/// newline and tab, and the bidirectional overrides that can disguise
/// text, are replaced by U+FFFD.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            if (c.is_control() && c != '\n' && c != '\t') || bidi {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// [`sanitize`] for text that must stay on one line (names, ids).
pub fn sanitize_line(text: &str) -> String {
    sanitize(text).replace(['\n', '\t'], " ")
}
