//! Reviewing and applying commits and proposals from other members, and
//! merging our own once the relay has accepted them.

use std::collections::HashSet;

use openmls::prelude::{LeafNodeIndex, Proposal, QueuedProposal, Sender, StagedCommit};
use openmls_traits::OpenMlsProvider as _;
use rusqlite::{OptionalExtension, params};

use super::members::{check_admission, verify_cached};
use super::receive::Received;
use super::{ChannelId, Engine};
use crate::channel::{
    ChannelPolicy, ChannelPolicyError, EngineError, HistoryOnRemoval, RuleViolation, policy_bytes,
};
use liaison_identity::VerifiedCredential;

/// The committer's standing, taken from the state before the commit.
pub(super) struct CommitReview {
    committer: VerifiedCredential,
    committer_leaf: LeafNodeIndex,
    committer_is_admin: bool,
    policy_before: ChannelPolicy,
}

impl CommitReview {
    pub(super) fn new(
        engine: &mut Engine,
        channel: &ChannelId,
        committer_leaf: LeafNodeIndex,
    ) -> Result<Self, EngineError> {
        let now = engine.now();
        let loaded = engine
            .channels
            .get(channel)
            .ok_or(EngineError::UnknownChannel)?;
        let member = loaded
            .group
            .member_at(committer_leaf)
            .ok_or(RuleViolation::ExternalSender)?;
        let policy_before = loaded.policy.clone();
        let committer = verify_cached(
            &mut engine.verified,
            &member.credential,
            &member.signature_key,
            policy_before.anchors(),
            now,
        )?;
        let committer_is_admin = policy_before.is_admin(committer.attributes().officer_id());
        Ok(Self {
            committer,
            committer_leaf,
            committer_is_admin,
            policy_before,
        })
    }

    fn require_admin(&self, action: &'static str) -> Result<(), RuleViolation> {
        if self.committer_is_admin {
            Ok(())
        } else {
            Err(RuleViolation::NotAdmin {
                officer: self.committer.attributes().officer_id().to_owned(),
                action,
            })
        }
    }

