//! Invitations: Welcomes to channels that name partner authorities this
//! profile has not pinned. Such a channel is not joined on the next sync;
//! its Welcome is kept here, with the channel's name, every anchor's name
//! and fingerprint, and who added the officer, until the officer accepts
//! (confirming the fingerprint of each authority not yet pinned, which
//! pins them) or declines.
//!
//! This module is the only one that reads or writes `invitations` and
//! `invitation_anchors` (migration 0008).

use sha2::{Digest as _, Sha256};

use super::authorities::{ChannelAnchor, PinError, PinSource, is_pinned, pin_certificate};
use super::create::{Inviter, Joining, UnpinnedChannel};
use super::{ChannelId, Engine, txn};
use crate::audit::{AuditEvent, Officer};
use crate::channel::EngineError;
use crate::store::tables::invitations;
use liaison_identity::Fingerprint;

/// A held invitation to a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// Its id in this profile.
    pub id: i64,
    /// The channel's identifier (its MLS group id).
    pub channel: ChannelId,
    /// The channel's name, as its policy gives it.
    pub channel_name: String,
    /// The member who added this officer, as the channel's own
    /// authorities certify them (`None` if the Welcome did not say).
    pub invited_by: Option<Inviter>,
    /// Every trust anchor of the channel, in its policy's order, each with
    /// whether it is pinned now.
    pub anchors: Vec<ChannelAnchor>,
    /// When the Welcome was held, Unix milliseconds.
    pub received_at_ms: u64,
}

/// What became of a Welcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WelcomeOutcome {
    /// The channel was joined.
    Joined(ChannelId),
    /// The Welcome is held as this invitation.
    Held(i64),
}

/// An invitation as stored, with what accepting it needs.
struct Held {
    invitation: Invitation,
    welcome: Vec<u8>,
    certificates: Vec<Vec<u8>>,
}

impl Engine {
    /// Joins from a Welcome, or holds it as an invitation when the channel
    /// names authorities not pinned here.
    pub(crate) fn join_or_hold(&mut self, welcome: &[u8]) -> Result<WelcomeOutcome, EngineError> {
        match self.try_join(welcome)? {
            Joining::Joined(channel) => Ok(WelcomeOutcome::Joined(channel)),
            Joining::Unpinned(channel) => self.hold(welcome, &channel).map(WelcomeOutcome::Held),
        }
    }

    /// Keeps a Welcome as an invitation (once: the same Welcome fetched
    /// again is the same invitation). A newer Welcome to the same channel
    /// replaces an older one, which could only be joined into a past epoch.
    fn hold(&mut self, welcome: &[u8], channel: &UnpinnedChannel) -> Result<i64, EngineError> {
        let hash = Sha256::digest(welcome).to_vec();
        let conn = self.store.connection();
        let known = invitations::by_welcome_hash(conn, &hash)?;
        if let Some(id) = known {
            return Ok(id);
        }
        txn::begin(conn, "hold_invitation")?;
        let result = (|| {
            let replaced = invitations::delete_for_group(conn, &channel.group_id)?;
            if replaced > 0 {
                self.store.record(
                    Some(&channel.group_id),
                    &AuditEvent::InvitationReplaced {
                        channel: channel.channel_name.clone(),
                    },
                )?;
            }
            let id = invitations::insert(
                conn,
                &invitations::NewInvitation {
                    welcome_hash: &hash,
                    group_id: &channel.group_id,
                    channel_name: &channel.channel_name,
                    invited_by: channel.inviter.as_ref().map(|i| i.officer_id.as_str()),
                    invited_by_name: channel.inviter.as_ref().map(|i| i.display_name.as_str()),
                    welcome,
                    received_at_ms: self.now_ms(),
                },
            )?;
            for (position, (anchor, der)) in channel
                .anchors
                .iter()
                .zip(&channel.certificates)
                .enumerate()
            {
                invitations::insert_anchor(
                    conn,
                    id,
                    position,
                    anchor.fingerprint.as_bytes().as_slice(),
                    &anchor.name,
                    der,
                )?;
            }
            let unpinned: Vec<ChannelAnchor> = channel
                .anchors
                .iter()
                .filter(|a| !a.pinned)
                .cloned()
                .collect();
            self.store.record(
                Some(&channel.group_id),
                &AuditEvent::InvitationHeld {
                    channel: channel.channel_name.clone(),
                    by: channel
                        .inviter
                        .as_ref()
                        .map(|i| Officer::new(i.officer_id.as_str(), i.display_name.as_str())),
                    authorities: unpinned.iter().map(ToString::to_string).collect(),
                },
            )?;
            Ok(id)
        })();
        txn::finish(conn, "hold_invitation", result)
    }

