//! Sending: labelled messages and acknowledgements go through the outbox in
//! the same transaction as the MLS state change that produced them.

use liaison_proto::{
    Binding, Envelope, EnvelopeContext, MessageId, Payload, Precedence, Reference, ReferenceKind,
    TrafficKind,
};
use openmls::prelude::MlsMessageOut;
use sha2::{Digest, Sha256};
use tls_codec::Serialize as _;

use super::history::{StoredMessageRow, insert_message, message_label};
use super::{ChannelId, Engine, epoch_check, txn};
use crate::audit::AuditEvent;
use crate::channel::EngineError;
use crate::store::tables::{channels, messages, outbox, seen};
use liaison_identity::VerifiedCredential;
use liaison_rules::Label;
use liaison_rules::{ChannelPolicy, RuleViolation, check_inheritance, check_message_label};

/// A message an officer is about to send.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The label; `None` takes the channel's default label (rule 4).
    pub label: Option<Label>,
    /// Precedence.
    pub precedence: Precedence,
    /// Exercise or operation.
    pub kind: TrafficKind,
    /// The text.
    pub body: String,
    /// The message this one replies to, quotes or forwards.
    pub reference: Option<(ReferenceKind, MessageId)>,
}

impl Draft {
    /// A routine operational message with the channel's default label.
    pub fn text(body: impl Into<String>) -> Self {
        Self {
            label: None,
            precedence: Precedence::Routine,
            kind: TrafficKind::Operation,
            body: body.into(),
            reference: None,
        }
    }
}

/// What the outbox holds for the delivery service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Outbox row.
    pub outbox_id: i64,
    /// Target channel.
    pub channel: ChannelId,
    /// What the entry is.
    pub kind: OutgoingKind,
    /// Serialised MLS message.
    pub message: Vec<u8>,
    /// Serialised Welcome for a commit that adds members.
    pub welcome: Option<Vec<u8>>,
}

/// Kinds of outbox entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutgoingKind {
    /// A labelled message or an acknowledgement.
    Application,
    /// A proposal (our own removal when leaving).
    Proposal,
    /// A commit; it becomes effective only once the relay accepts it.
    Commit,
    /// A new group's GroupInfo, registering the group with the relay.
    Create,
}

impl OutgoingKind {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Application => "application",
            Self::Proposal => "proposal",
            Self::Commit => "commit",
            Self::Create => "create",
        }
    }

    pub(super) fn parse(text: &str) -> Option<Self> {
        match text {
            "application" => Some(Self::Application),
            "proposal" => Some(Self::Proposal),
            "commit" => Some(Self::Commit),
            "create" => Some(Self::Create),
            _ => None,
        }
    }
}

/// What every send in a channel needs and a batch computes once: the
/// channel's policy and our own credential, verified against its anchors.
struct SendContext {
    policy: ChannelPolicy,
    own: VerifiedCredential,
}

impl Engine {
    /// Sends a labelled message: checks the rules, encrypts, stores our copy
    /// and queues the ciphertext in the outbox, all in one transaction.
    /// Returns the message identifier.
    pub fn send(&mut self, channel: &ChannelId, draft: Draft) -> Result<MessageId, EngineError> {
        let context = self.send_context(channel)?;
        self.send_with(channel, &context, draft)
    }

    /// Sends several messages in one transaction: one disk sync for all of
    /// them instead of one each, for a queue of drafts (written offline, or
    /// faster than the disk commits). Each draft is checked, encrypted and
    /// stored exactly as [`Engine::send`] does, in its own savepoint, so a
    /// draft that breaks a rule is refused alone and the others are sent.
    ///
    /// The results follow the drafts' order. A storage failure stops the
    /// batch: the drafts after it are not attempted and have no result.
    /// Nothing is durable before this returns `Ok`; on `Err` (the batch
    /// could not be committed, or the channel is not writable) none of the
    /// drafts was sent.
    pub fn send_batch(
        &mut self,
        channel: &ChannelId,
        drafts: Vec<Draft>,
    ) -> Result<Vec<Result<MessageId, EngineError>>, EngineError> {
        let context = self.send_context(channel)?;
        txn::begin(self.store.connection(), "send_batch")?;
        let mut results = Vec::with_capacity(drafts.len());
        for draft in drafts {
            let result = self.send_with(channel, &context, draft);
            let stop = matches!(
                result,
                Err(EngineError::Store(_) | EngineError::Database(_))
            );
            results.push(result);
            if stop {
                break;
            }
        }
        match txn::finish(self.store.connection(), "send_batch", Ok(())) {
            Ok(()) => Ok(results),
            Err(error) => {
                // Rolled back: the in-memory group is ahead of the database.
                self.forget(channel);
                Err(error)
            }
        }
    }

    /// The epoch the loaded channel is at (0 if it is not loaded; callers
    /// loaded it).
    fn current_epoch(&self, channel: &ChannelId) -> u64 {
        self.channels
            .get(channel)
            .map_or(0, |c| c.group.epoch().as_u64())
    }

