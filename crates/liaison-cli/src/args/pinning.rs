//! Arguments of `liaison authority pinned|pin|unpin` and
//! `liaison invitations …`: the partner authorities a profile trusts, and
//! the channels waiting for the officer's word.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use liaison_core::Fingerprint;

use super::parse_fingerprint;

/// `liaison authority pin`
#[derive(Debug, Clone, Args)]
pub struct AuthorityPinArgs {
    /// The partner authority's certificate (PEM or DER), as its partner
    /// handed it over (`liaison authority certificate`).
    pub file: PathBuf,
    /// The fingerprint the officer compared with the partner authority out
    /// of band (hex, colons allowed). Without it nothing is pinned: the
    /// certificate's name and fingerprint are shown, exit code 6.
    #[arg(long, value_name = "FINGERPRINT", value_parser = parse_fingerprint)]
    pub confirm: Option<Fingerprint>,
}

/// `liaison authority unpin`
#[derive(Debug, Clone, Args)]
pub struct AuthorityUnpinArgs {
    /// The pinned authority's fingerprint (hex, colons allowed).
    #[arg(value_parser = parse_fingerprint)]
    pub fingerprint: Fingerprint,
    /// The same fingerprint again, to confirm. Without it nothing is
    /// unpinned (exit code 6).
    #[arg(long, value_name = "FINGERPRINT", value_parser = parse_fingerprint)]
    pub confirm: Option<Fingerprint>,
}

/// `liaison invitations [accept|decline]`
#[derive(Debug, Args)]
pub struct InvitationsArgs {
    /// What to do; nothing lists the held invitations.
    #[command(subcommand)]
    pub command: Option<InvitationsCommand>,
}

/// `liaison invitations …`
#[derive(Debug, Subcommand)]
pub enum InvitationsCommand {
    /// Pin the channel's authorities not yet pinned (each confirmed by
    /// its fingerprint) and join the channel.
    Accept(InvitationAcceptArgs),
    /// Forget the invitation: the channel is never joined.
    Decline(InvitationArg),
}

/// `liaison invitations accept`
#[derive(Debug, Clone, Args)]
pub struct InvitationAcceptArgs {
    /// The invitation, as `liaison invitations` lists it.
    pub id: i64,
    /// The fingerprint of each of the channel's authorities not yet pinned,
    /// as compared with that authority out of band; repeat for each.
    /// Without them nothing is done: the authorities to confirm are shown,
    /// exit code 6.
    #[arg(long, value_name = "FINGERPRINT", value_parser = parse_fingerprint)]
    pub confirm: Vec<Fingerprint>,
}

/// One invitation.
#[derive(Debug, Clone, Args)]
pub struct InvitationArg {
    /// The invitation, as `liaison invitations` lists it.
    pub id: i64,
}
