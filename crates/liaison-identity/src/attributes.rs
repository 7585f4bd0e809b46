//! What a certificate says about an officer, and how it is read back.

use x509_parser::certificate::X509Certificate;
use x509_parser::der_parser::asn1_rs::Tag;
use x509_parser::x509::{AttributeTypeAndValue, X509Name};

use super::clearance;
use super::country;
use super::directory::{self, DirectoryAttributes};
use super::error::CredentialError;
use super::oid;
use crate::{ClearanceAttribute, Nationality};

/// Upper bound for the display name, RFC 5280 `ub-common-name`.
const MAX_DISPLAY_NAME_CHARS: usize = 64;
/// Upper bound for the organisation, RFC 5280 `ub-organization-name`.
const MAX_ORGANISATION_CHARS: usize = 64;
/// Upper bound for the officer id (UID has no X.520 bound; 64 as for names).
const MAX_OFFICER_ID_CHARS: usize = 64;

/// The attributes a partner authority vouches for in an officer's
/// certificate.
///
/// Every value of this type satisfies the certificate profile
/// (`docs/identity.md`): names are 1 to 64 characters without control or
/// bidirectional-formatting characters and without surrounding spaces, the
/// nationality has an ISO 3166-1 alpha-2 equivalent, the clearance OIDs are
/// well formed and its categories are in canonical (DER) order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficerAttributes {
    officer_id: String,
    display_name: String,
    organisation: String,
    nationality: Nationality,
    clearance: ClearanceAttribute,
}

impl OfficerAttributes {
    /// Checks the values against the profile and builds the attributes.
    pub fn new(
        officer_id: impl Into<String>,
        display_name: impl Into<String>,
        organisation: impl Into<String>,
        nationality: Nationality,
        clearance: ClearanceAttribute,
    ) -> Result<Self, CredentialError> {
        let officer_id = officer_id.into();
        let display_name = display_name.into();
        let organisation = organisation.into();
        check_name(&officer_id, "officer id (UID)", MAX_OFFICER_ID_CHARS)?;
        check_name(&display_name, "display name (CN)", MAX_DISPLAY_NAME_CHARS)?;
        check_name(&organisation, "organisation (O)", MAX_ORGANISATION_CHARS)?;
        if country::alpha2_for_alpha3(nationality.as_str()).is_none() {
            return Err(CredentialError::BadAttribute {
                attribute: "countryOfCitizenship",
                reason: "not an officially assigned ISO 3166-1 code",
            });
        }
        let clearance = clearance::canonical(clearance)?;
        Ok(Self {
            officer_id,
            display_name,
            organisation,
            nationality,
            clearance,
        })
    }

    /// The officer's identifier, unique within the issuing authority.
    pub fn officer_id(&self) -> &str {
        &self.officer_id
    }

    /// The name shown to other members.
    pub fn display_name(&self) -> &str {
        &self.display_name
    }

    /// The officer's organisation.
    pub fn organisation(&self) -> &str {
        &self.organisation
    }

    /// The officer's nationality (ISO 3166-1 alpha-3).
    pub fn nationality(&self) -> &Nationality {
        &self.nationality
    }

    /// The officer's clearance.
    pub fn clearance(&self) -> &ClearanceAttribute {
        &self.clearance
    }

    /// Reads the attributes from a parsed certificate.
    pub(crate) fn from_certificate(cert: &X509Certificate<'_>) -> Result<Self, CredentialError> {
        let subject = cert.subject();
        let display_name = single_string(subject, oid::COMMON_NAME, "display name (CN)")?;
        let organisation = single_string(subject, oid::ORGANISATION_NAME, "organisation (O)")?;
        let officer_id = single_string(subject, oid::UID, "officer id (UID)")?;

        let mut directory_value = None;
        for extension in cert.extensions() {
            if extension.oid.as_bytes() == oid::SUBJECT_DIRECTORY_ATTRIBUTES {
                if directory_value.is_some() {
                    return Err(CredentialError::BadAttribute {
                        attribute: "subjectDirectoryAttributes",
                        reason: "the extension appears twice",
                    });
                }
                directory_value = Some(extension.value);
            }
        }
        let DirectoryAttributes {
            nationality,
            clearance,
        } = match directory_value {
            Some(value) => directory::decode(value)?,
            None => DirectoryAttributes::default(),
        };
        let nationality =
            nationality.ok_or(CredentialError::MissingAttribute("countryOfCitizenship"))?;
        let clearance = clearance.ok_or(CredentialError::MissingAttribute("clearance"))?;
        Self::new(
            officer_id,
            display_name,
            organisation,
            nationality,
            clearance,
        )
    }
}

/// Names appear on screen next to security markings: refuse anything that
/// could disguise what is shown (control and bidi-override characters,
/// invisible padding).
fn check_name(
    value: &str,
    attribute: &'static str,
    max_chars: usize,
) -> Result<(), CredentialError> {
    let bad = |reason| CredentialError::BadAttribute { attribute, reason };
    if value.is_empty() {
        return Err(bad("empty"));
    }
    if value.chars().count() > max_chars {
        return Err(bad("too long"));
    }
    if value.chars().any(is_disguising) {
        return Err(bad(
            "contains control or bidirectional formatting characters",
        ));
    }
    if value.trim() != value {
        return Err(bad("leading or trailing white space"));
    }
    Ok(())
}

pub(crate) fn is_disguising(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'   // zero-width characters and LRM/RLM
            | '\u{202A}'..='\u{202E}' // embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner and invisible operators
            | '\u{2066}'..='\u{2069}' // isolates
            | '\u{FEFF}'              // zero-width no-break space
        )
}

fn single_string(
    name: &X509Name<'_>,
    attribute_oid: &[u8],
    attribute: &'static str,
) -> Result<String, CredentialError> {
    let mut values = name
        .iter_attributes()
        .filter(|a| a.attr_type().as_bytes() == attribute_oid);
    let first = values
        .next()
        .ok_or(CredentialError::MissingAttribute(attribute))?;
    if values.next().is_some() {
        return Err(CredentialError::BadAttribute {
            attribute,
            reason: "appears more than once",
        });
    }
    directory_string(first).ok_or(CredentialError::BadAttribute {
        attribute,
        reason: "not a UTF8String, PrintableString, IA5String or BMPString",
    })
}

/// X.520 DirectoryString in the forms met in practice.
pub(crate) fn directory_string(value: &AttributeTypeAndValue<'_>) -> Option<String> {
    match value.attr_value().tag() {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String => {
            value.as_str().ok().map(str::to_owned)
        }
        Tag::BmpString => {
            let bytes = value.as_slice();
            if !bytes.len().is_multiple_of(2) {
                return None;
            }
            let units = bytes.chunks_exact(2).filter_map(|pair| match pair {
                [high, low] => Some(u16::from_be_bytes([*high, *low])),
                _ => None,
            });
            char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok()
        }
        _ => None,
    }
}