    /// Checks that the channel takes messages from us and that our own
    /// credential is valid in it.
    fn send_context(&mut self, channel: &ChannelId) -> Result<SendContext, EngineError> {
        self.ensure_writable(channel)?;
        let now = self.now();
        let policy = self.channel(channel)?.policy.clone();
        let own = self.verified.verify(
            &self.credential.credential,
            self.credential.signature_key.as_slice(),
            policy.anchors(),
            now,
        )?;
        Ok(SendContext { policy, own })
    }

    /// One send, in its own savepoint, once [`Engine::send_context`] passed.
    fn send_with(
        &mut self,
        channel: &ChannelId,
        context: &SendContext,
        draft: Draft,
    ) -> Result<MessageId, EngineError> {
        if self.now() >= context.own.not_after() {
            // A long batch can outlive our certificate: verifying again
            // refuses it with the reason.
            self.send_context(channel)?;
        }
        let now_ms = self.now_ms();
        let policy = &context.policy;
        let label = draft
            .label
            .unwrap_or_else(|| policy.default_label().clone());
        check_message_label(policy, &label)?;
        let reference = match draft.reference {
            None => None,
            Some((kind, source_id)) => {
                let source_label =
                    message_label(self.store.connection(), &self.registry, source_id)?
                        .ok_or_else(|| EngineError::UnknownMessage(source_id.to_hex()))?;
                check_inheritance(kind, &source_label, &label)?;
                Some(Reference {
                    kind,
                    message_id: source_id,
                    label: source_label.to_bytes(),
                })
            }
        };
        let message_id = self
            .ids
            .next_id()
            .map_err(|e| EngineError::mls("drawing a message id", e))?;
        let envelope = Envelope {
            message_id,
            label: label.to_bytes(),
            precedence: draft.precedence,
            kind: draft.kind,
            body: draft.body,
            reference,
            sent_at_ms: now_ms,
            context: Some(EnvelopeContext {
                group_id: channel.0.clone(),
                epoch: self.current_epoch(channel),
            }),
        };
        let encoded = envelope.encode();
        let signature = self.signer.key().sign(&Envelope::signing_input(&encoded));
        let payload = Payload::Message {
            envelope: encoded.clone(),
            signature,
        };
        txn::begin(self.store.connection(), "send")?;
        let result = (|| {
            let message = self.encrypt(channel, &envelope.binding(), &payload)?;
            let row = StoredMessageRow {
                envelope: &envelope,
                encoded: &encoded,
                signature: &signature,
                label: &label,
                sender: context.own.attributes(),
                sender_chain: self.credential.credential.serialized_content(),
                seq: None,
                epoch: self.current_epoch(channel),
                received_at_ms: now_ms,
            };
            // Our own message goes at the end, pending: it cannot pass
            // anything.
            insert_message(self.store.connection(), channel, &row)?;
            self.queue(
                channel,
                OutgoingKind::Application,
                &message,
                None,
                Some(envelope.message_id),
            )?;
            Ok(())
        })();
        let outcome = txn::finish(self.store.connection(), "send", result);
        if outcome.is_err() {
            self.forget(channel);
        }
        outcome.map(|()| envelope.message_id)
    }

    /// Encrypts a queued message of ours again, in the channel's current
    /// epoch: the relay refused it as written in an epoch members no longer
    /// keep (it waited in the outbox while the channel moved on). The same
    /// signed envelope goes out under a new ciphertext; nobody has read the
    /// old one. A queued acknowledgement cannot be rebuilt from the outbox
    /// and is dropped (audited); the officer can acknowledge again. Returns
    /// whether the entry is still queued.
    pub fn reencrypt_queued(&mut self, outbox_id: i64) -> Result<bool, EngineError> {
        let (channel, message_id) = outbox::application(self.store.connection(), outbox_id)?;
        let channel = ChannelId(channel);
        self.channel(&channel)?;
        let Some(message_id) = message_id else {
            txn::begin(self.store.connection(), "drop_ack")?;
            let result = (|| {
                outbox::delete(self.store.connection(), outbox_id)?;
                self.store
                    .record(Some(&channel.0), &AuditEvent::AckDropped)?;
                Ok(())
            })();
            txn::finish(self.store.connection(), "drop_ack", result)?;
            return Ok(false);
        };
        let (encoded, signature) =
            messages::signed_envelope(self.store.connection(), &channel.0, &message_id)?;
        let mut envelope = Envelope::decode(&encoded).map_err(RuleViolation::from)?;
        let epoch = self.current_epoch(&channel);
        // The envelope names the epoch it is encrypted in: a message
        // written for an epoch it no longer goes out in is signed again for
        // the current one (same id, label, text and sending time). A
        // version 1 envelope, queued before the context existed, stays as
        // signed.
        let (encoded, signature) = match &mut envelope.context {
            Some(context) => {
                context.epoch = epoch;
                let encoded = envelope.encode();
                let signature = self.signer.key().sign(&Envelope::signing_input(&encoded));
                (encoded, signature)
            }
            None => (
                encoded,
                signature.try_into().map_err(|_| {
                    EngineError::CorruptStore("a stored envelope signature is not 64 bytes".into())
                })?,
            ),
        };
        let payload = Payload::Message {
            envelope: encoded.clone(),
            signature,
        };
        txn::begin(self.store.connection(), "reencrypt")?;
        let result = (|| {
            let message = self.encrypt(&channel, &envelope.binding(), &payload)?;
            let hash = Sha256::digest(&message).to_vec();
            let conn = self.store.connection();
            outbox::replace_message(conn, outbox_id, &message, &hash)?;
            seen::record_once(conn, &hash, &channel.0, seen::Outcome::Own, self.now_ms())?;
            messages::re_sign(
                conn,
                &channel.0,
                &message_id,
                epoch,
                &encoded,
                signature.as_slice(),
            )?;
            self.store
                .record(Some(&channel.0), &AuditEvent::OutboxReencrypted { epoch })?;
            Ok(())
        })();
        let outcome = txn::finish(self.store.connection(), "reencrypt", result);
        if outcome.is_err() {
            self.forget(&channel);
        }
        outcome.map(|()| true)
    }

