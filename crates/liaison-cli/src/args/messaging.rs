//! Arguments of sending, reading, listening, acknowledging and auditing.

use clap::{Args, Subcommand, ValueEnum};

/// A channel.
#[derive(Debug, Clone, Args)]
pub struct ChannelArg {
    /// The channel: its name or (a prefix of) its id.
    pub channel: String,
}

/// Message precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum PrecedenceArg {
    /// Normal traffic.
    #[default]
    Routine,
    /// Before routine traffic.
    Priority,
    /// At once; recipients are asked to acknowledge.
    Immediate,
    /// Before everything else; recipients are asked to acknowledge.
    Flash,
}

/// `liaison send`
#[derive(Debug, Clone, Args)]
pub struct SendArgs {
    /// The channel: its name or (a prefix of) its id.
    pub channel: String,
    /// The text; "-" reads it from standard input.
    pub body: String,
    /// The label, e.g. "NATO SECRET//REL TO FRA, GBR" (default: the
    /// channel's default label).
    #[arg(long, value_name = "MARKING")]
    pub label: Option<String>,
    /// Precedence.
    #[arg(long, value_enum, default_value_t = PrecedenceArg::Routine)]
    pub precedence: PrecedenceArg,
    /// Exercise traffic (framed EXERCISE for every reader).
    #[arg(long)]
    pub exercise: bool,
    /// Reply to this message (id or prefix); the label must dominate its.
    #[arg(long, value_name = "MESSAGE", group = "reference")]
    pub reply_to: Option<String>,
    /// Quote this message (id or prefix).
    #[arg(long, value_name = "MESSAGE", group = "reference")]
    pub quote: Option<String>,
    /// Forward this message (id or prefix, from any channel).
    #[arg(long, value_name = "MESSAGE", group = "reference")]
    pub forward: Option<String>,
}

/// `liaison listen`
#[derive(Debug, Clone, Args)]
pub struct ListenArgs {
    /// Only this channel's messages (default: every channel).
    #[arg(long)]
    pub channel: Option<String>,
    /// Milliseconds between syncs.
    #[arg(long, default_value_t = 2000, value_name = "MS")]
    pub interval_ms: u64,
    /// Stop after this many messages.
    #[arg(long)]
    pub count: Option<usize>,
    /// Stop after this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub duration: Option<u64>,
}

/// `liaison messages …`
#[derive(Debug, Subcommand)]
// Parsed once per process: boxing the larger variants would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum MessagesCommand {
    /// List a channel's messages, oldest first, with their markings.
    List(ListArgs),
    /// Read one message with its acknowledgements.
    Read(ReadArgs),
}

/// `liaison messages list`
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// The channel: its name or (a prefix of) its id.
    pub channel: String,
    /// Only the last N messages.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Only messages waiting for your acknowledgement.
    #[arg(long)]
    pub awaiting_ack: bool,
}

/// `liaison messages read`
#[derive(Debug, Clone, Args)]
pub struct ReadArgs {
    /// The channel: its name or (a prefix of) its id.
    pub channel: String,
    /// The message id (or a unique prefix of at least 4 hex digits).
    pub message: String,
}

/// `liaison ack`
#[derive(Debug, Clone, Args)]
pub struct AckArgs {
    /// The channel: its name or (a prefix of) its id.
    pub channel: String,
    /// Message ids (or prefixes).
    #[arg(required_unless_present = "all")]
    pub messages: Vec<String>,
    /// Acknowledge every message waiting for your acknowledgement.
    #[arg(long, conflicts_with = "messages")]
    pub all: bool,
}

/// `liaison audit`
#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// Only this channel's events.
    #[arg(long)]
    pub channel: Option<String>,
    /// At most this many entries, newest first.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Only entries older than this entry id (paging).
    #[arg(long)]
    pub before: Option<i64>,
}
