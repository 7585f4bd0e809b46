//! A small certification authority for exercises and tests.
//!
//! Real deployments import their national PKI's certificates; nothing in
//! verification depends on this authority having issued them. It exists so
//! that `liaison authority init|issue|revoke` and the tests can produce
//! certificates in exactly the Liaison profile (`docs/identity.md`).

use std::fmt;
use std::time::SystemTime;

use rcgen::{
    BasicConstraints, CertificateParams, CertificateRevocationListParams, CustomExtension,
    DistinguishedName, DnType, DnValue, IsCa, Issuer, KeyIdMethod, KeyUsagePurpose,
    RevokedCertParams, SerialNumber,
};

use super::attributes::{OfficerAttributes, is_disguising};
use super::chain::CertificateChain;
use super::country;
use super::device_key::{DeviceKey, RawEd25519Public, RcgenSigner};
use super::directory;
use super::error::{AuthorityError, CredentialError};
use super::fingerprint::Fingerprint;
use super::oid;
use super::serial::CertificateSerial;
use super::time::{offset_date_time, unix_seconds};
use crate::Nationality;

/// A validity period: `not_before` strictly before `not_after`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validity {
    not_before: SystemTime,
    not_after: SystemTime,
}

impl Validity {
    /// A period; refused if empty or reversed.
    pub fn new(not_before: SystemTime, not_after: SystemTime) -> Result<Self, AuthorityError> {
        if not_before >= not_after {
            return Err(AuthorityError::InvalidValidity);
        }
        Ok(Self {
            not_before,
            not_after,
        })
    }

    /// From now for `duration`.
    pub fn starting_now(duration: std::time::Duration) -> Result<Self, AuthorityError> {
        let now = SystemTime::now();
        let end = now
            .checked_add(duration)
            .ok_or(AuthorityError::InvalidValidity)?;
        Self::new(now, end)
    }

    /// Start of the period.
    pub fn not_before(&self) -> SystemTime {
        self.not_before
    }

    /// End of the period.
    pub fn not_after(&self) -> SystemTime {
        self.not_after
    }
}

/// A revoked certificate: its serial and when it was revoked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Revocation {
    pub(crate) serial: CertificateSerial,
    pub(crate) at: SystemTime,
}

/// A partner authority: an Ed25519 CA that issues officer certificates and
/// revocation lists.
///
/// `Debug` and `Display` show the authority's name and fingerprint, never
/// its key.
pub struct Authority {
    pub(crate) key: DeviceKey,
    /// Issuer name, key usages and key-id method, for rcgen.
    pub(crate) params: CertificateParams,
    pub(crate) certificate: Vec<u8>,
    /// The certificates above this one, nearest first, ending at the root.
    /// Empty for a root authority.
    pub(crate) parents: Vec<Vec<u8>>,
    pub(crate) revoked: Vec<Revocation>,
}

impl Authority {
    /// Creates a self-signed root authority with a fresh Ed25519 key:
    /// subject `C=<alpha-2 of nationality>, O=organisation, CN=common_name`,
    /// basicConstraints CA, keyUsage keyCertSign and cRLSign.
    pub fn init(
        common_name: &str,
        organisation: &str,
        nationality: &Nationality,
        validity: Validity,
    ) -> Result<Self, AuthorityError> {
        let key = DeviceKey::generate().map_err(|_| AuthorityError::Randomness)?;
        let params = ca_params(common_name, organisation, nationality, validity)?;
        let certificate = params
            .self_signed(&RcgenSigner::new(&key))
            .map_err(generation)?
            .der()
            .to_vec();
        Ok(Self {
            key,
            params,
            certificate,
            parents: Vec::new(),
            revoked: Vec::new(),
        })
    }

    /// Creates an issuing CA below this one (as a national PKI has a root
    /// and issuing CAs), with a fresh key.
    pub fn issue_subordinate(
        &self,
        common_name: &str,
        organisation: &str,
        nationality: &Nationality,
        validity: Validity,
    ) -> Result<Self, AuthorityError> {
        self.check_within_own_validity(validity)?;
        let key = DeviceKey::generate().map_err(|_| AuthorityError::Randomness)?;
        let mut params = ca_params(common_name, organisation, nationality, validity)?;
        params.use_authority_key_identifier_extension = true;
        let certificate = params
            .signed_by(&RcgenSigner::new(&key), &self.issuer())
            .map_err(generation)?
            .der()
            .to_vec();
        let mut parents = vec![self.certificate.clone()];
        parents.extend(self.parents.iter().cloned());
        Ok(Self {
            key,
            params,
            certificate,
            parents,
            revoked: Vec::new(),
        })
    }

