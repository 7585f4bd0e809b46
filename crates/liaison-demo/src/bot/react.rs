//! How a bot reacts to a new message: acknowledge FLASH and IMMEDIATE
//! traffic, and answer a user's message when it is this bot's turn; both
//! after the bot's think time.

use liaison_core::{ChannelId, Draft, MessageId, Precedence, ReferenceKind, flush_outbox};
use tokio::time::Instant;

use super::run::{Action, Bot, Due};
use crate::{DemoError, cast, script};

impl Bot {
    /// Schedules what the bot does about a message it just received.
    pub(super) fn consider(
        &mut self,
        channel: &ChannelId,
        message: MessageId,
    ) -> Result<(), DemoError> {
        let Some(stored) = self.engine.message(channel, message)? else {
            return Ok(());
        };
        if stored.sender_id == self.id() {
            return Ok(());
        }
        let at = Instant::now() + self.reply_delay;
        if stored.precedence.requires_ack() {
            self.due.push(Due {
                at,
                channel: channel.clone(),
                message,
                action: Action::Acknowledge,
            });
        }
        if !cast::is_bot(&stored.sender_id) && self.answers(channel, message)? {
            self.due.push(Due {
                at,
                channel: channel.clone(),
                message,
                action: Action::Reply,
            });
        }
        Ok(())
    }

    /// One bot of the channel answers each user message, picked by the
    /// message id so the others stay quiet.
    fn answers(&mut self, channel: &ChannelId, message: MessageId) -> Result<bool, DemoError> {
        let mut bots: Vec<String> = self
            .engine
            .members(channel)?
            .into_iter()
            .map(|m| m.officer_id)
            .filter(|id| cast::is_bot(id))
            .collect();
        bots.sort();
        bots.dedup();
        let turn = usize::from(message.0[0]) % bots.len().max(1);
        Ok(bots.get(turn).is_some_and(|id| id == self.id()))
    }

    /// Carries out every due acknowledgement and reply, then sends them.
    pub(super) async fn run_due(&mut self) {
        let now = Instant::now();
        let (due, later): (Vec<Due>, Vec<Due>) = std::mem::take(&mut self.due)
            .into_iter()
            .partition(|d| d.at <= now);
        self.due = later;
        let mut channels: Vec<ChannelId> = due.iter().map(|d| d.channel.clone()).collect();
        channels.sort();
        channels.dedup();
        for channel in &channels {
            // Answer in the channel's current epoch.
            self.catch_up_logged(channel).await;
        }
        for item in due {
            if let Err(error) = self.carry_out(&item) {
                tracing::warn!(bot = self.id(), %error, action = ?item.action, "reaction failed");
            }
        }
        if let Err(error) = flush_outbox(&mut self.engine, &self.relay).await {
            tracing::warn!(bot = self.id(), %error, "sending reactions failed");
        }
    }

    fn carry_out(&mut self, item: &Due) -> Result<(), DemoError> {
        match item.action {
            Action::Acknowledge => {
                self.engine.acknowledge(&item.channel, item.message)?;
            }
            Action::Reply => {
                let Some(source) = self.engine.message(&item.channel, item.message)? else {
                    return Ok(());
                };
                let body = script::reply(self.nationality, &source, item.message.0[1]);
                // A reply carries its source's label (rule 6) and framing.
                let draft = Draft {
                    label: Some(source.label.clone()),
                    precedence: Precedence::Routine,
                    kind: source.kind,
                    body,
                    reference: Some((ReferenceKind::Reply, item.message)),
                };
                self.engine.send(&item.channel, draft)?;
            }
        }
        Ok(())
    }
}
