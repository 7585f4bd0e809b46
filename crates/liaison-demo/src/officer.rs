//! An exercise officer: who a certificate is issued to.

use liaison_core::{Clearance, ClearanceAttribute, Nationality, OfficerAttributes, PolicyRegistry};

use crate::DemoError;

/// An officer of the exercise, as their nation's exercise authority
/// certifies them.
///
/// The attributes stay text until a certificate is issued, when they are
/// parsed against the world's label policies, so scripts, fixtures and
/// `liaison demo` describe officers as they would write them. The desktop
/// runtime's `liaison_desk::CertificateSubject` is the checked form the
/// desk hands its issuers; it has a name of its own because it is a
/// different thing (parsed, the clearance already a certificate
/// attribute), and the demo's desktop issuers convert it back to this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseOfficer {
    /// Unique officer identifier, e.g. `gbr.hughes`.
    pub officer_id: String,
    /// Name shown to partners, e.g. `Maj. Alex Hughes`.
    pub display_name: String,
    /// ISO 3166 alpha-3 nationality, e.g. `GBR`.
    pub nationality: String,
    /// Clearance as a level of one of the label policies, e.g.
    /// `NATO SECRET`.
    pub clearance: String,
}

impl ExerciseOfficer {
    /// An officer from its four attributes.
    pub fn new(
        officer_id: impl Into<String>,
        display_name: impl Into<String>,
        nationality: impl Into<String>,
        clearance: impl Into<String>,
    ) -> Self {
        Self {
            officer_id: officer_id.into(),
            display_name: display_name.into(),
            nationality: nationality.into(),
            clearance: clearance.into(),
        }
    }

    /// The nationality, parsed.
    pub fn nation(&self) -> Result<Nationality, DemoError> {
        Ok(self.nationality.parse()?)
    }

    /// The clearance, found among the levels of `registry`'s policies.
    pub fn parsed_clearance(&self, registry: &PolicyRegistry) -> Result<Clearance, DemoError> {
        let mut first_error = None;
        for policy in registry.iter() {
            match Clearance::builder(policy, &self.clearance).build() {
                Ok(clearance) => return Ok(clearance),
                Err(error) => {
                    first_error.get_or_insert(error);
                }
            }
        }
        Err(match first_error {
            Some(error) => error.into(),
            None => DemoError::UnknownClearance(self.clearance.clone()),
        })
    }

    /// The attributes its certificate carries; `organisation` names its
    /// service.
    pub(crate) fn attributes(
        &self,
        organisation: &str,
        registry: &PolicyRegistry,
    ) -> Result<OfficerAttributes, DemoError> {
        let clearance: ClearanceAttribute = self.parsed_clearance(registry)?.to_attribute();
        Ok(OfficerAttributes::new(
            &self.officer_id,
            &self.display_name,
            organisation,
            self.nation()?,
            clearance,
        )?)
    }
}
