//! How a [`Desk`](super::Desk) is set up: where its data lives, how new
//! stores are protected, which relay to use, who issues exercise
//! certificates, and where events go.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::events::{EventSink, ignore_events};
use liaison_core::{KEYRING_SERVICE, KdfParams, RelayTrust};
use liaison_identity::{
    Authority, AuthorityError, CertificateChain, ClearanceAttribute, DeviceKey, Nationality,
    OfficerAttributes,
};

/// The officer an exercise certificate is issued for, as the desk hands
/// it to an [`Issuer`]: already checked, the nationality parsed and the
/// clearance a level of the profile's own label policies.
///
/// Not `liaison_demo::ExerciseOfficer`, and deliberately a different
/// name: that one is the demo world's unchecked description of an officer
/// (four strings, parsed against the world's policies when a certificate
/// is issued). The desk cannot use it (the demo crate depends on the
/// relay, and the desk issues without the demo too, through
/// [`AuthorityIssuer`]), and its issuers should not have to parse again
/// what the desk already checked. The demo's issuers convert with the
/// field `clearance_name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateSubject {
    /// Officer id.
    pub officer_id: String,
    /// Display name.
    pub display_name: String,
    /// Nationality.
    pub nationality: Nationality,
    /// Clearance, in certificate form.
    pub clearance: ClearanceAttribute,
    /// The clearance level's name as chosen ("NATO SECRET").
    pub clearance_name: String,
}

/// Why an exercise authority did not issue a certificate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the exercise authority did not issue a certificate: {0}")]
pub struct IssueError(pub String);

/// Issues exercise certificates (the demo world, or a local authority).
pub trait Issuer: Send + Sync {
    /// A certificate chain (leaf first) and the device key it certifies.
    fn issue(
        &self,
        officer: &CertificateSubject,
    ) -> Result<(CertificateChain, DeviceKey), IssueError>;

    /// The partner authorities (DER) a profile issued here pins at
    /// onboarding: the issuing authorities, and the exercise's partners.
    /// None by default, so a closure issuer pins nothing it was not told.
    fn authorities(&self) -> Vec<Vec<u8>> {
        Vec::new()
    }
}

impl<F> Issuer for F
where
    F: Fn(&CertificateSubject) -> Result<(CertificateChain, DeviceKey), IssueError> + Send + Sync,
{
    fn issue(
        &self,
        officer: &CertificateSubject,
    ) -> Result<(CertificateChain, DeviceKey), IssueError> {
        self(officer)
    }
}

/// A local exercise authority as an [`Issuer`]: a fresh device key and a
/// certificate valid for `validity` from now.
pub struct AuthorityIssuer {
    authority: Authority,
    organisation: String,
    validity: Duration,
    partners: Vec<Vec<u8>>,
}

impl AuthorityIssuer {
    /// Issues with `authority`, naming `organisation` in certificates.
    /// Profiles it issues pin `authority` at onboarding.
    pub fn new(authority: Authority, organisation: impl Into<String>, validity: Duration) -> Self {
        Self {
            authority,
            organisation: organisation.into(),
            validity,
            partners: Vec::new(),
        }
    }

    /// Profiles it issues also pin these partner authorities (DER) at
    /// onboarding: the exercise's other nations.
    pub fn with_partners(mut self, partners: Vec<Vec<u8>>) -> Self {
        self.partners = partners;
        self
    }
}

impl fmt::Debug for AuthorityIssuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorityIssuer")
            .field("organisation", &self.organisation)
            .finish_non_exhaustive()
    }
}

impl Issuer for AuthorityIssuer {
    fn issue(
        &self,
        officer: &CertificateSubject,
    ) -> Result<(CertificateChain, DeviceKey), IssueError> {
        let fail = |e: &dyn fmt::Display| IssueError(e.to_string());
        let key = DeviceKey::generate().map_err(|e| fail(&e))?;
        let attributes = OfficerAttributes::new(
            officer.officer_id.clone(),
            officer.display_name.clone(),
            self.organisation.clone(),
            officer.nationality,
            officer.clearance.clone(),
        )
        .map_err(|e| fail(&e))?;
        let now = SystemTime::now();
        let not_before = now.checked_sub(Duration::from_secs(60)).unwrap_or(now);
        let not_after = now
            .checked_add(self.validity)
            .ok_or_else(|| IssueError("validity too long".into()))?;
        let der = self
            .authority
            .issue(&attributes, &key.public_key(), not_before, not_after)
            .map_err(|e: AuthorityError| fail(&e))?;
        let chain = self.authority.chain_for(der).map_err(|e| fail(&e))?;
        Ok((chain, key))
    }

    fn authorities(&self) -> Vec<Vec<u8>> {
        let mut out = vec![self.authority.certificate_der().to_vec()];
        out.extend(self.authority.parent_certificates().iter().cloned());
        out.extend(self.partners.iter().cloned());
        out
    }
}

/// Relay timings (the defaults suit the desktop; tests shorten them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelayTimings {
    /// How long one request may take.
    pub request_timeout: Duration,
    /// How long one connection attempt may take.
    pub connect_timeout: Duration,
    /// First reconnection delay.
    pub min_backoff: Duration,
    /// Longest reconnection delay.
    pub max_backoff: Duration,
}

impl Default for RelayTimings {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(10),
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
        }
    }
}

/// The configuration of a [`Desk`](super::Desk).
#[non_exhaustive]
pub struct DeskConfig {
    /// The data directory.
    pub home: std::path::PathBuf,
    /// Demo mode (reported to the window).
    pub demo: bool,
    /// Argon2id cost for new passphrase-protected stores.
    pub kdf: KdfParams,
    /// Keyring service name for new keyring-protected stores.
    pub keyring_service: String,
    /// A relay URL that overrides the settings (environment or demo).
    pub relay_url: Option<String>,
    /// The relay certificates trusted; `None` uses the system roots.
    pub relay_trust: Option<RelayTrust>,
    /// Relay timings.
    pub timings: RelayTimings,
    /// Who issues exercise profiles; `None` refuses them.
    pub issuer: Option<Arc<dyn Issuer>>,
    /// Where events go.
    pub events: EventSink,
}

impl DeskConfig {
    /// Defaults for a home directory: keyring service `liaison-store`,
    /// default Argon2id cost, relay from the settings and the system roots,
    /// no exercise authority, events dropped.
    pub fn new(home: impl Into<std::path::PathBuf>) -> Self {
        Self {
            home: home.into(),
            demo: false,
            kdf: KdfParams::default(),
            keyring_service: KEYRING_SERVICE.to_owned(),
            relay_url: None,
            relay_trust: None,
            timings: RelayTimings::default(),
            issuer: None,
            events: ignore_events(),
        }
    }
}

impl fmt::Debug for DeskConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeskConfig")
            .field("home", &self.home)
            .field("demo", &self.demo)
            .field("relay_url", &self.relay_url)
            .field("issuer", &self.issuer.is_some())
            .finish_non_exhaustive()
    }
}
