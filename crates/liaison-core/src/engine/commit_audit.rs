//! What a merged commit changed, for the audit log: who committed it, the
//! officers it added, removed or let leave, and each part of the channel
//! policy it changed, before and after. Read from the group before the
//! merge (who the members were, which removals a member asked for) and
//! compared with the group and policy after it.

use std::collections::{BTreeMap, BTreeSet};

use openmls::prelude::{Credential, MlsGroup, Sender, StagedCommit};

use super::{ChannelId, Engine};
use crate::audit::{AuditEvent, Officer, PolicyChange};
use crate::channel::EngineError;
use liaison_identity::{CertificateChain, Fingerprint, authority_name};
use liaison_rules::{ChannelPolicy, HistoryOnRemoval};

/// An officer as a member's certificate names them, with their nationality.
#[derive(Clone, Debug)]
struct Named {
    officer: Officer,
    nationality: Option<String>,
}

/// The officer a credential claims (the commit was reviewed, so every
/// credential in it verified), or `None` for an unreadable one.
fn named(credential: &Credential) -> Option<Named> {
    let attributes = CertificateChain::from_mls_credential(credential)
        .ok()?
        .claimed_attributes()
        .ok()?;
    Some(Named {
        officer: Officer::new(attributes.officer_id(), attributes.display_name()),
        nationality: Some(attributes.nationality().to_string()),
    })
}

/// The officers of a group, by officer id (one entry for several devices).
fn roster(group: &MlsGroup) -> BTreeMap<String, Named> {
    group
        .members()
        .filter_map(|member| named(&member.credential))
        .map(|named| (named.officer.id.clone(), named))
        .collect()
}

/// What the audit needs of a commit before it is merged.
pub(super) struct BeforeMerge {
    by: Officer,
    members: BTreeMap<String, Named>,
    /// Officers whose removal they proposed themselves (leaving).
    leavers: BTreeSet<String>,
    /// Officers the commit adds, with what their key packages say.
    added: BTreeMap<String, Named>,
}

impl BeforeMerge {
    /// Reads `staged` by `by` against `group` as it stands before the merge.
    pub(super) fn read(group: &MlsGroup, staged: &StagedCommit, by: Officer) -> Self {
        let members = roster(group);
        let leavers = staged
            .remove_proposals()
            .filter_map(|queued| {
                let removed = queued.remove_proposal().removed();
                match queued.sender() {
                    Sender::Member(sender) if *sender == removed => group
                        .member_at(removed)
                        .and_then(|member| named(&member.credential))
                        .map(|named| named.officer.id),
                    _ => None,
                }
            })
            .collect();
        let added = staged
            .add_proposals()
            .filter_map(|queued| {
                named(queued.add_proposal().key_package().leaf_node().credential())
            })
            .map(|named| (named.officer.id.clone(), named))
            .collect();
        Self {
            by,
            members,
            leavers,
            added,
        }
    }

    /// A merge with no staged commit to read (nothing is known of it
    /// but its committer).
    pub(super) fn empty(group: &MlsGroup, by: Officer) -> Self {
        Self {
            by,
            members: roster(group),
            leavers: BTreeSet::new(),
            added: BTreeMap::new(),
        }
    }

    /// The committer.
    pub(super) fn by(&self) -> &Officer {
        &self.by
    }
}

/// The officer a member's credential names, for the committer of a commit.
pub(super) fn committer(credential: &Credential) -> Officer {
    named(credential).map_or_else(|| Officer::id_only("unknown"), |named| named.officer)
}

impl Engine {
    /// This officer, as the committer of their own commits.
    pub(super) fn own_officer(&self) -> Officer {
        match self.chain.claimed_attributes() {
            Ok(attributes) => Officer::new(attributes.officer_id(), attributes.display_name()),
            Err(_) => Officer::id_only(self.officer_id.as_str()),
        }
    }

