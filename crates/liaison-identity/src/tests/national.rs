//! Certificates from a "national PKI": built with rcgen directly, ECDSA
//! CAs, a profile that differs from ours where the Liaison profile allows
//! it. They must verify exactly like the built-in authority's.

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};

use super::*;
use crate::device_key::RawEd25519Public;
use crate::{CredentialError, directory, verify_credential};

const UID: &[u64] = &[0, 9, 2342, 19_200_300, 100, 1, 1];

struct Pki {
    root_der: Vec<u8>,
    issuing_der: Vec<u8>,
    issuing: Issuer<'static, KeyPair>,
}

fn ca_params(name: &str, from: SystemTime, to: SystemTime) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name.push(DnType::CountryName, "NL");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Staat der Nederlanden");
    params.distinguished_name.push(DnType::CommonName, name);
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(1));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = from.into();
    params.not_after = to.into();
    params
}

/// Root (ECDSA P-384) -> issuing CA (ECDSA P-256).
fn national_pki(root_until: SystemTime, issuing_eku: Vec<ExtendedKeyUsagePurpose>) -> Pki {
    let root_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).unwrap();
    let root_params = ca_params("Staat der Nederlanden Root CA", at(0), root_until);
    let root_der = root_params.self_signed(&root_key).unwrap().der().to_vec();
    let root = Issuer::new(root_params, root_key);

    let issuing_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut issuing_params = ca_params("Defensie Liaison CA", at(0), at(8 * YEAR));
    issuing_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    issuing_params.use_authority_key_identifier_extension = true;
    issuing_params.extended_key_usages = issuing_eku;
    let issuing_der = issuing_params
        .signed_by(&issuing_key, &root)
        .unwrap()
        .der()
        .to_vec();
    Pki {
        root_der,
        issuing_der,
        issuing: Issuer::new(issuing_params, issuing_key),
    }
}

/// An officer certificate in the national style: extra subject attributes
/// (C, OU), no EKU, an extra directory attribute (dateOfBirth).
fn national_officer(pki: &Pki, key: &DeviceKey, eku: Vec<ExtendedKeyUsagePurpose>) -> Vec<u8> {
    let mut params = CertificateParams::default();
    params.distinguished_name.push(DnType::CountryName, "NL");
    params
        .distinguished_name
        .push(DnType::OrganizationName, "Koninklijke Marechaussee");
    params
        .distinguished_name
        .push(DnType::OrganizationalUnitName, "Liaison");
    params
        .distinguished_name
        .push(DnType::CommonName, "Daan de Vries");
    params
        .distinguished_name
        .push(DnType::CustomDnType(UID.to_vec()), "NL-KMAR-7731");
    params.not_before = at(YEAR).into();
    params.not_after = at(3 * YEAR).into();
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::ContentCommitment,
    ];
    params.extended_key_usages = eku;
    params.use_authority_key_identifier_extension = true;

    let liaison = directory::encode(&nationality("NLD"), &clearance()).unwrap();
    // Prepend a dateOfBirth attribute (1.3.6.1.5.5.7.9.1) Liaison ignores.
    let with_birth_date = yasna::construct_der(|w| {
        w.write_sequence(|seq| {
            seq.next().write_sequence(|attr| {
                attr.next()
                    .write_oid(&yasna::models::ObjectIdentifier::from_slice(&[
                        1, 3, 6, 1, 5, 5, 7, 9, 1,
                    ]));
                attr.next().write_set_of(|set| {
                    set.next().write_der(b"\x18\x0f19800101000000Z");
                });
            });
            let existing =
                yasna::parse_der(&liaison, |r| r.collect_sequence_of(|r| r.read_der())).unwrap();
            for attribute in existing {
                seq.next().write_der(&attribute);
            }
        });
    });
    params.custom_extensions = vec![CustomExtension::from_oid_content(
        &[2, 5, 29, 9],
        with_birth_date,
    )];
    params
        .signed_by(&RawEd25519Public(key.public_key()), &pki.issuing)
        .unwrap()
        .der()
        .to_vec()
}

#[test]
fn national_pki_certificate_verifies_like_ours() {
    let pki = national_pki(at(10 * YEAR), Vec::new());
    let key = DeviceKey::generate().unwrap();
    let leaf = national_officer(&pki, &key, Vec::new());
    let chain = CertificateChain::from_der(vec![leaf, pki.issuing_der.clone()]).unwrap();
    let anchors = TrustAnchors::new(vec![pki.root_der.clone()]).unwrap();

    let verified = verify_credential(&chain, &anchors, now(), &key.public_key()).unwrap();
    let expected = OfficerAttributes::new(
        "NL-KMAR-7731",
        "Daan de Vries",
        "Koninklijke Marechaussee",
        nationality("NLD"),
        clearance(),
    )
    .unwrap();
    assert_eq!(verified.attributes(), &expected);

    // Round trip through MLS as a member would receive it.
    let received = CertificateChain::from_mls_credential(&chain.to_mls_credential()).unwrap();
    verify_credential(&received, &anchors, now(), &key.public_key()).unwrap();

    // A channel may trust only the issuing CA rather than the national root.
    let narrow = TrustAnchors::new(vec![pki.issuing_der.clone()]).unwrap();
    verify_credential(&chain, &narrow, now(), &key.public_key()).unwrap();
}

