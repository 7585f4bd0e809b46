//! Receiving from the delivery service. Each delivery is one transaction:
//! MLS state, message (or acknowledgement) row, `seen` hash and cursor. A
//! delivery that breaks a rule is rolled back whole, so the member's MLS
//! state does not advance, and only its refusal is recorded.

use liaison_proto::{Binding, Delivery, Envelope, Payload};
use openmls::prelude::{
    LeafNodeIndex, MlsMessageIn, ProcessedMessageContent, ProtocolMessage, Sender,
};
use sha2::{Digest, Sha256};
use tls_codec::Deserialize as _;

use super::history::{
    Stored, StoredMessageRow, acked_message, insert_ack, insert_message, message_label,
};
use super::{ChannelId, Engine, Received, txn};
use crate::audit::{AuditEvent, Refusal};
use crate::channel::EngineError;
use crate::store::tables::{cursors, seen};
use liaison_identity::VerifiedCredential;
use liaison_rules::Label;
use liaison_rules::{RuleViolation, check_inheritance, check_message_label};

impl Engine {
    /// The last relay position processed in a channel (0 when none).
    pub fn cursor(&self, channel: &ChannelId) -> Result<u64, EngineError> {
        Ok(cursors::get(self.store.connection(), &channel.0)?)
    }

    /// Receives deliveries in one outer transaction, each in its own
    /// savepoint: a refused delivery rolls back alone. This is how a backlog
    /// is drained.
    pub fn receive_batch(&mut self, deliveries: &[Delivery]) -> Vec<Result<Received, EngineError>> {
        let conn = self.store.connection();
        if let Err(e) = txn::begin(conn, "batch") {
            return vec![Err(e)];
        }
        let mut results = Vec::with_capacity(deliveries.len());
        for delivery in deliveries {
            let result = self.receive(delivery);
            // A storage failure recorded nothing; processing later deliveries
            // would move the cursor past this one and lose it.
            let stop = matches!(
                result,
                Err(EngineError::Store(_) | EngineError::Database(_))
            );
            results.push(result);
            if stop {
                break;
            }
        }
        if let Err(e) = txn::finish(self.store.connection(), "batch", Ok(())) {
            self.channels.clear();
            return vec![Err(e)];
        }
        results
    }

    /// Receives one delivery from the relay, as one transaction.
    pub fn receive(&mut self, delivery: &Delivery) -> Result<Received, EngineError> {
        let channel = ChannelId(delivery.group_id.clone());
        self.channel(&channel)?;
        if delivery.seq <= self.cursor(&channel)? {
            return Ok(Received::Duplicate);
        }
        let hash = Sha256::digest(&delivery.message).to_vec();
        txn::begin(self.store.connection(), "receive")?;
        let result = self.receive_in_savepoint(&channel, delivery, &hash);
        let result = txn::finish(self.store.connection(), "receive", result);
        match result {
            Ok(received) => Ok(received),
            Err(error @ (EngineError::Store(_) | EngineError::Database(_))) => {
                // Nothing was recorded: the delivery will be retried.
                self.forget(&channel);
                Err(error)
            }
            Err(EngineError::Rule(RuleViolation::CommitWithheld { ours, theirs })) => {
                // Not refused: the cursor stays before it, so it is read
                // once the commit comes. Said once per epoch gap.
                self.forget(&channel);
                self.note_withheld(&channel, ours, theirs)?;
                Err(RuleViolation::CommitWithheld { ours, theirs }.into())
            }
            Err(error) => {
                self.forget(&channel);
                self.record_refusal(&channel, delivery.seq, &hash, &error)?;
                Err(error)
            }
        }
    }

    fn receive_in_savepoint(
        &mut self,
        channel: &ChannelId,
        delivery: &Delivery,
        hash: &[u8],
    ) -> Result<Received, EngineError> {
        let outcome = seen::outcome(self.store.connection(), hash)?;
        let received = match outcome.as_deref() {
            Some("own") => {
                // Our own message, back before the relay's answer to its
                // submission (lost with a connection, or not read yet): the
                // echo is the relay's order as much as the answer is.
                if let Some(outbox_id) = self.queued_application(channel, hash)? {
                    self.outbox_accepted(outbox_id, delivery.seq)?;
                }
                Received::OwnEcho
            }
            Some(_) => Received::Duplicate,
            None if self.is_own_pending_commit(channel, hash)? => {
                self.merge_own_commit(channel, hash)?;
                Received::OwnEcho
            }
            None => {
                let received = self.process(channel, delivery)?;
                seen::record_processed(self.store.connection(), hash, &channel.0, self.now_ms())?;
                received
            }
        };
        self.set_cursor(channel, delivery.seq)?;
        Ok(received)
    }