    /// Issues an officer certificate (DER) for `subject_public_key`, the
    /// officer's Ed25519 device key. The period must lie within the
    /// authority's own.
    pub fn issue(
        &self,
        attributes: &OfficerAttributes,
        subject_public_key: &[u8; 32],
        not_before: SystemTime,
        not_after: SystemTime,
    ) -> Result<Vec<u8>, AuthorityError> {
        let validity = Validity::new(not_before, not_after)?;
        self.check_within_own_validity(validity)?;
        ed25519_dalek::VerifyingKey::from_bytes(subject_public_key)
            .map_err(|_| AuthorityError::InvalidSubjectKey)?;

        let mut params = CertificateParams::default();
        params.not_before = offset_date_time(not_before).ok_or(AuthorityError::InvalidValidity)?;
        params.not_after = offset_date_time(not_after).ok_or(AuthorityError::InvalidValidity)?;
        params.serial_number = Some(random_serial()?);
        let mut name = DistinguishedName::new();
        name.push(DnType::OrganizationName, attributes.organisation());
        name.push(DnType::CommonName, attributes.display_name());
        name.push(
            DnType::CustomDnType(oid::UID_ARCS.to_vec()),
            DnValue::Utf8String(attributes.officer_id().to_owned()),
        );
        params.distinguished_name = name;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.use_authority_key_identifier_extension = true;
        params.custom_extensions = vec![
            extended_key_usage(),
            CustomExtension::from_oid_content(
                oid::SUBJECT_DIRECTORY_ATTRIBUTES_ARCS,
                directory::encode(attributes.nationality(), attributes.clearance())?,
            ),
        ];
        let certificate = params
            .signed_by(&RawEd25519Public(*subject_public_key), &self.issuer())
            .map_err(generation)?;
        Ok(certificate.der().to_vec())
    }

    /// The chain to put in an officer's MLS credential: the officer's
    /// certificate, then this authority and the CAs above it, leaving out
    /// the self-signed root (the channel holds it as a trust anchor).
    pub fn chain_for(
        &self,
        officer_certificate: Vec<u8>,
    ) -> Result<CertificateChain, CredentialError> {
        let mut certificates = vec![officer_certificate];
        if let Some((_root, between)) = self.parents.split_last() {
            certificates.push(self.certificate.clone());
            certificates.extend(between.iter().cloned());
        }
        CertificateChain::from_der(certificates)
    }

    /// Marks a certificate as revoked now. It appears in every later
    /// [`crl`](Self::crl). Revoking twice keeps the first date.
    pub fn revoke(&mut self, serial: &CertificateSerial) {
        if !self.revoked.iter().any(|r| &r.serial == serial) {
            self.revoked.push(Revocation {
                serial: serial.clone(),
                at: SystemTime::now(),
            });
        }
    }

    /// The serials revoked so far.
    pub fn revoked(&self) -> impl Iterator<Item = &CertificateSerial> {
        self.revoked.iter().map(|r| &r.serial)
    }

    /// A signed revocation list (DER, X.509 v2 CRL) of every revoked
    /// certificate. The CRL number is `this_update` in seconds since the
    /// epoch, so later lists have larger numbers without keeping a counter.
    pub fn crl(
        &self,
        this_update: SystemTime,
        next_update: SystemTime,
    ) -> Result<Vec<u8>, AuthorityError> {
        Validity::new(this_update, next_update)?;
        let number = u64::try_from(unix_seconds(this_update))
            .map_err(|_| AuthorityError::InvalidValidity)?;
        let number_bytes = number.to_be_bytes();
        let first_significant = number_bytes.iter().position(|&b| b != 0).unwrap_or(7);
        let revoked_certs = self
            .revoked
            .iter()
            .map(|r| {
                Ok(RevokedCertParams {
                    serial_number: SerialNumber::from_slice(r.serial.as_bytes()),
                    revocation_time: offset_date_time(r.at)
                        .ok_or(AuthorityError::InvalidValidity)?,
                    reason_code: None,
                    invalidity_date: None,
                })
            })
            .collect::<Result<Vec<_>, AuthorityError>>()?;
        let params = CertificateRevocationListParams {
            this_update: offset_date_time(this_update).ok_or(AuthorityError::InvalidValidity)?,
            next_update: offset_date_time(next_update).ok_or(AuthorityError::InvalidValidity)?,
            crl_number: SerialNumber::from_slice(
                number_bytes.get(first_significant..).unwrap_or(&[0]),
            ),
            issuing_distribution_point: None,
            revoked_certs,
            key_identifier_method: KeyIdMethod::Sha256,
        };
        let crl = params.signed_by(&self.issuer()).map_err(generation)?;
        Ok(crl.der().to_vec())
    }

