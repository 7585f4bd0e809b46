//! A group's public state at the relay: openmls's `PublicGroup` over an
//! in-memory storage provider whose entries the relay persists as opaque
//! key/value rows, so any [`Storage`](crate::storage::Storage) backend can
//! hold it.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::SystemTime;

use liaison_identity::TrustAnchors;
use liaison_proto::{PolicyWire, Seq};
use liaison_rules::{
    ChannelPolicy, CredentialCache, GroupBefore, Judge, PolicyRegistry, RuleViolation,
    check_instant_at_relay, commit_instant, review_commit, review_proposal,
};
use openmls::prelude::{
    GroupId, Member, MlsMessageBodyIn, MlsMessageIn, ProcessedMessageContent, ProposalStore,
    ProtocolMessage, PublicGroup, Sender,
};
use openmls_rust_crypto::{MemoryStorage, RustCrypto};
use tls_codec::Deserialize as _;

use super::{anchors_trusted, leaf_identity, policy_of};
use crate::error::Error;
use crate::storage::{GroupRecord, MemberRecord, StateEntries};

/// A group loaded for ordering: its public MLS state, its current members
/// and its position in the order.
pub(crate) struct LoadedGroup {
    public: PublicGroup,
    storage: MemoryStorage,
    members: Vec<MemberRecord>,
    /// Credentials verified at earlier commits of this group.
    cache: CredentialCache,
    /// The last sequence number assigned.
    pub(crate) last_seq: Seq,
    /// Messages held.
    pub(crate) stored: u64,
}

/// What a handshake message did to the group.
#[derive(Debug)]
pub(crate) enum Processed {
    /// A proposal was queued for the next commit.
    Proposal,
    /// A commit was merged.
    Commit {
        /// Leaves added.
        added: Vec<MemberRecord>,
        /// Signature keys of the leaves removed.
        removed: Vec<Vec<u8>>,
        /// Signature keys of leaves removed and added again in the commit
        /// (a member added back after a fork), in neither list above.
        readded: Vec<Vec<u8>>,
        /// References of the key packages added (what a Welcome names).
        added_refs: Vec<Vec<u8>>,
    },
}

fn internal(what: &'static str) -> impl FnOnce(String) -> Error {
    move |e| Error::Internal(format!("{what}: {e}"))
}

impl LoadedGroup {
    /// Builds the state of a new group from its creator's GroupInfo (with
    /// the ratchet tree extension), checking the group info's signature,
    /// the tree and every leaf.
    pub(crate) fn from_group_info(
        crypto: &RustCrypto,
        group_id: &[u8],
        group_info: &[u8],
    ) -> Result<Self, Error> {
        let message = MlsMessageIn::tls_deserialize_exact(group_info)
            .map_err(|_| Error::malformed("the group info is not an MLS message"))?;
        let MlsMessageBodyIn::GroupInfo(info) = message.extract() else {
            return Err(Error::malformed("not a GroupInfo"));
        };
        if info.group_id().as_slice() != group_id {
            return Err(Error::malformed("the GroupInfo is for another group"));
        }
        let tree = info
            .extensions()
            .ratchet_tree()
            .map(|ext| ext.ratchet_tree().clone())
            .ok_or_else(|| Error::malformed("the GroupInfo carries no ratchet tree"))?;
        let storage = MemoryStorage::default();
        let (public, _) =
            PublicGroup::from_external(crypto, &storage, tree, info, ProposalStore::new())
                .map_err(|e| Error::malformed(format!("invalid group: {e}")))?;
        let members = members_of(&public)?;
        Ok(Self {
            public,
            storage,
            members,
            cache: CredentialCache::new(),
            last_seq: 0,
            stored: 0,
        })
    }

    /// Rebuilds a stored group.
    pub(crate) fn from_record(group_id: &[u8], record: GroupRecord) -> Result<Self, Error> {
        let values: HashMap<Vec<u8>, Vec<u8>> = record.state.into_iter().collect();
        let storage = MemoryStorage {
            values: RwLock::new(values),
        };
        let public = PublicGroup::load(&storage, &GroupId::from_slice(group_id))
            .map_err(|e| Error::Internal(format!("loading group state: {e}")))?
            .ok_or_else(|| Error::Internal("stored group state is incomplete".to_owned()))?;
        Ok(Self {
            public,
            storage,
            members: record.members,
            cache: CredentialCache::new(),
            last_seq: record.last_seq,
            stored: record.stored,
        })
    }

    /// The group's current epoch.
    pub(crate) fn epoch(&self) -> u64 {
        self.public.group_context().epoch().as_u64()
    }

    /// The current members.
    pub(crate) fn members(&self) -> &[MemberRecord] {
        &self.members
    }

    /// Whether this officer's device holds a leaf.
    pub(crate) fn is_member(&self, officer_id: &str, signature_key: &[u8]) -> bool {
        self.members
            .iter()
            .any(|m| m.officer_id == officer_id && m.signature_key == signature_key)
    }

    /// The channel policy in force.
    pub(crate) fn policy(&self) -> Result<PolicyWire, Error> {
        policy_of(self.public.group_context().extensions())
    }

    /// The channel policy in force, decoded and validated with the label
    /// policies this relay knows.
    pub(crate) fn channel_policy(&self, registry: &PolicyRegistry) -> Result<ChannelPolicy, Error> {
        ChannelPolicy::from_group_context(self.public.group_context(), registry)
            .map_err(|e| Error::forbidden(format!("channel policy refused: {e}")))
    }

