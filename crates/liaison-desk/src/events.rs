//! What the runtime tells the window, through a callback the shell
//! forwards as Tauri events (`Events` in types.ts).

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;

use super::views::{ConnectionState, PrecedenceView};

/// Payload of the `messages` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessagesEvent {
    /// Hex channel id.
    pub channel_id: String,
    /// Messages stored since the last event for this channel.
    pub new_count: u64,
    /// Highest precedence among them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub highest_precedence: Option<PrecedenceView>,
    /// The lowest thread index whose message changed other than by an
    /// append: a message placed before the user's own pending ones, or the
    /// user's own message ordered by the relay (no longer pending, perhaps
    /// moved). The window reloads the thread from there.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reordered_from: Option<u64>,
}

/// Payload of the `acks` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AcksEvent {
    /// Hex channel id.
    pub channel_id: String,
    /// Hex id of the user's message that was acknowledged.
    pub message_id: String,
}

/// What a desktop notification may say about the most urgent new message
/// from another officer. Never sent to the webview: the shell decides,
/// from the settings, whether `body` is shown at all.
#[derive(Clone, PartialEq, Eq)]
pub struct Notice {
    /// The channel's name.
    pub channel_name: String,
    /// The sender's display name.
    pub sender_name: String,
    /// The message's portion marking (always shown, rule 7).
    pub portion: String,
    /// Its precedence.
    pub precedence: PrecedenceView,
    /// EXERCISE traffic.
    pub exercise: bool,
    /// The text; shown only when the user allowed content in notifications.
    pub body: String,
}

impl fmt::Debug for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notice")
            .field("channel_name", &self.channel_name)
            .field("portion", &self.portion)
            .field("precedence", &self.precedence)
            .finish_non_exhaustive()
    }
}

/// An event of the desktop runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeskEvent {
    /// The relay connection changed.
    Connection(ConnectionState),
    /// Messages arrived or were sent in a channel.
    Messages {
        /// The event payload.
        event: MessagesEvent,
        /// For a notification, when the newest urgent message is another officer's.
        notice: Option<Notice>,
    },
    /// The channel list changed (joined, removed, policy, unread).
    Channels,
    /// Acknowledgements changed for one of the user's messages.
    Acks(AcksEvent),
    /// The held invitations changed (one held, accepted or declined).
    Invitations,
    /// The profile was locked.
    Locked,
}

impl DeskEvent {
    /// The Tauri event name (`Events` key in types.ts).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Connection(_) => "connection",
            Self::Messages { .. } => "messages",
            Self::Channels => "channels",
            Self::Acks(_) => "acks",
            Self::Invitations => "invitations",
            Self::Locked => "locked",
        }
    }

    /// The JSON payload for the webview (`null` for payload-less events).
    pub fn payload(&self) -> serde_json::Value {
        let value = match self {
            Self::Connection(state) => serde_json::to_value(state),
            Self::Messages { event, .. } => serde_json::to_value(event),
            Self::Acks(event) => serde_json::to_value(event),
            Self::Channels | Self::Invitations | Self::Locked => Ok(serde_json::Value::Null),
        };
        // Our own plain structs always serialise.
        value.unwrap_or(serde_json::Value::Null)
    }
}

/// Where events go; the shell forwards them to the window.
pub type EventSink = Arc<dyn Fn(DeskEvent) + Send + Sync>;

/// A sink that drops every event (tests, headless use).
pub fn ignore_events() -> EventSink {
    Arc::new(|_| {})
}
