#![no_main]
//! MLS X.509 credentials (RFC 9420 §5.3), as every member and the relay
//! read them from key packages, commits and archives
//! (`CertificateChain::from_mls_credential`), then verified
//! (`verify_credential`: path, validity, revocation, key usage, key
//! binding, attributes) against the chain's own last certificate as the
//! partner authority, at a fixed instant.
//!
//! Asserts: no panic; a chain re-encodes to the credential bytes; a
//! verified credential's attributes are those the leaf claims, its key is
//! the leaf's, and it refuses a signature that is not one.

use liaison_identity::{CertificateChain, TrustAnchors, verify_credential};
use liaison_rules::Clearance;
use libfuzzer_sys::fuzz_target;
use openmls::prelude::{Credential, CredentialType};

fuzz_target!(|data: &[u8]| {
    let credential = Credential::new(CredentialType::X509, data.to_vec());
    let Ok(chain) = CertificateChain::from_mls_credential(&credential) else {
        return;
    };
    assert_eq!(
        chain.to_mls_credential().serialized_content(),
        data,
        "the credential encoding is not canonical"
    );
    let Some(root) = chain.certificates().last() else {
        panic!("a chain without certificates");
    };
    let Ok(anchors) = TrustAnchors::new(vec![root.clone()]) else {
        return;
    };
    let Ok(key) = chain.leaf_public_key() else {
        return;
    };
    let Ok(verified) = verify_credential(&chain, &anchors, liaison_fuzz::verify_at(), &key) else {
        return;
    };
    assert_eq!(verified.public_key(), &key);
    let claimed = chain
        .claimed_attributes()
        .unwrap_or_else(|e| panic!("verified, but the claimed attributes do not read: {e}"));
    assert_eq!(&claimed, verified.attributes());
    assert!(
        verified
            .verify_signature(b"not signed", &[0u8; 64])
            .is_err()
    );
    let _ = Clearance::from_attribute(verified.attributes().clearance(), liaison_fuzz::registry());
});
