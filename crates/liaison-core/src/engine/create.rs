//! Creating a channel, and joining one from a Welcome.

use openmls::prelude::{GroupId, MlsGroup, MlsMessageBodyIn, MlsMessageIn, ProcessedWelcome};
use tls_codec::Deserialize as _;

use openmls_traits::OpenMlsProvider as _;

use super::authorities::{ChannelAnchor, channel_anchors};
use super::commit::store_epoch_check;
use super::send::{OutgoingKind, serialise};
use super::{ChannelId, Engine, LoadedChannel, decode_policy, txn};
use crate::audit::{AuditEvent, Officer};
use crate::channel::{EngineError, create_config, group_context_extensions, join_config};
use crate::store::tables::channels;
use liaison_rules::check_admission;
use liaison_rules::{ChannelPolicy, RuleViolation};

impl Engine {
    /// Creates a partnership channel with this officer as its only member.
    /// The creator must be an admin of the policy, verify against its trust
    /// anchors and be admitted to its ceiling.
    pub fn create_channel(&mut self, policy: ChannelPolicy) -> Result<ChannelId, EngineError> {
        let now = self.now();
        let own = self.verified.verify(
            &self.credential.credential,
            self.credential.signature_key.as_slice(),
            policy.anchors(),
            now,
        )?;
        check_admission(&own, &policy, &self.registry)?;
        if !policy.is_admin(own.attributes().officer_id()) {
            return Err(RuleViolation::NotAdmin {
                officer: own.attributes().officer_id().to_owned(),
                action: "create a channel without being one of its admins",
            }
            .into());
        }
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|e| EngineError::mls("drawing a group id", e))?;
        let channel = ChannelId(id.to_vec());
        let config = create_config(group_context_extensions(policy.encode())?)?;
        txn::begin(self.store.connection(), "create_channel")?;
        let result = (|| {
            let provider = self.store.mls_provider();
            let group = openmls::prelude::MlsGroup::new_with_group_id(
                &provider,
                &self.signer,
                &config,
                GroupId::from_slice(&channel.0),
                self.credential.clone(),
            )
            .map_err(|e| EngineError::mls("creating group", e))?;
            insert_channel(self.store.connection(), &channel, &policy, self.now_ms())?;
            store_epoch_check(self.store.connection(), &channel, &group)?;
            // The relay learns the group (and follows its membership) from
            // the creator's GroupInfo with the ratchet tree.
            let group_info = group
                .export_group_info(provider.crypto(), &self.signer, true)
                .map_err(|e| EngineError::mls("exporting group info", e))?;
            self.queue(
                &channel,
                OutgoingKind::Create,
                &serialise(&group_info)?,
                None,
                None,
            )?;
            self.store.record(
                Some(&channel.0),
                &AuditEvent::ChannelCreated {
                    channel: policy.partnership().to_owned(),
                    ceiling: policy.ceiling().marking(),
                },
            )?;
            Ok(group)
        })();
        let group = txn::finish(self.store.connection(), "create_channel", result)?;
        self.channels
            .insert(channel.clone(), LoadedChannel { group, policy });
        Ok(channel)
    }

    /// Joins a channel from a serialised Welcome. Every member's credential
    /// must verify against the channel's anchors and our own must too, and
    /// every anchor must be pinned on this profile: a channel naming an
    /// authority the officer has not pinned is refused with
    /// [`EngineError::UnpinnedAuthorities`], and nothing is consumed (the
    /// join's savepoint rolls back, so the Welcome can be joined later).
    pub fn join(&mut self, welcome: &[u8]) -> Result<ChannelId, EngineError> {
        match self.try_join(welcome)? {
            Joining::Joined(channel) => Ok(channel),
            Joining::Unpinned(held) => Err(EngineError::UnpinnedAuthorities {
                channel: held.channel_name,
                anchors: held.anchors.into_iter().filter(|a| !a.pinned).collect(),
            }),
        }
    }

    /// Joins from a Welcome, or, when the channel names authorities not
    /// pinned here, rolls back and says what the officer must be asked.
    pub(super) fn try_join(&mut self, welcome: &[u8]) -> Result<Joining, EngineError> {
        let message = MlsMessageIn::tls_deserialize_exact(welcome)
            .map_err(|e| EngineError::MalformedMessage(e.to_string()))?;
        let MlsMessageBodyIn::Welcome(welcome) = message.extract() else {
            return Err(EngineError::MalformedMessage("not a Welcome".into()));
        };
        let now = self.now();
        txn::begin(self.store.connection(), "join")?;
        let result = (|| {
            let provider = self.store.mls_provider();
            let processed = ProcessedWelcome::new_from_welcome(&provider, &join_config(), welcome)
                .map_err(|e| EngineError::mls("processing Welcome", e))?;
            let group_id = processed.unverified_group_info().group_id().clone();
            drop_departed_group(&self.store, &group_id)?;
            let forked = Engine::is_forked(self.store.connection(), group_id.as_slice())?;
            let staged = processed
                .into_staged_welcome(&provider, None)
                .map_err(|e| EngineError::mls("staging Welcome", e))?;
            let sender = staged.welcome_sender_index();
            let group = staged
                .into_group(&provider)
                .map_err(|e| EngineError::mls("joining group", e))?;
            let policy = decode_policy(&group, &self.registry)?;
            let mut inviter = None;
            for member in group.members() {
                let verified = self.verified.verify(
                    &member.credential,
                    &member.signature_key,
                    policy.anchors(),
                    now,
                )?;
                check_admission(&verified, &policy, &self.registry)?;
                if member.index == sender {
                    inviter = Some(Inviter {
                        officer_id: verified.attributes().officer_id().to_owned(),
                        display_name: verified.attributes().display_name().to_owned(),
                    });
                }
            }
            // Checked last, once the channel is otherwise acceptable: a
            // channel that breaks the rules is refused for good, not held.
            let anchors = channel_anchors(self.store.connection(), policy.anchors())?;
            if anchors.iter().any(|a| !a.pinned) {
                return Ok(Attempt::Unpinned(Box::new(UnpinnedChannel {
                    group_id: group.group_id().as_slice().to_vec(),
                    channel_name: policy.partnership().to_owned(),
                    inviter,
                    anchors,
                    certificates: policy.anchors().anchors().to_vec(),
                })));
            }
            let channel = ChannelId(group.group_id().as_slice().to_vec());
            insert_channel(self.store.connection(), &channel, &policy, self.now_ms())?;
            if forked {
                self.record_rejoin(&channel, group.epoch().as_u64())?;
            }
            store_epoch_check(self.store.connection(), &channel, &group)?;
            self.store.record(
                Some(&channel.0),
                &AuditEvent::ChannelJoined {
                    channel: policy.partnership().to_owned(),
                    epoch: group.epoch().as_u64(),
                    by: inviter
                        .as_ref()
                        .map(|i| Officer::new(i.officer_id.as_str(), i.display_name.as_str())),
                },
            )?;
            Ok(Attempt::Joined(
                channel,
                Box::new(LoadedChannel { group, policy }),
            ))
        })();
        match result {
            Ok(Attempt::Unpinned(held)) => {
                // Nothing of this join may stay: openmls's state for the
                // group, the key package it used, a departed group deleted.
                txn::roll_back(self.store.connection(), "join")?;
                Ok(Joining::Unpinned(held))
            }
            Ok(Attempt::Joined(channel, loaded)) => {
                txn::finish(self.store.connection(), "join", Ok(()))?;
                self.withheld.remove(&channel);
                self.channels.insert(channel.clone(), *loaded);
                Ok(Joining::Joined(channel))
            }
            // Rolls back and passes the error on.
            Err(error) => txn::finish(self.store.connection(), "join", Err(error)),
        }
    }
}