    pub(super) fn set_cursor(&self, channel: &ChannelId, seq: u64) -> Result<(), EngineError> {
        Ok(cursors::advance(self.store.connection(), &channel.0, seq)?)
    }

    /// Records (once per channel and epoch) that the relay withheld a
    /// commit from us: audited as `channel.commit_withheld` and reported
    /// by [`Engine::withheld`] until the channel moves on.
    fn note_withheld(
        &mut self,
        channel: &ChannelId,
        ours: u64,
        theirs: u64,
    ) -> Result<(), EngineError> {
        if self.withheld.get(channel) == Some(&(ours, theirs)) {
            return Ok(());
        }
        self.withheld.insert(channel.clone(), (ours, theirs));
        self.store.record(
            Some(&channel.0),
            &AuditEvent::CommitWithheld { ours, theirs },
        )?;
        Ok(())
    }

    /// The channel's epoch gap, if the relay is withholding a commit from
    /// this member: `(our epoch, the epoch its messages are at)`. A member
    /// in this state reads nothing new in the channel; the officer is told.
    pub fn withheld(&self, channel: &ChannelId) -> Option<(u64, u64)> {
        self.withheld.get(channel).copied().filter(|&(ours, _)| {
            self.channels
                .get(channel)
                .is_none_or(|loaded| loaded.group.epoch().as_u64() == ours)
        })
    }

    fn record_refusal(
        &self,
        channel: &ChannelId,
        seq: u64,
        hash: &[u8],
        error: &EngineError,
    ) -> Result<(), EngineError> {
        txn::begin(self.store.connection(), "refusal")?;
        let result = (|| {
            seen::record_once(
                self.store.connection(),
                hash,
                &channel.0,
                seen::Outcome::Rejected,
                self.now_ms(),
            )?;
            self.set_cursor(channel, seq)?;
            self.store.record(
                Some(&channel.0),
                &AuditEvent::DeliveryRefused {
                    seq,
                    reason: Refusal::of_engine(error),
                },
            )?;
            if let EngineError::Rule(RuleViolation::ForkDetected { epoch }) = error {
                self.note_fork(channel, *epoch, seq)?;
                self.store.record(
                    Some(&channel.0),
                    &AuditEvent::ForkDetected { seq, epoch: *epoch },
                )?;
            }
            Ok(())
        })();
        txn::finish(self.store.connection(), "refusal", result)
    }

    /// Lets openmls verify (and decrypt, or stage) a message of the channel;
    /// only members may send.
    fn process_from_member(
        &mut self,
        channel: &ChannelId,
        protocol: ProtocolMessage,
    ) -> Result<(openmls::prelude::ProcessedMessage, LeafNodeIndex), EngineError> {
        let provider = self.store.mls_provider();
        let loaded = self
            .channels
            .get_mut(channel)
            .ok_or(EngineError::UnknownChannel)?;
        let processed = loaded
            .group
            .process_message(&provider, protocol)
            .map_err(|e| EngineError::mls("processing message", e))?;
        let Sender::Member(sender) = *processed.sender() else {
            return Err(RuleViolation::ExternalSender.into());
        };
        Ok((processed, sender))
    }

    /// Judges a handshake message (a commit or a proposal) exactly as its
    /// receipt would, without applying or recording anything: what this
    /// member would answer if the relay ordered it. For tests of parity
    /// between the relay's verdicts and the members', and for diagnostics.
    pub fn judge_handshake(
        &mut self,
        channel: &ChannelId,
        message: &[u8],
    ) -> Result<(), EngineError> {
        self.channel(channel)?;
        let mls = MlsMessageIn::tls_deserialize_exact(message)
            .map_err(|e| EngineError::MalformedMessage(e.to_string()))?;
        let protocol = mls
            .try_into_protocol_message()
            .map_err(|e| EngineError::MalformedMessage(e.to_string()))?;
        // Whatever openmls writes while staging is rolled back, and the
        // in-memory group reloaded.
        txn::begin(self.store.connection(), "judge")?;
        let verdict = (|| {
            let (processed, sender) = self.process_from_member(channel, protocol)?;
            let aad = processed.aad().to_vec();
            match processed.into_content() {
                ProcessedMessageContent::StagedCommitMessage(staged) => self
                    .review_incoming_commit(channel, sender, &aad, &staged)
                    .map(|_| ()),
                ProcessedMessageContent::ProposalMessage(queued) => {
                    liaison_rules::review_proposal(sender, &queued).map_err(EngineError::from)
                }
                _ => Err(EngineError::MalformedMessage(
                    "not a handshake message".into(),
                )),
            }
        })();
        let rolled_back = txn::roll_back(self.store.connection(), "judge");
        self.forget(channel);
        rolled_back.and(verdict)
    }

