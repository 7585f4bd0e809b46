//! CertificateChain: DER, PEM and the MLS X.509 credential.

use openmls::prelude::tls_codec::Serialize as _;
use openmls::prelude::{BasicCredential, Credential, CredentialType};

use super::*;
use crate::{CredentialError, MAX_CERTIFICATE_LEN, MAX_CHAIN_LEN};

fn two_certificate_chain() -> CertificateChain {
    let root = authority("Root");
    let issuing = root
        .issue_subordinate(
            "Issuing",
            "Liaison Exercise",
            &nationality("GBR"),
            Validity::new(at(0), at(5 * YEAR)).unwrap(),
        )
        .unwrap();
    issuing
        .chain_for(officer(&issuing, "gbr-0001").certificate)
        .unwrap()
}

#[test]
fn mls_credential_round_trips() {
    let chain = two_certificate_chain();
    let credential = chain.to_mls_credential();
    assert_eq!(credential.credential_type(), CredentialType::X509);
    assert_eq!(
        CertificateChain::from_mls_credential(&credential).unwrap(),
        chain
    );
}

#[test]
fn mls_credential_wire_form_is_rfc_9420_certificates_vector() {
    let chain = two_certificate_chain();
    let wire = chain.to_mls_credential().tls_serialize_detached().unwrap();

    // credential_type = x509 (2), then certificates<V>: a varint total
    // length followed by each cert_data<V>.
    let mut entries = Vec::new();
    for der in chain.certificates() {
        let len = u16::try_from(der.len()).unwrap();
        assert!((64..16384).contains(&len), "two-byte varint expected");
        entries.extend_from_slice(&(0x4000 | len).to_be_bytes());
        entries.extend_from_slice(der);
    }
    let mut expected = vec![0x00, 0x02];
    let total = u16::try_from(entries.len()).unwrap();
    expected.extend_from_slice(&(0x4000 | total).to_be_bytes());
    expected.extend_from_slice(&entries);
    assert_eq!(wire, expected);
}

#[test]
fn basic_credential_is_refused() {
    let basic: Credential = BasicCredential::new(b"alice".to_vec()).into();
    assert_eq!(
        CertificateChain::from_mls_credential(&basic),
        Err(CredentialError::WrongCredentialType)
    );
}

#[test]
fn empty_credential_is_an_empty_chain() {
    let empty = Credential::new(CredentialType::X509, Vec::new());
    assert_eq!(
        CertificateChain::from_mls_credential(&empty),
        Err(CredentialError::EmptyChain)
    );
}

#[test]
fn overlong_chain_is_refused_before_parsing() {
    let chain = two_certificate_chain();
    let leaf = chain.leaf().to_vec();
    let too_many = vec![leaf; MAX_CHAIN_LEN + 1];
    assert_eq!(
        CertificateChain::from_der(too_many.clone()),
        Err(CredentialError::ChainTooLong { max: MAX_CHAIN_LEN })
    );
    // The same through MLS: garbage certificates, never parsed, because the
    // count is checked first.
    let mut content = Vec::new();
    for _ in 0..=MAX_CHAIN_LEN {
        content.extend_from_slice(&[0x01, 0xff]);
    }
    let credential = Credential::new(CredentialType::X509, content);
    assert_eq!(
        CertificateChain::from_mls_credential(&credential),
        Err(CredentialError::ChainTooLong { max: MAX_CHAIN_LEN })
    );
}

#[test]
fn oversized_certificate_is_refused_from_its_length_prefix() {
    // Announces 16385 bytes but carries only four: refused on the length.
    let len = u32::try_from(MAX_CERTIFICATE_LEN + 1).unwrap();
    let mut content = (0x8000_0000 | len).to_be_bytes().to_vec();
    content.extend_from_slice(&[0; 4]);
    let credential = Credential::new(CredentialType::X509, content);
    assert_eq!(
        CertificateChain::from_mls_credential(&credential),
        Err(CredentialError::TooLarge {
            what: "a certificate",
            max: MAX_CERTIFICATE_LEN
        })
    );
}

#[test]
fn truncated_credential_is_malformed() {
    let chain = two_certificate_chain();
    let full = chain.to_mls_credential();
    let content = full.serialized_content();
    let cut = Credential::new(CredentialType::X509, content[..content.len() - 1].to_vec());
    assert_eq!(
        CertificateChain::from_mls_credential(&cut),
        Err(CredentialError::Malformed("MLS X.509 credential"))
    );
    // Well-framed, but the entry is an empty SEQUENCE, not a certificate.
    let not_a_certificate = Credential::new(CredentialType::X509, vec![0x02, 0x30, 0x00]);
    assert_eq!(
        CertificateChain::from_mls_credential(&not_a_certificate),
        Err(CredentialError::Malformed("certificate"))
    );
    let cut_prefix = Credential::new(CredentialType::X509, vec![0x41]);
    assert_eq!(
        CertificateChain::from_mls_credential(&cut_prefix),
        Err(CredentialError::Malformed("MLS X.509 credential"))
    );
}

#[test]
fn pem_round_trips_in_order() {
    let chain = two_certificate_chain();
    let pem = chain.to_pem();
    assert_eq!(pem.matches("BEGIN CERTIFICATE").count(), 2);
    assert_eq!(CertificateChain::from_pem(&pem).unwrap(), chain);
    assert_eq!(
        CertificateChain::from_pem("no certificate here"),
        Err(CredentialError::EmptyChain)
    );
}

#[test]
fn garbage_der_is_malformed() {
    assert_eq!(
        CertificateChain::from_der(vec![vec![0x30, 0x03, 0x02, 0x01, 0x00]]),
        Err(CredentialError::Malformed("certificate"))
    );
    assert_eq!(
        CertificateChain::from_der(Vec::new()),
        Err(CredentialError::EmptyChain)
    );
}

#[test]
fn leaf_public_key_is_the_device_key() {
    let ca = authority("GBR Liaison CA");
    let alice = officer(&ca, "gbr-0001");
    assert_eq!(
        single_chain(&alice.certificate).leaf_public_key().unwrap(),
        alice.key.public_key()
    );
}
