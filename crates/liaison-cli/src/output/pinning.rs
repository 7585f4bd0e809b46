//! Views of the pinned partner authorities and of held invitations.

use std::io::{self, Write};

use liaison_core::{ChannelAnchor, Invitation, PinnedAuthority};
use serde::Serialize;

use super::{ChannelRefView, Render, sanitize_line};
use crate::error::ExitStatus;
use crate::time_text::rfc3339_ms;

/// A partner authority as the officer is shown it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AuthorityRefView {
    /// The name its certificate gives itself (anyone may choose any name).
    pub name: String,
    /// SHA-256 of its certificate, upper-case colon hex: what identifies it.
    pub fingerprint: String,
    /// Whether this profile has pinned it.
    pub pinned: bool,
}

impl From<&ChannelAnchor> for AuthorityRefView {
    fn from(anchor: &ChannelAnchor) -> Self {
        Self {
            name: anchor.name.clone(),
            fingerprint: anchor.fingerprint.to_string(),
            pinned: anchor.pinned,
        }
    }
}

fn write_authority(out: &mut dyn Write, authority: &AuthorityRefView) -> io::Result<()> {
    writeln!(
        out,
        "  {} {}\n      fingerprint {}",
        if authority.pinned {
            "pinned    "
        } else {
            "NOT PINNED"
        },
        sanitize_line(&authority.name),
        authority.fingerprint
    )
}

/// One pinned authority.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PinnedView {
    /// SHA-256 of its certificate.
    pub fingerprint: String,
    /// The name its certificate gives itself.
    pub name: String,
    /// How it was pinned: `onboarding`, `import`, `officer` or `upgrade`.
    pub source: String,
    /// When (RFC 3339).
    pub pinned_at: String,
}

impl From<&PinnedAuthority> for PinnedView {
    fn from(pinned: &PinnedAuthority) -> Self {
        Self {
            fingerprint: pinned.fingerprint.to_string(),
            name: pinned.name.clone(),
            source: pinned.source.as_str().to_owned(),
            pinned_at: rfc3339_ms(pinned.pinned_at_ms),
        }
    }
}

/// `liaison authority pinned`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PinnedListView {
    /// The partner authorities this profile trusts.
    pub authorities: Vec<PinnedView>,
}

impl Render for PinnedListView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.authorities.is_empty() {
            return writeln!(out, "no partner authority is pinned");
        }
        for a in &self.authorities {
            writeln!(
                out,
                "{}\n  fingerprint {}\n  pinned {} ({})",
                sanitize_line(&a.name),
                a.fingerprint,
                a.pinned_at,
                a.source
            )?;
        }
        Ok(())
    }
}

/// `liaison authority pin|unpin`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PinChangeView {
    /// `pin` or `unpin`.
    pub action: String,
    /// The authority.
    pub authority: AuthorityRefView,
    /// Whether the change was made.
    pub applied: bool,
    /// Whether it was withheld for want of `--confirm` (exit code 6).
    pub needs_confirmation: bool,
}

impl Render for PinChangeView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "partner authority {}",
            sanitize_line(&self.authority.name)
        )?;
        writeln!(out, "  fingerprint {}", self.authority.fingerprint)?;
        match (self.applied, self.action.as_str()) {
            (true, "pin") => writeln!(out, "pinned: channels naming it are joined without asking"),
            (true, _) => writeln!(
                out,
                "unpinned: a new channel naming it will need your confirmation"
            ),
            (false, "pin") => writeln!(
                out,
                "not pinned: compare this fingerprint with the partner authority's, out of band, \
                 then run again with --confirm {}",
                self.authority.fingerprint
            ),
            (false, _) => writeln!(
                out,
                "not unpinned: run again with --confirm {}",
                self.authority.fingerprint
            ),
        }
    }

    fn status(&self) -> ExitStatus {
        if self.needs_confirmation {
            ExitStatus::NotConfirmed
        } else {
            ExitStatus::Ok
        }
    }
}

/// Who added the officer, as the channel's own authorities certify them.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InviterView {
    /// Officer id.
    pub officer_id: String,
    /// Display name.
    pub display_name: String,
}

