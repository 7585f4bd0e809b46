//! The partner authorities the profile trusts, the invitations held until
//! the user decides, and the anchors policy changes added to a channel:
//! the window's side of `engine/authorities.rs`, `engine/invitations.rs`
//! and `engine/anchor_changes.rs`.

use super::error::DeskError;
use super::events::DeskEvent;
use super::files::{FilePurpose, FileToken};
use super::pem::read_authority_certificate;
use super::requests::AcceptInvitationRequest;
use super::views::{
    AnchorNoticeView, AnchorView, AuthorityFileView, InvitationView, InviterView,
    PinnedAuthorityView,
};
use super::{Desk, parse_channel};
use liaison_core::{ChannelAnchor, Invitation, PinnedAuthority, authority_name};
use liaison_identity::Fingerprint;

/// Most fingerprints one acceptance may confirm (a channel has at most 64
/// anchors); bounds the work on what the webview sends.
const MAX_CONFIRMED: usize = liaison_identity::MAX_ANCHORS;

impl From<&ChannelAnchor> for AnchorView {
    fn from(anchor: &ChannelAnchor) -> Self {
        Self {
            name: anchor.name.clone(),
            fingerprint: anchor.fingerprint.to_string(),
            pinned: anchor.pinned,
        }
    }
}

impl From<&PinnedAuthority> for PinnedAuthorityView {
    fn from(pinned: &PinnedAuthority) -> Self {
        Self {
            fingerprint: pinned.fingerprint.to_string(),
            name: pinned.name.clone(),
            source: pinned.source.as_str().to_owned(),
            pinned_at_ms: pinned.pinned_at_ms,
        }
    }
}

impl From<&Invitation> for InvitationView {
    fn from(invitation: &Invitation) -> Self {
        Self {
            id: invitation.id,
            channel_id: invitation.channel.to_hex(),
            channel_name: invitation.channel_name.clone(),
            invited_by: invitation.invited_by.as_ref().map(|i| InviterView {
                officer_id: i.officer_id.clone(),
                display_name: i.display_name.clone(),
            }),
            received_at_ms: invitation.received_at_ms,
            anchors: invitation.anchors.iter().map(AnchorView::from).collect(),
        }
    }
}

/// A fingerprint as the window shows it: 64 hexadecimal digits, colons
/// allowed, any case. `field` names the request field in the error.
pub(crate) fn parse_fingerprint(text: &str, field: &'static str) -> Result<Fingerprint, DeskError> {
    let bad = || {
        DeskError::invalid(
            field,
            format!("{text:?} is not a fingerprint (64 hexadecimal digits)"),
        )
    };
    let digits: String = text.trim().chars().filter(|c| *c != ':').collect();
    let bytes = hex::decode(digits).map_err(|_| bad())?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|_| bad())?;
    Ok(Fingerprint::from_bytes(bytes))
}

impl Desk {
    /// The partner authorities the profile trusts.
    pub async fn pinned_authorities(&self) -> Result<Vec<PinnedAuthorityView>, DeskError> {
        let shared = self.shared().await?;
        let engine = shared.engine().await;
        Ok(engine
            .pinned_authorities()?
            .iter()
            .map(PinnedAuthorityView::from)
            .collect())
    }

    /// The partner authority's certificate in a file the officer chose
    /// (`choose_file` with `openCertificate`): its name, its fingerprint to
    /// compare out of band, and whether it is already trusted. The file's
    /// token stays usable for [`Desk::pin_authority`].
    pub async fn read_authority(&self, file: &FileToken) -> Result<AuthorityFileView, DeskError> {
        let chosen = self.chosen_file(file, FilePurpose::OpenCertificate, "file")?;
        let certificate = read_authority_certificate(chosen.path())?;
        let name = authority_name(&certificate)
            .map_err(|e| DeskError::Certificate(format!("Not a partner authority: {e}.")))?;
        let fingerprint = Fingerprint::of(&certificate);
        let shared = self.shared().await?;
        let engine = shared.engine().await;
        Ok(AuthorityFileView {
            name,
            fingerprint: fingerprint.to_string(),
            pinned: engine.is_pinned(&fingerprint)?,
        })
    }

