//! Arguments of `liaison profile …` and `liaison authority …`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// `liaison profile …`
#[derive(Debug, Subcommand)]
// Parsed once per process: boxing the larger variants would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum ProfileCommand {
    /// Generate a device key for a certificate request: writes the key to a
    /// file and prints its public key for the authority.
    Keygen(KeygenArgs),
    /// Create a profile from an imported certificate chain and device key,
    /// or with an exercise authority in one step (--authority).
    Create(ProfileCreateArgs),
    /// Show the profile: officer, certificate, key protection, relay.
    Show,
    /// List the profiles under the home directory.
    List,
    /// Check that the key or passphrase opens the profile's store.
    Unlock,
    /// Delete a profile: its encrypted store and its keyring entry.
    Delete(ProfileDeleteArgs),
}

/// `liaison profile keygen`
#[derive(Debug, Clone, Args)]
pub struct KeygenArgs {
    /// Where to write the device key (PEM, PKCS #8; created owner-only,
    /// never overwritten).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// How a new profile's store key is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProtectionArg {
    /// A random key kept in the OS keyring.
    Keyring,
    /// A key derived from a passphrase (Argon2id).
    Passphrase,
}

/// The officer attributes an authority certifies.
#[derive(Debug, Clone, Default, Args)]
pub struct OfficerArgs {
    /// Display name, e.g. "Maj. J. Smith".
    #[arg(long = "name", value_name = "NAME")]
    pub display_name: Option<String>,
    /// Organisation, e.g. "GBR Ministry of Defence".
    #[arg(long = "org", value_name = "ORGANISATION")]
    pub organisation: Option<String>,
    /// Nationality, ISO 3166 alpha-3 (GBR, FRA, DEU…).
    #[arg(long, value_name = "NATION")]
    pub nationality: Option<String>,
    /// Clearance, written like a marking without REL TO, e.g. "NATO SECRET"
    /// or "NATO SECRET//ATOMAL//MISSION KFOR".
    #[arg(long, value_name = "CLEARANCE")]
    pub clearance: Option<String>,
    /// Days the certificate is valid.
    #[arg(long, default_value_t = 365)]
    pub days: u32,
}

/// `liaison profile create`
#[derive(Debug, Clone, Args)]
pub struct ProfileCreateArgs {
    /// The profile's name (letters, digits, '.', '-', '_').
    pub name: String,
    /// The officer's id; with an imported certificate it must match it.
    #[arg(long, value_name = "ID")]
    pub officer_id: Option<String>,
    /// Import: the officer's certificate chain (PEM, officer first).
    #[arg(
        long,
        value_name = "FILE",
        requires = "device_key",
        conflicts_with = "authority"
    )]
    pub certificate: Option<PathBuf>,
    /// Import: the device key written by `profile keygen`.
    #[arg(long, value_name = "FILE", requires = "certificate")]
    pub device_key: Option<PathBuf>,
    /// Import: keep the device key file (by default it is deleted once the
    /// key is in the encrypted store).
    #[arg(long)]
    pub keep_key_file: bool,
    /// Import: the certificate of the officer's authority (PEM), kept to
    /// show the certified attributes.
    #[arg(long, value_name = "FILE")]
    pub anchor: Option<PathBuf>,
    /// Exercise: issue the certificate now with this authority file.
    #[arg(long, value_name = "FILE")]
    pub authority: Option<PathBuf>,
    /// Exercise: what the authority certifies.
    #[command(flatten)]
    pub officer: OfficerArgs,
    /// Key protection (default: passphrase when one is given, else keyring).
    #[arg(long, value_enum)]
    pub protection: Option<ProtectionArg>,
    /// A partner authority's certificate (PEM) to pin at onboarding, so
    /// that channels naming it are joined without asking; repeat for each
    /// partner. The officer's own authority is pinned anyway.
    #[arg(long = "partner", value_name = "FILE")]
    pub partners: Vec<PathBuf>,
}