    /// Decrypts or verifies one MLS message and applies it if it keeps every rule.
    pub(super) fn process(
        &mut self,
        channel: &ChannelId,
        delivery: &Delivery,
    ) -> Result<Received, EngineError> {
        let message = MlsMessageIn::tls_deserialize_exact(delivery.message.as_slice())
            .map_err(|e| EngineError::MalformedMessage(e.to_string()))?;
        let protocol = message
            .try_into_protocol_message()
            .map_err(|e| EngineError::MalformedMessage(e.to_string()))?;
        if protocol.group_id().as_slice() != channel.0.as_slice() {
            return Err(EngineError::MalformedMessage(
                "message for another group".into(),
            ));
        }
        // A message of a later epoch than ours: a commit between was never
        // delivered to us. Relays order a commit before every message of
        // the epoch it opens, so this is a relay withholding it.
        let ours = self
            .channels
            .get(channel)
            .map_or(0, |loaded| loaded.group.epoch().as_u64());
        let theirs = protocol.epoch().as_u64();
        if theirs > ours {
            return Err(RuleViolation::CommitWithheld { ours, theirs }.into());
        }
        // Before decrypting: a message whose sender's epoch authenticator
        // differs from ours for its epoch comes from another branch of the
        // channel. Said as such, not as an undecryptable message.
        if let ProtocolMessage::PrivateMessage(private) = &protocol
            && let Ok(binding) = Binding::decode(private.aad())
            && let Some(theirs) = binding.epoch_check
        {
            let epoch = protocol.epoch().as_u64();
            // The current epoch's check is at hand; a past one is read back.
            let current = self
                .channels
                .get(channel)
                .filter(|loaded| loaded.group.epoch().as_u64() == epoch)
                .map(|loaded| super::epoch_check(&loaded.group).to_vec());
            let ours = match current {
                Some(check) => Some(check),
                None => self.epoch_check_of(channel, epoch)?,
            };
            if let Some(ours) = ours
                && ours != theirs
            {
                return Err(RuleViolation::ForkDetected { epoch }.into());
            }
        }
        let (processed, sender) = self.process_from_member(channel, protocol)?;
        let aad = processed.aad().to_vec();
        let credential = processed.credential().clone();
        let epoch = processed.epoch().as_u64();
        match processed.into_content() {
            ProcessedMessageContent::ApplicationMessage(app) => self.accept_application(
                channel,
                Incoming {
                    sender,
                    credential,
                    aad,
                    plaintext: app.into_bytes(),
                    seq: delivery.seq,
                    epoch,
                },
            ),
            ProcessedMessageContent::StagedCommitMessage(staged) => {
                let verdict = self.review_incoming_commit(channel, sender, &aad, &staged)?;
                let by_admin = liaison_identity::CertificateChain::from_mls_credential(&credential)
                    .ok()
                    .and_then(|chain| chain.claimed_officer_id())
                    .is_some_and(|officer| verdict.policy_after.is_admin(&officer));
                let by = super::commit_audit::committer(&credential);
                self.apply_commit(channel, *staged, verdict.policy_after, by_admin, by)
            }
            ProcessedMessageContent::ProposalMessage(queued) => {
                self.accept_proposal(channel, sender, *queued)?;
                Ok(Received::Proposal)
            }
            ProcessedMessageContent::ExternalJoinProposalMessage(_) => {
                Err(RuleViolation::ExternalSender.into())
            }
            // Our own commit, matching our pending one, came back before we
            // recorded the relay's answer: make it effective now.
            ProcessedMessageContent::OwnPendingCommit => {
                self.merge_own_commit(channel, &[])?;
                Ok(Received::OwnEcho)
            }
            ProcessedMessageContent::OwnPrivateMessage => Ok(Received::OwnEcho),
        }
    }

