//! The relay's TLS: TLS 1.3 only, rustls with the ring provider, a real
//! certificate from files or a development certificate made on first start.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::{Config, TlsSource};
use crate::error::StartError;

/// File name of the development certificate in the data directory.
pub const DEV_CERTIFICATE_FILE: &str = "relay-cert.pem";
/// File name of the development certificate's private key.
pub const DEV_KEY_FILE: &str = "relay-key.pem";

/// The certificate the relay presents and its TLS configuration.
pub(crate) struct Tls {
    pub(crate) config: Arc<ServerConfig>,
    /// The certificate file clients pin (the development certificate, or
    /// the configured chain).
    pub(crate) certificate_path: PathBuf,
}

fn tls_error(what: &str, error: impl std::fmt::Display) -> StartError {
    StartError::Tls(format!("{what}: {error}"))
}

/// Loads the configured certificate, or the development one (making it on
/// first start), and builds the server configuration.
pub(crate) fn load(config: &Config) -> Result<Tls, StartError> {
    let (certificate_path, key_path) = match &config.tls {
        TlsSource::Files { certificate, key } => (certificate.clone(), key.clone()),
        TlsSource::Development => development(config)?,
    };
    let chain = CertificateDer::pem_file_iter(&certificate_path)
        .map_err(|e| tls_error("reading the certificate", e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| tls_error("reading the certificate", e))?;
    if chain.is_empty() {
        return Err(StartError::Tls(format!(
            "{} holds no certificate",
            certificate_path.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(&key_path)
        .map_err(|e| tls_error("reading the private key", e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut server = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| tls_error("TLS versions", e))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| tls_error("certificate and key", e))?;
    server.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        config: Arc::new(server),
        certificate_path,
    })
}

/// The development certificate's paths, made now if missing.
fn development(config: &Config) -> Result<(PathBuf, PathBuf), StartError> {
    let certificate = config.data_dir.join(DEV_CERTIFICATE_FILE);
    let key = config.data_dir.join(DEV_KEY_FILE);
    if certificate.exists() && key.exists() {
        tracing::info!(certificate = %certificate.display(), "using the development certificate; clients pin this file");
        return Ok((certificate, key));
    }
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    if is_host_name(&config.name) && !names.contains(&config.name) {
        names.push(config.name.clone());
    }
    let made = rcgen::generate_simple_self_signed(names)
        .map_err(|e| tls_error("making the development certificate", e))?;
    write_file(&key, made.signing_key.serialize_pem().as_bytes(), true)?;
    write_file(&certificate, made.cert.pem().as_bytes(), false)?;
    tracing::warn!(
        certificate = %certificate.display(),
        "made a self-signed development certificate; clients must pin this file \
         (see docs/relay.md for a real certificate)"
    );
    Ok((certificate, key))
}

fn is_host_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

fn write_file(path: &Path, contents: &[u8], secret: bool) -> Result<(), StartError> {
    let io = |source| StartError::Io {
        what: format!("writing {}", path.display()),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if secret {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = secret;
    use std::io::Write as _;
    let mut file = options.open(path).map_err(io)?;
    file.write_all(contents).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(())
}