    /// The held invitations, oldest first.
    pub fn invitations(&self) -> Result<Vec<Invitation>, EngineError> {
        let ids = invitations::ids(self.store.connection())?;
        ids.into_iter()
            .map(|id| self.held(id).map(|held| held.invitation))
            .collect()
    }

    fn held(&self, id: i64) -> Result<Held, EngineError> {
        let conn = self.store.connection();
        let row = invitations::get(conn, id)?.ok_or(PinError::UnknownInvitation(id))?;
        let mut anchors = Vec::new();
        let mut certificates = Vec::new();
        for (name, der) in invitations::anchors(conn, id)? {
            // The fingerprint is computed from the certificate itself, so
            // what is confirmed is what gets pinned.
            let fingerprint = Fingerprint::of(&der);
            anchors.push(ChannelAnchor {
                name,
                fingerprint,
                pinned: is_pinned(conn, &fingerprint)?,
            });
            certificates.push(der);
        }
        Ok(Held {
            invitation: Invitation {
                id,
                channel: ChannelId(row.group_id),
                channel_name: row.channel_name,
                invited_by: row.invited_by.map(|officer_id| Inviter {
                    officer_id,
                    display_name: row.invited_by_name.unwrap_or_default(),
                }),
                anchors,
                received_at_ms: row.received_at_ms,
            },
            welcome: row.welcome,
            certificates,
        })
    }

    /// Accepts a held invitation: `confirmed` are the fingerprints the
    /// officer confirmed, which must cover every anchor of the channel not
    /// yet pinned ([`PinError::Unconfirmed`] otherwise) and name nothing
    /// else ([`PinError::NotAnAnchor`]). Pins exactly those anchors (as
    /// [`PinSource::Officer`]) and joins from the stored Welcome, all in one
    /// transaction: if the join fails (a member's certificate expired in
    /// the meantime, say), nothing is pinned and the invitation stays.
    /// Then the channel catches up like any other at the next sync.
    pub fn accept_invitation(
        &mut self,
        id: i64,
        confirmed: &[Fingerprint],
    ) -> Result<ChannelId, EngineError> {
        let held = self.held(id)?;
        let anchors = &held.invitation.anchors;
        if let Some(stray) = confirmed
            .iter()
            .find(|fp| !anchors.iter().any(|a| a.fingerprint == **fp))
        {
            return Err(PinError::NotAnAnchor(*stray).into());
        }
        let missing: Vec<ChannelAnchor> = anchors
            .iter()
            .filter(|a| !a.pinned && !confirmed.contains(&a.fingerprint))
            .cloned()
            .collect();
        if !missing.is_empty() {
            return Err(PinError::Unconfirmed { missing }.into());
        }
        txn::begin(self.store.connection(), "accept_invitation")?;
        let result = (|| {
            let now = self.now_ms();
            let mut pinned = Vec::new();
            for (anchor, der) in anchors.iter().zip(&held.certificates) {
                if !anchor.pinned {
                    pin_certificate(&self.store, der, PinSource::Officer, now)?;
                    pinned.push(anchor.clone());
                }
            }
            let channel = match self.try_join(&held.welcome)? {
                Joining::Joined(channel) => channel,
                // The stored anchors are the policy's, all pinned above.
                Joining::Unpinned(channel) => {
                    return Err(EngineError::UnpinnedAuthorities {
                        channel: channel.channel_name,
                        anchors: channel.anchors.into_iter().filter(|a| !a.pinned).collect(),
                    });
                }
            };
            invitations::delete(self.store.connection(), id)?;
            self.store.record(
                Some(&channel.0),
                &AuditEvent::InvitationAccepted {
                    channel: held.invitation.channel_name.clone(),
                    pinned: pinned.iter().map(ToString::to_string).collect(),
                },
            )?;
            Ok(channel)
        })();
        let result = txn::finish(self.store.connection(), "accept_invitation", result);
        if result.is_err() {
            // The join's group may be cached although its rows rolled back.
            self.forget(&held.invitation.channel);
        }
        result
    }

    /// Declines a held invitation: the Welcome is deleted and the channel
    /// never joined. Its admins still list this officer as a member until
    /// one of them removes it.
    pub fn decline_invitation(&mut self, id: i64) -> Result<Invitation, EngineError> {
        let held = self.held(id)?;
        txn::begin(self.store.connection(), "decline_invitation")?;
        let result = (|| {
            invitations::delete(self.store.connection(), id)?;
            self.store.record(
                Some(&held.invitation.channel.0),
                &AuditEvent::InvitationDeclined {
                    channel: held.invitation.channel_name.clone(),
                },
            )?;
            Ok(())
        })();
        txn::finish(self.store.connection(), "decline_invitation", result)?;
        Ok(held.invitation)
    }
}
