//! The small CA: profile of what it issues, persistence, revocation.

use std::collections::HashSet;

use super::*;
use crate::{AuthorityError, CertificateSerial, CredentialError, verify_credential};

fn parse(der: &[u8]) -> x509_parser::certificate::X509Certificate<'_> {
    x509_parser::parse_x509_certificate(der).unwrap().1
}

#[test]
fn root_certificate_is_a_ca_with_the_expected_subject() {
    let ca = authority("GBR Liaison CA");
    let cert = parse(ca.certificate_der());
    assert!(cert.is_ca());
    let usage = cert.key_usage().unwrap().unwrap().value;
    assert!(usage.key_cert_sign() && usage.crl_sign());
    assert_eq!(
        cert.subject().to_string(),
        "C=GB, O=Liaison Exercise, CN=GBR Liaison CA"
    );
    assert_eq!(cert.subject().as_raw(), cert.issuer().as_raw());
}

#[test]
fn officer_certificate_follows_the_profile() {
    let ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    let cert = parse(&alice.certificate);
    assert!(!cert.is_ca());
    assert!(cert.key_usage().unwrap().unwrap().value.digital_signature());
    let eku = cert.extended_key_usage().unwrap().unwrap();
    assert!(eku.value.client_auth);
    assert_eq!(
        eku.value
            .other
            .iter()
            .map(|o| o.to_id_string())
            .collect::<Vec<_>>()
            .len(),
        1,
        "the Liaison purpose"
    );
    let directory = cert
        .extensions()
        .iter()
        .find(|e| e.oid.to_id_string() == "2.5.29.9")
        .unwrap();
    assert!(
        !directory.critical,
        "RFC 3739: subjectDirectoryAttributes is not critical"
    );
    assert_eq!(
        cert.issuer().as_raw(),
        parse(ca.certificate_der()).subject().as_raw()
    );
}

#[test]
fn serials_are_random_positive_and_unique() {
    let ca = authority("GBR Liaison CA");
    let key = DeviceKey::generate().unwrap();
    let mut seen = HashSet::new();
    for _ in 0..32 {
        let der = ca
            .issue(
                &attributes("gbr-0001"),
                &key.public_key(),
                at(YEAR),
                at(2 * YEAR),
            )
            .unwrap();
        let serial = CertificateSerial::of_certificate(&der).unwrap();
        assert_eq!(serial.as_bytes().len(), 16);
        assert!(serial.as_bytes()[0] & 0x80 == 0 && serial.as_bytes()[0] != 0);
        assert!(seen.insert(serial));
    }
}

#[test]
fn persisted_authority_keeps_issuing_verifiable_certificates() {
    let mut ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    ca.revoke(&CertificateSerial::of_certificate(&alice.certificate).unwrap());
    let pem = ca.to_pem();
    assert!(pem.contains("BEGIN PRIVATE KEY"));

    let reloaded = Authority::from_pem(&pem).unwrap();
    assert_eq!(reloaded.certificate_der(), ca.certificate_der());
    assert_eq!(reloaded.revoked().count(), 1);

    let bob = officer(&reloaded, "gbr-0002");
    let anchors = anchors_of(&[&ca]);
    verify_credential(
        &single_chain(&bob.certificate),
        &anchors,
        now(),
        &bob.key.public_key(),
    )
    .unwrap();

    // The reloaded authority still revokes Alice in its CRLs.
    let crl = reloaded
        .crl(now(), now() + Duration::from_secs(DAY))
        .unwrap();
    let anchors = anchors.with_crl(crl).unwrap();
    assert_eq!(
        verify_credential(
            &single_chain(&alice.certificate),
            &anchors,
            now(),
            &alice.key.public_key()
        )
        .unwrap_err(),
        CredentialError::Revoked
    );
}

#[test]
fn persisted_issuing_ca_keeps_its_parents() {
    let root = authority("Root");
    let issuing = root
        .issue_subordinate(
            "Issuing",
            "Liaison Exercise",
            &nationality("FRA"),
            Validity::new(at(0), at(5 * YEAR)).unwrap(),
        )
        .unwrap();
    let reloaded = Authority::from_pem(&issuing.to_pem()).unwrap();
    assert_eq!(
        reloaded.parent_certificates(),
        [root.certificate_der().to_vec()]
    );
    let bob = officer(&reloaded, "fra-0042");
    verify_credential(
        &reloaded.chain_for(bob.certificate).unwrap(),
        &anchors_of(&[&root]),
        now(),
        &bob.key.public_key(),
    )
    .unwrap();
}

