//! Certificate serial numbers.

use std::fmt;
use std::str::FromStr;

use super::error::CredentialError;

/// A certificate serial number: the big-endian octets of the DER INTEGER,
/// as they appear in the certificate and in revocation lists.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CertificateSerial(Vec<u8>);

/// RFC 5280 §4.1.2.2: serials are at most 20 octets.
const MAX_SERIAL_LEN: usize = 20;

impl CertificateSerial {
    /// Wraps serial octets; refuses empty or over-long values.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CredentialError> {
        if bytes.is_empty() || bytes.len() > MAX_SERIAL_LEN {
            return Err(CredentialError::Malformed("certificate serial number"));
        }
        Ok(Self(bytes.to_vec()))
    }

    /// The serial of a DER certificate.
    pub fn of_certificate(der: &[u8]) -> Result<Self, CredentialError> {
        let (rest, cert) = x509_parser::parse_x509_certificate(der)
            .map_err(|_| CredentialError::Malformed("certificate"))?;
        if !rest.is_empty() {
            return Err(CredentialError::Malformed("certificate"));
        }
        Self::from_bytes(cert.raw_serial())
    }

    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Lower-case hexadecimal, no separators (what `FromStr` reads back).
impl fmt::Display for CertificateSerial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(&self.0))
    }
}

impl FromStr for CertificateSerial {
    type Err = CredentialError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = hex::decode(s.trim().replace(':', ""))
            .map_err(|_| CredentialError::Malformed("certificate serial number"))?;
        Self::from_bytes(&bytes)
    }
}