    /// Pins the partner authority in the chosen file. `confirmed` is the
    /// fingerprint the officer compared: the engine refuses a file whose
    /// certificate has another one (the file changed since it was shown).
    pub async fn pin_authority(
        &self,
        file: &FileToken,
        confirmed: &str,
    ) -> Result<PinnedAuthorityView, DeskError> {
        let confirmed = parse_fingerprint(confirmed, "confirmedFingerprint")?;
        let chosen = self.chosen_file(file, FilePurpose::OpenCertificate, "file")?;
        let certificate = read_authority_certificate(chosen.path())?;
        let shared = self.shared().await?;
        let pinned = shared
            .engine()
            .await
            .pin_authority(&certificate, &confirmed)?;
        chosen.consume();
        Ok(PinnedAuthorityView::from(&pinned))
    }

    /// Stops trusting a partner authority; `confirmed` repeats its
    /// fingerprint. Channels already joined stay joined; a new channel
    /// naming it waits for the officer again.
    pub async fn unpin_authority(
        &self,
        fingerprint: &str,
        confirmed: &str,
    ) -> Result<PinnedAuthorityView, DeskError> {
        let fingerprint = parse_fingerprint(fingerprint, "fingerprint")?;
        let confirmed = parse_fingerprint(confirmed, "confirmedFingerprint")?;
        let shared = self.shared().await?;
        let unpinned = shared
            .engine()
            .await
            .unpin_authority(&fingerprint, &confirmed)?;
        Ok(PinnedAuthorityView::from(&unpinned))
    }

    /// The invitations held: channels naming partner authorities the
    /// profile has not pinned, oldest first.
    pub async fn invitations(&self) -> Result<Vec<InvitationView>, DeskError> {
        let shared = self.shared().await?;
        let engine = shared.engine().await;
        Ok(engine
            .invitations()?
            .iter()
            .map(InvitationView::from)
            .collect())
    }

    /// Accepts an invitation: the user confirmed the fingerprint of every
    /// authority of the channel not yet pinned. The engine pins them and
    /// joins; the runtime then subscribes and catches the channel up.
    /// Returns the channel's hex id.
    pub async fn accept_invitation(
        &self,
        request: AcceptInvitationRequest,
    ) -> Result<String, DeskError> {
        if request.confirmed_fingerprints.len() > MAX_CONFIRMED {
            return Err(DeskError::invalid(
                "confirmedFingerprints",
                "too many fingerprints",
            ));
        }
        let confirmed = request
            .confirmed_fingerprints
            .iter()
            .map(|text| parse_fingerprint(text, "confirmedFingerprints"))
            .collect::<Result<Vec<_>, _>>()?;
        let shared = self.shared().await?;
        let channel = shared
            .engine()
            .await
            .accept_invitation(request.id, &confirmed)?;
        shared.emit(DeskEvent::Invitations);
        shared.emit(DeskEvent::Channels);
        shared.round.notify_one();
        Ok(channel.to_hex())
    }

    /// Declines an invitation: the channel is never joined.
    pub async fn decline_invitation(&self, id: i64) -> Result<(), DeskError> {
        let shared = self.shared().await?;
        shared.engine().await.decline_invitation(id)?;
        shared.emit(DeskEvent::Invitations);
        Ok(())
    }

    /// The partner authorities policy changes added to a channel since the
    /// user joined it, oldest first, each with whether it is pinned.
    pub async fn anchor_notices(
        &self,
        channel_id: &str,
    ) -> Result<Vec<AnchorNoticeView>, DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        let engine = shared.engine().await;
        Ok(engine
            .anchor_additions(&channel)?
            .iter()
            .map(|added| AnchorNoticeView {
                epoch: added.epoch,
                at_ms: added.at_ms,
                anchor: AnchorView::from(&added.anchor),
            })
            .collect())
    }
}
