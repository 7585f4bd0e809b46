//! Admin operations (add, remove, promote, change policy) and leaving. Each
//! produces a commit queued in the outbox; it takes effect only when the
//! relay orders it (see [`Engine::outbox_accepted`]).

use std::time::SystemTime;

use openmls::prelude::{
    KeyPackage, KeyPackageIn, LeafNodeIndex, Member, MlsMessageBodyIn, MlsMessageIn,
    ProtocolVersion,
};
use openmls_traits::OpenMlsProvider as _;
use tls_codec::Deserialize as _;

use super::send::{OutgoingKind, serialise};
use super::{ChannelId, Engine, MemberInfo, txn};
use crate::audit::{AuditEvent, Refusal};
use crate::channel::{EngineError, group_context_extensions};
use crate::store::tables::channels;
use liaison_rules::{ChannelPolicy, RuleViolation};
use liaison_rules::{
    GroupBefore, InvalidMember, Judge, check_admission, commit_instant, invalid_members, stamp_at,
};

/// What a commit will change, built by the admin operations.
#[derive(Default)]
struct CommitPlan {
    adds: Vec<KeyPackage>,
    removals: Vec<LeafNodeIndex>,
    policy: Option<ChannelPolicy>,
}

impl Engine {
    /// Adds officers from their key packages (serialised MLS messages as
    /// published in the directory). Only admins may; every added credential
    /// must verify and be admitted to the ceiling (rule 2).
    pub fn add_members(
        &mut self,
        channel: &ChannelId,
        key_packages: &[Vec<u8>],
    ) -> Result<i64, EngineError> {
        self.require_self_admin(channel, "add members")?;
        let mut adds = Vec::with_capacity(key_packages.len());
        for bytes in key_packages {
            adds.push(self.admissible_key_package(channel, bytes)?.0);
        }
        self.commit_plan(channel, adds, Vec::new())
    }

    /// A key package from the directory (a serialised MLS message), checked
    /// as an add of it will be judged: it parses and validates, and its
    /// credential verifies and is admitted to the channel's ceiling.
    pub(super) fn admissible_key_package(
        &mut self,
        channel: &ChannelId,
        bytes: &[u8],
    ) -> Result<(KeyPackage, liaison_identity::VerifiedCredential), EngineError> {
        let now = self.now();
        let policy = self.channel(channel)?.policy.clone();
        let provider = self.store.mls_provider();
        let message = MlsMessageIn::tls_deserialize_exact(bytes)
            .map_err(|e| EngineError::MalformedMessage(e.to_string()))?;
        let MlsMessageBodyIn::KeyPackage(key_package) = message.extract() else {
            return Err(EngineError::MalformedMessage("not a key package".into()));
        };
        let key_package: KeyPackageIn = key_package;
        let key_package = key_package
            .validate(provider.crypto(), ProtocolVersion::Mls10)
            .map_err(|e| EngineError::MalformedMessage(e.to_string()))?;
        let leaf = key_package.leaf_node();
        let verified = self.verified.verify(
            leaf.credential(),
            leaf.signature_key().as_slice(),
            policy.anchors(),
            now,
        )?;
        check_admission(&verified, &policy, &self.registry)?;
        Ok((key_package, verified))
    }

    /// Queues a commit that adds `adds` and removes `removals`.
    pub(super) fn commit_plan(
        &mut self,
        channel: &ChannelId,
        adds: Vec<KeyPackage>,
        removals: Vec<LeafNodeIndex>,
    ) -> Result<i64, EngineError> {
        self.commit(
            channel,
            CommitPlan {
                adds,
                removals,
                ..CommitPlan::default()
            },
        )
    }

    /// Removes every device of the named officers. Only admins may remove
    /// others; use [`Engine::leave`] to remove oneself.
    pub fn remove_members(
        &mut self,
        channel: &ChannelId,
        officer_ids: &[&str],
    ) -> Result<i64, EngineError> {
        self.require_self_admin(channel, "remove other members")?;
        let removals = self.leaves_of(channel, officer_ids)?;
        self.commit_plan(channel, Vec::new(), removals)
    }

    /// Every leaf of the named officers, by the officer id their
    /// certificate claims: a member whose credential no longer verifies
    /// must still be removable by name. `UnknownMember` for an officer with
    /// no leaf.
    pub(super) fn leaves_of(
        &mut self,
        channel: &ChannelId,
        officer_ids: &[&str],
    ) -> Result<Vec<LeafNodeIndex>, EngineError> {
        let members: Vec<(LeafNodeIndex, Option<String>)> = self
            .channel(channel)?
            .group
            .members()
            .map(|m| {
                let claimed =
                    liaison_identity::CertificateChain::from_mls_credential(&m.credential)
                        .ok()
                        .and_then(|chain| chain.claimed_officer_id());
                (m.index, claimed)
            })
            .collect();
        let mut removals = Vec::new();
        for officer in officer_ids {
            let leaves: Vec<_> = members
                .iter()
                .filter(|(_, claimed)| claimed.as_deref() == Some(*officer))
                .map(|(leaf, _)| *leaf)
                .collect();
            if leaves.is_empty() {
                return Err(EngineError::UnknownMember((*officer).to_owned()));
            }
            removals.extend(leaves);
        }
        Ok(removals)
    }