    /// Records what a merged commit changed: members added, removed, left,
    /// promoted and demoted, and each policy part changed.
    pub(super) fn audit_commit_changes(
        &self,
        channel: &ChannelId,
        before: &BeforeMerge,
        policy_before: &ChannelPolicy,
        policy_after: &ChannelPolicy,
        epoch: u64,
    ) -> Result<(), EngineError> {
        let store = &self.store;
        let group = Some(channel.0.as_slice());
        let after = self
            .channels
            .get(channel)
            .map(|loaded| roster(&loaded.group))
            .unwrap_or_default();
        let by = before.by.clone();
        for (id, named) in &after {
            if !before.members.contains_key(id) {
                let named = before.added.get(id).unwrap_or(named);
                store.record(
                    group,
                    &AuditEvent::MemberAdded {
                        by: by.clone(),
                        member: named.officer.clone(),
                        nationality: named.nationality.clone(),
                        epoch,
                    },
                )?;
            }
        }
        for (id, named) in &before.members {
            if after.contains_key(id) || id == &self.officer_id {
                continue;
            }
            let event = if before.leavers.contains(id) {
                AuditEvent::MemberLeft {
                    member: named.officer.clone(),
                    epoch,
                }
            } else {
                AuditEvent::MemberRemoved {
                    by: by.clone(),
                    member: named.officer.clone(),
                    epoch,
                }
            };
            store.record(group, &event)?;
        }
        let known = |id: &str| {
            after
                .get(id)
                .or_else(|| before.members.get(id))
                .map_or_else(|| Officer::id_only(id), |named| named.officer.clone())
        };
        for id in policy_after.admins().difference(policy_before.admins()) {
            store.record(
                group,
                &AuditEvent::MemberPromoted {
                    by: by.clone(),
                    member: known(id),
                    epoch,
                },
            )?;
        }
        for id in policy_before.admins().difference(policy_after.admins()) {
            store.record(
                group,
                &AuditEvent::MemberDemoted {
                    by: by.clone(),
                    member: known(id),
                    epoch,
                },
            )?;
        }
        for change in policy_changes(policy_before, policy_after) {
            store.record(
                group,
                &AuditEvent::PolicyChanged {
                    by: by.clone(),
                    change,
                    epoch,
                },
            )?;
        }
        Ok(())
    }
}

fn history(rule: HistoryOnRemoval) -> String {
    match rule {
        HistoryOnRemoval::Keep => "keep",
        HistoryOnRemoval::Purge => "purge",
    }
    .to_owned()
}

/// Each part of the policy that differs, before and after (admins are
/// told as promotions and demotions, added anchors by
/// `anchor_changes.rs`).
pub(super) fn policy_changes(before: &ChannelPolicy, after: &ChannelPolicy) -> Vec<PolicyChange> {
    let mut changes = Vec::new();
    if before.partnership() != after.partnership() {
        changes.push(PolicyChange::Renamed {
            before: before.partnership().to_owned(),
            after: after.partnership().to_owned(),
        });
    }
    let (ceiling_before, ceiling_after) = (before.ceiling().marking(), after.ceiling().marking());
    if ceiling_before != ceiling_after {
        changes.push(PolicyChange::Ceiling {
            before: ceiling_before,
            after: ceiling_after,
        });
    }
    let (default_before, default_after) = (
        before.default_label().marking(),
        after.default_label().marking(),
    );
    if default_before != default_after {
        changes.push(PolicyChange::DefaultLabel {
            before: default_before,
            after: default_after,
        });
    }
    if before.retention_days() != after.retention_days() {
        changes.push(PolicyChange::Retention {
            before: before.retention_days(),
            after: after.retention_days(),
        });
    }
    if before.history_on_removal() != after.history_on_removal() {
        changes.push(PolicyChange::HistoryOnRemoval {
            before: history(before.history_on_removal()),
            after: history(after.history_on_removal()),
        });
    }
    let kept = after.anchors().anchors();
    for der in before.anchors().anchors() {
        if !kept.contains(der) {
            changes.push(PolicyChange::AnchorRemoved {
                authority: authority_name(der).unwrap_or_else(|_| "(unreadable name)".to_owned()),
                fingerprint: Fingerprint::of(der).to_string(),
            });
        }
    }
    changes
}
