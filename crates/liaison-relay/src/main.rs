//! `liaison-relay`: runs the Liaison relay.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use liaison_relay::{Config, TlsSource, launch, load_trust, shutdown_signal};
use tracing_subscriber::EnvFilter;

/// The Liaison relay: MLS delivery service over HTTPS and WebSocket.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:7443")]
    listen: String,
    /// Directory of the database and the development certificate.
    #[arg(long)]
    data: PathBuf,
    /// Partner authority certificates and CRLs: files or directories
    /// (PEM, or DER with `.crl` for revocation lists). Repeatable.
    #[arg(long, required = true, num_args = 1..)]
    trust: Vec<PathBuf>,
    /// TLS certificate chain (PEM). Without it a development certificate is
    /// made in the data directory.
    #[arg(long, requires = "key")]
    cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long, requires = "cert")]
    key: Option<PathBuf>,
    /// Serve `/metrics` to any peer, not only to this machine (put it behind
    /// a firewall or an authenticating proxy).
    #[arg(long)]
    metrics_public: bool,
    /// A directory of extra label policies (`*.toml`), beside the built-in
    /// NATO, GBR and USA. The relay judges channel policies and clearances
    /// with them and refuses a channel whose label policy it does not know.
    #[arg(long)]
    label_policies: Option<PathBuf>,
    /// The relay's name, signed by clients when they authenticate.
    #[arg(long, default_value = "liaison-relay")]
    name: String,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the relay stopped with an error");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), liaison_relay::StartError> {
    let trust = load_trust(&args.trust)?;
    let mut config = Config::new(args.name, args.data, trust);
    // CRLs dropped into these files or directories take effect within a minute.
    config.trust_files = args.trust.clone();
    config.metrics_public = args.metrics_public;
    if let Some(dir) = &args.label_policies {
        config
            .label_policies
            .load_dir(dir)
            .map_err(|e| liaison_relay::StartError::Trust(format!("label policies: {e}")))?;
    }
    if let (Some(certificate), Some(key)) = (args.cert, args.key) {
        config.tls = TlsSource::Files { certificate, key };
    }
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .map_err(|source| liaison_relay::StartError::Io {
            what: format!("listening on {}", args.listen),
            source,
        })?;
    launch(listener, config, shutdown_signal()).await
}
