//! The command line as clap parses it: plain data, no behaviour. The
//! commands in [`crate::commands`] take these structs, so tests can build
//! them directly or parse them from words.

mod archive;
mod channel;
mod messaging;
mod pinning;
mod profile;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use archive::{ExportArgs, ImportArgs, OrderArg, SearchArgs};
pub use channel::{
    AddArgs, ChannelCommand, ChannelCreateArgs, HistoryArg, MembersArgs, PolicyArgs, RoleArgs,
};
pub use messaging::{
    AckArgs, AuditArgs, ChannelArg, ListArgs, ListenArgs, MessagesCommand, PrecedenceArg, ReadArgs,
    SendArgs,
};
pub use pinning::{
    AuthorityPinArgs, AuthorityUnpinArgs, InvitationAcceptArgs, InvitationArg, InvitationsArgs,
    InvitationsCommand,
};
pub use profile::{
    AuthorityCommand, AuthorityCrlArgs, AuthorityFileArg, AuthorityInitArgs, AuthorityIssueArgs,
    AuthorityRevokeArgs, KeygenArgs, OfficerArgs, ProfileCommand, ProfileCreateArgs,
    ProfileDeleteArgs, ProtectionArg,
};

/// `liaison`: the headless Liaison client.
#[derive(Debug, Parser)]
#[command(
    name = "liaison",
    version,
    about = "Liaison: labelled, end-to-end encrypted partnership channels, from the command line",
    after_help = "Exit codes: 0 ok, 1 usage, 2 refused by a rule, 3 profile locked, \
                  4 relay unreachable, 5 other failure, 6 needs --yes. See docs/cli.md."
)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GlobalArgs {
    /// Directory holding the profiles (default: the platform data directory,
    /// e.g. ~/.local/share/liaison).
    #[arg(long, global = true, env = "LIAISON_HOME", value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// The profile to use (may be left out when only one exists).
    #[arg(long, short = 'p', global = true, env = "LIAISON_PROFILE")]
    pub profile: Option<String>,
    /// Read the profile's passphrase from this file (first line); the
    /// environment variable LIAISON_PASSPHRASE is the alternative.
    #[arg(long, global = true, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// The relay's URL, overriding the profile's.
    #[arg(long, global = true, env = "LIAISON_RELAY", value_name = "URL")]
    pub relay: Option<String>,
    /// The relay's TLS certificate (PEM) to trust, e.g. a development
    /// relay's `relay-cert.pem`; without it the system's roots are used.
    #[arg(long, global = true, env = "LIAISON_RELAY_CA", value_name = "FILE")]
    pub relay_ca: Option<PathBuf>,
    /// Do not contact the relay: changes wait in the outbox for the next sync.
    #[arg(long, global = true)]
    pub offline: bool,
    /// Print one JSON document (or JSON lines for `listen`) instead of text.
    #[arg(long, global = true)]
    pub json: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
// Parsed once per process: boxing the larger variants would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    /// Create, inspect and unlock profiles (one officer identity each).
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// A small certification authority for exercises and tests.
    #[command(subcommand)]
    Authority(AuthorityCommand),
    /// Create, inspect and administer partnership channels.
    #[command(subcommand)]
    Channel(ChannelCommand),
    /// Send a labelled message.
    Send(SendArgs),
    /// Exchange everything pending with the relay: join, flush, pull.
    Sync,
    /// Sync repeatedly and print new messages as they arrive.
    Listen(ListenArgs),
    /// List or read the stored messages of a channel.
    #[command(subcommand)]
    Messages(MessagesCommand),
    /// Acknowledge FLASH and IMMEDIATE messages.
    Ack(AckArgs),
    /// The members of a channel, verified against its partner authorities.
    Members(ChannelArg),
    /// The profile's audit log.
    Audit(AuditArgs),
    /// Invitations held: channels naming partner authorities this profile
    /// has not pinned, waiting for the officer to accept or decline.
    Invitations(InvitationsArgs),
    /// Search the stored messages of every channel (offline).
    Search(SearchArgs),
    /// Export a channel's history to one encrypted archive file.
    Export(ExportArgs),
    /// Import an archive file as a read-only channel, verifying every
    /// message offline.
    Import(ImportArgs),
    /// A first look: starts a local relay and plays a scripted GBR-FRA-DEU
    /// partnership over it, in a temporary directory.
    Demo(DemoArgs),
}

/// Arguments of `liaison demo`.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Keep the demo's files (stores, relay database, certificates) in this
    /// directory instead of a temporary one.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// A fingerprint as people copy it: 64 hexadecimal digits, colons allowed.
pub(crate) fn parse_fingerprint(text: &str) -> Result<liaison_core::Fingerprint, String> {
    let digits: String = text.chars().filter(|c| *c != ':').collect();
    let bytes = hex::decode(&digits)
        .map_err(|_| "a fingerprint is 64 hexadecimal digits (colons allowed)".to_owned())?;
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| "a fingerprint is 32 bytes (SHA-256)".to_owned())?;
    Ok(liaison_core::Fingerprint::from_bytes(bytes))
}
