//! verify_credential: one test per way a credential can be refused.

use openmls_traits::signatures::Signer as _;

use super::*;
use crate::{CertificateSerial, CredentialError, Fingerprint, verify_credential};

#[test]
fn issued_credential_verifies_and_exposes_its_attributes() {
    let ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    let verified = verify_credential(
        &ca.chain_for(alice.certificate.clone()).unwrap(),
        &anchors_of(&[&ca]),
        now(),
        &alice.key.public_key(),
    )
    .unwrap();
    assert_eq!(verified.attributes(), &attributes("gbr-0001"));
    assert_eq!(verified.public_key(), &alice.key.public_key());
    assert_eq!(verified.anchor_fingerprint(), ca.fingerprint());
    assert_eq!(verified.not_after(), at(2 * YEAR + 30 * DAY));
    assert_eq!(
        verified.serial(),
        &CertificateSerial::of_certificate(&alice.certificate).unwrap()
    );
}

#[test]
fn chain_through_an_issuing_ca_verifies_against_the_root() {
    let root = authority("FRA National Root");
    let issuing = root
        .issue_subordinate(
            "FRA Liaison Issuing CA",
            "Ministère de l'Intérieur",
            &nationality("FRA"),
            Validity::new(at(0), at(5 * YEAR)).unwrap(),
        )
        .unwrap();
    let bob = officer(&issuing, "fra-0042");
    let chain = issuing.chain_for(bob.certificate.clone()).unwrap();
    assert_eq!(
        chain.certificates().len(),
        2,
        "leaf and issuing CA, root omitted"
    );
    let verified =
        verify_credential(&chain, &anchors_of(&[&root]), now(), &bob.key.public_key()).unwrap();
    assert_eq!(verified.anchor_fingerprint(), root.fingerprint());

    // Without the issuing CA the path cannot be built...
    let bare = single_chain(&bob.certificate);
    assert_eq!(
        verify_credential(&bare, &anchors_of(&[&root]), now(), &bob.key.public_key()).unwrap_err(),
        CredentialError::UnknownIssuer
    );
    // ...unless the channel carries it.
    let anchors = anchors_of(&[&root])
        .with_intermediate(issuing.certificate_der().to_vec())
        .unwrap();
    verify_credential(&bare, &anchors, now(), &bob.key.public_key()).unwrap();
}

#[test]
fn expired_certificate_is_refused() {
    let ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    let err = verify_credential(
        &single_chain(&alice.certificate),
        &anchors_of(&[&ca]),
        at(3 * YEAR),
        &alice.key.public_key(),
    )
    .unwrap_err();
    assert_eq!(err, CredentialError::Expired);
}

#[test]
fn certificate_not_yet_valid_is_refused() {
    let ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    let err = verify_credential(
        &single_chain(&alice.certificate),
        &anchors_of(&[&ca]),
        at(YEAR - DAY),
        &alice.key.public_key(),
    )
    .unwrap_err();
    assert_eq!(err, CredentialError::NotYetValid);
}

#[test]
fn expired_partner_authority_vouches_for_no_one() {
    let ca = Authority::init(
        "Short-lived CA",
        "Liaison Exercise",
        &nationality("GBR"),
        Validity::new(at(0), at(3 * YEAR)).unwrap(),
    )
    .unwrap();
    let key = DeviceKey::generate().unwrap();
    let certificate = ca
        .issue(
            &attributes("gbr-0001"),
            &key.public_key(),
            at(YEAR),
            at(3 * YEAR),
        )
        .unwrap();
    let chain = single_chain(&certificate);
    let anchors = anchors_of(&[&ca]);
    verify_credential(&chain, &anchors, now(), &key.public_key()).unwrap();
    // The leaf's notAfter equals the CA's; one second later both are over.
    let err = verify_credential(&chain, &anchors, at(3 * YEAR + 1), &key.public_key()).unwrap_err();
    assert_eq!(err, CredentialError::Expired);
}

#[test]
fn revoked_certificate_is_refused_once_the_crl_is_in_the_anchors() {
    let mut ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    let carol = officer(&ca, "gbr-0002");
    ca.revoke(&CertificateSerial::of_certificate(&alice.certificate).unwrap());
    let crl = ca
        .crl(
            now() - Duration::from_secs(DAY),
            now() + Duration::from_secs(30 * DAY),
        )
        .unwrap();
    let anchors = anchors_of(&[&ca]).with_crl(crl).unwrap();

    let err = verify_credential(
        &single_chain(&alice.certificate),
        &anchors,
        now(),
        &alice.key.public_key(),
    )
    .unwrap_err();
    assert_eq!(err, CredentialError::Revoked);
    verify_credential(
        &single_chain(&carol.certificate),
        &anchors,
        now(),
        &carol.key.public_key(),
    )
    .unwrap();
}

#[test]
fn revoked_issuing_ca_takes_its_officers_with_it() {
    let mut root = authority("FRA National Root");
    let issuing = root
        .issue_subordinate(
            "FRA Liaison Issuing CA",
            "Ministère de l'Intérieur",
            &nationality("FRA"),
            Validity::new(at(0), at(5 * YEAR)).unwrap(),
        )
        .unwrap();
    let bob = officer(&issuing, "fra-0042");
    root.revoke(&CertificateSerial::of_certificate(issuing.certificate_der()).unwrap());
    let crl = root.crl(now(), now() + Duration::from_secs(DAY)).unwrap();
    let anchors = anchors_of(&[&root]).with_crl(crl).unwrap();
    let err = verify_credential(
        &issuing.chain_for(bob.certificate).unwrap(),
        &anchors,
        now(),
        &bob.key.public_key(),
    )
    .unwrap_err();
    assert_eq!(err, CredentialError::Revoked);
}

