//! TrustAnchors: what may enter a channel's list, and serde.

use super::*;
use crate::{CertificateSerial, CredentialError, Fingerprint};

fn crl_of(ca: &Authority, this_update: SystemTime) -> Vec<u8> {
    ca.crl(this_update, this_update + Duration::from_secs(7 * DAY))
        .unwrap()
}

#[test]
fn crl_from_an_authority_outside_the_list_is_refused() {
    let ours = authority("GBR Liaison CA");
    let theirs = authority("Rogue CA");
    assert_eq!(
        anchors_of(&[&ours]).with_crl(crl_of(&theirs, now())),
        Err(CredentialError::UntrustedIssuer)
    );
    // Same name, different key: still refused.
    let impostor = authority("GBR Liaison CA");
    assert_eq!(
        anchors_of(&[&ours]).with_crl(crl_of(&impostor, now())),
        Err(CredentialError::UntrustedIssuer)
    );
}

#[test]
fn crl_of_an_issuing_ca_needs_that_ca_in_the_list() {
    let root = authority("Root");
    let issuing = root
        .issue_subordinate(
            "Issuing",
            "Liaison Exercise",
            &nationality("GBR"),
            Validity::new(at(0), at(5 * YEAR)).unwrap(),
        )
        .unwrap();
    let crl = crl_of(&issuing, now());
    assert_eq!(
        anchors_of(&[&root]).with_crl(crl.clone()),
        Err(CredentialError::UntrustedIssuer)
    );
    let anchors = anchors_of(&[&root])
        .with_intermediate(issuing.certificate_der().to_vec())
        .unwrap()
        .with_crl(crl)
        .unwrap();
    assert_eq!(anchors.crls().len(), 1);
}

#[test]
fn intermediate_not_signed_by_an_anchor_is_refused() {
    let root = authority("Root");
    let other = authority("Other Root");
    let issuing = other
        .issue_subordinate(
            "Issuing",
            "Liaison Exercise",
            &nationality("GBR"),
            Validity::new(at(0), at(5 * YEAR)).unwrap(),
        )
        .unwrap();
    assert_eq!(
        anchors_of(&[&root]).with_intermediate(issuing.certificate_der().to_vec()),
        Err(CredentialError::UntrustedIssuer)
    );
}

#[test]
fn newer_crl_replaces_older_and_older_is_refused() {
    let mut ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    let first = crl_of(&ca, now());
    ca.revoke(&CertificateSerial::of_certificate(&alice.certificate).unwrap());
    let second = crl_of(&ca, now() + Duration::from_secs(DAY));

    let anchors = anchors_of(&[&ca]).with_crl(first.clone()).unwrap();
    let anchors = anchors.with_crl(second.clone()).unwrap();
    assert_eq!(anchors.crls(), std::slice::from_ref(&second));
    assert_eq!(
        anchors.clone().with_crl(first),
        Err(CredentialError::StaleCrl)
    );
    assert_eq!(anchors.with_crl(second), Err(CredentialError::StaleCrl));
}

#[test]
fn anchors_must_be_distinct_cas() {
    let ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    assert_eq!(
        TrustAnchors::new(Vec::new()),
        Err(CredentialError::NoAnchors)
    );
    assert_eq!(
        TrustAnchors::new(vec![ca.certificate_der().to_vec(); 2]),
        Err(CredentialError::DuplicateAnchor)
    );
    assert_eq!(
        TrustAnchors::new(vec![alice.certificate]),
        Err(CredentialError::NotACertificateAuthority)
    );
    assert_eq!(
        TrustAnchors::new(vec![b"not a certificate".to_vec()]),
        Err(CredentialError::Malformed("certificate"))
    );
}

#[test]
fn serde_round_trips_in_json_and_messagepack() {
    let root = authority("Root");
    let issuing = root
        .issue_subordinate(
            "Issuing",
            "Liaison Exercise",
            &nationality("GBR"),
            Validity::new(at(0), at(5 * YEAR)).unwrap(),
        )
        .unwrap();
    let anchors = anchors_of(&[&root])
        .with_intermediate(issuing.certificate_der().to_vec())
        .unwrap()
        .with_crl(crl_of(&issuing, now()))
        .unwrap()
        .with_crl(crl_of(&root, now()))
        .unwrap();

    let json = serde_json::to_string(&anchors).unwrap();
    assert_eq!(
        serde_json::from_str::<TrustAnchors>(&json).unwrap(),
        anchors
    );
    let packed = rmp_serde::to_vec(&anchors).unwrap();
    assert_eq!(
        rmp_serde::from_slice::<TrustAnchors>(&packed).unwrap(),
        anchors
    );
    let der_total: usize = anchors
        .anchors()
        .iter()
        .chain(anchors.intermediates())
        .chain(anchors.crls())
        .map(Vec::len)
        .sum();
    assert!(
        packed.len() < der_total + 64,
        "DER is packed as bytes, not numbers"
    );
}

#[test]
fn deserializing_rechecks_everything() {
    let ours = authority("GBR Liaison CA");
    let theirs = authority("Rogue CA");
    // A policy edited on the wire to carry a CRL from an outsider.
    let wire = serde_json::json!({
        "anchors": [ours.certificate_der()],
        "intermediates": [],
        "crls": [crl_of(&theirs, now())],
    });
    let err = serde_json::from_value::<TrustAnchors>(wire).unwrap_err();
    assert!(
        err.to_string()
            .contains("not one of the channel's partner authorities"),
        "{err}"
    );

    let empty = serde_json::json!({ "anchors": [], "intermediates": [], "crls": [] });
    assert!(serde_json::from_value::<TrustAnchors>(empty).is_err());
}

#[test]
fn fingerprints_are_sha256_in_colon_hex() {
    let ca = authority("GBR Liaison CA");
    let anchors = anchors_of(&[&ca]);
    let fingerprint = anchors.fingerprints()[0];
    assert_eq!(fingerprint, Fingerprint::of(ca.certificate_der()));
    let shown = fingerprint.to_string();
    assert_eq!(shown.len(), 32 * 3 - 1);
    assert!(shown.split(':').all(|pair| {
        pair.len() == 2
            && pair
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase())
    }));
    use sha2::Digest as _;
    assert_eq!(
        fingerprint.as_bytes().as_slice(),
        sha2::Sha256::digest(ca.certificate_der()).as_slice()
    );
}

#[test]
fn crls_past_next_update_are_reported() {
    let ca = authority("GBR Liaison CA");
    let anchors = anchors_of(&[&ca]).with_crl(crl_of(&ca, now())).unwrap();
    assert!(anchors.crls_past_next_update(now()).is_empty());
    assert_eq!(
        anchors
            .crls_past_next_update(now() + Duration::from_secs(8 * DAY))
            .len(),
        1
    );
}

#[test]
fn a_channel_lists_at_most_max_anchors() {
    let cas: Vec<Vec<u8>> = (0..=crate::MAX_ANCHORS)
        .map(|i| authority(&format!("CA {i}")).certificate_der().to_vec())
        .collect();
    assert_eq!(
        TrustAnchors::new(cas.clone()),
        Err(CredentialError::TooMany {
            what: "the trust-anchor list",
            max: crate::MAX_ANCHORS
        })
    );
    TrustAnchors::new(cas[1..].to_vec()).unwrap();
}
