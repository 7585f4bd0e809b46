//! Repairing a fork: a member who holds another branch of a channel than
//! its admins is added back by an admin, and says what it could not read.
//!
//! A relay that gives members different commits for one epoch splits the
//! channel; every message carries its sender's epoch authenticator, so the
//! first message across the branches is refused as `ForkDetected`. From
//! then on:
//!
//! 1. the member records the fork ([`Engine::fork`]) and asks the admins,
//!    through the relay, to add it back: a [`RejoinRequest`] naming the
//!    epoch and its own authenticator for it, signed with its leaf key;
//! 2. an admin's client judges the request ([`Engine::judge_rejoin`]): a
//!    requester whose authenticator equals the admin's holds the admins'
//!    branch and is declined; one that differs is re-added, its old leaf
//!    removed and a fresh key package added in one commit
//!    ([`Engine::readd_member`]);
//! 3. the member, on the Welcome for a channel it holds as forked, drops
//!    its old state, joins, and records a [`Gap`]: the admins' branch from
//!    the fork's epoch to the epoch it rejoined at, which it never read.
//!
//! The admins' branch is the channel: a member's fork settles without a
//! rejoin once it merges a commit of an admin made after the fork.
//!
//! This module is the only one that reads or writes `forks`, `gaps` and
//! `rejoins_answered` (migration 0009).

use liaison_proto::rejoin::{RejoinClaim, RejoinRequest};
use openmls::prelude::LeafNodeIndex;
use sha2::{Digest as _, Sha256};

use super::{ChannelId, Engine};
use crate::audit::AuditEvent;
use crate::channel::EngineError;
use crate::store::tables::{epoch_checks, forks, rejoins_answered};

/// A channel this member found forked and has not yet been added back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fork {
    /// The epoch at which a message from another branch arrived.
    pub epoch: u64,
    /// The relay position of that message.
    pub detected_seq: u64,
    /// When it arrived, Unix milliseconds.
    pub detected_at_ms: u64,
    /// Whether the rejoin request reached the relay.
    pub requested: bool,
}

/// What a member added back after a fork could not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    /// The epoch at which the channel forked.
    pub fork_epoch: u64,
    /// The epoch the member rejoined at: from here on it reads everything.
    pub rejoined_epoch: u64,
    /// The relay position at which the fork was detected.
    pub detected_seq: u64,
    /// When the fork was detected, Unix milliseconds.
    pub detected_at_ms: u64,
    /// When the member was added back, Unix milliseconds.
    pub rejoined_at_ms: u64,
}

/// An admin's judgement of a member's rejoin request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RejoinVerdict {
    /// The member holds another branch: re-add it
    /// ([`Engine::readd_member`]) with a key package claimed from the
    /// partner authority that certifies it.
    Readd {
        /// The fingerprint of the member's partner authority.
        authority: liaison_identity::Fingerprint,
    },
    /// The member holds the same branch as this admin: nothing to repair.
    SameBranch,
    /// This admin answered the same request before.
    Answered,
    /// The request cannot be honoured: not signed by a current member of
    /// that officer id, for another channel, or for an epoch this admin
    /// holds no record of. Said why, for the audit log.
    Refused(String),
}

/// What repairing forks asks of the relay, read from the engine at once so
/// that the network calls can run without holding it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RejoinPlan {
    /// Channels where this member asks to be added back, with the signed
    /// request to send ([`Engine::rejoin_requested`] once it is kept).
    pub asks: Vec<(ChannelId, Vec<u8>)>,
    /// Active channels this officer administers: their waiting requests
    /// are to be read and answered ([`Engine::answer_rejoin_request`]).
    pub admin_of: Vec<ChannelId>,
}

impl Engine {
    /// What repairing forks has to do now. The admins' branch is the
    /// channel: an admin asks nobody.
    pub fn rejoin_plan(&mut self) -> Result<RejoinPlan, EngineError> {
        let mut plan = RejoinPlan::default();
        for summary in self.channels()? {
            if !summary.active {
                continue;
            }
            if self.policy(&summary.id)?.is_admin(&self.officer_id) {
                plan.admin_of.push(summary.id);
            } else if let Some(request) = self.rejoin_request(&summary.id)? {
                plan.asks.push((summary.id, request));
            }
        }
        Ok(plan)
    }

