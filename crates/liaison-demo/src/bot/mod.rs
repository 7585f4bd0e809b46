//! The partner officers the demo plays. Each bot is a tokio task that owns
//! its engine and its relay client; the world talks to it by command, and
//! it reacts by itself to what the relay pushes: it acknowledges FLASH and
//! IMMEDIATE traffic and answers the users' messages.

mod actions;
mod react;
mod run;

use std::time::Duration;

use liaison_core::{ChannelId, Draft, Engine, MessageId, RelayClient};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::DemoError;

/// What the world asks of a bot.
pub(crate) enum Command {
    /// Send `draft`, dated `backdate` ago (scripted history).
    Say {
        channel: ChannelId,
        draft: Draft,
        backdate: Duration,
        reply: oneshot::Sender<Result<MessageId, DemoError>>,
    },
    /// As an admin, add `officer_id`'s device holding `device_key` (any
    /// device when `None`), first removing its other devices when `replace`.
    Add {
        channel: ChannelId,
        officer_id: String,
        device_key: Option<Vec<u8>>,
        replace: bool,
        reply: oneshot::Sender<Result<AddOutcome, DemoError>>,
    },
    /// As an admin, make `officer_id` an admin of the channel too (a
    /// policy change); replies whether anything changed.
    Promote {
        channel: ChannelId,
        officer_id: String,
        reply: oneshot::Sender<Result<bool, DemoError>>,
    },
    /// Send `count` routine messages (benchmark history).
    Seed {
        channel: ChannelId,
        count: usize,
        reply: oneshot::Sender<Result<(), DemoError>>,
    },
    /// Say something unprompted in a channel a user is in, if any.
    Chat { seed: u8 },
}

/// What an [`Command::Add`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AddOutcome {
    /// The officer was already a member; nothing was done.
    AlreadyMember,
    /// The officer was added; these are the channel's members who are not
    /// bots, the newcomer included.
    Added { users: Vec<String> },
}

/// How the world reaches a running bot.
pub(crate) struct BotHandle {
    officer_id: &'static str,
    commands: mpsc::Sender<Command>,
    task: JoinHandle<()>,
}

impl BotHandle {
    /// Starts the bot's task.
    pub(crate) fn spawn(
        officer_id: &'static str,
        nationality: &'static str,
        engine: Engine,
        relay: RelayClient,
        reply_delay: Duration,
    ) -> Self {
        let (commands, receiver) = mpsc::channel(16);
        let bot = run::Bot::new(engine, relay, nationality, reply_delay);
        let task = tokio::spawn(bot.run(receiver));
        Self {
            officer_id,
            commands,
            task,
        }
    }

    /// A sender for fire-and-forget commands.
    pub(crate) fn commands(&self) -> mpsc::Sender<Command> {
        self.commands.clone()
    }

    /// Sends a command built around a reply channel and waits for the
    /// answer.
    pub(crate) async fn ask<T>(
        &self,
        command: impl FnOnce(oneshot::Sender<Result<T, DemoError>>) -> Command,
    ) -> Result<T, DemoError> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(command(reply))
            .await
            .map_err(|_| DemoError::BotStopped(self.officer_id.to_owned()))?;
        answer
            .await
            .map_err(|_| DemoError::BotStopped(self.officer_id.to_owned()))?
    }

    /// Stops the bot after the command in hand and waits for it, at most
    /// `patience`.
    pub(crate) async fn stop(self, patience: Duration) {
        drop(self.commands);
        let mut task = self.task;
        if tokio::time::timeout(patience, &mut task).await.is_err() {
            task.abort();
        }
    }
}
