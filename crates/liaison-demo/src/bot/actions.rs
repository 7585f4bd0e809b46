//! The world's commands, carried out by the bot that owns the engine.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use liaison_core::{
    ChannelId, DeliveryError, DeliveryService as _, Draft, Engine, EngineError, MessageId,
    Precedence, RelayClient, TrafficKind, commit_with_retry, flush_outbox,
};

use super::run::Bot;
use super::{AddOutcome, Command};
use crate::{DemoError, cast, key_package, script};

/// Attempts at a commit that keeps losing the epoch race.
const COMMIT_ATTEMPTS: u32 = 5;
/// Key packages of other devices skipped before giving up on a claim.
const STALE_PACKAGES: usize = 128;
/// Seeded messages sent between two flushes of the outbox.
const SEED_CHUNK: usize = 500;

impl Bot {
    pub(super) async fn handle(&mut self, command: Command) {
        match command {
            Command::Say {
                channel,
                draft,
                backdate,
                reply,
            } => {
                let _ = reply.send(self.say(&channel, draft, backdate).await);
            }
            Command::Add {
                channel,
                officer_id,
                device_key,
                replace,
                reply,
            } => {
                let result = self
                    .add(&channel, &officer_id, device_key.as_deref(), replace)
                    .await;
                let _ = reply.send(result);
            }
            Command::Promote {
                channel,
                officer_id,
                reply,
            } => {
                let _ = reply.send(self.promote(&channel, &officer_id).await);
            }
            Command::Seed {
                channel,
                count,
                reply,
            } => {
                let _ = reply.send(self.seed(&channel, count).await);
            }
            Command::Chat { seed } => {
                if let Err(error) = self.chat(seed).await {
                    tracing::warn!(bot = self.id(), %error, "unprompted message failed");
                }
            }
        }
    }

    async fn say(
        &mut self,
        channel: &ChannelId,
        draft: Draft,
        backdate: Duration,
    ) -> Result<MessageId, DemoError> {
        self.catch_up(channel).await?;
        let now = SystemTime::now();
        let then = now.checked_sub(backdate).unwrap_or(now);
        self.engine.set_clock(Arc::new(move || then));
        let sent = self.engine.send(channel, draft);
        self.engine.set_clock(Arc::new(SystemTime::now));
        let id = sent?;
        flush_outbox(&mut self.engine, &self.relay).await?;
        Ok(id)
    }

    async fn add(
        &mut self,
        channel: &ChannelId,
        officer_id: &str,
        device_key: Option<&[u8]>,
        replace: bool,
    ) -> Result<AddOutcome, DemoError> {
        self.catch_up(channel).await?;
        let present = self
            .engine
            .members(channel)?
            .iter()
            .any(|m| m.officer_id == officer_id);
        if present && !replace {
            return Ok(AddOutcome::AlreadyMember);
        }
        let package = claim(&self.relay, officer_id, device_key).await?;
        let (engine, relay) = (&mut self.engine, &self.relay);
        if present {
            commit_with_retry(engine, relay, channel, COMMIT_ATTEMPTS, |e| {
                e.remove_members(channel, &[officer_id])
            })
            .await?;
        }
        let packages = [package];
        commit_with_retry(engine, relay, channel, COMMIT_ATTEMPTS, |e| {
            e.add_members(channel, &packages)
        })
        .await?;
        let mut users: Vec<String> = self
            .engine
            .members(channel)?
            .into_iter()
            .map(|m| m.officer_id)
            .filter(|id| !cast::is_bot(id))
            .collect();
        users.sort();
        users.dedup();
        Ok(AddOutcome::Added { users })
    }

    async fn promote(&mut self, channel: &ChannelId, officer_id: &str) -> Result<bool, DemoError> {
        self.catch_up(channel).await?;
        if self.engine.policy(channel)?.is_admin(officer_id) {
            return Ok(false);
        }
        let (engine, relay) = (&mut self.engine, &self.relay);
        commit_with_retry(engine, relay, channel, COMMIT_ATTEMPTS, |e| {
            e.set_admin(channel, officer_id, true)
        })
        .await?;
        Ok(true)
    }

    async fn seed(&mut self, channel: &ChannelId, count: usize) -> Result<(), DemoError> {
        self.catch_up(channel).await?;
        let ceiling = self.engine.policy(channel)?.ceiling().clone();
        let mut index = 0;
        while index < count {
            let end = count.min(index.saturating_add(SEED_CHUNK));
            self.in_one_transaction(|engine| {
                for i in index..end {
                    let draft = Draft {
                        // Mostly the channel default; every tenth at the ceiling.
                        label: (i % 10 == 9).then(|| ceiling.clone()),
                        precedence: Precedence::Routine,
                        kind: if i % 7 == 6 {
                            TrafficKind::Exercise
                        } else {
                            TrafficKind::Operation
                        },
                        body: script::bulk_body(i),
                        reference: None,
                    };
                    engine.send(channel, draft)?;
                }
                Ok(())
            })?;
            flush_outbox(&mut self.engine, &self.relay).await?;
            index = end;
        }
        Ok(())
    }

    /// Runs `work` inside one transaction: each send is still atomic (the
    /// engine's savepoints nest), but a chunk of them is written to disk
    /// once. What succeeded is kept even when a later send fails, so the
    /// store never falls behind the engine's in-memory MLS state.
    fn in_one_transaction(
        &mut self,
        work: impl FnOnce(&mut Engine) -> Result<(), EngineError>,
    ) -> Result<(), DemoError> {
        let sql = |engine: &Engine, statement: &str| {
            engine
                .store()
                .connection()
                .execute_batch(statement)
                .map_err(|e| DemoError::Store(e.into()))
        };
        sql(&self.engine, "BEGIN IMMEDIATE")?;
        let result = work(&mut self.engine);
        sql(&self.engine, "COMMIT")?;
        Ok(result?)
    }

    /// Posts one unprompted line in a channel that has a user in it.
    async fn chat(&mut self, seed: u8) -> Result<(), DemoError> {
        let mut candidates = Vec::new();
        for summary in self.engine.channels()? {
            if !summary.active || summary.archived {
                continue;
            }
            let members = self.engine.members(&summary.id)?;
            if members.iter().any(|m| !cast::is_bot(&m.officer_id)) {
                candidates.push(summary.id);
            }
        }
        let Some(channel) = candidates
            .get(usize::from(seed) % candidates.len().max(1))
            .cloned()
        else {
            return Ok(());
        };
        self.catch_up(&channel).await?;
        let body = script::chatter(self.nationality, seed / 7);
        self.engine.send(&channel, Draft::text(body))?;
        flush_outbox(&mut self.engine, &self.relay).await?;
        Ok(())
    }
}

/// Claims a key package of `officer_id`'s device `device_key`, passing
/// over (and so using up) packages an earlier device left in the
/// directory. When only another device's last-resort package is left, the
/// relay hands it out again and again: that is reported as no package, and
/// the caller waits for the new device to publish.
async fn claim(
    relay: &RelayClient,
    officer_id: &str,
    device_key: Option<&[u8]>,
) -> Result<Vec<u8>, DemoError> {
    let mut previous: Option<Vec<u8>> = None;
    for _ in 0..STALE_PACKAGES {
        let package = relay.claim_key_package(officer_id).await?;
        let Some(wanted) = device_key else {
            return Ok(package);
        };
        if key_package::claimed_signature_key(&package).as_deref() == Some(wanted) {
            return Ok(package);
        }
        if previous.as_ref() == Some(&package) {
            break;
        }
        previous = Some(package);
    }
    Err(DeliveryError::NoKeyPackage(officer_id.to_owned()).into())
}