    /// Judges a waiting request as an admin ([`Engine::judge_rejoin`]) and
    /// records every answer but a re-add, which is recorded
    /// ([`Engine::answer_rejoin`]) once its commit is ordered.
    pub fn answer_rejoin_request(
        &mut self,
        channel: &ChannelId,
        officer_id: &str,
        request: &[u8],
    ) -> Result<RejoinVerdict, EngineError> {
        let verdict = self.judge_rejoin(channel, officer_id, request)?;
        match &verdict {
            RejoinVerdict::SameBranch => {
                self.answer_rejoin(channel, request, "declined: holds the admins' branch")?;
            }
            RejoinVerdict::Refused(reason) => {
                self.answer_rejoin(channel, request, &format!("refused: {reason}"))?;
            }
            RejoinVerdict::Answered | RejoinVerdict::Readd { .. } => {}
        }
        Ok(verdict)
    }

    /// Records that a message of `epoch` at `seq` came from another branch
    /// of the channel. The first detection stays (the fork began there).
    pub(super) fn note_fork(
        &self,
        channel: &ChannelId,
        epoch: u64,
        seq: u64,
    ) -> Result<(), EngineError> {
        Ok(forks::note(
            self.store.connection(),
            &channel.0,
            epoch,
            seq,
            self.now_ms(),
        )?)
    }

    /// The fork this member found in a channel and is not yet repaired.
    pub fn fork(&self, channel: &ChannelId) -> Result<Option<Fork>, EngineError> {
        Ok(forks::get(self.store.connection(), &channel.0)?)
    }

    /// Once an admin's commit made after the fork merged here, this member
    /// holds the admins' branch: the fork is settled without a rejoin.
    pub(super) fn settle_fork(&self, channel: &ChannelId, epoch: u64) -> Result<(), EngineError> {
        if forks::settle_before(self.store.connection(), &channel.0, epoch)? {
            self.store
                .record(Some(&channel.0), &AuditEvent::ForkSettled { epoch })?;
        }
        Ok(())
    }

    /// The signed request to be added back to a forked channel, or `None`
    /// when the channel is not forked here or the request already reached
    /// the relay.
    pub fn rejoin_request(&self, channel: &ChannelId) -> Result<Option<Vec<u8>>, EngineError> {
        let Some(fork) = self.fork(channel)? else {
            return Ok(None);
        };
        if fork.requested {
            return Ok(None);
        }
        let Some(authenticator) = self.epoch_check_of(channel, fork.epoch)? else {
            // We hold no branch at that epoch (the fork's message was from
            // a later epoch than any we entered): say the epoch before.
            return Ok(None);
        };
        let claim = RejoinClaim {
            group_id: channel.0.clone(),
            epoch: fork.epoch,
            authenticator,
        };
        let signature = self.signer.key().sign(&claim.signing_input());
        Ok(Some(
            RejoinRequest {
                claim,
                signature: signature.to_vec(),
            }
            .encode(),
        ))
    }

    /// Records that the rejoin request reached the relay.
    pub fn rejoin_requested(&self, channel: &ChannelId) -> Result<(), EngineError> {
        forks::mark_requested(self.store.connection(), &channel.0)?;
        self.store
            .record(Some(&channel.0), &AuditEvent::RejoinRequested)?;
        Ok(())
    }

    /// Judges, as an admin, a rejoin request the relay holds for
    /// `officer_id` in a channel. Untrusted input: every way it can be
    /// wrong is a [`RejoinVerdict::Refused`], not an error.
    pub fn judge_rejoin(
        &mut self,
        channel: &ChannelId,
        officer_id: &str,
        request: &[u8],
    ) -> Result<RejoinVerdict, EngineError> {
        if self.rejoin_answer(request)?.is_some() {
            return Ok(RejoinVerdict::Answered);
        }
        let request = match RejoinRequest::decode(request) {
            Ok(request) => request,
            Err(error) => return Ok(RejoinVerdict::Refused(format!("undecodable: {error}"))),
        };
        if request.claim.group_id != channel.0 {
            return Ok(RejoinVerdict::Refused("for another channel".into()));
        }
        let Some(authority) = self.signer_authority(channel, officer_id, &request)? else {
            return Ok(RejoinVerdict::Refused(format!(
                "not signed by a current member {officer_id}"
            )));
        };
        let current = self.epoch(channel)?;
        let ours = self.epoch_check_of(channel, request.claim.epoch)?;
        Ok(match ours {
            Some(ours) if ours == request.claim.authenticator => RejoinVerdict::SameBranch,
            Some(_) => RejoinVerdict::Readd { authority },
            // An epoch the admins' branch never reached: the requester's
            // branch went on without them.
            None if request.claim.epoch > current => RejoinVerdict::Readd { authority },
            None => {
                RejoinVerdict::Refused(format!("no record of epoch {} here", request.claim.epoch))
            }
        })
    }

