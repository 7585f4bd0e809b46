//! Archiving a channel, and reading what the store keeps about a channel
//! without its MLS group (left, removed, or imported channels have none
//! usable).

use liaison_proto::MessageId;
use rusqlite::Connection;

use super::provenance::ChannelOrigin;
use crate::channel::EngineError;
use crate::engine::{ChannelId, Engine};
use crate::store::tables::{channels, messages};
use liaison_rules::ChannelPolicy;

/// The origin of a channel, `None` when the profile has no such channel.
pub(crate) fn channel_origin(
    conn: &Connection,
    channel: &ChannelId,
) -> Result<Option<ChannelOrigin>, EngineError> {
    channels::origin(conn, &channel.0)?
        .map(|o| ChannelOrigin::parse(&o))
        .transpose()
}

impl Engine {
    /// Whether `channel` is live or imported; `None` when this profile has
    /// no such channel.
    pub fn channel_origin(
        &self,
        channel: &ChannelId,
    ) -> Result<Option<ChannelOrigin>, EngineError> {
        channel_origin(self.store().connection(), channel)
    }

    /// Archives a channel: from now on it is read-only here. Sending,
    /// acknowledging, leaving and every admin action on it fail with
    /// [`EngineError::ReadOnly`]; its history stays readable and searchable,
    /// offline, and so it stays after leaving or being removed unless the
    /// channel policy purges history on removal.
    ///
    /// Archiving is this profile's decision: the other members are not told,
    /// and while this profile is still a member, messages that arrive are
    /// stored (the MLS state must follow the group). Archiving twice is not
    /// an error.
    pub fn archive_channel(&mut self, channel: &ChannelId) -> Result<(), EngineError> {
        self.store().transaction(|store| {
            if !channels::archive(store.connection(), &channel.0)? {
                return match channel_origin(store.connection(), channel)? {
                    Some(_) => Ok(()),
                    None => Err(EngineError::UnknownChannel),
                };
            }
            store.record(Some(&channel.0), &crate::AuditEvent::ChannelArchived)?;
            Ok(())
        })
    }

    /// The channel policy the store keeps for a channel: the latest one
    /// this profile saw. Unlike [`Engine::policy`] it needs no MLS group,
    /// so it serves left, removed and imported channels too.
    pub fn stored_policy(&self, channel: &ChannelId) -> Result<ChannelPolicy, EngineError> {
        let bytes = channels::policy(self.store().connection(), &channel.0)?
            .ok_or(EngineError::UnknownChannel)?;
        Ok(ChannelPolicy::decode(&bytes, self.registry())?)
    }

    /// Where a message sits in its channel's thread: its 0-based index in
    /// [`Engine::messages`] order, for jumping from a search hit to the
    /// thread. `None` when the channel holds no such message.
    pub fn message_position(
        &self,
        channel: &ChannelId,
        message_id: MessageId,
    ) -> Result<Option<u64>, EngineError> {
        Ok(messages::position_by_id(
            self.store().connection(),
            &channel.0,
            message_id.0.as_slice(),
        )?)
    }
}
