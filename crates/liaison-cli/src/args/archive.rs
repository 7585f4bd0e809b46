//! Arguments of `liaison search`, `liaison export` and `liaison import`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::messaging::PrecedenceArg;

/// The order of search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum OrderArg {
    /// Most recently stored first.
    #[default]
    Recency,
    /// Best match first (BM25, among the 2,000 most recent matches).
    Relevance,
}

/// `liaison search`
#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// Words to find, all of them; a trailing * matches a prefix
    /// ("conv*"). Nothing else is search syntax. May be empty ("") when a
    /// filter is given.
    pub text: String,
    /// Only this channel (name or id prefix).
    #[arg(long)]
    pub channel: Option<String>,
    /// Only messages from this officer id.
    #[arg(long, value_name = "OFFICER")]
    pub sender: Option<String>,
    /// Only this classification, e.g. "NATO SECRET", in any case, or its
    /// portion abbreviation ("ns").
    #[arg(long, value_name = "NAME")]
    pub classification: Option<String>,
    /// Only this precedence.
    #[arg(long, value_enum)]
    pub precedence: Option<PrecedenceArg>,
    /// Only messages sent at or after this time (YYYY-MM-DD or
    /// YYYY-MM-DDTHH:MM:SSZ, UTC).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Only messages sent at or before this time (a date alone means the
    /// end of that day).
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// At most this many results (1 to 500).
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// The order of the results.
    #[arg(long, value_enum, default_value_t = OrderArg::Recency)]
    pub order: OrderArg,
}

/// `liaison export`
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The channel (name or id prefix).
    pub channel: String,
    /// The archive file to write (replaced if it exists; written to a
    /// temporary file first, so a failure leaves no partial file).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Only messages sent at or after this time (YYYY-MM-DD or
    /// YYYY-MM-DDTHH:MM:SSZ, UTC).
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Only messages sent at or before this time.
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// Encrypt for this officer's certificate chain (PEM) instead of a
    /// passphrase: only that officer's profile opens the archive.
    #[arg(long = "for", value_name = "CHAIN.pem")]
    pub recipient: Option<PathBuf>,
    /// Read the archive passphrase from this file (first line); the
    /// environment variable LIAISON_ARCHIVE_PASSPHRASE is the alternative.
    #[arg(long, value_name = "FILE", conflicts_with = "recipient")]
    pub archive_passphrase_file: Option<PathBuf>,
}

/// `liaison import`
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// The archive file.
    pub file: PathBuf,
    /// Read the archive passphrase from this file (first line); the
    /// environment variable LIAISON_ARCHIVE_PASSPHRASE is the alternative.
    /// Not needed for an archive addressed to this profile's certificate.
    #[arg(long, value_name = "FILE")]
    pub archive_passphrase_file: Option<PathBuf>,
}
