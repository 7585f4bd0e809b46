//! The name shown beside an authority's fingerprint.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

use super::*;
use crate::{CredentialError, Fingerprint, authority_name};

fn self_signed(build: impl FnOnce(&mut CertificateParams)) -> Vec<u8> {
    let key = KeyPair::generate_for(&rcgen::PKCS_ED25519).unwrap();
    let mut params = CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    build(&mut params);
    params.self_signed(&key).unwrap().der().to_vec()
}

#[test]
fn the_name_is_the_common_name_and_only_the_fingerprint_tells_look_alikes_apart() {
    let real = authority("GBR Liaison Authority (exercise)");
    let look_alike = authority("GBR Liaison Authority (exercise)");
    assert_eq!(
        authority_name(real.certificate_der()).unwrap(),
        "GBR Liaison Authority (exercise)"
    );
    assert_eq!(
        authority_name(look_alike.certificate_der()).unwrap(),
        authority_name(real.certificate_der()).unwrap()
    );
    assert_ne!(
        Fingerprint::of(real.certificate_der()),
        Fingerprint::of(look_alike.certificate_der())
    );
}

#[test]
fn without_a_common_name_the_organisation_then_the_subject_is_shown() {
    let organisation = self_signed(|p| {
        p.distinguished_name
            .push(DnType::OrganizationName, "Staat der Nederlanden");
    });
    assert_eq!(
        authority_name(&organisation).unwrap(),
        "Staat der Nederlanden"
    );
    let country_only = self_signed(|p| p.distinguished_name.push(DnType::CountryName, "NL"));
    assert_eq!(authority_name(&country_only).unwrap(), "C=NL");
}

#[test]
fn names_cannot_disguise_themselves_on_screen() {
    let disguised = self_signed(|p| {
        p.distinguished_name
            .push(DnType::CommonName, "GBR \u{202E}ytirohtuA\u{202C} Liaison");
    });
    assert_eq!(
        authority_name(&disguised).unwrap(),
        "GBR \u{FFFD}ytirohtuA\u{FFFD} Liaison"
    );
    let long = self_signed(|p| {
        p.distinguished_name
            .push(DnType::CommonName, "A".repeat(300))
    });
    let shown = authority_name(&long).unwrap();
    assert_eq!(shown.chars().count(), 129);
    assert!(shown.ends_with('…'));
}

#[test]
fn bytes_that_are_not_a_certificate_are_malformed() {
    assert_eq!(
        authority_name(b"not a certificate"),
        Err(CredentialError::Malformed("certificate"))
    );
}