    /// The partner authority of the current member whose certificate,
    /// valid for the channel now, names `officer_id` and whose leaf key
    /// signed `request`; `None` if there is none.
    fn signer_authority(
        &mut self,
        channel: &ChannelId,
        officer_id: &str,
        request: &RejoinRequest,
    ) -> Result<Option<liaison_identity::Fingerprint>, EngineError> {
        let now = self.now();
        let input = request.claim.signing_input();
        let loaded = self.channel(channel)?;
        let anchors = loaded.policy.anchors().clone();
        let members: Vec<_> = loaded.group.members().collect();
        for member in members {
            let Ok(verified) =
                self.verified
                    .verify(&member.credential, &member.signature_key, &anchors, now)
            else {
                continue;
            };
            if verified.attributes().officer_id() == officer_id
                && verified
                    .verify_signature(&input, &request.signature)
                    .is_ok()
            {
                return Ok(Some(verified.anchor_fingerprint()));
            }
        }
        Ok(None)
    }

    /// Records an admin's answer to a rejoin request, so that the relay's
    /// copy is not judged again.
    pub fn answer_rejoin(
        &self,
        channel: &ChannelId,
        request: &[u8],
        outcome: &str,
    ) -> Result<(), EngineError> {
        let hash: [u8; 32] = Sha256::digest(request).into();
        rejoins_answered::record(
            self.store.connection(),
            &hash,
            &channel.0,
            outcome,
            self.now_ms(),
        )?;
        self.store.record(
            Some(&channel.0),
            &AuditEvent::RejoinAnswered {
                outcome: outcome.to_owned(),
            },
        )?;
        Ok(())
    }

    fn rejoin_answer(&self, request: &[u8]) -> Result<Option<String>, EngineError> {
        let hash: [u8; 32] = Sha256::digest(request).into();
        Ok(rejoins_answered::outcome(self.store.connection(), &hash)?)
    }

    /// As an admin, adds `officer_id` back: one commit removes every leaf
    /// of that officer and adds `key_package` (a serialised MLS message
    /// from the directory), which must be that officer's. Returns the
    /// commit's outbox id.
    pub fn readd_member(
        &mut self,
        channel: &ChannelId,
        officer_id: &str,
        key_package: &[u8],
    ) -> Result<i64, EngineError> {
        self.require_self_admin(channel, "add a member back")?;
        let (package, verified) = self.admissible_key_package(channel, key_package)?;
        if verified.attributes().officer_id() != officer_id {
            return Err(EngineError::MalformedMessage(format!(
                "the key package is {}'s, not {officer_id}'s",
                verified.attributes().officer_id()
            )));
        }
        let removals: Vec<LeafNodeIndex> = self.leaves_of(channel, &[officer_id])?;
        self.store.record(
            Some(&channel.0),
            &AuditEvent::MemberReadded {
                member: officer_id.to_owned(),
            },
        )?;
        self.commit_plan(channel, vec![package], removals)
    }

    /// Before joining from a Welcome: whether this channel is held as
    /// forked here (its old state is then dropped for the new one).
    pub(super) fn is_forked(
        conn: &rusqlite::Connection,
        group_id: &[u8],
    ) -> Result<bool, EngineError> {
        Ok(forks::exists(conn, group_id)?)
    }

    /// Inside a join: the member was added back to a forked channel. The
    /// fork becomes a gap; the epoch checks of the branch it held from the
    /// fork on go (they are not the channel's).
    pub(super) fn record_rejoin(
        &self,
        channel: &ChannelId,
        rejoined_epoch: u64,
    ) -> Result<(), EngineError> {
        let Some(fork) = self.fork(channel)? else {
            return Ok(());
        };
        let conn = self.store.connection();
        forks::close_as_gap(conn, &channel.0, &fork, rejoined_epoch, self.now_ms())?;
        epoch_checks::delete_from(conn, &channel.0, fork.epoch)?;
        self.store.record(
            Some(&channel.0),
            &AuditEvent::Rejoined {
                epoch: rejoined_epoch,
                fork_epoch: fork.epoch,
            },
        )?;
        Ok(())
    }

    /// The gaps in a channel's history left by forks, oldest first.
    pub fn gaps(&self, channel: &ChannelId) -> Result<Vec<Gap>, EngineError> {
        Ok(forks::gaps(self.store.connection(), &channel.0)?)
    }
}