    /// Checks every rule a commit can break; returns the policy after it.
    pub(super) fn check(
        &self,
        engine: &mut Engine,
        channel: &ChannelId,
        staged: &StagedCommit,
    ) -> Result<ChannelPolicy, EngineError> {
        let now = engine.now();
        let bytes = policy_bytes(staged.group_context().extensions()).ok_or(
            RuleViolation::InvalidPolicy(ChannelPolicyError::Malformed(
                liaison_proto::DecodeError::InvalidValue("missing policy extension"),
            )),
        )?;
        let policy_after =
            ChannelPolicy::decode(bytes, &engine.registry).map_err(RuleViolation::from)?;
        let policy_changed = policy_after != self.policy_before;
        if policy_changed {
            self.require_admin("change the channel policy")?;
        }
        let loaded = engine
            .channels
            .get(channel)
            .ok_or(EngineError::UnknownChannel)?;
        let mut removed: HashSet<LeafNodeIndex> = HashSet::new();
        let mut added_officers: Vec<VerifiedCredential> = Vec::new();
        for queued in staged.queued_proposals() {
            let proposer = match queued.sender() {
                Sender::Member(index) => *index,
                _ => return Err(RuleViolation::ExternalSender.into()),
            };
            match queued.proposal() {
                Proposal::Add(add) => {
                    self.require_admin("add members")?;
                    let leaf = add.key_package().leaf_node();
                    let verified = verify_cached(
                        &mut engine.verified,
                        leaf.credential(),
                        leaf.signature_key().as_slice(),
                        policy_after.anchors(),
                        now,
                    )?;
                    check_admission(&verified, &policy_after, &engine.registry)?;
                    added_officers.push(verified);
                }
                Proposal::Remove(remove) => {
                    if !(self.committer_is_admin || proposer == remove.removed()) {
                        self.require_admin("remove other members")?;
                    }
                    removed.insert(remove.removed());
                }
                Proposal::SelfRemove => {
                    removed.insert(proposer);
                }
                Proposal::Update(update) => {
                    let leaf = update.leaf_node();
                    let before = loaded
                        .group
                        .member_at(proposer)
                        .ok_or(RuleViolation::ExternalSender)?;
                    let old = verify_cached(
                        &mut engine.verified,
                        &before.credential,
                        &before.signature_key,
                        self.policy_before.anchors(),
                        now,
                    )?;
                    let new = verify_cached(
                        &mut engine.verified,
                        leaf.credential(),
                        leaf.signature_key().as_slice(),
                        policy_after.anchors(),
                        now,
                    )?;
                    same_officer(&old, &new)?;
                }
                Proposal::GroupContextExtensions(_) => {
                    self.require_admin("change the channel policy")?;
                }
                Proposal::PreSharedKey(_) => {
                    return Err(RuleViolation::ForbiddenProposal("pre-shared key").into());
                }
                Proposal::ReInit(_) => {
                    return Err(RuleViolation::ForbiddenProposal("re-init").into());
                }
                Proposal::ExternalInit(_) => {
                    return Err(RuleViolation::ForbiddenProposal("external init").into());
                }
                _ => return Err(RuleViolation::ForbiddenProposal("custom").into()),
            }
        }
        if let Some(leaf) = staged.update_path_leaf_node() {
            let new = verify_cached(
                &mut engine.verified,
                leaf.credential(),
                leaf.signature_key().as_slice(),
                policy_after.anchors(),
                now,
            )?;
            same_officer(&self.committer, &new)?;
        }
        // Two members of different authorities must not share an officer id:
        // admin rights are granted by officer id.
        let mut remaining: Vec<VerifiedCredential> = Vec::new();
        for member in loaded.group.members() {
            if removed.contains(&member.index) {
                continue;
            }
            let anchors = if policy_changed {
                policy_after.anchors()
            } else {
                self.policy_before.anchors()
            };
            // Rule 3: after a policy change every remaining member must comply.
            let verified = verify_cached(
                &mut engine.verified,
                &member.credential,
                &member.signature_key,
                anchors,
                now,
            )
            .map_err(|violation| match violation {
                RuleViolation::Credential { officer, .. } if policy_changed => {
                    RuleViolation::TighteningIncomplete { officer }
                }
                other => other,
            })?;
            if policy_changed
                && check_admission(&verified, &policy_after, &engine.registry).is_err()
            {
                return Err(RuleViolation::TighteningIncomplete {
                    officer: verified.attributes().officer_id().to_owned(),
                }
                .into());
            }
            if member.index == self.committer_leaf {
                continue;
            }
            remaining.push(verified);
        }
        remaining.push(self.committer.clone());
        for added in &added_officers {
            let id = &added.attributes().officer_id();
            if remaining.iter().any(|m| {
                &m.attributes().officer_id() == id
                    && m.anchor_fingerprint() != added.anchor_fingerprint()
            }) {
                return Err(RuleViolation::AmbiguousOfficerId(id.to_string()).into());
            }
        }
        Ok(policy_after)
    }
}

fn same_officer(old: &VerifiedCredential, new: &VerifiedCredential) -> Result<(), RuleViolation> {
    if old.attributes().officer_id() == new.attributes().officer_id()
        && old.anchor_fingerprint() == new.anchor_fingerprint()
    {
        Ok(())
    } else {
        Err(RuleViolation::IdentityChanged {
            from: old.attributes().officer_id().to_owned(),
            to: new.attributes().officer_id().to_owned(),
        })
    }
}

impl Engine {
    /// Merges a reviewed commit and records its effects.
    pub(super) fn apply_commit(
        &mut self,
        channel: &ChannelId,
        staged: StagedCommit,
        policy_after: ChannelPolicy,
    ) -> Result<Received, EngineError> {
        let removed_self = staged.self_removed();
        let provider = self.store.mls_provider();
        let loaded = self
            .channels
            .get_mut(channel)
            .ok_or(EngineError::UnknownChannel)?;
        loaded
            .group
            .merge_staged_commit(&provider, staged)
            .map_err(|e| EngineError::mls("merging commit", e))?;
        let epoch = loaded.group.epoch().as_u64();
        loaded.policy = policy_after.clone();
        self.after_merge(channel, &policy_after, removed_self, epoch)?;
        Ok(Received::Commit {
            epoch,
            removed_self,
        })
    }