    fn accept_application(
        &mut self,
        channel: &ChannelId,
        incoming: Incoming,
    ) -> Result<Received, EngineError> {
        let now = self.now();
        let loaded = self
            .channels
            .get(channel)
            .ok_or(EngineError::UnknownChannel)?;
        let policy = loaded.policy.clone();
        // Rules 4 and 5: the bound label must parse and be allowed in the channel.
        let binding = Binding::decode(&incoming.aad).map_err(RuleViolation::from)?;
        let label =
            Label::from_bytes(&binding.label, &self.registry).map_err(RuleViolation::from)?;
        check_message_label(&policy, &label)?;
        // The key to check the certificate against: the sender's leaf in the
        // current tree when it still holds this credential; otherwise (a
        // message from a past epoch whose leaf has since changed) the
        // envelope signature below proves possession of the certificate key.
        let key = loaded
            .group
            .member_at(incoming.sender)
            .filter(|m| m.credential == incoming.credential)
            .map(|m| m.signature_key);
        let chain_key = match key {
            Some(key) => key,
            None => liaison_identity::CertificateChain::from_mls_credential(&incoming.credential)
                .and_then(|chain| chain.leaf_public_key())
                .map(|key| key.to_vec())
                .map_err(|error| RuleViolation::Credential {
                    officer: "unknown".into(),
                    error,
                })?,
        };
        let verified =
            self.verified
                .verify(&incoming.credential, &chain_key, policy.anchors(), now)?;
        let officer = verified.attributes().clone();
        match Payload::decode(&incoming.plaintext).map_err(RuleViolation::from)? {
            Payload::Message {
                envelope: encoded,
                signature,
            } => {
                let envelope = open_envelope(&verified, &encoded, &signature)?;
                if !envelope.binding().same_content(&binding) {
                    return Err(RuleViolation::BindingMismatch.into());
                }
                // A version 1 envelope names no context (older senders);
                // MLS binds the live message to this group and epoch anyway.
                if let Some(context) = &envelope.context
                    && (context.group_id != channel.0 || context.epoch != incoming.epoch)
                {
                    return Err(RuleViolation::ContextMismatch {
                        signed: context.epoch,
                        arrived: incoming.epoch,
                    }
                    .into());
                }
                if let Some(reference) = &envelope.reference {
                    let source = Label::from_bytes(&reference.label, &self.registry)
                        .map_err(RuleViolation::from)?;
                    check_inheritance(reference.kind, &source, &label)?;
                    if let Some(stored) = message_label(
                        self.store.connection(),
                        &self.registry,
                        reference.message_id,
                    )? {
                        // The claimed source label must be the one we hold.
                        check_inheritance(reference.kind, &stored, &label)?;
                    }
                }
                let row = StoredMessageRow {
                    envelope: &envelope,
                    encoded: &encoded,
                    signature: &signature,
                    label: &label,
                    sender: &officer,
                    sender_chain: incoming.credential.serialized_content(),
                    seq: Some(incoming.seq),
                    epoch: incoming.epoch,
                    received_at_ms: self.now_ms(),
                };
                match insert_message(self.store.connection(), channel, &row)? {
                    Stored::New { moved_from } => {
                        if let Some(from) = moved_from {
                            self.note_reordered(channel, from);
                        }
                        Ok(Received::Message(envelope.message_id))
                    }
                    Stored::Duplicate => Ok(Received::Duplicate),
                }
            }
            Payload::Ack { message_id } => {
                if binding.message_id != message_id {
                    return Err(RuleViolation::BindingMismatch.into());
                }
                if let Some(stored) =
                    message_label(self.store.connection(), &self.registry, message_id)?
                    && stored != label
                {
                    return Err(RuleViolation::BindingMismatch.into());
                }
                let new = insert_ack(
                    self.store.connection(),
                    channel,
                    message_id,
                    officer.officer_id(),
                    self.now_ms(),
                )?;
                if new {
                    let message = acked_message(
                        self.store.connection(),
                        &self.registry,
                        channel,
                        message_id,
                    )?;
                    self.store.record(
                        Some(&channel.0),
                        &AuditEvent::AckReceived {
                            by: crate::audit::Officer::new(
                                officer.officer_id(),
                                officer.display_name(),
                            ),
                            message,
                        },
                    )?;
                }
                Ok(Received::Ack {
                    message_id,
                    officer_id: officer.officer_id().to_owned(),
                })
            }
        }
    }
}

/// Decodes a signed envelope and checks the sender's signature over it with
/// the sender's verified certificate key. The one envelope check, shared by
/// receipt and by the offline verification of imported archives.
pub(crate) fn open_envelope(
    sender: &VerifiedCredential,
    encoded: &[u8],
    signature: &[u8],
) -> Result<Envelope, RuleViolation> {
    let envelope = Envelope::decode(encoded)?;
    sender
        .verify_signature(&Envelope::signing_input(encoded), signature)
        .map_err(|_| RuleViolation::BadEnvelopeSignature)?;
    Ok(envelope)
}

/// A decrypted application message and where it came from.
struct Incoming {
    sender: LeafNodeIndex,
    credential: openmls::prelude::Credential,
    aad: Vec<u8>,
    plaintext: Vec<u8>,
    seq: u64,
    epoch: u64,
}