    /// The leaves of the tree, with their credentials.
    pub(crate) fn leaves(&self) -> Vec<Member> {
        self.public.members().collect()
    }

    /// The openmls state to persist.
    pub(crate) fn state(&self) -> StateEntries {
        let values = self
            .storage
            .values
            .read()
            .unwrap_or_else(|p| p.into_inner());
        values.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// Verifies a handshake message of the current epoch sent by the
    /// authenticated device, judges it with the rulebook (the same code and
    /// the same instant every member uses), and queues (proposal) or merges
    /// (commit) it. On error the state may be half changed: the caller must
    /// drop this value and reload the group.
    pub(crate) fn process(
        &mut self,
        crypto: &RustCrypto,
        judged: &Rulebook<'_>,
        message: ProtocolMessage,
        officer_id: &str,
        signature_key: &[u8],
    ) -> Result<Processed, Error> {
        let processed = self
            .public
            .process_message(crypto, message)
            .map_err(|e| Error::malformed(format!("invalid handshake message: {e}")))?;
        let Sender::Member(sender) = *processed.sender() else {
            return Err(Error::forbidden(
                "only members may send handshake messages to this relay",
            ));
        };
        if !self.is_member(officer_id, signature_key)
            || self
                .public
                .leaf(sender)
                .is_none_or(|leaf| leaf.signature_key().as_slice() != signature_key)
        {
            return Err(Error::forbidden(
                "the message is signed by another member than the one submitting it",
            ));
        }
        let authenticated_data = processed.aad().to_vec();
        match processed.into_content() {
            ProcessedMessageContent::ProposalMessage(queued) => {
                review_proposal(sender, &queued).map_err(refused)?;
                self.public
                    .add_proposal(&self.storage, *queued)
                    .map_err(|e| internal("queueing a proposal")(e.to_string()))?;
                Ok(Processed::Proposal)
            }
            ProcessedMessageContent::StagedCommitMessage(staged) => {
                let instant = commit_instant(&authenticated_data).map_err(refused)?;
                check_instant_at_relay(instant, judged.now).map_err(refused)?;
                let before = self.channel_policy(judged.registry)?;
                let leaves = self.leaves();
                let group = GroupBefore {
                    policy: &before,
                    members: &leaves,
                };
                let mut judge = Judge {
                    registry: judged.registry,
                    instant,
                    cache: &mut self.cache,
                };
                let verdict =
                    review_commit(&group, sender, &staged, &mut judge).map_err(refused)?;
                if verdict.policy_changed {
                    anchors_trusted(&verdict.policy_after, judged.trust)?;
                }
                let added_refs = staged
                    .add_proposals()
                    .map(|queued| {
                        queued
                            .add_proposal()
                            .key_package()
                            .hash_ref(crypto)
                            .map(|r| r.as_slice().to_vec())
                            .map_err(|e| internal("hashing an added key package")(e.to_string()))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let added_keys: Vec<Vec<u8>> = staged
                    .add_proposals()
                    .map(|queued| {
                        queued
                            .add_proposal()
                            .key_package()
                            .leaf_node()
                            .signature_key()
                            .as_slice()
                            .to_vec()
                    })
                    .collect();
                self.public
                    .merge_commit(&self.storage, *staged)
                    .map_err(|e| internal("merging a commit")(e.to_string()))?;
                let members = members_of(&self.public)?;
                let added = members
                    .iter()
                    .filter(|m| {
                        !self
                            .members
                            .iter()
                            .any(|o| o.signature_key == m.signature_key)
                    })
                    .cloned()
                    .collect();
                let removed = self
                    .members
                    .iter()
                    .filter(|o| !members.iter().any(|m| m.signature_key == o.signature_key))
                    .map(|o| o.signature_key.clone())
                    .collect();
                let readded = added_keys
                    .into_iter()
                    .filter(|key| self.members.iter().any(|o| &o.signature_key == key))
                    .collect();
                self.members = members;
                Ok(Processed::Commit {
                    added,
                    removed,
                    readded,
                    added_refs,
                })
            }
            ProcessedMessageContent::ApplicationMessage(_) => Err(Error::malformed(
                "application messages must be encrypted (PrivateMessage)",
            )),
            _ => Err(Error::forbidden("external proposals are not accepted")),
        }
    }
}

/// What the relay judges handshake messages with: the label policies it
/// knows, the authorities it trusts, and its clock.
#[derive(Debug)]
pub(crate) struct Rulebook<'a> {
    /// Label policies, to decode channel policies and clearances.
    pub(crate) registry: &'a PolicyRegistry,
    /// The partner authorities this relay trusts.
    pub(crate) trust: &'a TrustAnchors,
    /// The relay's clock, read once per submission.
    pub(crate) now: SystemTime,
}

/// A rule violation, as the relay answers it: `forbidden`, with the rule's
/// own words (they name officers and labels, never content).
pub(crate) fn refused(violation: RuleViolation) -> Error {
    Error::forbidden(format!("refused by the channel rules: {violation}"))
}

/// The members of a public group, by the officer id their credential
/// claims and their signature key.
fn members_of(public: &PublicGroup) -> Result<Vec<MemberRecord>, Error> {
    let mut members = public
        .members()
        .map(|member| {
            leaf_identity(&member.credential, &member.signature_key).map(
                |(officer_id, signature_key)| MemberRecord {
                    officer_id,
                    signature_key,
                },
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    members.sort_by(|a, b| a.officer_id.cmp(&b.officer_id));
    Ok(members)
}
