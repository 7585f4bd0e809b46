//! The RFC 5755 Clearance attribute value, written and read with yasna.
//!
//! ```text
//! Clearance ::= SEQUENCE {
//!     policyId            OBJECT IDENTIFIER,
//!     classList           ClassList DEFAULT {unclassified},
//!     securityCategories  SET OF SecurityCategory OPTIONAL }
//! ClassList ::= BIT STRING { unmarked (0), unclassified (1), restricted (2),
//!                            confidential (3), secret (4), topSecret (5) }
//! SecurityCategory ::= SEQUENCE {
//!     type   [0] IMPLICIT OBJECT IDENTIFIER,
//!     value  [1] EXPLICIT ANY DEFINED BY type }
//! ```
//!
//! Liaison's profile: a category's value is a UTF8String holding the tag
//! value (for example a caveat or a releasability code).

use yasna::models::TaggedDerValue;
use yasna::tags::{TAG_OID, TAG_UTF8STRING};
use yasna::{DERWriter, PCBit, Tag};

use super::attributes::is_disguising;
use super::error::CredentialError;
use super::oid;
use crate::ClearanceAttribute;

/// Most categories one clearance may hold.
const MAX_CATEGORIES: usize = 64;
/// Longest tag value, in characters.
const MAX_TAG_VALUE_CHARS: usize = 128;
/// The ASN.1 DEFAULT of classList: `{unclassified}` (named bit 1).
const DEFAULT_CLASS_LIST: u8 = 1 << 1;

const ATTRIBUTE: &str = "clearance";

fn bad(reason: &'static str) -> CredentialError {
    CredentialError::BadAttribute {
        attribute: ATTRIBUTE,
        reason,
    }
}

/// A clearance whose OIDs are encoded and whose categories are in DER
/// SET OF order, ready to write.
struct Prepared {
    policy: Vec<u8>,
    class_list: u8,
    /// `(encoded SecurityCategory, category OID dotted, tag value)`, sorted
    /// by the encoding.
    categories: Vec<(Vec<u8>, String, String)>,
}

fn prepare(clearance: &ClearanceAttribute) -> Result<Prepared, CredentialError> {
    let policy = oid::encode_dotted(&clearance.policy_oid).ok_or(bad("policy is not an OID"))?;
    if clearance.categories.len() > MAX_CATEGORIES {
        return Err(bad("too many security categories"));
    }
    let mut categories = Vec::with_capacity(clearance.categories.len());
    for (category_oid, value) in &clearance.categories {
        let type_oid = oid::encode_dotted(category_oid).ok_or(bad("category is not an OID"))?;
        check_tag_value(value)?;
        let encoded = yasna::construct_der(|writer| write_category(writer, &type_oid, value));
        categories.push((encoded, category_oid.clone(), value.clone()));
    }
    categories.sort_by(|a, b| a.0.cmp(&b.0));
    if categories.windows(2).any(|pair| match pair {
        [a, b] => a.0 == b.0,
        _ => false,
    }) {
        return Err(bad("a security category appears twice"));
    }
    Ok(Prepared {
        policy,
        class_list: clearance.class_list,
        categories,
    })
}

fn check_tag_value(value: &str) -> Result<(), CredentialError> {
    if value.is_empty() {
        return Err(bad("empty category value"));
    }
    if value.chars().count() > MAX_TAG_VALUE_CHARS {
        return Err(bad("category value too long"));
    }
    if value.chars().any(is_disguising) {
        return Err(bad("category value contains control characters"));
    }
    Ok(())
}

/// Checks a clearance against the profile and puts its categories in the
/// order a decoded certificate yields them, so that equal clearances
/// compare equal.
pub(crate) fn canonical(
    clearance: ClearanceAttribute,
) -> Result<ClearanceAttribute, CredentialError> {
    let prepared = prepare(&clearance)?;
    let mut canonical = clearance;
    canonical.categories = prepared
        .categories
        .into_iter()
        .map(|(_, category, value)| (category, value))
        .collect();
    Ok(canonical)
}