/// `liaison profile delete`
#[derive(Debug, Clone, Args)]
pub struct ProfileDeleteArgs {
    /// The profile to delete.
    pub name: String,
    /// Confirm: the history in the profile is lost for good.
    #[arg(long)]
    pub yes: bool,
}

/// `liaison authority …`
#[derive(Debug, Subcommand)]
// Parsed once per process: boxing the larger variants would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum AuthorityCommand {
    /// Create an exercise authority (a self-signed CA) in a PEM file.
    Init(AuthorityInitArgs),
    /// Print the authority's certificate (PEM): the trust anchor to give
    /// to channel admins.
    Certificate(AuthorityFileArg),
    /// Show the authority's name, fingerprint and revocations.
    Show(AuthorityFileArg),
    /// Issue an officer certificate for a device public key.
    Issue(AuthorityIssueArgs),
    /// Revoke a certificate by serial number (or from its PEM file).
    Revoke(AuthorityRevokeArgs),
    /// Write a signed revocation list.
    Crl(AuthorityCrlArgs),
    /// The partner authorities this profile trusts (pinned), with their
    /// fingerprints.
    Pinned,
    /// Pin a partner authority's certificate: shows its name and
    /// fingerprint, and pins it only with --confirm FINGERPRINT.
    Pin(super::AuthorityPinArgs),
    /// Unpin a partner authority: needs --confirm with the same fingerprint.
    Unpin(super::AuthorityUnpinArgs),
}

/// `liaison authority init`
#[derive(Debug, Clone, Args)]
pub struct AuthorityInitArgs {
    /// Where to write the authority (certificate and private key; created
    /// owner-only, never overwritten).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The authority's name, e.g. "GBR Liaison Authority".
    #[arg(long)]
    pub name: String,
    /// Its organisation, e.g. "GBR Ministry of Defence".
    #[arg(long = "org", value_name = "ORGANISATION")]
    pub organisation: String,
    /// Its nation, ISO 3166 alpha-3.
    #[arg(long, value_name = "NATION")]
    pub nationality: String,
    /// Days the authority is valid.
    #[arg(long, default_value_t = 3 * 365)]
    pub days: u32,
}

/// An authority file.
#[derive(Debug, Clone, Args)]
pub struct AuthorityFileArg {
    /// The authority file written by `authority init`.
    #[arg(long, value_name = "FILE")]
    pub authority: PathBuf,
}

/// `liaison authority issue`
#[derive(Debug, Clone, Args)]
pub struct AuthorityIssueArgs {
    /// The authority file.
    #[arg(long, value_name = "FILE")]
    pub authority: PathBuf,
    /// The officer's id.
    #[arg(long, value_name = "ID")]
    pub officer_id: String,
    /// The officer's device public key (64 hex digits, from `profile keygen`).
    #[arg(long, value_name = "HEX")]
    pub public_key: String,
    /// What the certificate states.
    #[command(flatten)]
    pub officer: OfficerArgs,
    /// Where to write the certificate chain (PEM).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// `liaison authority revoke`
#[derive(Debug, Clone, Args)]
pub struct AuthorityRevokeArgs {
    /// The authority file (rewritten with the revocation).
    #[arg(long, value_name = "FILE")]
    pub authority: PathBuf,
    /// The serial number (hex).
    #[arg(
        required_unless_present = "certificate",
        conflicts_with = "certificate"
    )]
    pub serial: Option<String>,
    /// Revoke the certificate in this PEM file instead.
    #[arg(long, value_name = "FILE")]
    pub certificate: Option<PathBuf>,
}

/// `liaison authority crl`
#[derive(Debug, Clone, Args)]
pub struct AuthorityCrlArgs {
    /// The authority file.
    #[arg(long, value_name = "FILE")]
    pub authority: PathBuf,
    /// Where to write the revocation list.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Days until the next list is due.
    #[arg(long, default_value_t = 30)]
    pub days: u32,
    /// Write DER instead of PEM.
    #[arg(long)]
    pub der: bool,
}
