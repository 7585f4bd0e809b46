//! Playing a channel's scripted history: each line sent by its bot over the
//! relay, dated as the script says, replies referring to their source.

use std::time::Duration;

use liaison_core::{Draft, Label, MessageId, ReferenceKind};

use super::DemoWorld;
use crate::DemoError;
use crate::bot::Command;
use crate::cast::ChannelSpec;
use crate::script;

impl DemoWorld {
    pub(super) async fn play_history(&self, spec: &ChannelSpec) -> Result<(), DemoError> {
        let channel = self.channel(spec.name)?;
        let mut sent: Vec<MessageId> = Vec::new();
        for line in script::history(spec.name) {
            let label = line
                .marking
                .map(|m| Label::parse_marking(m, &self.registry))
                .transpose()?;
            let reference = line
                .reply_to
                .and_then(|index| sent.get(index))
                .map(|source| (ReferenceKind::Reply, *source));
            let draft = Draft {
                label,
                precedence: line.precedence,
                kind: line.kind,
                body: line.body.to_owned(),
                reference,
            };
            let id = self
                .bot(line.from)?
                .ask(|reply| Command::Say {
                    channel: channel.clone(),
                    draft,
                    backdate: Duration::from_secs(line.minutes_ago.saturating_mul(60)),
                    reply,
                })
                .await?;
            sent.push(id);
        }
        Ok(())
    }
}
