//! The rules on handshake messages: what a commit may change and who may
//! send it, and what a proposal sent on its own may be. The relay and every
//! member run exactly these functions, at the instant the commit states
//! (see [`crate::instant`]), so they reach the same verdict: a commit the
//! relay orders is one every honest member merges.

use std::collections::{HashMap, HashSet};
use std::time::SystemTime;

use liaison_identity::{CredentialError, TrustAnchors, VerifiedCredential};
use openmls::prelude::{
    Credential, LeafNode, LeafNodeIndex, Member, Proposal, QueuedProposal, Sender, StagedCommit,
};

use crate::admission::check_admission;
use crate::channel_policy::ChannelPolicy;
use crate::credentials::{AnchorsKey, CredentialCache};
use crate::error::RuleViolation;
use crate::labels::PolicyRegistry;

/// A group as it stands before a commit: its policy and its leaves.
#[derive(Debug, Clone, Copy)]
pub struct GroupBefore<'a> {
    /// The channel policy in force.
    pub policy: &'a ChannelPolicy,
    /// Every leaf of the tree.
    pub members: &'a [Member],
}

/// Who judges, and when: the label policies known, the instant the commit
/// states, and the verification cache.
#[derive(Debug)]
pub struct Judge<'a> {
    /// The label policies (to decode the channel policy and clearances).
    pub registry: &'a PolicyRegistry,
    /// The instant every credential is judged at.
    pub instant: SystemTime,
    /// Earlier verifications to reuse.
    pub cache: &'a mut CredentialCache,
}

/// A commit that keeps every rule, and what it does.
#[derive(Debug, Clone)]
pub struct CommitVerdict {
    /// The channel policy after the commit.
    pub policy_after: ChannelPolicy,
    /// Whether the commit changes the policy.
    pub policy_changed: bool,
    /// The committer, verified.
    pub committer: VerifiedCredential,
    /// The officers added, verified and admitted.
    pub added: Vec<VerifiedCredential>,
    /// The leaves removed.
    pub removed: Vec<LeafNodeIndex>,
}

/// A member whose credential does not verify at an instant, and why.
#[derive(Debug)]
pub struct InvalidMember {
    /// Its leaf.
    pub leaf: LeafNodeIndex,
    /// The officer id its certificate claims ("unknown" if none).
    pub officer: String,
    /// Why it does not verify.
    pub error: CredentialError,
}

/// The members of `group` whose credentials do not verify against its
/// policy's anchors at the judge's instant: expired, revoked, or no longer
/// chaining to an anchor. A commit must remove them; any member may.
pub fn invalid_members(group: &GroupBefore<'_>, judge: &mut Judge<'_>) -> Vec<InvalidMember> {
    let key = AnchorsKey::of(group.policy.anchors());
    group
        .members
        .iter()
        .filter_map(|member| {
            match judge.cache.verify_under(
                key,
                &member.credential,
                &member.signature_key,
                group.policy.anchors(),
                judge.instant,
            ) {
                Ok(_) => None,
                Err(RuleViolation::Credential { officer, error }) => Some(InvalidMember {
                    leaf: member.index,
                    officer,
                    error,
                }),
                // `verify` reports nothing else; treat anything else as invalid too.
                Err(_) => Some(InvalidMember {
                    leaf: member.index,
                    officer: "unknown".into(),
                    error: CredentialError::Malformed("unexpected verification failure"),
                }),
            }
        })
        .collect()
}

/// A proposal sent on its own must be its sender's own removal (leaving);
/// everything else comes inside a commit.
pub fn review_proposal(
    sender: LeafNodeIndex,
    queued: &QueuedProposal,
) -> Result<(), RuleViolation> {
    match queued.proposal() {
        Proposal::Remove(remove) if remove.removed() == sender => Ok(()),
        Proposal::SelfRemove => Ok(()),
        _ => Err(RuleViolation::ForbiddenProposal("standalone")),
    }
}