#[test]
fn certificate_from_another_authority_is_an_unknown_issuer() {
    let ours = authority("GBR Liaison CA");
    let theirs = authority("Rogue CA");
    let mallory = officer(&theirs, "gbr-0001");
    let err = verify_credential(
        &single_chain(&mallory.certificate),
        &anchors_of(&[&ours]),
        now(),
        &mallory.key.public_key(),
    )
    .unwrap_err();
    assert_eq!(err, CredentialError::UnknownIssuer);
}

#[test]
fn impostor_authority_with_the_same_name_fails_the_signature_check() {
    let ours = authority("GBR Liaison CA");
    let impostor = authority("GBR Liaison CA");
    let mallory = officer(&impostor, "gbr-0001");
    let err = verify_credential(
        &single_chain(&mallory.certificate),
        &anchors_of(&[&ours]),
        now(),
        &mallory.key.public_key(),
    )
    .unwrap_err();
    assert_eq!(err, CredentialError::BadCertificateSignature);
}

#[test]
fn certificate_for_another_key_is_a_key_mismatch() {
    let ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    let other = DeviceKey::generate().unwrap();
    let err = verify_credential(
        &single_chain(&alice.certificate),
        &anchors_of(&[&ca]),
        now(),
        &other.public_key(),
    )
    .unwrap_err();
    assert_eq!(err, CredentialError::KeyMismatch);
}

#[test]
fn altered_certificate_byte_breaks_the_signature() {
    let ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    let mut tampered = alice.certificate.clone();
    let at_name = tampered.windows(5).position(|w| w == b"Alice").unwrap();
    tampered[at_name] = b'M';
    let err = verify_credential(
        &single_chain(&tampered),
        &anchors_of(&[&ca]),
        now(),
        &alice.key.public_key(),
    )
    .unwrap_err();
    assert_eq!(err, CredentialError::BadCertificateSignature);

    let mut bad_signature = alice.certificate.clone();
    *bad_signature.last_mut().unwrap() ^= 0x01;
    let err = verify_credential(
        &single_chain(&bad_signature),
        &anchors_of(&[&ca]),
        now(),
        &alice.key.public_key(),
    )
    .unwrap_err();
    assert_eq!(err, CredentialError::BadCertificateSignature);
}

#[test]
fn a_ca_certificate_cannot_be_a_member_credential() {
    let root = authority("Root");
    let issuing = root
        .issue_subordinate(
            "Issuing",
            "Liaison Exercise",
            &nationality("GBR"),
            Validity::new(at(0), at(5 * YEAR)).unwrap(),
        )
        .unwrap();
    let chain = single_chain(issuing.certificate_der());
    let key = chain.leaf_public_key().unwrap();
    let err = verify_credential(&chain, &anchors_of(&[&root]), now(), &key).unwrap_err();
    assert!(matches!(err, CredentialError::InvalidPath(_)), "{err:?}");
}

#[test]
fn the_right_anchor_is_chosen_among_several() {
    let gbr = authority("GBR Liaison CA");
    let fra = authority("FRA Liaison CA");
    let bob = officer(&fra, "fra-0042");
    let verified = verify_credential(
        &single_chain(&bob.certificate),
        &anchors_of(&[&gbr, &fra]),
        now(),
        &bob.key.public_key(),
    )
    .unwrap();
    assert_eq!(verified.anchor_fingerprint(), fra.fingerprint());
    assert_ne!(
        verified.anchor_fingerprint(),
        Fingerprint::of(gbr.certificate_der())
    );
}

#[test]
fn signatures_verify_only_for_the_signed_message() {
    let ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    let verified = verify_credential(
        &single_chain(&alice.certificate),
        &anchors_of(&[&ca]),
        now(),
        &alice.key.public_key(),
    )
    .unwrap();
    let signature = alice
        .key
        .sign(b"NATO SECRET//REL TO GBR, FRA: meet at 0600");
    verified
        .verify_signature(b"NATO SECRET//REL TO GBR, FRA: meet at 0600", &signature)
        .unwrap();
    assert_eq!(
        verified.verify_signature(b"NATO SECRET//REL TO GBR, FRA: meet at 0700", &signature),
        Err(CredentialError::BadSignature)
    );
    assert_eq!(
        verified.verify_signature(b"x", &signature[..63]),
        Err(CredentialError::BadSignature)
    );
}

#[test]
fn openmls_signer_signature_verifies_with_the_certificate_key() {
    let ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    let verified = verify_credential(
        &single_chain(&alice.certificate),
        &anchors_of(&[&ca]),
        now(),
        &alice.key.public_key(),
    )
    .unwrap();
    let signer = alice.key.to_openmls_signer();
    assert_eq!(signer.public(), alice.key.public_key().as_slice());
    let signature = signer.sign(b"LeafNodeTBS").unwrap();
    verified
        .verify_signature(b"LeafNodeTBS", &signature)
        .unwrap();
    assert_eq!(
        signature,
        alice.key.sign(b"LeafNodeTBS").to_vec(),
        "Ed25519 is deterministic"
    );
}

#[test]
fn times_before_the_epoch_are_not_yet_valid() {
    let ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    let err = verify_credential(
        &single_chain(&alice.certificate),
        &anchors_of(&[&ca]),
        UNIX_EPOCH - Duration::from_secs(1),
        &alice.key.public_key(),
    )
    .unwrap_err();
    assert_eq!(err, CredentialError::NotYetValid);
}
