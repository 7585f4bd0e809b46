//! Saving an [`Authority`] to PEM and loading it back.
//!
//! The file holds, in order: the authority's `CERTIFICATE`, the
//! `CERTIFICATE`s above it (nearest first), its Ed25519 key as an RFC 8410
//! `PRIVATE KEY` (PKCS #8), and, once something has been revoked, a
//! `LIAISON REVOCATIONS` block: `SEQUENCE OF SEQUENCE { serial OCTET STRING,
//! revokedAt INTEGER (seconds since the epoch) }`. The file is a secret:
//! store it like one (owner-only permissions,
//! never in a repository).

use rcgen::{CertificateParams, Issuer, KeyIdMethod, KeyUsagePurpose};
use x509_parser::x509::AttributeTypeAndValue;
use zeroize::Zeroizing;

use super::authority::{Authority, Revocation, ca_name};
use super::chain::ed25519_key;
use super::device_key::{DeviceKey, RcgenSigner};
use super::error::AuthorityError;
use super::serial::CertificateSerial;
use super::time::{offset_date_time, system_time, unix_seconds};

const CERTIFICATE: &str = "CERTIFICATE";
const PRIVATE_KEY: &str = "PRIVATE KEY";
const REVOCATIONS: &str = "LIAISON REVOCATIONS";

impl Authority {
    /// The authority as PEM: certificates, private key, revocations. The
    /// text holds the CA key and is wiped when dropped.
    pub fn to_pem(&self) -> Zeroizing<String> {
        let mut blocks = vec![pem::Pem::new(CERTIFICATE, self.certificate.clone())];
        for parent in &self.parents {
            blocks.push(pem::Pem::new(CERTIFICATE, parent.clone()));
        }
        blocks.push(pem::Pem::new(PRIVATE_KEY, self.key.to_pkcs8_der().to_vec()));
        if !self.revoked.is_empty() {
            blocks.push(pem::Pem::new(
                REVOCATIONS,
                encode_revocations(&self.revoked),
            ));
        }
        let text = Zeroizing::new(pem::encode_many(&blocks));
        // pem::Pem does not zeroize: take the key copy back and wipe it.
        for block in blocks {
            drop(Zeroizing::new(block.into_contents()));
        }
        text
    }

    /// Loads an authority saved by [`to_pem`](Self::to_pem).
    pub fn from_pem(text: &str) -> Result<Self, AuthorityError> {
        let blocks = pem::parse_many(text).map_err(|_| AuthorityError::Persistence("not PEM"))?;
        let mut certificates = Vec::new();
        let mut key = None;
        let mut revoked = Vec::new();
        for block in blocks {
            match block.tag() {
                CERTIFICATE => certificates.push(block.into_contents()),
                PRIVATE_KEY if key.is_none() => {
                    let pkcs8 = Zeroizing::new(block.into_contents());
                    key = Some(DeviceKey::from_pkcs8_der(&pkcs8).map_err(|_| {
                        AuthorityError::Persistence("private key is not an RFC 8410 Ed25519 key")
                    })?);
                }
                REVOCATIONS => revoked = decode_revocations(block.contents())?,
                _ => return Err(AuthorityError::Persistence("unexpected PEM block")),
            }
        }
        let key = key.ok_or(AuthorityError::Persistence("no private key"))?;
        let mut certificates = certificates.into_iter();
        let certificate = certificates
            .next()
            .ok_or(AuthorityError::Persistence("no certificate"))?;
        let params = rebuild_params(&certificate, &key)?;
        Ok(Self {
            key,
            params,
            certificate,
            parents: certificates.collect(),
            revoked,
        })
    }
}

/// Recovers the issuer parameters rcgen needs from the stored certificate,
/// and proves they reproduce its subject byte for byte (the issuer name of
/// every certificate issued later must match it exactly).
fn rebuild_params(
    certificate: &[u8],
    key: &DeviceKey,
) -> Result<CertificateParams, AuthorityError> {
    let unreadable = AuthorityError::Persistence("unreadable authority certificate");
    let (rest, cert) =
        x509_parser::parse_x509_certificate(certificate).map_err(|_| unreadable.clone())?;
    if !rest.is_empty() || !cert.is_ca() {
        return Err(unreadable);
    }
    if ed25519_key(&cert).ok() != Some(key.public_key()) {
        return Err(AuthorityError::Persistence(
            "the key does not match the certificate",
        ));
    }
    let subject = cert.subject();
    let country = single_text(subject.iter_country())?;
    let organisation = single_text(subject.iter_organization())?;
    let common_name = single_text(subject.iter_common_name())?;

    let mut params = CertificateParams::default();
    params.distinguished_name = ca_name(&country, &organisation, &common_name)?;
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.key_identifier_method = KeyIdMethod::Sha256;
    let validity = cert.validity();
    params.not_before = offset_date_time(system_time(validity.not_before.timestamp()))
        .ok_or(AuthorityError::InvalidValidity)?;
    params.not_after = offset_date_time(system_time(validity.not_after.timestamp()))
        .ok_or(AuthorityError::InvalidValidity)?;

    // Issue a throw-away certificate and compare its issuer with our subject.
    let probe = CertificateParams::default()
        .signed_by(
            &RcgenSigner::new(key),
            &Issuer::from_params(&params, RcgenSigner::new(key)),
        )
        .map_err(|e| AuthorityError::Generation(e.to_string()))?;
    let (_, probe) = x509_parser::parse_x509_certificate(probe.der())
        .map_err(|_| AuthorityError::Persistence("probe certificate"))?;
    if probe.issuer().as_raw() != cert.subject().as_raw() {
        return Err(AuthorityError::Persistence(
            "subject encoding not reproducible",
        ));
    }
    Ok(params)
}

fn single_text<'a>(
    mut values: impl Iterator<Item = &'a AttributeTypeAndValue<'a>>,
) -> Result<String, AuthorityError> {
    match (
        values.next().map(AttributeTypeAndValue::as_str),
        values.next(),
    ) {
        (Some(Ok(value)), None) => Ok(value.to_owned()),
        _ => Err(AuthorityError::Persistence(
            "not a Liaison authority subject",
        )),
    }
}

fn encode_revocations(revoked: &[Revocation]) -> Vec<u8> {
    yasna::construct_der(|writer| {
        writer.write_sequence_of(|seq| {
            for r in revoked {
                seq.next().write_sequence(|entry| {
                    entry.next().write_bytes(r.serial.as_bytes());
                    entry.next().write_i64(unix_seconds(r.at));
                });
            }
        });
    })
}

fn decode_revocations(der: &[u8]) -> Result<Vec<Revocation>, AuthorityError> {
    let entries = yasna::parse_der(der, |reader| {
        reader.collect_sequence_of(|r| {
            r.read_sequence(|entry| {
                let serial = entry.next().read_bytes()?;
                let at = entry.next().read_i64()?;
                Ok((serial, at))
            })
        })
    })
    .map_err(|_| AuthorityError::Persistence("unreadable revocations"))?;
    entries
        .into_iter()
        .map(|(serial, at)| {
            Ok(Revocation {
                serial: CertificateSerial::from_bytes(&serial)
                    .map_err(|_| AuthorityError::Persistence("unreadable revocations"))?,
                at: system_time(at),
            })
        })
        .collect()
}