/// What a join attempt inside the savepoint came to.
enum Attempt {
    Joined(ChannelId, Box<LoadedChannel>),
    Unpinned(Box<UnpinnedChannel>),
}

/// What [`Engine::try_join`] did.
pub(super) enum Joining {
    /// The channel was joined.
    Joined(ChannelId),
    /// Nothing was joined: the channel names authorities not pinned here.
    Unpinned(Box<UnpinnedChannel>),
}

/// The member who added us, as the channel's authorities certify them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inviter {
    /// Their officer id.
    pub officer_id: String,
    /// Their display name.
    pub display_name: String,
}

/// A channel not joined because some of its anchors are not pinned.
pub(super) struct UnpinnedChannel {
    pub(super) group_id: Vec<u8>,
    pub(super) channel_name: String,
    pub(super) inviter: Option<Inviter>,
    /// Every anchor, in the policy's order, with whether it is pinned.
    pub(super) anchors: Vec<ChannelAnchor>,
    /// The anchors' certificates, in the same order.
    pub(super) certificates: Vec<Vec<u8>>,
}

/// Before joining `group_id` again: if it is a channel this officer left or
/// was removed from, its old MLS state goes, so that openmls accepts the new
/// Welcome (it refuses one for a group it still holds). The message history
/// stays, as the channel's policy decided at the removal. This runs inside
/// the join's savepoint: a join that fails afterwards brings the old state
/// back, which is also what the engine's cache still holds; a join that
/// succeeds replaces the cached group. A channel still active is left
/// alone, and openmls refuses its Welcome, unless this member holds it as
/// forked ([`Engine::fork`]): its state is then another branch's, and the
/// Welcome is the admins' answer to its rejoin request.
fn drop_departed_group(store: &crate::Store, group_id: &GroupId) -> Result<(), EngineError> {
    let active = channels::active(store.connection(), group_id.as_slice())?;
    if active != Some(false) && !Engine::is_forked(store.connection(), group_id.as_slice())? {
        return Ok(());
    }
    let storage = store.mls_storage();
    if let Some(mut old) = MlsGroup::load(&storage, group_id)
        .map_err(|e| EngineError::mls("loading the departed group", e))?
    {
        old.delete(&storage)
            .map_err(|e| EngineError::mls("deleting the departed group", e))?;
    }
    Ok(())
}

fn insert_channel(
    conn: &rusqlite::Connection,
    channel: &ChannelId,
    policy: &ChannelPolicy,
    now_ms: u64,
) -> Result<(), EngineError> {
    channels::upsert_joined(
        conn,
        &channel.0,
        policy.partnership(),
        &policy.encode(),
        now_ms,
    )?;
    Ok(())
}