/// DER encoding of the Clearance value.
pub(crate) fn encode(clearance: &ClearanceAttribute) -> Result<Vec<u8>, CredentialError> {
    let prepared = prepare(clearance)?;
    Ok(yasna::construct_der(|writer| {
        writer.write_sequence(|seq| {
            write_oid(seq.next(), &prepared.policy);
            if prepared.class_list != DEFAULT_CLASS_LIST {
                // ClassList bit n is value 1 << n; BIT STRING bit n is the
                // n-th most significant bit of the first octet.
                let octet = prepared.class_list.reverse_bits();
                let used_bits = match octet {
                    0 => 0,
                    _ => 8 - usize::try_from(octet.trailing_zeros()).unwrap_or(0),
                };
                let octets: &[u8] = if used_bits == 0 { &[] } else { &[octet] };
                seq.next().write_bitvec_bytes(octets, used_bits);
            }
            if !prepared.categories.is_empty() {
                seq.next().write_set_of(|set| {
                    for (encoded, _, _) in &prepared.categories {
                        set.next().write_der(encoded);
                    }
                });
            }
        });
    }))
}

fn write_oid(writer: DERWriter<'_>, content: &[u8]) {
    writer.write_tagged_der(&TaggedDerValue::from_tag_pc_and_bytes(
        TAG_OID,
        PCBit::Primitive,
        content.to_vec(),
    ));
}

fn write_category(writer: DERWriter<'_>, type_oid: &[u8], value: &str) {
    writer.write_sequence(|seq| {
        seq.next()
            .write_tagged_der(&TaggedDerValue::from_tag_pc_and_bytes(
                Tag::context(0),
                PCBit::Primitive,
                type_oid.to_vec(),
            ));
        seq.next()
            .write_tagged(Tag::context(1), |inner| inner.write_utf8string(value));
    });
}

/// The parts of a Clearance as read, before they are checked.
struct Raw {
    policy: TaggedDerValue,
    class_list: Option<(Vec<u8>, usize)>,
    categories: Vec<(TaggedDerValue, TaggedDerValue)>,
}

/// Decodes a DER Clearance value.
pub(crate) fn decode(der: &[u8]) -> Result<ClearanceAttribute, CredentialError> {
    let raw = yasna::parse_der(der, |reader| {
        reader.read_sequence(|seq| {
            let policy = seq.next().read_tagged_der()?;
            let class_list = seq.read_optional(|r| r.read_bitvec_bytes())?;
            let categories = seq
                .read_optional(|r| {
                    r.collect_set_of(|r| {
                        r.read_sequence(|category| {
                            let type_oid = category.next().read_tagged_der()?;
                            let value = category
                                .next()
                                .read_tagged(Tag::context(1), |r| r.read_tagged_der())?;
                            Ok((type_oid, value))
                        })
                    })
                })?
                .unwrap_or_default();
            Ok(Raw {
                policy,
                class_list,
                categories,
            })
        })
    })
    .map_err(|_| bad("malformed Clearance"))?;

    let policy_oid = oid_of(&raw.policy, TAG_OID).ok_or(bad("policy is not an OID"))?;
    let class_list = match raw.class_list {
        None => DEFAULT_CLASS_LIST,
        Some((octets, _)) => class_list_from_octets(&octets)?,
    };
    if raw.categories.len() > MAX_CATEGORIES {
        return Err(bad("too many security categories"));
    }
    let mut categories = Vec::with_capacity(raw.categories.len());
    for (type_oid, value) in &raw.categories {
        let category = oid_of(type_oid, Tag::context(0)).ok_or(bad("category is not an OID"))?;
        if value.tag() != TAG_UTF8STRING || value.pcbit() != PCBit::Primitive {
            return Err(bad("category value is not a UTF8String"));
        }
        let text = std::str::from_utf8(value.value())
            .map_err(|_| bad("category value is not valid UTF-8"))?;
        categories.push((category, text.to_owned()));
    }
    canonical(ClearanceAttribute {
        policy_oid,
        class_list,
        categories,
    })
}

