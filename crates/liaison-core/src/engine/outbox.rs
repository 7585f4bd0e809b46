//! The outbox: what waits for the relay (messages, proposals, commits,
//! channel registrations), and what the relay's answer does to each entry:
//! ordered (a commit takes effect, a message takes its position), refused
//! for good, or stale ("wrong epoch": rolled back for the caller to retry).
//! Entries are queued by the send and admin paths (`send.rs`,
//! `membership.rs`).

use openmls_traits::OpenMlsProvider as _;

use super::history::place_own_message;
use super::send::OutgoingKind;
use super::{ChannelId, Engine, txn};
use crate::audit::AuditEvent;
use crate::channel::EngineError;
use crate::store::tables::{channels, outbox, seen};

impl Engine {
    /// Everything waiting in the outbox, oldest first.
    pub fn outbox(&self) -> Result<Vec<super::Outgoing>, EngineError> {
        outbox::list(self.store.connection())?
            .into_iter()
            .map(|row| {
                Ok(super::Outgoing {
                    outbox_id: row.id,
                    channel: ChannelId(row.group_id),
                    kind: OutgoingKind::parse(&row.kind).ok_or_else(|| {
                        EngineError::CorruptStore(format!("outbox kind {}", row.kind))
                    })?,
                    message: row.message,
                    welcome: row.welcome,
                })
            })
            .collect()
    }

    /// Records several acceptances (of messages, proposals or commits) in
    /// one transaction: one disk sync for a whole flushed outbox.
    pub fn outbox_accepted_batch(&mut self, accepted: &[(i64, u64)]) -> Result<(), EngineError> {
        if accepted.is_empty() {
            return Ok(());
        }
        txn::begin(self.store.connection(), "accepted_batch")?;
        let result = accepted
            .iter()
            .try_for_each(|&(outbox_id, seq)| self.outbox_accepted(outbox_id, seq));
        txn::finish(self.store.connection(), "accepted_batch", result)
    }

    /// The relay ordered an outbox entry at `seq`: a commit takes effect, a
    /// message records its position, and the entry leaves the outbox.
    pub fn outbox_accepted(&mut self, outbox_id: i64, seq: u64) -> Result<(), EngineError> {
        // Gone already: the message's echo came back before this answer
        // and recorded the same position.
        let Some(outbox::Entry {
            group_id,
            kind,
            hash,
            message_id,
        }) = outbox::entry(self.store.connection(), outbox_id)?
        else {
            return Ok(());
        };
        let channel = ChannelId(group_id);
        self.channel(&channel)?;
        txn::begin(self.store.connection(), "accepted")?;
        let result = (|| {
            if kind == OutgoingKind::Commit.as_str() {
                self.merge_own_commit(&channel, &hash)?;
            } else if kind == OutgoingKind::Create.as_str() {
                outbox::delete(self.store.connection(), outbox_id)?;
            } else {
                // Cached: a flush runs these once per message it sent.
                let conn = self.store.connection();
                if let Some(message_id) = message_id
                    && let Some(from) = place_own_message(conn, &channel, &message_id, seq)?
                {
                    self.note_reordered(&channel, from);
                }
                let conn = self.store.connection();
                outbox::delete(conn, outbox_id)?;
                seen::record_once(conn, &hash, &channel.0, seen::Outcome::Own, 0)?;
            }
            Ok(())
        })();
        let outcome = txn::finish(self.store.connection(), "accepted", result);
        if outcome.is_err() {
            self.forget(&channel);
        }
        outcome
    }

    /// The relay refused a commit or a channel creation for good (the
    /// rules forbid it, or it does not know the group): a commit is rolled
    /// back, a channel the relay would not register becomes read-only, and
    /// the entry leaves the outbox with the reason in the audit log.
    pub fn outbox_refused(&mut self, outbox_id: i64, reason: &str) -> Result<(), EngineError> {
        self.roll_back_entry(outbox_id, true, |kind| AuditEvent::OutboxRefused {
            what: kind.to_owned(),
            reason: reason.to_owned(),
        })
    }

    /// The relay refused an outbox entry as stale ("wrong epoch"): a commit is
    /// rolled back (its proposals are dropped) and the entry removed. The
    /// caller catches up and, if the operation still makes sense, retries it.
    pub fn outbox_stale(&mut self, outbox_id: i64) -> Result<(), EngineError> {
        self.roll_back_entry(outbox_id, false, |kind| AuditEvent::OutboxStale {
            what: kind.to_owned(),
        })
    }

    /// Takes an entry the relay did not order out of the outbox, in one
    /// transaction: a commit's staged state is dropped, a channel whose
    /// creation was refused for good (`refused`) becomes read-only, and
    /// `event` (given the entry's kind) is audited.
    fn roll_back_entry(
        &mut self,
        outbox_id: i64,
        refused: bool,
        event: impl FnOnce(&str) -> AuditEvent,
    ) -> Result<(), EngineError> {
        let (channel, kind) = outbox::group_and_kind(self.store.connection(), outbox_id)?;
        let channel = ChannelId(channel);
        self.channel(&channel)?;
        txn::begin(self.store.connection(), "roll_back")?;
        let result = (|| {
            if kind == OutgoingKind::Commit.as_str() {
                let provider = self.store.mls_provider();
                let loaded = self
                    .channels
                    .get_mut(&channel)
                    .ok_or(EngineError::UnknownChannel)?;
                loaded
                    .group
                    .clear_pending_commit(provider.storage())
                    .map_err(|e| EngineError::mls("rolling back commit", e))?;
            } else if kind == OutgoingKind::Create.as_str() && refused {
                channels::deactivate(self.store.connection(), &channel.0)?;
            }
            outbox::delete(self.store.connection(), outbox_id)?;
            self.store.record(Some(&channel.0), &event(&kind))?;
            Ok(())
        })();
        let outcome = txn::finish(self.store.connection(), "roll_back", result);
        self.forget(&channel);
        outcome
    }
}
