//! Fixtures the workspace's tests share (feature `test-utils`, never on in
//! a normal build): a nation's partner authority, its officers'
//! certificates, trust anchors made of authorities, key packages as the
//! relay hands them out, and the clock in milliseconds. They panic on any
//! failure, as test fixtures do.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use openmls::prelude::tls_codec::Deserialize as _;
use openmls::prelude::{KeyPackage, KeyPackageIn, MlsMessageBodyIn, MlsMessageIn, ProtocolVersion};
use openmls_traits::OpenMlsProvider;

use crate::{
    Authority, CertificateChain, ClearanceAttribute, DeviceKey, Nationality, OfficerAttributes,
    TrustAnchors, Validity,
};

/// One day.
pub const DAY: Duration = Duration::from_secs(86_400);

/// A validity period from `back` before now until `ahead` after it.
pub fn around_now(back: Duration, ahead: Duration) -> Validity {
    let now = SystemTime::now();
    Validity::new(now - back, now + ahead).unwrap()
}

/// A partner authority: a nation's root, issuing its officers' certificates.
pub struct Nation {
    /// The national CA.
    pub authority: Authority,
    /// The nation it certifies.
    pub code: Nationality,
}

impl Nation {
    /// `<code> Liaison Authority`, issued by `<code> Ministry of Defence`,
    /// valid over `validity`.
    pub fn new(code: &str, validity: Validity) -> Self {
        let code: Nationality = code.parse().unwrap();
        let authority = Authority::init(
            &format!("{code} Liaison Authority"),
            &format!("{code} Ministry of Defence"),
            &code,
            validity,
        )
        .unwrap();
        Self { authority, code }
    }

    /// [`Nation::new`], valid from `back` before now until `ahead` after it.
    pub fn around_now(code: &str, back: Duration, ahead: Duration) -> Self {
        Self::new(code, around_now(back, ahead))
    }

    /// The authority's certificate (DER): a trust anchor.
    pub fn certificate_der(&self) -> &[u8] {
        self.authority.certificate_der()
    }

    /// An officer of this nation ([`officer_attributes`]).
    pub fn attributes(&self, id: &str, clearance: ClearanceAttribute) -> OfficerAttributes {
        officer_attributes(id, self.code, clearance)
    }

    /// Certifies `key` as officer `id` ([`Nation::attributes`]) from
    /// `not_before` to `not_after`: the chain up to this authority.
    pub fn certify(
        &self,
        id: &str,
        clearance: ClearanceAttribute,
        key: &DeviceKey,
        not_before: SystemTime,
        not_after: SystemTime,
    ) -> CertificateChain {
        certify(
            &self.authority,
            &self.attributes(id, clearance),
            key,
            not_before,
            not_after,
        )
    }
}

/// Officer `id` of `nation`: `Officer <id>` of `<nation> Liaison Staff`,
/// holding `clearance`.
pub fn officer_attributes(
    id: &str,
    nation: Nationality,
    clearance: ClearanceAttribute,
) -> OfficerAttributes {
    OfficerAttributes::new(
        id,
        format!("Officer {id}"),
        format!("{nation} Liaison Staff"),
        nation,
        clearance,
    )
    .unwrap()
}

/// Certifies `key` for `attributes` from `not_before` to `not_after`: the
/// chain up to `authority`.
pub fn certify(
    authority: &Authority,
    attributes: &OfficerAttributes,
    key: &DeviceKey,
    not_before: SystemTime,
    not_after: SystemTime,
) -> CertificateChain {
    let der = authority
        .issue(attributes, &key.public_key(), not_before, not_after)
        .unwrap();
    authority.chain_for(der).unwrap()
}

/// Trust anchors made of these nations' authorities.
pub fn anchors(nations: &[&Nation]) -> TrustAnchors {
    from_certificates(nations.iter().map(|n| n.certificate_der()))
}

/// Trust anchors made of these authorities.
pub fn anchors_of(authorities: &[&Authority]) -> TrustAnchors {
    from_certificates(authorities.iter().map(|a| a.certificate_der()))
}

fn from_certificates<'a>(certificates: impl Iterator<Item = &'a [u8]>) -> TrustAnchors {
    TrustAnchors::new(certificates.map(<[u8]>::to_vec).collect()).unwrap()
}

/// A key package as the relay hands it out (an MLS message), validated.
pub fn key_package(bytes: &[u8], provider: &impl OpenMlsProvider) -> KeyPackage {
    let MlsMessageBodyIn::KeyPackage(key_package) = MlsMessageIn::tls_deserialize_exact(bytes)
        .unwrap()
        .extract()
    else {
        panic!("not a key package");
    };
    let key_package: KeyPackageIn = key_package;
    key_package
        .validate(provider.crypto(), ProtocolVersion::Mls10)
        .unwrap()
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}
