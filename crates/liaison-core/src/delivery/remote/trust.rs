//! Which certificates the client accepts from the relay: a pinned PEM file
//! (the relay's development certificate, or a private CA), or the
//! operating system's roots.

use std::path::Path;
use std::sync::Arc;

use rustls::{ClientConfig, RootCertStore};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;

use crate::delivery::DeliveryError;

/// The relay certificates a [`RelayClient`](super::RelayClient) trusts.
#[derive(Clone, Debug)]
pub struct RelayTrust {
    roots: Vec<CertificateDer<'static>>,
}

impl RelayTrust {
    /// Trusts exactly the certificates in a PEM text: the relay's own
    /// (pinned) certificate, or the CA that issued it.
    pub fn from_pem(pem: &[u8]) -> Result<Self, DeliveryError> {
        let roots = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| DeliveryError::Malformed("relay certificate PEM".into()))?;
        if roots.is_empty() {
            return Err(DeliveryError::Malformed(
                "no certificate in the relay certificate PEM".into(),
            ));
        }
        Ok(Self { roots })
    }

    /// Reads [`RelayTrust::from_pem`] from a file.
    pub fn from_pem_file(path: &Path) -> Result<Self, DeliveryError> {
        let pem = std::fs::read(path)
            .map_err(|e| DeliveryError::Unavailable(format!("reading {}: {e}", path.display())))?;
        Self::from_pem(&pem)
    }

    /// Trusts the operating system's root certificates (a relay with a
    /// certificate from a public or national CA the system trusts).
    pub fn system() -> Result<Self, DeliveryError> {
        let found = rustls_native_certs::load_native_certs();
        if found.certs.is_empty() {
            return Err(DeliveryError::Unavailable(
                "no system root certificates found".into(),
            ));
        }
        Ok(Self { roots: found.certs })
    }

    /// The TLS configuration: TLS 1.3, ring provider, these roots.
    pub(super) fn client_config(&self) -> Result<Arc<ClientConfig>, DeliveryError> {
        let mut store = RootCertStore::empty();
        let (added, _ignored) = store.add_parsable_certificates(self.roots.iter().cloned());
        if added == 0 {
            return Err(DeliveryError::Malformed(
                "no usable relay root certificate".into(),
            ));
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(|e| DeliveryError::Unavailable(format!("TLS configuration: {e}")))?
            .with_root_certificates(store)
            .with_no_client_auth();
        Ok(Arc::new(config))
    }
}