    /// Acknowledges a FLASH or IMMEDIATE message (rule 8).
    pub fn acknowledge(
        &mut self,
        channel: &ChannelId,
        message_id: MessageId,
    ) -> Result<(), EngineError> {
        self.ensure_writable(channel)?;
        let label = message_label(self.store.connection(), &self.registry, message_id)?
            .ok_or_else(|| EngineError::UnknownMessage(message_id.to_hex()))?;
        let binding = Binding {
            message_id,
            label: label.to_bytes(),
            precedence: Precedence::Routine,
            kind: TrafficKind::Operation,
            epoch_check: None,
        };
        let now_ms = self.now_ms();
        txn::begin(self.store.connection(), "ack")?;
        let result = (|| {
            let message = self.encrypt(channel, &binding, &Payload::Ack { message_id })?;
            let new = super::history::insert_ack(
                self.store.connection(),
                channel,
                message_id,
                &self.officer_id,
                now_ms,
            )?;
            if new {
                let message = super::history::acked_message(
                    self.store.connection(),
                    &self.registry,
                    channel,
                    message_id,
                )?;
                self.store
                    .record(Some(&channel.0), &AuditEvent::AckSent { message })?;
            }
            self.queue(channel, OutgoingKind::Application, &message, None, None)?;
            Ok(())
        })();
        let outcome = txn::finish(self.store.connection(), "ack", result);
        if outcome.is_err() {
            self.forget(channel);
        }
        outcome
    }

    /// Encrypts a payload with its binding in the authenticated data.
    pub(super) fn encrypt(
        &mut self,
        channel: &ChannelId,
        binding: &Binding,
        payload: &Payload,
    ) -> Result<Vec<u8>, EngineError> {
        let provider = self.store.mls_provider();
        let loaded = self
            .channels
            .get_mut(channel)
            .ok_or(EngineError::UnknownChannel)?;
        // Our epoch authenticator goes with every message: a receiver on
        // another branch of the channel sees the fork at once.
        let binding = Binding {
            epoch_check: Some(epoch_check(&loaded.group)),
            ..binding.clone()
        };
        loaded.group.set_aad(binding.encode());
        let message = loaded
            .group
            .create_message(&provider, &self.signer, &payload.encode())
            .map_err(|e| EngineError::mls("encrypting", e))?;
        serialise(&message)
    }

    /// Puts a serialised message in the outbox and marks its hash as our own,
    /// so its echo from the relay is recognised.
    pub(super) fn queue(
        &self,
        channel: &ChannelId,
        kind: OutgoingKind,
        message: &[u8],
        welcome: Option<&[u8]>,
        message_id: Option<MessageId>,
    ) -> Result<i64, EngineError> {
        let conn = self.store.connection();
        let hash = Sha256::digest(message).to_vec();
        let now = self.now_ms();
        let id = outbox::insert(
            conn,
            &outbox::NewEntry {
                group_id: &channel.0,
                kind: kind.as_str(),
                message,
                welcome,
                message_id: message_id.as_ref().map(|id| id.0.as_slice()),
                hash: &hash,
                created_at_ms: now,
            },
        )?;
        if kind == OutgoingKind::Application {
            seen::record_once(conn, &hash, &channel.0, seen::Outcome::Own, now)?;
        }
        Ok(id)
    }

    /// Refuses writes to archived channels and channels we are no longer in.
    pub(super) fn ensure_writable(&mut self, channel: &ChannelId) -> Result<(), EngineError> {
        let (archived, active) =
            channels::archived_and_active(self.store.connection(), &channel.0)?
                .ok_or(EngineError::UnknownChannel)?;
        if archived || !active || !self.channel(channel)?.group.is_active() {
            return Err(EngineError::ReadOnly);
        }
        Ok(())
    }
}

pub(super) fn serialise(message: &MlsMessageOut) -> Result<Vec<u8>, EngineError> {
    message
        .tls_serialize_detached()
        .map_err(|e| EngineError::mls("serialising", e))
}