fn oid_of(value: &TaggedDerValue, tag: Tag) -> Option<String> {
    (value.tag() == tag && value.pcbit() == PCBit::Primitive)
        .then(|| oid::decode_dotted(value.value()))
        .flatten()
}

/// Only the six named classes and two spare bits fit the `u8`; a
/// certificate naming more classes than that is refused, not truncated.
fn class_list_from_octets(octets: &[u8]) -> Result<u8, CredentialError> {
    let (first, rest) = match octets.split_first() {
        None => return Ok(0),
        Some(split) => split,
    };
    if rest.iter().any(|&b| b != 0) {
        return Err(bad("class list names classes beyond the eighth"));
    }
    Ok(first.reverse_bits())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn clearance(class_list: u8, categories: &[(&str, &str)]) -> ClearanceAttribute {
        ClearanceAttribute {
            policy_oid: "1.3.26.1.3.1".to_owned(),
            class_list,
            categories: categories
                .iter()
                .map(|(o, v)| ((*o).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn every_class_list_round_trips() {
        for class_list in 0..=u8::MAX {
            let c = clearance(class_list, &[]);
            assert_eq!(decode(&encode(&c).unwrap()).unwrap(), c);
        }
    }

    #[test]
    fn default_class_list_is_omitted_as_der_requires() {
        let der = encode(&clearance(DEFAULT_CLASS_LIST, &[])).unwrap();
        // SEQUENCE { OID 1.3.26.1.3.1 } and nothing else.
        assert_eq!(der, [0x30, 0x07, 0x06, 0x05, 0x2b, 0x1a, 0x01, 0x03, 0x01]);
    }

    #[test]
    fn secret_class_list_is_encoded_as_named_bit_four() {
        let der = encode(&clearance(1 << 4, &[])).unwrap();
        // BIT STRING, 3 unused bits, 0b0000_1000.
        assert!(der.ends_with(&[0x03, 0x02, 0x03, 0x08]), "{der:02x?}");
    }

    #[test]
    fn categories_round_trip_in_canonical_order() {
        let c = clearance(
            1 << 4,
            &[
                ("2.25.7", "REL TO GBR"),
                ("1.2.3", "EYES ONLY"),
                ("1.2.3", "ALPHA"),
            ],
        );
        let decoded = decode(&encode(&c).unwrap()).unwrap();
        assert_eq!(decoded, canonical(c).unwrap());
        assert_eq!(decoded.categories.len(), 3);
    }

    #[test]
    fn duplicate_categories_are_refused() {
        let c = clearance(2, &[("1.2.3", "A"), ("1.2.3", "A")]);
        assert!(matches!(
            encode(&c),
            Err(CredentialError::BadAttribute { .. })
        ));
    }

    #[test]
    fn a_category_value_that_is_not_utf8string_is_refused() {
        // SecurityCategory { [0] 1.2.3, [1] { PrintableString "A" } }
        let der = [
            0x30, 0x12, 0x06, 0x03, 0x2a, 0x03, 0x04, 0x31, 0x0b, 0x30, 0x09, 0x80, 0x02, 0x2a,
            0x03, 0xa1, 0x03, 0x13, 0x01, 0x41,
        ];
        assert_eq!(
            decode(&der),
            Err(bad("category value is not a UTF8String")),
            "{der:02x?}"
        );
    }

    #[test]
    fn garbage_is_refused() {
        assert!(decode(&[]).is_err());
        assert!(decode(&[0x30, 0x80]).is_err());
        assert!(decode(&[0x30, 0x03, 0x06, 0x01, 0x80]).is_err());
    }
}
