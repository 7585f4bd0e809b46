#![no_main]
//! One X.509 structure in DER, wherever Liaison takes one from outside: an
//! officer certificate (`CertificateChain::from_der`) and the officer
//! attributes read from it before any trust decision
//! (`claimed_attributes`: UID, CN, O, and the subjectDirectoryAttributes
//! extension with countryOfCitizenship and the RFC 5755 clearance, then
//! the clearance mapped onto a label policy), its key and serial; a
//! partner authority (`TrustAnchors::new`); an intermediate and a
//! revocation list offered to a channel's anchors (`with_intermediate`,
//! `with_crl`). Text input is also read as PEM: a certificate chain file
//! and an authority file (`Authority::from_pem`).
//!
//! Asserts: no panic; a chain's PEM form reads back to the same chain; a
//! chain's MLS credential reads back to the same chain.

use std::sync::OnceLock;

use liaison_identity::{Authority, CertificateChain, CertificateSerial, TrustAnchors};
use liaison_rules::Clearance;
use libfuzzer_sys::fuzz_target;

/// A channel's anchors: one root authority (made once per process).
fn anchors() -> &'static TrustAnchors {
    static ANCHORS: OnceLock<TrustAnchors> = OnceLock::new();
    ANCHORS.get_or_init(|| {
        let nation = liaison_fuzz::world::nation("FRA");
        TrustAnchors::new(vec![nation.authority.certificate_der().to_vec()])
            .expect("a root authority is an anchor")
    })
}

fn chain(chain: &CertificateChain) {
    if let Ok(attributes) = chain.claimed_attributes() {
        let _ = Clearance::from_attribute(attributes.clearance(), liaison_fuzz::registry());
        let _ = attributes.nationality().as_str();
    }
    let _ = chain.claimed_officer_id();
    let _ = chain.leaf_public_key();
    let pem = chain.to_pem();
    let back = CertificateChain::from_pem(&pem)
        .unwrap_or_else(|e| panic!("a chain's PEM does not read back: {e}"));
    assert_eq!(&back, chain);
    let back = CertificateChain::from_mls_credential(&chain.to_mls_credential())
        .unwrap_or_else(|e| panic!("a chain's credential does not read back: {e}"));
    assert_eq!(&back, chain);
}

fuzz_target!(|data: &[u8]| {
    if let Ok(parsed) = CertificateChain::from_der(vec![data.to_vec()]) {
        chain(&parsed);
        let _ = CertificateSerial::of_certificate(data);
    }
    let _ = TrustAnchors::new(vec![data.to_vec()]);
    let _ = anchors().clone().with_intermediate(data.to_vec());
    let _ = anchors().clone().with_crl(data.to_vec());
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(parsed) = CertificateChain::from_pem(text) {
            chain(&parsed);
        }
        let _ = Authority::from_pem(text);
    }
});