/// Checks every rule a commit can break, at the judge's instant:
///
/// - the committer is a member whose credential verifies;
/// - only admins change the policy, add members, or remove members other
///   than themselves and members whose credentials no longer verify;
/// - every added officer verifies against the new anchors and is admitted
///   to the ceiling (rule 2); no two members of different authorities share
///   an officer id;
/// - no leaf changes to another officer or authority (update proposals and
///   the committer's path);
/// - every member left after the commit verifies, and after a policy
///   change complies with it (rule 3);
/// - no pre-shared key, re-init, external or custom proposal.
pub fn review_commit(
    group: &GroupBefore<'_>,
    committer_leaf: LeafNodeIndex,
    staged: &StagedCommit,
    judge: &mut Judge<'_>,
) -> Result<CommitVerdict, RuleViolation> {
    let before = group.policy;
    let policy_after = ChannelPolicy::from_group_context(staged.group_context(), judge.registry)?;
    let policy_changed = policy_after != *before;
    // The anchors are hashed once for the whole commit, not once a member.
    let before_key = AnchorsKey::of(before.anchors());
    let after_key = if policy_changed {
        AnchorsKey::of(policy_after.anchors())
    } else {
        before_key
    };
    let leaf_of = |index: LeafNodeIndex| group.members.iter().find(|m| m.index == index);
    let committer_member = leaf_of(committer_leaf).ok_or(RuleViolation::ExternalSender)?;
    let committer = judge.cache.verify(
        &committer_member.credential,
        &committer_member.signature_key,
        before.anchors(),
        judge.instant,
    )?;
    let committer_id = committer.attributes().officer_id().to_owned();
    let is_admin = before.is_admin(&committer_id);
    let require_admin = |action: &'static str| {
        if is_admin {
            Ok(())
        } else {
            Err(RuleViolation::NotAdmin {
                officer: committer_id.clone(),
                action,
            })
        }
    };
    if policy_changed {
        require_admin("change the channel policy")?;
    }

    let mut removed: HashSet<LeafNodeIndex> = HashSet::new();
    let mut added: Vec<VerifiedCredential> = Vec::new();
    // New leaves of members who update: (credential, signature key).
    let mut updated: HashMap<LeafNodeIndex, (Credential, Vec<u8>)> = HashMap::new();
    for queued in staged.queued_proposals() {
        let proposer = match queued.sender() {
            Sender::Member(index) => *index,
            _ => return Err(RuleViolation::ExternalSender),
        };
        match queued.proposal() {
            Proposal::Add(add) => {
                require_admin("add members")?;
                let leaf = add.key_package().leaf_node();
                let verified = judge.cache.verify(
                    leaf.credential(),
                    leaf.signature_key().as_slice(),
                    policy_after.anchors(),
                    judge.instant,
                )?;
                check_admission(&verified, &policy_after, judge.registry)?;
                added.push(verified);
            }
            Proposal::Remove(remove) => {
                let target = remove.removed();
                if !(is_admin || proposer == target) {
                    // Anyone may remove a member whose credential no longer
                    // verifies: every judge reaches the same verdict at the
                    // commit's instant.
                    let target_valid = leaf_of(target).is_some_and(|m| {
                        judge
                            .cache
                            .verify(
                                &m.credential,
                                &m.signature_key,
                                before.anchors(),
                                judge.instant,
                            )
                            .is_ok()
                    });
                    if target_valid {
                        require_admin("remove other members")?;
                    }
                }
                removed.insert(target);
            }
            Proposal::SelfRemove => {
                removed.insert(proposer);
            }
            Proposal::Update(update) => {
                let leaf = update.leaf_node();
                let old = leaf_of(proposer).ok_or(RuleViolation::ExternalSender)?;
                let old = judge.cache.verify(
                    &old.credential,
                    &old.signature_key,
                    before.anchors(),
                    judge.instant,
                )?;
                let new = new_leaf(judge, leaf, policy_after.anchors(), &old)?;
                updated.insert(proposer, new);
            }
            Proposal::GroupContextExtensions(_) => require_admin("change the channel policy")?,
            Proposal::PreSharedKey(_) => {
                return Err(RuleViolation::ForbiddenProposal("pre-shared key"));
            }
            Proposal::ReInit(_) => return Err(RuleViolation::ForbiddenProposal("re-init")),
            Proposal::ExternalInit(_) => {
                return Err(RuleViolation::ForbiddenProposal("external init"));
            }
            _ => return Err(RuleViolation::ForbiddenProposal("custom")),
        }
    }
    if let Some(leaf) = staged.update_path_leaf_node() {
        let new = new_leaf(judge, leaf, policy_after.anchors(), &committer)?;
        updated.insert(committer_leaf, new);
    }

    // Every member left after the commit verifies at the instant and, after
    // a policy change, complies with the new policy (rule 3). They are kept
    // only when the commit adds someone, to compare officer ids with.
    let mut remaining: Vec<VerifiedCredential> = Vec::new();
    for member in group.members {
        if removed.contains(&member.index) {
            continue;
        }
        let (credential, key) = match updated.get(&member.index) {
            Some((credential, key)) => (credential, key.as_slice()),
            None => (&member.credential, member.signature_key.as_slice()),
        };
        let verified = match judge.cache.verify_under(
            after_key,
            credential,
            key,
            policy_after.anchors(),
            judge.instant,
        ) {
            Ok(verified) => verified,
            Err(RuleViolation::Credential { officer, error }) => {
                let valid_before = policy_changed
                    && judge
                        .cache
                        .verify_under(before_key, credential, key, before.anchors(), judge.instant)
                        .is_ok();
                return Err(if valid_before {
                    RuleViolation::TighteningIncomplete { officer }
                } else {
                    RuleViolation::InvalidMemberKept { officer, error }
                });
            }
            Err(other) => return Err(other),
        };
        if policy_changed && check_admission(&verified, &policy_after, judge.registry).is_err() {
            return Err(RuleViolation::TighteningIncomplete {
                officer: verified.attributes().officer_id().to_owned(),
            });
        }
        if !added.is_empty() {
            remaining.push(verified);
        }
    }
    // Admin rights are granted by officer id: two members of different
    // authorities must never share one.
    for (position, new) in added.iter().enumerate() {
        let id = new.attributes().officer_id();
        let clash = remaining.iter().chain(added[..position].iter()).any(|m| {
            m.attributes().officer_id() == id && m.anchor_fingerprint() != new.anchor_fingerprint()
        });
        if clash {
            return Err(RuleViolation::AmbiguousOfficerId(id.to_owned()));
        }
    }
    let mut removed: Vec<LeafNodeIndex> = removed.into_iter().collect();
    removed.sort_by_key(|leaf| leaf.u32());
    Ok(CommitVerdict {
        policy_after,
        policy_changed,
        committer,
        added,
        removed,
    })
}

/// Verifies the leaf a member moves to (an update proposal, or the
/// committer's path) and checks it is the same officer of the same
/// authority as before. Returns the new leaf's credential and key.
fn new_leaf(
    judge: &mut Judge<'_>,
    leaf: &LeafNode,
    anchors: &TrustAnchors,
    old: &VerifiedCredential,
) -> Result<(Credential, Vec<u8>), RuleViolation> {
    let key = leaf.signature_key().as_slice();
    let new = judge
        .cache
        .verify(leaf.credential(), key, anchors, judge.instant)?;
    same_officer(old, &new)?;
    Ok((leaf.credential().clone(), key.to_vec()))
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