    /// Updates our tables after any merge (ours or another member's).
    pub(super) fn after_merge(
        &self,
        channel: &ChannelId,
        policy: &ChannelPolicy,
        removed_self: bool,
        epoch: u64,
    ) -> Result<(), EngineError> {
        let conn = self.store.connection();
        conn.prepare_cached(
            "UPDATE channels SET policy = ?2, name = ?3, active = ?4 WHERE group_id = ?1",
        )?
        .execute(params![
            channel.0,
            policy.encode(),
            policy.partnership(),
            !removed_self
        ])?;
        self.store
            .audit(Some(&channel.0), "commit.merged", &format!("epoch {epoch}"))?;
        if removed_self {
            self.store.audit(
                Some(&channel.0),
                "channel.removed",
                "this officer was removed",
            )?;
            if policy.history_on_removal() == HistoryOnRemoval::Purge {
                conn.execute("DELETE FROM messages WHERE group_id = ?1", [&channel.0])?;
                conn.execute("DELETE FROM acks WHERE group_id = ?1", [&channel.0])?;
                self.store.audit(
                    Some(&channel.0),
                    "channel.purged",
                    "history purged by policy",
                )?;
            }
        }
        Ok(())
    }

    /// Accepts a standalone proposal: only a member's own removal (leaving)
    /// travels alone; everything else must come inside an admin's commit.
    pub(super) fn accept_proposal(
        &mut self,
        channel: &ChannelId,
        sender: LeafNodeIndex,
        queued: QueuedProposal,
    ) -> Result<(), EngineError> {
        match queued.proposal() {
            Proposal::Remove(remove) if remove.removed() == sender => {}
            Proposal::SelfRemove => {}
            _ => return Err(RuleViolation::ForbiddenProposal("standalone").into()),
        }
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

    pub(super) fn is_own_pending_commit(
        &self,
        channel: &ChannelId,
        hash: &[u8],
    ) -> Result<bool, EngineError> {
        let found: Option<i64> = self
            .store
            .connection()
            .prepare_cached(
                "SELECT id FROM outbox WHERE group_id = ?1 AND hash = ?2 AND kind = 'commit'",
            )?
            .query_row(params![channel.0, hash], |row| row.get(0))
            .optional()?;
        Ok(found.is_some())
    }

    /// Our pending commit was ordered by the relay: make it effective.
    pub(super) fn merge_own_commit(
        &mut self,
        channel: &ChannelId,
        hash: &[u8],
    ) -> Result<(), EngineError> {
        let provider = self.store.mls_provider();
        let loaded = self
            .channels
            .get_mut(channel)
            .ok_or(EngineError::UnknownChannel)?;
        let removed_self = loaded
            .group
            .pending_commit()
            .is_some_and(|staged| staged.self_removed());
        loaded
            .group
            .merge_pending_commit(&provider)
            .map_err(|e| EngineError::mls("merging own commit", e))?;
        let epoch = loaded.group.epoch().as_u64();
        let policy = super::decode_policy(&loaded.group, &self.registry)?;
        loaded.policy = policy.clone();
        let conn = self.store.connection();
        conn.prepare_cached("DELETE FROM outbox WHERE group_id = ?1 AND hash = ?2")?
            .execute(params![channel.0, hash])?;
        conn.prepare_cached(
            "INSERT OR IGNORE INTO seen (hash, group_id, outcome, at_ms) VALUES (?1, ?2, 'own', ?3)",
        )?
        .execute(
            params![hash, channel.0, i64::try_from(self.now_ms()).unwrap_or(i64::MAX)],
        )?;
        self.after_merge(channel, &policy, removed_self, epoch)
    }
}