#[test]
fn expired_national_root_is_refused_even_though_webpki_ignores_anchor_dates() {
    // The root ends before the officer certificate and the issuing CA do.
    let pki = national_pki(at(YEAR + 90 * DAY), Vec::new());
    let key = DeviceKey::generate().unwrap();
    let leaf = national_officer(&pki, &key, Vec::new());
    let chain = CertificateChain::from_der(vec![leaf, pki.issuing_der.clone()]).unwrap();
    let anchors = TrustAnchors::new(vec![pki.root_der.clone()]).unwrap();
    verify_credential(&chain, &anchors, at(YEAR + 30 * DAY), &key.public_key()).unwrap();
    assert_eq!(
        verify_credential(&chain, &anchors, now(), &key.public_key()).unwrap_err(),
        CredentialError::Expired
    );
}

#[test]
fn officer_certificate_for_other_purposes_only_is_refused() {
    let pki = national_pki(at(10 * YEAR), Vec::new());
    let key = DeviceKey::generate().unwrap();
    let leaf = national_officer(&pki, &key, vec![ExtendedKeyUsagePurpose::ServerAuth]);
    let chain = CertificateChain::from_der(vec![leaf, pki.issuing_der.clone()]).unwrap();
    let anchors = TrustAnchors::new(vec![pki.root_der.clone()]).unwrap();
    assert_eq!(
        verify_credential(&chain, &anchors, now(), &key.public_key()).unwrap_err(),
        CredentialError::WrongKeyUsage
    );
}

#[test]
fn issuing_ca_restricted_to_other_purposes_is_refused() {
    let pki = national_pki(
        at(10 * YEAR),
        vec![ExtendedKeyUsagePurpose::EmailProtection],
    );
    let key = DeviceKey::generate().unwrap();
    let leaf = national_officer(&pki, &key, Vec::new());
    let chain = CertificateChain::from_der(vec![leaf, pki.issuing_der.clone()]).unwrap();
    let anchors = TrustAnchors::new(vec![pki.root_der.clone()]).unwrap();
    assert_eq!(
        verify_credential(&chain, &anchors, now(), &key.public_key()).unwrap_err(),
        CredentialError::WrongKeyUsage
    );
}

#[test]
fn national_crl_from_the_issuing_ca_revokes() {
    let pki = national_pki(at(10 * YEAR), Vec::new());
    let key = DeviceKey::generate().unwrap();
    let leaf = national_officer(&pki, &key, Vec::new());
    let serial = crate::CertificateSerial::of_certificate(&leaf).unwrap();
    let crl = rcgen::CertificateRevocationListParams {
        this_update: now().into(),
        next_update: (now() + Duration::from_secs(DAY)).into(),
        crl_number: rcgen::SerialNumber::from_slice(&[7]),
        issuing_distribution_point: None,
        revoked_certs: vec![rcgen::RevokedCertParams {
            serial_number: rcgen::SerialNumber::from_slice(serial.as_bytes()),
            revocation_time: now().into(),
            reason_code: Some(rcgen::RevocationReason::KeyCompromise),
            invalidity_date: None,
        }],
        key_identifier_method: rcgen::KeyIdMethod::Sha256,
    }
    .signed_by(&pki.issuing)
    .unwrap()
    .der()
    .to_vec();
    let anchors = TrustAnchors::new(vec![pki.root_der.clone()])
        .unwrap()
        .with_intermediate(pki.issuing_der.clone())
        .unwrap()
        .with_crl(crl)
        .unwrap();
    let chain = CertificateChain::from_der(vec![leaf]).unwrap();
    assert_eq!(
        verify_credential(&chain, &anchors, now(), &key.public_key()).unwrap_err(),
        CredentialError::Revoked
    );
}

#[test]
fn officer_key_other_than_ed25519_is_unsupported() {
    let pki = national_pki(at(10 * YEAR), Vec::new());
    let ecdsa = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let mut params = CertificateParams::default();
    params
        .distinguished_name
        .push(DnType::CommonName, "Daan de Vries");
    params.not_before = at(YEAR).into();
    params.not_after = at(3 * YEAR).into();
    let leaf = params
        .signed_by(&ecdsa, &pki.issuing)
        .unwrap()
        .der()
        .to_vec();
    let chain = CertificateChain::from_der(vec![leaf, pki.issuing_der.clone()]).unwrap();
    let anchors = TrustAnchors::new(vec![pki.root_der.clone()]).unwrap();
    assert_eq!(
        verify_credential(&chain, &anchors, now(), ecdsa.public_key_raw()).unwrap_err(),
        CredentialError::UnsupportedKey
    );
}