    /// Promotes (`admin = true`) or demotes an officer: a policy change.
    pub fn set_admin(
        &mut self,
        channel: &ChannelId,
        officer_id: &str,
        admin: bool,
    ) -> Result<i64, EngineError> {
        let policy = self
            .channel(channel)?
            .policy
            .with_admin(officer_id, admin)?;
        self.change_policy(channel, policy)
    }

    /// The members a policy change would remove because they would no longer
    /// comply (rule 3): for the admin's preview.
    pub fn preview_policy_change(
        &mut self,
        channel: &ChannelId,
        new_policy: &ChannelPolicy,
    ) -> Result<Vec<MemberInfo>, EngineError> {
        let now = self.now();
        self.channel(channel)?;
        let loaded = self
            .channels
            .get(channel)
            .ok_or(EngineError::UnknownChannel)?;
        let mut out = Vec::new();
        for member in loaded.group.members() {
            let verdict = self
                .verified
                .verify(
                    &member.credential,
                    &member.signature_key,
                    new_policy.anchors(),
                    now,
                )
                .and_then(|v| check_admission(&v, new_policy, &self.registry).map(|()| v));
            if verdict.is_err() {
                let info = match self.verified.verify(
                    &member.credential,
                    &member.signature_key,
                    loaded.policy.anchors(),
                    now,
                ) {
                    Ok(verified) => MemberInfo::verified(
                        &verified,
                        new_policy,
                        &self.registry,
                        member.index.u32(),
                    ),
                    Err(_) => MemberInfo::unverified(&member.credential, member.index.u32()),
                };
                out.push(info);
            }
        }
        Ok(out)
    }

    /// Changes the channel policy. Members who no longer comply are removed
    /// in the same commit (rule 3). Only admins may.
    pub fn change_policy(
        &mut self,
        channel: &ChannelId,
        new_policy: ChannelPolicy,
    ) -> Result<i64, EngineError> {
        self.require_self_admin(channel, "change the channel policy")?;
        let removed = self.preview_policy_change(channel, &new_policy)?;
        let own_leaf = self.channel(channel)?.group.own_leaf_index().u32();
        if let Some(me) = removed.iter().find(|m| m.leaf_index == own_leaf) {
            // An admin cannot tighten the channel past themselves: they would
            // have to remove themselves in their own commit.
            return Err(RuleViolation::TighteningIncomplete {
                officer: me.officer_id.clone(),
            }
            .into());
        }
        self.commit(
            channel,
            CommitPlan {
                removals: removed
                    .iter()
                    .map(|m| LeafNodeIndex::new(m.leaf_index))
                    .collect(),
                policy: Some(new_policy),
                ..CommitPlan::default()
            },
        )
    }

    /// Leaves the channel: proposes our own removal, which the next commit
    /// (by any member) applies.
    pub fn leave(&mut self, channel: &ChannelId) -> Result<i64, EngineError> {
        self.ensure_writable(channel)?;
        txn::begin(self.store.connection(), "leave")?;
        let result = (|| {
            let provider = self.store.mls_provider();
            let loaded = self
                .channels
                .get_mut(channel)
                .ok_or(EngineError::UnknownChannel)?;
            let proposal = loaded
                .group
                .leave_group(&provider, &self.signer)
                .map_err(|e| EngineError::mls("leaving", e))?;
            let bytes = serialise(&proposal)?;
            self.store
                .record(Some(&channel.0), &AuditEvent::LeaveRequested)?;
            channels::mark_leaving(self.store.connection(), &channel.0)?;
            self.queue(channel, OutgoingKind::Proposal, &bytes, None, None)
        })();
        let outcome = txn::finish(self.store.connection(), "leave", result);
        if outcome.is_err() {
            self.forget(channel);
        }
        outcome
    }

    /// Commits the proposals other members sent (a departure), if any.
    /// Returns the outbox id of the commit, or `None` when nothing is pending.
    pub fn commit_pending_proposals(
        &mut self,
        channel: &ChannelId,
    ) -> Result<Option<i64>, EngineError> {
        if !self.channel(channel)?.group.has_pending_proposals() {
            return Ok(None);
        }
        self.commit(channel, CommitPlan::default()).map(Some)
    }

