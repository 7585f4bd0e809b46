//! Exercise authorities: one small CA per nation that certifies its
//! officers, kept as a PEM file so later runs issue from the same root.

use std::path::Path;
use std::time::{Duration, SystemTime};

use liaison_core::{
    Authority, CertificateChain, DeviceKey, Nationality, PolicyRegistry, TrustAnchors, Validity,
};

use crate::files;
use crate::{DemoError, ExerciseOfficer};

const DAY: Duration = Duration::from_secs(86_400);

/// How far back an authority's validity starts: a machine whose clock is
/// a little behind still accepts it.
const AUTHORITY_BACKDATE: Duration = Duration::from_secs(30 * 86_400);
/// How long an exercise authority is valid.
const AUTHORITY_LIFETIME: Duration = Duration::from_secs(20 * 365 * 86_400);

/// A nation's exercise authority: the partner CA that certifies its
/// officers' nationality and clearance.
pub struct ExerciseAuthority {
    authority: Authority,
    nation: Nationality,
    organisation: String,
}

impl std::fmt::Debug for ExerciseAuthority {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExerciseAuthority")
            .field("nation", &self.nation)
            .field("authority", &self.authority)
            .finish()
    }
}

impl ExerciseAuthority {
    /// A new authority for `nation` (alpha-3), named
    /// `<common_name>` and `<organisation>` in its certificate, valid from
    /// thirty days ago for twenty years.
    pub fn create(nation: &str, common_name: &str, organisation: &str) -> Result<Self, DemoError> {
        let nation: Nationality = nation.parse()?;
        let now = SystemTime::now();
        let validity = Validity::new(
            now.checked_sub(AUTHORITY_BACKDATE).unwrap_or(now),
            now + AUTHORITY_LIFETIME,
        )?;
        let authority = Authority::init(common_name, organisation, &nation, validity)?;
        Ok(Self {
            authority,
            nation,
            organisation: organisation.to_owned(),
        })
    }

    /// An authority for `nation` named after it, as tests and scripted
    /// scenarios use: `<NATION> Liaison Authority (exercise)`, issued by
    /// `<NATION> Ministry of Defence`.
    pub fn for_nation(nation: &str) -> Result<Self, DemoError> {
        Self::create(
            nation,
            &format!("{nation} Liaison Authority (exercise)"),
            &format!("{nation} Ministry of Defence"),
        )
    }

    /// Loads an authority saved with [`save`](Self::save), or creates and
    /// saves one if `path` does not exist.
    pub(crate) fn load_or_create(
        path: &Path,
        nation: &str,
        common_name: &str,
        organisation: &str,
    ) -> Result<Self, DemoError> {
        match files::read_secret(path)? {
            Some(pem) => {
                let authority = Authority::from_pem(&pem)?;
                Ok(Self {
                    authority,
                    nation: nation.parse()?,
                    organisation: organisation.to_owned(),
                })
            }
            None => {
                let created = Self::create(nation, common_name, organisation)?;
                created.save(path)?;
                Ok(created)
            }
        }
    }

    /// Writes the authority, its CA key included, to a file only the user
    /// can read.
    pub fn save(&self, path: &Path) -> Result<(), DemoError> {
        files::write_secret(path, self.authority.to_pem().as_bytes())
    }

    /// The nation it certifies.
    pub fn nation(&self) -> Nationality {
        self.nation
    }

    /// The underlying CA.
    pub fn authority(&self) -> &Authority {
        &self.authority
    }

    /// The underlying CA, to revoke certificates.
    pub fn authority_mut(&mut self) -> &mut Authority {
        &mut self.authority
    }

    /// Its certificate (DER): the trust anchor channels and relays list.
    pub fn certificate_der(&self) -> &[u8] {
        self.authority.certificate_der()
    }

    /// Certifies `officer`'s device key from a day ago for `lifetime`, as a
    /// member of this authority's organisation. The officer must be of this
    /// authority's nation.
    pub fn issue(
        &self,
        officer: &ExerciseOfficer,
        key: &DeviceKey,
        lifetime: Duration,
        registry: &PolicyRegistry,
    ) -> Result<CertificateChain, DemoError> {
        if officer.nation()? != self.nation {
            return Err(DemoError::UnknownNation(officer.nationality.clone()));
        }
        let attributes = officer.attributes(&self.organisation, registry)?;
        let now = SystemTime::now();
        let der = self.authority.issue(
            &attributes,
            &key.public_key(),
            now.checked_sub(DAY).unwrap_or(now),
            now + lifetime,
        )?;
        Ok(self.authority.chain_for(der)?)
    }
}

/// The trust anchors made of these authorities' certificates.
pub fn trust_anchors<'a>(
    authorities: impl IntoIterator<Item = &'a ExerciseAuthority>,
) -> Result<TrustAnchors, DemoError> {
    Ok(TrustAnchors::new(
        authorities
            .into_iter()
            .map(|a| a.certificate_der().to_vec())
            .collect(),
    )?)
}
