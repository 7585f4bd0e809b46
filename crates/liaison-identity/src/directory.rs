//! The subjectDirectoryAttributes extension (RFC 5280 §4.2.1.8): nationality
//! and clearance.
//!
//! ```text
//! SubjectDirectoryAttributes ::= SEQUENCE SIZE (1..MAX) OF Attribute
//! Attribute ::= SEQUENCE { type OBJECT IDENTIFIER, values SET OF ANY }
//! countryOfCitizenship (RFC 3739): PrintableString (SIZE (2)), ISO 3166 alpha-2
//! clearance (RFC 5755, 2.5.4.55): Clearance, see `clearance.rs`
//! ```
//!
//! Other attribute types (a national PKI may add dateOfBirth, gender...)
//! are skipped. Liaison takes one nationality and one clearance: several of
//! either would make releasability ambiguous, so they are refused.

use std::str::FromStr;

use yasna::PCBit;
use yasna::models::TaggedDerValue;
use yasna::tags::TAG_OID;

use super::clearance;
use super::country;
use super::error::CredentialError;
use super::oid;
use crate::{ClearanceAttribute, Nationality};

/// Most attributes read from one extension; bounds the work on hostile input.
const MAX_ATTRIBUTES: usize = 32;

const NATIONALITY: &str = "countryOfCitizenship";
const CLEARANCE: &str = "clearance";

/// The Liaison attributes found in the extension.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct DirectoryAttributes {
    pub(crate) nationality: Option<Nationality>,
    pub(crate) clearance: Option<ClearanceAttribute>,
}

/// The extension value (the content of extnValue) for the two attributes.
pub(crate) fn encode(
    nationality: &Nationality,
    clearance: &ClearanceAttribute,
) -> Result<Vec<u8>, CredentialError> {
    let alpha2 =
        country::alpha2_for_alpha3(nationality.as_str()).ok_or(CredentialError::BadAttribute {
            attribute: NATIONALITY,
            reason: "not an officially assigned ISO 3166-1 code",
        })?;
    let clearance = clearance::encode(clearance)?;
    Ok(yasna::construct_der(|writer| {
        writer.write_sequence(|seq| {
            seq.next().write_sequence(|attribute| {
                write_oid(attribute, oid::COUNTRY_OF_CITIZENSHIP);
                attribute
                    .next()
                    .write_set_of(|set| set.next().write_printable_string(alpha2));
            });
            seq.next().write_sequence(|attribute| {
                write_oid(attribute, oid::CLEARANCE);
                attribute
                    .next()
                    .write_set_of(|set| set.next().write_der(&clearance));
            });
        });
    }))
}

fn write_oid(seq: &mut yasna::DERWriterSeq<'_>, content: &[u8]) {
    seq.next()
        .write_tagged_der(&TaggedDerValue::from_tag_pc_and_bytes(
            TAG_OID,
            PCBit::Primitive,
            content.to_vec(),
        ));
}

/// Reads the extension value.
pub(crate) fn decode(value: &[u8]) -> Result<DirectoryAttributes, CredentialError> {
    let attributes = yasna::parse_der(value, |reader| {
        reader.collect_sequence_of(|r| {
            r.read_sequence(|attribute| {
                let kind = attribute.next().read_tagged_der()?;
                let values = attribute.next().collect_set_of(|r| r.read_der())?;
                Ok((kind, values))
            })
        })
    })
    .map_err(|_| CredentialError::BadAttribute {
        attribute: "subjectDirectoryAttributes",
        reason: "malformed extension",
    })?;
    if attributes.len() > MAX_ATTRIBUTES {
        return Err(CredentialError::BadAttribute {
            attribute: "subjectDirectoryAttributes",
            reason: "too many attributes",
        });
    }

    let mut found = DirectoryAttributes::default();
    for (kind, values) in &attributes {
        if kind.tag() != TAG_OID || kind.pcbit() != PCBit::Primitive {
            return Err(CredentialError::BadAttribute {
                attribute: "subjectDirectoryAttributes",
                reason: "attribute type is not an OID",
            });
        }
        if kind.value() == oid::COUNTRY_OF_CITIZENSHIP {
            let value = single(values, NATIONALITY, found.nationality.is_some())?;
            found.nationality = Some(nationality(value)?);
        } else if kind.value() == oid::CLEARANCE {
            let value = single(values, CLEARANCE, found.clearance.is_some())?;
            found.clearance = Some(clearance::decode(value)?);
        }
    }
    Ok(found)
}

