//! `liaison authority pinned|pin|unpin` and `liaison invitations …`: the
//! partner authorities this profile trusts, changed only when the officer
//! confirms a fingerprint, and the channels held until the officer decides.
//! The engine enforces every check; this shows what to confirm.

use liaison_core::{ChannelAnchor, EngineError, Fingerprint, PinError, authority_name};

use crate::args::{
    AuthorityPinArgs, AuthorityUnpinArgs, InvitationAcceptArgs, InvitationArg, InvitationsArgs,
    InvitationsCommand,
};
use crate::error::CliError;
use crate::output::{
    AcceptView, AuthorityRefView, DeclineView, InvitationView, InvitationsView, PinChangeView,
    PinnedListView, PinnedView,
};
use crate::pem_files::read_certificates;
use crate::session::Session;

/// `liaison authority pinned`
pub fn pinned(session: &Session) -> Result<PinnedListView, CliError> {
    Ok(PinnedListView {
        authorities: session
            .engine
            .pinned_authorities()?
            .iter()
            .map(PinnedView::from)
            .collect(),
    })
}

/// `liaison authority pin FILE [--confirm FINGERPRINT]`: without the
/// confirmation, shows the certificate's name and fingerprint (exit code 6)
/// and pins nothing.
pub fn pin(session: &mut Session, args: &AuthorityPinArgs) -> Result<PinChangeView, CliError> {
    let mut certificates = read_certificates(&args.file)?;
    if certificates.len() != 1 {
        return Err(CliError::bad_file(
            &args.file,
            format!(
                "holds {} certificates; give the partner authority's certificate alone",
                certificates.len()
            ),
        ));
    }
    let der = certificates.remove(0);
    let fingerprint = Fingerprint::of(&der);
    let mut authority = AuthorityRefView {
        name: authority_name(&der)?,
        fingerprint: fingerprint.to_string(),
        pinned: session.engine.is_pinned(&fingerprint)?,
    };
    let Some(confirmed) = &args.confirm else {
        return Ok(PinChangeView {
            action: "pin".into(),
            authority,
            applied: false,
            needs_confirmation: true,
        });
    };
    session.engine.pin_authority(&der, confirmed)?;
    authority.pinned = true;
    Ok(PinChangeView {
        action: "pin".into(),
        authority,
        applied: true,
        needs_confirmation: false,
    })
}

/// `liaison authority unpin FINGERPRINT --confirm FINGERPRINT`
pub fn unpin(session: &mut Session, args: &AuthorityUnpinArgs) -> Result<PinChangeView, CliError> {
    let pinned = session
        .engine
        .pinned_authorities()?
        .into_iter()
        .find(|p| p.fingerprint == args.fingerprint)
        .ok_or(EngineError::Pinning(PinError::NotPinned(args.fingerprint)))?;
    let mut authority = AuthorityRefView {
        name: pinned.name,
        fingerprint: pinned.fingerprint.to_string(),
        pinned: true,
    };
    let Some(confirmed) = &args.confirm else {
        return Ok(PinChangeView {
            action: "unpin".into(),
            authority,
            applied: false,
            needs_confirmation: true,
        });
    };
    session
        .engine
        .unpin_authority(&args.fingerprint, confirmed)?;
    authority.pinned = false;
    Ok(PinChangeView {
        action: "unpin".into(),
        authority,
        applied: true,
        needs_confirmation: false,
    })
}

/// `liaison invitations [accept|decline]`
pub enum InvitationsOutcome {
    /// The list.
    List(InvitationsView),
    /// An acceptance, or what it needs.
    Accept(AcceptView),
    /// A decline.
    Decline(DeclineView),
}

/// Runs `liaison invitations …`.
pub fn invitations(
    session: &mut Session,
    args: &InvitationsArgs,
) -> Result<InvitationsOutcome, CliError> {
    Ok(match &args.command {
        None => InvitationsOutcome::List(InvitationsView {
            invitations: session
                .engine
                .invitations()?
                .iter()
                .map(InvitationView::from)
                .collect(),
        }),
        Some(InvitationsCommand::Accept(args)) => {
            InvitationsOutcome::Accept(accept(session, args)?)
        }
        Some(InvitationsCommand::Decline(args)) => {
            InvitationsOutcome::Decline(decline(session, args)?)
        }
    })
}

fn held(session: &Session, id: i64) -> Result<liaison_core::Invitation, CliError> {
    session
        .engine
        .invitations()?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or_else(|| EngineError::Pinning(PinError::UnknownInvitation(id)).into())
}

/// Without any `--confirm`, and authorities left to confirm, shows them
/// (exit code 6); otherwise the engine checks the confirmations, pins and
/// joins.
fn accept(session: &mut Session, args: &InvitationAcceptArgs) -> Result<AcceptView, CliError> {
    let invitation = held(session, args.id)?;
    let unpinned: Vec<ChannelAnchor> = invitation
        .anchors
        .iter()
        .filter(|a| !a.pinned)
        .cloned()
        .collect();
    if args.confirm.is_empty() && !unpinned.is_empty() {
        return Ok(AcceptView {
            invitation: InvitationView::from(&invitation),
            joined: false,
            needs_confirmation: true,
            pinned: Vec::new(),
        });
    }
    session.engine.accept_invitation(args.id, &args.confirm)?;
    let mut view = InvitationView::from(&invitation);
    for anchor in &mut view.anchors {
        anchor.pinned = true;
    }
    Ok(AcceptView {
        invitation: view,
        joined: true,
        needs_confirmation: false,
        pinned: unpinned
            .iter()
            .map(|a| AuthorityRefView {
                pinned: true,
                ..a.into()
            })
            .collect(),
    })
}

fn decline(session: &mut Session, args: &InvitationArg) -> Result<DeclineView, CliError> {
    let declined = session.engine.decline_invitation(args.id)?;
    Ok(DeclineView {
        id: declined.id,
        channel: crate::output::ChannelRefView::new(&declined.channel, &declined.channel_name),
        declined: true,
    })
}
