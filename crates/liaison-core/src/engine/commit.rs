//! Reviewing and applying commits and proposals from other members, and
//! merging our own once the relay has accepted them. Every verdict is the
//! rulebook's (`liaison_rules::review_commit`), the same code the relay
//! ran before ordering the commit, at the instant the commit states.

use openmls::prelude::{LeafNodeIndex, Member, QueuedProposal, StagedCommit};
use openmls_traits::OpenMlsProvider as _;

use super::Received;
use super::commit_audit::BeforeMerge;
use super::send::OutgoingKind;
use super::{ChannelId, Engine};
use crate::audit::{AuditEvent, Officer};
use crate::channel::EngineError;
use crate::store::tables::{acks, channels, epoch_checks, messages, outbox, seen};
use liaison_rules::{
    ChannelPolicy, CommitVerdict, GroupBefore, HistoryOnRemoval, Judge, check_instant_at_member,
    commit_instant, review_commit, review_proposal,
};

/// The rulebook's verdict on `staged` by `committer`, against the channel as
/// it stands before it, at `instant`.
pub(super) fn judge_commit(
    loaded: &super::LoadedChannel,
    registry: &liaison_rules::PolicyRegistry,
    cache: &mut liaison_rules::CredentialCache,
    committer: LeafNodeIndex,
    staged: &StagedCommit,
    instant: std::time::SystemTime,
) -> Result<CommitVerdict, EngineError> {
    let members: Vec<Member> = loaded.group.members().collect();
    let group = GroupBefore {
        policy: &loaded.policy,
        members: &members,
    };
    let mut judge = Judge {
        registry,
        instant,
        cache,
    };
    Ok(review_commit(&group, committer, staged, &mut judge)?)
}

/// Keeps a group's current epoch authenticator (its epoch check).
pub(super) fn store_epoch_check(
    conn: &rusqlite::Connection,
    channel: &ChannelId,
    group: &openmls::prelude::MlsGroup,
) -> Result<(), EngineError> {
    epoch_checks::store(
        conn,
        &channel.0,
        group.epoch().as_u64(),
        &super::epoch_check(group),
    )?;
    Ok(())
}

impl Engine {
    /// Judges another member's commit with the rulebook, at the instant
    /// its authenticated data states (refused if that instant is more than
    /// the allowed skew ahead of our clock).
    pub(super) fn review_incoming_commit(
        &mut self,
        channel: &ChannelId,
        committer: LeafNodeIndex,
        authenticated_data: &[u8],
        staged: &StagedCommit,
    ) -> Result<CommitVerdict, EngineError> {
        let instant = commit_instant(authenticated_data)?;
        check_instant_at_member(instant, self.now())?;
        self.review_at(channel, committer, staged, instant)
    }

    /// Judges a staged commit by `committer` at `instant`.
    pub(super) fn review_at(
        &mut self,
        channel: &ChannelId,
        committer: LeafNodeIndex,
        staged: &StagedCommit,
        instant: std::time::SystemTime,
    ) -> Result<CommitVerdict, EngineError> {
        let loaded = self
            .channels
            .get(channel)
            .ok_or(EngineError::UnknownChannel)?;
        judge_commit(
            loaded,
            &self.registry,
            &mut self.verified,
            committer,
            staged,
            instant,
        )
    }

    /// Merges a reviewed commit and records its effects.
    pub(super) fn apply_commit(
        &mut self,
        channel: &ChannelId,
        staged: StagedCommit,
        policy_after: ChannelPolicy,
        by_admin: bool,
        by: Officer,
    ) -> Result<Received, EngineError> {
        let removed_self = staged.self_removed();
        let provider = self.store.mls_provider();
        let loaded = self
            .channels
            .get_mut(channel)
            .ok_or(EngineError::UnknownChannel)?;
        let changes = BeforeMerge::read(&loaded.group, &staged, by);
        loaded
            .group
            .merge_staged_commit(&provider, staged)
            .map_err(|e| EngineError::mls("merging commit", e))?;
        let epoch = loaded.group.epoch().as_u64();
        let policy_before = std::mem::replace(&mut loaded.policy, policy_after.clone());
        let anchors_added = self.after_merge(
            channel,
            &changes,
            (&policy_before, &policy_after),
            removed_self,
            epoch,
        )?;
        if by_admin {
            self.settle_fork(channel, epoch)?;
        }
        Ok(Received::Commit {
            epoch,
            removed_self,
            anchors_added,
        })
    }

