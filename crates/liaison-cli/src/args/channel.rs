//! Arguments of `liaison channel …` and `liaison members`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::messaging::ChannelArg;

/// `liaison channel …`
#[derive(Debug, Subcommand)]
// Parsed once per process: boxing the larger variants would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum ChannelCommand {
    /// Create a partnership channel with you as its first member and admin.
    Create(ChannelCreateArgs),
    /// List the profile's channels.
    List,
    /// Show a channel's policy and members.
    Show(ChannelArg),
    /// Add officers (admins only); each must have published key packages.
    Add(AddArgs),
    /// Remove officers (admins only).
    Remove(MembersArgs),
    /// Make officers admins (admins only).
    Promote(RoleArgs),
    /// Take admin rights away (admins only).
    Demote(RoleArgs),
    /// Change the channel policy (admins only); shows whom a tightening
    /// removes and needs --yes to remove anyone.
    Policy(PolicyArgs),
    /// Leave the channel; an admin's next sync applies it.
    Leave(ChannelArg),
    /// Archive the channel on this desktop: read-only from now on, its
    /// history kept readable and searchable offline.
    Archive(ChannelArg),
}

/// What happens to a removed member's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryArg {
    /// It stays readable, read-only.
    Keep,
    /// It is deleted from the removed member's store.
    Purge,
}

/// `liaison channel create`
#[derive(Debug, Clone, Args)]
pub struct ChannelCreateArgs {
    /// The partnership's name, e.g. "GBR-FRA-DEU border cell".
    pub name: String,
    /// The ceiling, e.g. "NATO SECRET//REL TO DEU, FRA, GBR".
    #[arg(long, value_name = "MARKING")]
    pub ceiling: String,
    /// The label of messages sent without one (default: the ceiling).
    #[arg(long = "default", value_name = "MARKING")]
    pub default_label: Option<String>,
    /// Admins besides you (repeatable).
    #[arg(long = "admin", value_name = "OFFICER")]
    pub admins: Vec<String>,
    /// Partner authorities' certificates, PEM (repeatable). Your own
    /// authority, when the profile knows it, is added for you.
    #[arg(long = "anchor", value_name = "FILE")]
    pub anchors: Vec<PathBuf>,
    /// Issuing CAs below the anchors, PEM (repeatable).
    #[arg(long = "intermediate", value_name = "FILE")]
    pub intermediates: Vec<PathBuf>,
    /// Revocation lists, PEM or DER (repeatable).
    #[arg(long = "crl", value_name = "FILE")]
    pub crls: Vec<PathBuf>,
    /// Days messages are kept (0: unlimited).
    #[arg(long, default_value_t = 0)]
    pub retention_days: u32,
    /// What happens to a removed member's history.
    #[arg(long, value_enum, default_value_t = HistoryArg::Keep)]
    pub history: HistoryArg,
}

/// A channel and officers.
#[derive(Debug, Clone, Args)]
pub struct MembersArgs {
    /// The channel: its name or (a prefix of) its id.
    pub channel: String,
    /// Officer ids.
    #[arg(required = true)]
    pub officers: Vec<String>,
}

/// `liaison channel add`
#[derive(Debug, Clone, Args)]
pub struct AddArgs {
    /// The channel and the officers.
    #[command(flatten)]
    pub members: MembersArgs,
    /// The SHA-256 fingerprint (hex, colons allowed) of the partner
    /// authority that certifies the officers: needed when officers of
    /// several authorities use an id (the relay answers "ambiguous").
    #[arg(long, value_parser = super::parse_fingerprint)]
    pub authority: Option<liaison_core::Fingerprint>,
}

/// A channel and officers whose admin right changes.
#[derive(Debug, Clone, Args)]
pub struct RoleArgs {
    /// The channel: its name or (a prefix of) its id.
    pub channel: String,
    /// Officer ids.
    #[arg(required = true)]
    pub officers: Vec<String>,
}

/// `liaison channel policy`
#[derive(Debug, Clone, Args)]
pub struct PolicyArgs {
    /// The channel: its name or (a prefix of) its id.
    pub channel: String,
    /// A new ceiling.
    #[arg(long, value_name = "MARKING")]
    pub ceiling: Option<String>,
    /// A new default label.
    #[arg(long = "default", value_name = "MARKING")]
    pub default_label: Option<String>,
    /// A new retention period in days (0: unlimited).
    #[arg(long)]
    pub retention_days: Option<u32>,
    /// A new rule for removed members' history.
    #[arg(long, value_enum)]
    pub history: Option<HistoryArg>,
    /// Partner authorities to add (PEM, repeatable).
    #[arg(long = "add-anchor", value_name = "FILE")]
    pub add_anchors: Vec<PathBuf>,
    /// Revocation lists to carry (PEM or DER, repeatable); each replaces
    /// the older list of its issuer.
    #[arg(long = "crl", value_name = "FILE")]
    pub crls: Vec<PathBuf>,
    /// Only show what the change would do.
    #[arg(long)]
    pub dry_run: bool,
    /// Confirm a change that removes members.
    #[arg(long)]
    pub yes: bool,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use crate::args::parse_fingerprint;

    #[test]
    fn fingerprints_parse_with_or_without_colons_and_nothing_else() {
        let plain = "ab".repeat(32);
        let colons = vec!["AB"; 32].join(":");
        assert_eq!(
            parse_fingerprint(&plain).unwrap(),
            parse_fingerprint(&colons).unwrap()
        );
        assert_eq!(parse_fingerprint(&plain).unwrap().as_bytes(), &[0xab; 32]);
        assert!(parse_fingerprint(&"ab".repeat(31)).is_err());
        assert!(parse_fingerprint("not hex").is_err());
    }
}
