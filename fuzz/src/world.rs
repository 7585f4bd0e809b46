//! Partner authorities, officers and channel policies, built the way the
//! application builds them. Certificates are valid from 2020 to 2040, so
//! they verify at [`verify_at`](crate::verify_at) and today.
//!
//! Every `expect` here is on a fixture this harness builds itself from
//! constants (authorities, officers, keys, scratch files), never on fuzz
//! input: a failure is a broken harness, reported at once, not a finding.

use std::time::{Duration, UNIX_EPOCH};

use liaison_identity::{
    Authority, CertificateChain, DeviceKey, Nationality, OfficerAttributes, TrustAnchors, Validity,
};
use liaison_rules::{ChannelPolicy, Clearance, Label};

use crate::registry;

/// 2020-01-01T00:00:00Z.
const FROM_SECS: u64 = 1_577_836_800;
/// 2040-01-01T00:00:00Z.
const TO_SECS: u64 = 2_208_988_800;
const DAY_SECS: u64 = 86_400;

/// A partner authority and its nation.
pub struct Nation {
    /// The authority (a self-signed root).
    pub authority: Authority,
    /// Its nationality, e.g. `GBR`.
    pub code: Nationality,
}

/// A root authority for `code` (ISO 3166-1 alpha-3), valid 2020 to 2040.
pub fn nation(code: &str) -> Nation {
    let code: Nationality = code.parse().expect("a nationality");
    let validity = Validity::new(
        UNIX_EPOCH + Duration::from_secs(FROM_SECS),
        UNIX_EPOCH + Duration::from_secs(TO_SECS),
    )
    .expect("a validity");
    let authority = Authority::init(
        &format!("{code} Liaison Authority"),
        &format!("{code} Ministry of Defence"),
        &code,
        validity,
    )
    .expect("an authority");
    Nation { authority, code }
}

/// An officer: their device key and certificate chain (root left out).
pub struct Officer {
    /// The officer id (the certificate's UID).
    pub id: String,
    /// The device key the certificate certifies.
    pub device: DeviceKey,
    /// Officer certificate, then the issuing CAs below the root.
    pub chain: CertificateChain,
}

/// An officer of `nation` cleared to `level` (e.g. `NATO SECRET`), with a
/// certificate valid from 2020-01-02 to 2039-12-31.
pub fn officer(nation: &Nation, id: &str, level: &str) -> Officer {
    let device = DeviceKey::generate().expect("randomness");
    let nato = registry().get("NATO").expect("the NATO policy").clone();
    let clearance = Clearance::builder(&nato, level)
        .build()
        .expect("a clearance")
        .to_attribute();
    let attributes = OfficerAttributes::new(
        id,
        format!("Officer {id}"),
        format!("{} Liaison Staff", nation.code),
        nation.code,
        clearance,
    )
    .expect("attributes");
    let certificate = nation
        .authority
        .issue(
            &attributes,
            &device.public_key(),
            UNIX_EPOCH + Duration::from_secs(FROM_SECS + DAY_SECS),
            UNIX_EPOCH + Duration::from_secs(TO_SECS - DAY_SECS),
        )
        .expect("a certificate");
    let chain = nation
        .authority
        .chain_for(certificate)
        .expect("a certificate chain");
    Officer {
        id: id.to_owned(),
        device,
        chain,
    }
}

/// A label from its banner marking.
pub fn label(marking: &str) -> Label {
    Label::parse_marking(marking, registry()).expect("a marking of the built-in policies")
}

/// A channel policy trusting `nations`, NATO SECRET ceiling, NATO
/// RESTRICTED default.
pub fn policy(name: &str, admins: &[&str], nations: &[&Nation]) -> ChannelPolicy {
    let anchors = TrustAnchors::new(
        nations
            .iter()
            .map(|n| n.authority.certificate_der().to_vec())
            .collect(),
    )
    .expect("trust anchors");
    ChannelPolicy::new(
        name,
        label("NATO SECRET//REL TO DEU, FRA, GBR"),
        label("NATO RESTRICTED//REL TO DEU, FRA, GBR"),
        admins.iter().map(|a| (*a).to_owned()),
        anchors,
    )
    .expect("a channel policy")
}