    /// Updates our tables after any merge (ours or another member's), and
    /// returns the anchors the merge added to the channel's policy.
    pub(super) fn after_merge(
        &self,
        channel: &ChannelId,
        changes: &BeforeMerge,
        (before, policy): (&ChannelPolicy, &ChannelPolicy),
        removed_self: bool,
        epoch: u64,
    ) -> Result<Vec<crate::engine::ChannelAnchor>, EngineError> {
        self.record_epoch_check(channel)?;
        let anchors_added = self.record_anchor_additions(channel, before, policy, epoch)?;
        let conn = self.store.connection();
        channels::update_after_commit(
            conn,
            &channel.0,
            &policy.encode(),
            policy.partnership(),
            !removed_self,
        )?;
        self.store.record(
            Some(&channel.0),
            &AuditEvent::CommitMerged {
                epoch,
                by: changes.by().clone(),
            },
        )?;
        if removed_self {
            self.store.record(
                Some(&channel.0),
                &AuditEvent::RemovedSelf {
                    by: changes.by().clone(),
                    epoch,
                },
            )?;
            if policy.history_on_removal() == HistoryOnRemoval::Purge {
                messages::delete_channel(conn, &channel.0)?;
                acks::delete_channel(conn, &channel.0)?;
                self.store
                    .record(Some(&channel.0), &AuditEvent::HistoryPurged)?;
            }
        } else {
            // Once removed, this member no longer sees who else is in.
            self.audit_commit_changes(channel, changes, before, policy, epoch)?;
        }
        Ok(anchors_added)
    }

    /// Keeps the epoch authenticator of the epoch the channel is now in.
    pub(super) fn record_epoch_check(&self, channel: &ChannelId) -> Result<(), EngineError> {
        match self.channels.get(channel) {
            Some(loaded) => store_epoch_check(self.store.connection(), channel, &loaded.group),
            None => Ok(()),
        }
    }

    /// The epoch check we hold for `epoch` of a channel, if we entered it.
    pub(super) fn epoch_check_of(
        &self,
        channel: &ChannelId,
        epoch: u64,
    ) -> Result<Option<Vec<u8>>, EngineError> {
        Ok(epoch_checks::get(
            self.store.connection(),
            &channel.0,
            epoch,
        )?)
    }

    /// Accepts a standalone proposal: only a member's own removal (leaving)
    /// travels alone; everything else must come inside an admin's commit.
    pub(super) fn accept_proposal(
        &mut self,
        channel: &ChannelId,
        sender: LeafNodeIndex,
        queued: QueuedProposal,
    ) -> Result<(), EngineError> {
        review_proposal(sender, &queued)?;
        let provider = self.store.mls_provider();
        let loaded = self
            .channels
            .get_mut(channel)
            .ok_or(EngineError::UnknownChannel)?;
        loaded
            .group
            .store_pending_proposal(provider.storage(), queued)
            .map_err(|e| EngineError::mls("queueing proposal", e))?;
        Ok(())
    }

    /// The outbox entry of our own application message with these bytes,
    /// if it still waits for the relay's answer.
    pub(super) fn queued_application(
        &self,
        channel: &ChannelId,
        hash: &[u8],
    ) -> Result<Option<i64>, EngineError> {
        Ok(outbox::find(
            self.store.connection(),
            &channel.0,
            hash,
            OutgoingKind::Application.as_str(),
        )?)
    }

    pub(super) fn is_own_pending_commit(
        &self,
        channel: &ChannelId,
        hash: &[u8],
    ) -> Result<bool, EngineError> {
        let found = outbox::find(
            self.store.connection(),
            &channel.0,
            hash,
            OutgoingKind::Commit.as_str(),
        )?;
        Ok(found.is_some())
    }

    /// Our pending commit was ordered by the relay: make it effective.
    pub(super) fn merge_own_commit(
        &mut self,
        channel: &ChannelId,
        hash: &[u8],
    ) -> Result<(), EngineError> {
        let own = self.own_officer();
        let provider = self.store.mls_provider();
        let loaded = self
            .channels
            .get_mut(channel)
            .ok_or(EngineError::UnknownChannel)?;
        let removed_self = loaded
            .group
            .pending_commit()
            .is_some_and(|staged| staged.self_removed());
        let changes = match loaded.group.pending_commit() {
            Some(staged) => BeforeMerge::read(&loaded.group, staged, own.clone()),
            None => BeforeMerge::empty(&loaded.group, own),
        };
        loaded
            .group
            .merge_pending_commit(&provider)
            .map_err(|e| EngineError::mls("merging own commit", e))?;
        let epoch = loaded.group.epoch().as_u64();
        let policy = super::decode_policy(&loaded.group, &self.registry)?;
        let before = std::mem::replace(&mut loaded.policy, policy.clone());
        let conn = self.store.connection();
        outbox::delete_by_hash(conn, &channel.0, hash)?;
        seen::record_once(conn, hash, &channel.0, seen::Outcome::Own, self.now_ms())?;
        self.after_merge(channel, &changes, (&before, &policy), removed_self, epoch)?;
        // Our own commit: ordered by the relay after the fork, it is the
        // admins' branch when we are one of them.
        if policy.is_admin(&self.officer_id) {
            self.settle_fork(channel, epoch)?;
        }
        Ok(())
    }
}