#[test]
fn a_key_from_another_authority_is_refused_on_load() {
    let a = authority("A");
    let b = authority("B");
    let a_pem = a.to_pem();
    let b_pem = b.to_pem();
    let a_cert = &a_pem[..a_pem.find("-----BEGIN PRIVATE KEY").unwrap()];
    let b_key = &b_pem[b_pem.find("-----BEGIN PRIVATE KEY").unwrap()..];
    assert_eq!(
        Authority::from_pem(&format!("{a_cert}{b_key}")).unwrap_err(),
        AuthorityError::Persistence("the key does not match the certificate")
    );
    assert!(Authority::from_pem("garbage").is_err());
}

#[test]
fn debug_and_display_never_show_the_key() {
    let ca = authority("GBR Liaison CA");
    let pem = ca.to_pem();
    let key_block = pem
        .lines()
        .skip_while(|l| !l.contains("BEGIN PRIVATE KEY"))
        .nth(1)
        .unwrap()
        .to_owned();
    for shown in [format!("{ca:?}"), format!("{ca}")] {
        assert!(shown.contains("GBR Liaison CA"));
        assert!(!shown.contains(&key_block));
        assert!(!shown.to_lowercase().contains("private"));
    }
    let device = DeviceKey::generate().unwrap();
    let shown = format!("{device:?}");
    assert!(!shown.contains(&hex::encode(device.to_seed().as_slice())));
    assert!(shown.contains(&hex::encode(device.public_key())));
}

#[test]
fn validity_outside_the_authority_is_refused() {
    let ca = authority("GBR Liaison CA");
    let key = DeviceKey::generate().unwrap();
    for (from, to) in [
        (at(YEAR), at(11 * YEAR)),
        (at(2 * YEAR), at(YEAR)),
        (at(YEAR), at(YEAR)),
    ] {
        assert_eq!(
            ca.issue(&attributes("gbr-0001"), &key.public_key(), from, to),
            Err(AuthorityError::InvalidValidity)
        );
    }
}

#[test]
fn an_invalid_subject_key_is_refused() {
    let ca = authority("GBR Liaison CA");
    // About half of all y-coordinates have no point on the curve.
    let not_a_point = (0u8..=255)
        .map(|b| {
            let mut candidate = [0u8; 32];
            candidate[0] = b;
            candidate
        })
        .find(|c| ed25519_dalek::VerifyingKey::from_bytes(c).is_err())
        .unwrap();
    assert_eq!(
        ca.issue(
            &attributes("gbr-0001"),
            &not_a_point,
            at(YEAR),
            at(2 * YEAR)
        ),
        Err(AuthorityError::InvalidSubjectKey)
    );
}

#[test]
fn an_authority_name_with_control_characters_is_refused() {
    let result = Authority::init(
        "GBR\u{202E}AC",
        "Liaison Exercise",
        &nationality("GBR"),
        Validity::new(at(0), at(YEAR)).unwrap(),
    );
    assert_eq!(
        result.unwrap_err(),
        AuthorityError::InvalidName("common name")
    );
}

#[test]
fn device_key_secret_is_wiped_on_drop() {
    // Compile-time: fails to build if ed25519-dalek loses its zeroize feature.
    fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    wiped_on_drop::<ed25519_dalek::SigningKey>();
    let key = DeviceKey::generate().unwrap();
    let seed: zeroize::Zeroizing<[u8; 32]> = key.to_seed();
    assert_ne!(*seed, [0u8; 32]);
}

#[test]
fn device_key_seed_round_trips() {
    let key = DeviceKey::generate().unwrap();
    let again = DeviceKey::from_seed(&key.to_seed());
    assert_eq!(again.public_key(), key.public_key());
    assert_eq!(again.sign(b"m"), key.sign(b"m"));
    assert_ne!(
        DeviceKey::generate().unwrap().public_key(),
        key.public_key()
    );
}
