//! Officer attributes: profile checks and the certificate round trip.

use rcgen::{CertificateParams, DnType, KeyPair};

use super::*;
use crate::{CredentialError, verify_credential};

fn parse(der: &[u8]) -> x509_parser::certificate::X509Certificate<'_> {
    x509_parser::parse_x509_certificate(der).unwrap().1
}

#[test]
fn attributes_round_trip_through_a_certificate() {
    let ca = authority("GBR Liaison CA");
    for (id, name, org, nat, clearance) in [
        (
            "gbr-0001",
            "Alice Martin",
            "Border Security Cell",
            "GBR",
            clearance(),
        ),
        (
            "fra/42",
            "Élodie Dupré-Łukasiewicz",
            "Ministère de l'Intérieur",
            "FRA",
            ClearanceAttribute {
                policy_oid: "2.25.117053492409630414108264198054044550203.9".to_owned(),
                class_list: 0,
                categories: Vec::new(),
            },
        ),
        (
            "7",
            "李 小龙",
            "NATO JFC",
            "NLD",
            ClearanceAttribute {
                policy_oid: "1.3.26.1.3.1".to_owned(),
                class_list: 0b10_0001,
                categories: vec![("1.2.3.4".to_owned(), "EYES ONLY".to_owned())],
            },
        ),
    ] {
        let attrs = OfficerAttributes::new(id, name, org, nationality(nat), clearance).unwrap();
        let key = DeviceKey::generate().unwrap();
        let der = ca
            .issue(&attrs, &key.public_key(), at(YEAR), at(2 * YEAR))
            .unwrap();
        assert_eq!(
            OfficerAttributes::from_certificate(&parse(&der)).unwrap(),
            attrs
        );
    }
}

#[test]
fn certificate_without_liaison_attributes_is_missing_them() {
    // An ordinary certificate: CN and O, no UID, no subjectDirectoryAttributes.
    let key = KeyPair::generate_for(&rcgen::PKCS_ED25519).unwrap();
    let mut params = CertificateParams::default();
    params
        .distinguished_name
        .push(DnType::CommonName, "Alice Martin");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Border Security Cell");
    let der = params.self_signed(&key).unwrap().der().to_vec();
    assert_eq!(
        OfficerAttributes::from_certificate(&parse(&der)),
        Err(CredentialError::MissingAttribute("officer id (UID)"))
    );

    params.distinguished_name.push(
        DnType::CustomDnType(vec![0, 9, 2342, 19_200_300, 100, 1, 1]),
        "gbr-0001",
    );
    let der = params.self_signed(&key).unwrap().der().to_vec();
    assert_eq!(
        OfficerAttributes::from_certificate(&parse(&der)),
        Err(CredentialError::MissingAttribute("countryOfCitizenship"))
    );
}

#[test]
fn verification_reports_a_missing_attribute() {
    // A valid chain whose leaf lacks the clearance: issued by a foreign CA
    // (rcgen directly) with only the nationality in the extension.
    let ca_key = KeyPair::generate_for(&rcgen::PKCS_ED25519).unwrap();
    let mut ca_params = CertificateParams::default();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "Foreign CA");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca_der = ca_params.self_signed(&ca_key).unwrap().der().to_vec();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);

    let device = DeviceKey::generate().unwrap();
    let mut params = CertificateParams::default();
    params
        .distinguished_name
        .push(DnType::CommonName, "Alice Martin");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Border Security Cell");
    params.distinguished_name.push(
        DnType::CustomDnType(vec![0, 9, 2342, 19_200_300, 100, 1, 1]),
        "gbr-0001",
    );
    let only_nationality = yasna::construct_der(|w| {
        w.write_sequence(|seq| {
            seq.next().write_sequence(|attr| {
                attr.next()
                    .write_oid(&yasna::models::ObjectIdentifier::from_slice(&[
                        1, 3, 6, 1, 5, 5, 7, 9, 4,
                    ]));
                attr.next()
                    .write_set_of(|set| set.next().write_printable_string("GB"));
            });
        });
    });
    params.custom_extensions = vec![rcgen::CustomExtension::from_oid_content(
        &[2, 5, 29, 9],
        only_nationality,
    )];
    let leaf = params
        .signed_by(
            &crate::device_key::RawEd25519Public(device.public_key()),
            &issuer,
        )
        .unwrap()
        .der()
        .to_vec();
    let err = verify_credential(
        &single_chain(&leaf),
        &TrustAnchors::new(vec![ca_der]).unwrap(),
        now(),
        &device.public_key(),
    )
    .unwrap_err();
    assert_eq!(err, CredentialError::MissingAttribute("clearance"));
}

#[test]
fn names_that_could_disguise_what_is_shown_are_refused() {
    for bad in [
        "",
        " Alice",
        "Alice ",
        "Ali\u{202E}ecilA",
        "Alice\u{200B}",
        "Alice\nMartin",
        &"A".repeat(65),
    ] {
        let result =
            OfficerAttributes::new("gbr-0001", bad, "Cell", nationality("GBR"), clearance());
        assert!(
            matches!(result, Err(CredentialError::BadAttribute { .. })),
            "{bad:?} accepted"
        );
    }
    OfficerAttributes::new(
        "gbr-0001",
        "A".repeat(64),
        "Cell",
        nationality("GBR"),
        clearance(),
    )
    .unwrap();
}

#[test]
fn nationality_without_an_iso_code_is_refused() {
    let result = OfficerAttributes::new("x", "X", "Y", nationality("XXX"), clearance());
    assert_eq!(
        result,
        Err(CredentialError::BadAttribute {
            attribute: "countryOfCitizenship",
            reason: "not an officially assigned ISO 3166-1 code",
        })
    );
}

#[test]
fn malformed_clearance_policy_is_refused() {
    let mut bad = clearance();
    bad.policy_oid = "NATO".to_owned();
    assert!(matches!(
        OfficerAttributes::new("x", "X", "Y", nationality("GBR"), bad),
        Err(CredentialError::BadAttribute {
            attribute: "clearance",
            ..
        })
    ));
}

#[test]
fn the_country_table_is_complete_and_consistent() {
    use crate::country::{COUNTRY_COUNT, alpha2_for_alpha3, alpha3_for_alpha2};
    assert_eq!(COUNTRY_COUNT, 249, "ISO 3166-1 assigns 249 codes");
    for (a2, a3) in [
        ("GB", "GBR"),
        ("FR", "FRA"),
        ("DE", "DEU"),
        ("US", "USA"),
        ("UA", "UKR"),
        ("ZW", "ZWE"),
        ("AD", "AND"),
    ] {
        assert_eq!(alpha3_for_alpha2(a2), Some(a3));
        assert_eq!(alpha2_for_alpha3(a3), Some(a2));
    }
    assert_eq!(alpha3_for_alpha2("XK"), None);
    assert_eq!(
        alpha3_for_alpha2("UK"),
        None,
        "UK is reserved, GB is assigned"
    );
}