    /// This authority's certificate (DER): the trust anchor to give to
    /// channels, or for an issuing CA, the intermediate.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate
    }

    /// The certificates above this authority, nearest first (empty for a
    /// root).
    pub fn parent_certificates(&self) -> &[Vec<u8>] {
        &self.parents
    }

    /// SHA-256 fingerprint of [`certificate_der`](Self::certificate_der).
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of(&self.certificate)
    }

    fn issuer(&self) -> Issuer<'_, RcgenSigner<'_>> {
        Issuer::from_params(&self.params, RcgenSigner::new(&self.key))
    }

    fn check_within_own_validity(&self, validity: Validity) -> Result<(), AuthorityError> {
        let own_start = self.params.not_before.unix_timestamp();
        let own_end = self.params.not_after.unix_timestamp();
        if unix_seconds(validity.not_before) < own_start
            || unix_seconds(validity.not_after) > own_end
        {
            return Err(AuthorityError::InvalidValidity);
        }
        Ok(())
    }

    fn common_name(&self) -> &str {
        match self.params.distinguished_name.get(&DnType::CommonName) {
            Some(DnValue::Utf8String(name)) => name,
            _ => "",
        }
    }
}

impl fmt::Debug for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authority")
            .field("common_name", &self.common_name())
            .field("fingerprint", &self.fingerprint())
            .field("parents", &self.parents.len())
            .field("revoked", &self.revoked.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Authority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.common_name(), self.fingerprint())
    }
}

/// The parameters of a CA certificate in the Liaison profile.
pub(crate) fn ca_params(
    common_name: &str,
    organisation: &str,
    nationality: &Nationality,
    validity: Validity,
) -> Result<CertificateParams, AuthorityError> {
    check_ca_name(common_name, "common name")?;
    check_ca_name(organisation, "organisation")?;
    let alpha2 =
        country::alpha2_for_alpha3(nationality.as_str()).ok_or(AuthorityError::UnknownCountry)?;
    let mut params = CertificateParams::default();
    params.not_before =
        offset_date_time(validity.not_before).ok_or(AuthorityError::InvalidValidity)?;
    params.not_after =
        offset_date_time(validity.not_after).ok_or(AuthorityError::InvalidValidity)?;
    params.serial_number = Some(random_serial()?);
    params.distinguished_name = ca_name(alpha2, organisation, common_name)?;
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.key_identifier_method = KeyIdMethod::Sha256;
    Ok(params)
}

/// The subject of a Liaison CA; also rebuilt when an authority is loaded.
pub(crate) fn ca_name(
    alpha2: &str,
    organisation: &str,
    common_name: &str,
) -> Result<DistinguishedName, AuthorityError> {
    let country = rcgen::string::PrintableString::try_from(alpha2)
        .map_err(|_| AuthorityError::UnknownCountry)?;
    let mut name = DistinguishedName::new();
    name.push(DnType::CountryName, DnValue::PrintableString(country));
    name.push(DnType::OrganizationName, organisation);
    name.push(DnType::CommonName, common_name);
    Ok(name)
}

fn check_ca_name(value: &str, what: &'static str) -> Result<(), AuthorityError> {
    let length = value.chars().count();
    if length == 0 || length > 64 || value.chars().any(is_disguising) || value.trim() != value {
        return Err(AuthorityError::InvalidName(what));
    }
    Ok(())
}

/// extKeyUsage { Liaison, id-kp-clientAuth }, non-critical. clientAuth lets
/// the relay authenticate the device over TLS with the same certificate.
/// Written by hand: rcgen models OID arcs as `u64`, too small for the
/// Liaison purpose's UUID arc.
fn extended_key_usage() -> CustomExtension {
    let content = yasna::construct_der(|writer| {
        writer.write_sequence(|seq| {
            for purpose in [oid::LIAISON_KEY_PURPOSE_DER, oid::KP_CLIENT_AUTH] {
                seq.next()
                    .write_tagged_der(&yasna::models::TaggedDerValue::from_tag_pc_and_bytes(
                        yasna::tags::TAG_OID,
                        yasna::PCBit::Primitive,
                        purpose.to_vec(),
                    ));
            }
        });
    });
    CustomExtension::from_oid_content(oid::EXTENDED_KEY_USAGE_ARCS, content)
}

/// 128 random bits, positive and without a leading zero octet, so the DER
/// INTEGER holds exactly these 16 octets.
fn random_serial() -> Result<SerialNumber, AuthorityError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| AuthorityError::Randomness)?;
    if let Some(first) = bytes.first_mut() {
        *first = (*first & 0x7f).max(1);
    }
    Ok(SerialNumber::from_slice(&bytes))
}

fn generation(error: rcgen::Error) -> AuthorityError {
    AuthorityError::Generation(error.to_string())
}