fn single<'v>(
    values: &'v [Vec<u8>],
    attribute: &'static str,
    already_seen: bool,
) -> Result<&'v [u8], CredentialError> {
    if already_seen {
        return Err(CredentialError::BadAttribute {
            attribute,
            reason: "appears more than once; Liaison takes exactly one",
        });
    }
    match values {
        [value] => Ok(value),
        [] => Err(CredentialError::BadAttribute {
            attribute,
            reason: "attribute without a value",
        }),
        _ => Err(CredentialError::BadAttribute {
            attribute,
            reason: "more than one value; Liaison takes exactly one",
        }),
    }
}

fn nationality(value: &[u8]) -> Result<Nationality, CredentialError> {
    let bad = |reason| CredentialError::BadAttribute {
        attribute: NATIONALITY,
        reason,
    };
    let alpha2 = yasna::parse_der(value, |r| r.read_printable_string())
        .map_err(|_| bad("not a PrintableString"))?;
    let alpha3 = country::alpha3_for_alpha2(&alpha2)
        .ok_or(bad("not an officially assigned ISO 3166-1 code"))?;
    Nationality::from_str(alpha3).map_err(|_| bad("not an ISO 3166-1 alpha-3 code"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn gbr() -> Nationality {
        Nationality::from_str("GBR").unwrap()
    }

    fn clearance() -> ClearanceAttribute {
        ClearanceAttribute {
            policy_oid: "1.3.26.1.3.1".to_owned(),
            class_list: 1 << 4,
            categories: vec![("1.3.26.1.3.1.2".to_owned(), "NATO".to_owned())],
        }
    }

    #[test]
    fn nationality_and_clearance_round_trip() {
        let der = encode(&gbr(), &clearance()).unwrap();
        let found = decode(&der).unwrap();
        assert_eq!(found.nationality, Some(gbr()));
        assert_eq!(found.clearance, Some(clearance()));
    }

    #[test]
    fn nationality_is_written_as_alpha2() {
        let der = encode(&Nationality::from_str("FRA").unwrap(), &clearance()).unwrap();
        let printable_fr = [0x13, 0x02, b'F', b'R'];
        assert!(der.windows(4).any(|w| w == printable_fr));
    }

    #[test]
    fn unknown_attributes_are_skipped() {
        // SEQUENCE { SEQUENCE { OID 1.2.3, SET { NULL } } }
        let der = [
            0x30, 0x0a, 0x30, 0x08, 0x06, 0x02, 0x2a, 0x03, 0x31, 0x02, 0x05, 0x00,
        ];
        assert_eq!(decode(&der).unwrap(), DirectoryAttributes::default());
    }

    #[test]
    fn two_nationalities_are_refused() {
        let one = encode(&gbr(), &clearance()).unwrap();
        // Re-wrap the country attribute twice.
        let inner = yasna::parse_der(&one, |r| r.collect_sequence_of(|r| r.read_der())).unwrap();
        let twice = yasna::construct_der(|w| {
            w.write_sequence(|seq| {
                seq.next().write_der(&inner[0]);
                seq.next().write_der(&inner[0]);
            })
        });
        assert!(matches!(
            decode(&twice),
            Err(CredentialError::BadAttribute {
                attribute: NATIONALITY,
                ..
            })
        ));
    }

    #[test]
    fn unassigned_country_codes_are_refused() {
        // SEQUENCE { SEQUENCE { countryOfCitizenship, SET { PrintableString "XK" } } }
        let der = yasna::construct_der(|w| {
            w.write_sequence(|seq| {
                seq.next().write_sequence(|a| {
                    write_oid(a, oid::COUNTRY_OF_CITIZENSHIP);
                    a.next()
                        .write_set_of(|s| s.next().write_printable_string("XK"));
                })
            })
        });
        assert!(decode(&der).is_err());
    }
}