    pub(super) fn require_self_admin(
        &mut self,
        channel: &ChannelId,
        action: &'static str,
    ) -> Result<(), EngineError> {
        self.ensure_writable(channel)?;
        let officer_id = self.officer_id.clone();
        if self.channel(channel)?.policy.is_admin(&officer_id) {
            Ok(())
        } else {
            Err(RuleViolation::NotAdmin {
                officer: self.officer_id.clone(),
                action,
            }
            .into())
        }
    }

    /// Builds and stages a commit, queueing it (and its Welcome) in the
    /// outbox. The commit states its instant (the commit stamp), removes
    /// every member whose credential no longer verifies at that instant,
    /// and is judged by the rulebook, as the relay and every member will
    /// judge it, before it leaves.
    fn commit(&mut self, channel: &ChannelId, mut plan: CommitPlan) -> Result<i64, EngineError> {
        if self.channel(channel)?.group.pending_commit().is_some() {
            return Err(EngineError::CommitPending);
        }
        let stamp = stamp_at(self.now()).encode();
        let instant = commit_instant(&stamp)?;
        let invalid = self.invalid_members_at(channel, instant)?;
        let own_leaf = self.channel(channel)?.group.own_leaf_index();
        if let Some(own) = invalid.iter().find(|m| m.leaf == own_leaf) {
            return Err(EngineError::OwnCredential(own.error.clone()));
        }
        let invalid: Vec<_> = invalid
            .into_iter()
            .filter(|m| !plan.removals.contains(&m.leaf))
            .collect();
        plan.removals.extend(invalid.iter().map(|m| m.leaf));
        let extensions = match &plan.policy {
            Some(policy) => Some(group_context_extensions(policy.encode())?),
            None => None,
        };
        txn::begin(self.store.connection(), "commit")?;
        let result = (|| {
            for member in &invalid {
                self.store.record(
                    Some(&channel.0),
                    &AuditEvent::InvalidMemberRemoved {
                        member: member.officer.clone(),
                        reason: Refusal::of_credential(&member.error),
                    },
                )?;
            }
            let provider = self.store.mls_provider();
            let loaded = self
                .channels
                .get_mut(channel)
                .ok_or(EngineError::UnknownChannel)?;
            loaded.group.set_aad(stamp.clone());
            let mut builder = loaded
                .group
                .commit_builder()
                .propose_adds(plan.adds)
                .propose_removals(plan.removals);
            if let Some(extensions) = extensions {
                builder = builder
                    .propose_group_context_extensions(extensions)
                    .map_err(|e| EngineError::mls("building commit", e))?;
            }
            let bundle = builder
                .load_psks(provider.storage())
                .map_err(|e| EngineError::mls("building commit", e))?
                .build(provider.rand(), provider.crypto(), &self.signer, |_| true)
                .map_err(|e| EngineError::mls("building commit", e))?
                .stage_commit(&provider)
                .map_err(|e| EngineError::mls("staging commit", e))?;
            let commit = serialise(bundle.commit())?;
            let welcome = match bundle.to_welcome_msg() {
                Some(welcome) => Some(serialise(&welcome)?),
                None => None,
            };
            self.review_own_commit(channel, instant)?;
            self.queue(
                channel,
                OutgoingKind::Commit,
                &commit,
                welcome.as_deref(),
                None,
            )
        })();
        let outcome = txn::finish(self.store.connection(), "commit", result);
        if outcome.is_err() {
            self.forget(channel);
        }
        outcome
    }

    /// Members whose credentials do not verify against the channel's
    /// anchors at `instant`.
    fn invalid_members_at(
        &mut self,
        channel: &ChannelId,
        instant: SystemTime,
    ) -> Result<Vec<InvalidMember>, EngineError> {
        let loaded = self.channel(channel)?;
        let members: Vec<Member> = loaded.group.members().collect();
        let policy = loaded.policy.clone();
        let group = GroupBefore {
            policy: &policy,
            members: &members,
        };
        let mut judge = Judge {
            registry: &self.registry,
            instant,
            cache: &mut self.verified,
        };
        Ok(invalid_members(&group, &mut judge))
    }

    /// Our staged commit, judged with the rulebook exactly as the relay and
    /// every member will judge it: a commit of ours that they would refuse
    /// never leaves (it would be ordered by no one, or split the channel).
    fn review_own_commit(
        &mut self,
        channel: &ChannelId,
        instant: SystemTime,
    ) -> Result<(), EngineError> {
        let loaded = self
            .channels
            .get(channel)
            .ok_or(EngineError::UnknownChannel)?;
        let staged = loaded
            .group
            .pending_commit()
            .ok_or_else(|| EngineError::mls("reviewing own commit", "no staged commit"))?;
        super::commit::judge_commit(
            loaded,
            &self.registry,
            &mut self.verified,
            loaded.group.own_leaf_index(),
            staged,
            instant,
        )?;
        Ok(())
    }
}