/// One held invitation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InvitationView {
    /// Its id, for `invitations accept|decline`.
    pub id: i64,
    /// The channel.
    pub channel: ChannelRefView,
    /// Who added the officer (certified by the channel's authorities,
    /// which are not all trusted yet), if known.
    pub invited_by: Option<InviterView>,
    /// When it was held (RFC 3339).
    pub received_at: String,
    /// Every authority the channel trusts.
    pub anchors: Vec<AuthorityRefView>,
}

impl From<&Invitation> for InvitationView {
    fn from(invitation: &Invitation) -> Self {
        Self {
            id: invitation.id,
            channel: ChannelRefView::new(&invitation.channel, &invitation.channel_name),
            invited_by: invitation.invited_by.as_ref().map(|i| InviterView {
                officer_id: i.officer_id.clone(),
                display_name: i.display_name.clone(),
            }),
            received_at: rfc3339_ms(invitation.received_at_ms),
            anchors: invitation.anchors.iter().map(Into::into).collect(),
        }
    }
}

impl InvitationView {
    fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "invitation {}: {} (held {})",
            self.id,
            sanitize_line(&self.channel.name),
            self.received_at
        )?;
        if let Some(by) = &self.invited_by {
            writeln!(
                out,
                "  added by {} ({}), as the channel's authorities certify",
                sanitize_line(&by.display_name),
                sanitize_line(&by.officer_id)
            )?;
        }
        writeln!(out, "  the channel trusts:")?;
        for anchor in &self.anchors {
            write_authority(out, anchor)?;
        }
        Ok(())
    }

    fn unpinned(&self) -> impl Iterator<Item = &AuthorityRefView> {
        self.anchors.iter().filter(|a| !a.pinned)
    }
}

/// `liaison invitations`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InvitationsView {
    /// The held invitations, oldest first.
    pub invitations: Vec<InvitationView>,
}

impl Render for InvitationsView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.invitations.is_empty() {
            return writeln!(out, "no invitation is waiting");
        }
        for invitation in &self.invitations {
            invitation.write(out)?;
            let confirms: Vec<String> = invitation
                .unpinned()
                .map(|a| format!("--confirm {}", a.fingerprint))
                .collect();
            writeln!(
                out,
                "  to join, compare each unpinned fingerprint with its authority out of band, \
                 then: liaison invitations accept {} {}",
                invitation.id,
                confirms.join(" ")
            )?;
        }
        Ok(())
    }
}

/// `liaison invitations accept`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AcceptView {
    /// The invitation.
    pub invitation: InvitationView,
    /// Whether the channel was joined.
    pub joined: bool,
    /// Whether nothing was done for want of `--confirm` (exit code 6).
    pub needs_confirmation: bool,
    /// The authorities pinned by the acceptance.
    pub pinned: Vec<AuthorityRefView>,
}

impl Render for AcceptView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        self.invitation.write(out)?;
        if self.joined {
            for a in &self.pinned {
                writeln!(out, "pinned {} ({})", sanitize_line(&a.name), a.fingerprint)?;
            }
            writeln!(
                out,
                "joined {}; `liaison sync` catches up",
                sanitize_line(&self.invitation.channel.name)
            )
        } else {
            let confirms: Vec<String> = self
                .invitation
                .unpinned()
                .map(|a| format!("--confirm {}", a.fingerprint))
                .collect();
            writeln!(
                out,
                "not joined: compare each unpinned fingerprint with its authority out of band, \
                 then run again with {}",
                confirms.join(" ")
            )
        }
    }

    fn status(&self) -> ExitStatus {
        if self.needs_confirmation {
            ExitStatus::NotConfirmed
        } else {
            ExitStatus::Ok
        }
    }
}

/// `liaison invitations decline`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeclineView {
    /// The invitation's id.
    pub id: i64,
    /// The channel never joined.
    pub channel: ChannelRefView,
    /// Always true: the invitation is forgotten.
    pub declined: bool,
}

impl Render for DeclineView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(
            out,
            "declined invitation {} to {}",
            self.id,
            sanitize_line(&self.channel.name)
        )
    }
}

/// A held invitation as `sync` reports it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HeldView {
    /// The invitation's id.
    pub id: i64,
    /// The channel not joined.
    pub channel: ChannelRefView,
}

/// An anchor a policy change added, as `sync` reports it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AnchorAddedView {
    /// The channel.
    pub channel: ChannelRefView,
    /// The authority.
    pub authority: AuthorityRefView,
}
