//! Views of the audit log and of `liaison listen`'s event stream.

use std::io::{self, Write};

use liaison_core::AuditEntry;
use serde::Serialize;

use super::channel::ChannelRefView;
use super::message::{MessageView, short};
use super::{Render, sanitize_line};
use crate::time_text::rfc3339;

/// One audit log entry.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AuditEntryView {
    /// Entry id (for `--before` paging).
    pub id: i64,
    /// When (RFC 3339).
    pub at: String,
    /// The channel id (hex), when the event concerns one.
    pub channel: Option<String>,
    /// The event name, e.g. "channel.created".
    pub event: String,
    /// What the event is about: `membership`, `policy`, `refusals`,
    /// `acknowledgements`, `archive`, `security`, `channel` or `other`.
    pub category: &'static str,
    /// Detail, in English (never message content).
    pub detail: String,
    /// The event's facts (who did what, before and after), for scripts;
    /// absent for entries written before facts were kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facts: Option<serde_json::Map<String, serde_json::Value>>,
}

impl From<&AuditEntry> for AuditEntryView {
    fn from(entry: &AuditEntry) -> Self {
        Self {
            id: entry.id,
            at: rfc3339(entry.at),
            channel: entry.group_id.as_deref().map(hex::encode),
            event: entry.event.clone(),
            category: entry.category().as_str(),
            detail: entry.detail.clone(),
            facts: entry.facts.as_ref().map(|f| f.as_map().clone()),
        }
    }
}

/// `liaison audit`
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AuditView {
    /// Entries, newest first.
    pub entries: Vec<AuditEntryView>,
}

impl Render for AuditView {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.entries.is_empty() {
            return writeln!(out, "no audit entries");
        }
        for e in &self.entries {
            writeln!(
                out,
                "{:>6}  {}  {:<8}  {:<24} {}",
                e.id,
                e.at,
                e.channel.as_deref().map_or("-", short),
                sanitize_line(&e.event),
                sanitize_line(&e.detail)
            )?;
        }
        Ok(())
    }
}

/// One line of `liaison listen` (JSON lines with `--json`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ListenEvent {
    /// Listening has started.
    Listening {
        /// Our officer id.
        officer_id: String,
    },
    /// We joined a channel.
    Joined {
        /// The channel.
        channel: ChannelRefView,
    },
    /// A message arrived.
    Message {
        /// The channel.
        channel: ChannelRefView,
        /// The message.
        message: Box<MessageView>,
    },
    /// We were removed from a channel.
    Removed {
        /// The channel.
        channel: ChannelRefView,
    },
    /// A channel naming partner authorities not pinned here was not
    /// joined: its invitation waits (`liaison invitations`).
    Invitation {
        /// The invitation's id.
        id: i64,
        /// The channel.
        channel: ChannelRefView,
    },
    /// A policy change added a partner authority to a channel.
    AnchorAdded {
        /// The channel.
        channel: ChannelRefView,
        /// The authority.
        authority: super::AuthorityRefView,
    },
    /// Deliveries were refused by the rules (see the audit log).
    Refused {
        /// How many.
        count: usize,
    },
    /// The relay could not be reached; listening goes on.
    RelayUnavailable {
        /// The transport's description.
        detail: String,
    },
    /// Listening stopped.
    Stopped {
        /// Messages shown.
        messages: usize,
        /// "interrupted", "count" or "duration".
        reason: String,
    },
}

impl Render for ListenEvent {
    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Self::Listening { officer_id } => writeln!(
                out,
                "listening as {} (Ctrl-C to stop)",
                sanitize_line(officer_id)
            ),
            Self::Joined { channel } => writeln!(out, "joined {}", sanitize_line(&channel.name)),
            Self::Message { channel, message } => {
                write!(out, "[{}] ", sanitize_line(&channel.name))?;
                message.write(out)
            }
            Self::Removed { channel } => {
                writeln!(out, "removed from {}", sanitize_line(&channel.name))
            }
            Self::Invitation { id, channel } => writeln!(
                out,
                "invitation {id} held: {} names partner authorities not pinned here; \
                 see `liaison invitations`",
                sanitize_line(&channel.name)
            ),
            Self::AnchorAdded { channel, authority } => writeln!(
                out,
                "{} now trusts {} ({}){}",
                sanitize_line(&channel.name),
                sanitize_line(&authority.name),
                authority.fingerprint,
                if authority.pinned {
                    ""
                } else {
                    ", an authority NOT pinned on this profile"
                }
            ),
            Self::Refused { count } => {
                writeln!(out, "{count} delivery(ies) refused; see `liaison audit`")
            }
            Self::RelayUnavailable { detail } => {
                writeln!(
                    out,
                    "relay unreachable ({}); retrying",
                    sanitize_line(detail)
                )
            }
            Self::Stopped { messages, reason } => {
                writeln!(out, "stopped ({reason}) after {messages} message(s)")
            }
        }
    }
}
