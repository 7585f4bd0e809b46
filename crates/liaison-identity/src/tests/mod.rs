//! Tests of the identity module as a whole, with shared fixtures.
#![allow(clippy::unwrap_used)]

mod anchors;
mod attributes;
mod authority;
mod authority_name;
mod chain;
mod national;
mod properties;
mod verify;

use std::str::FromStr;

pub(super) use crate::test_utils::anchors_of;
pub(super) use crate::{ClearanceAttribute, Nationality};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{Authority, CertificateChain, DeviceKey, OfficerAttributes, TrustAnchors, Validity};

/// 2024-01-01T00:00:00Z.
const Y2024: u64 = 1_704_067_200;
const YEAR: u64 = 365 * 24 * 3600;
const DAY: u64 = 24 * 3600;

/// Seconds after 2024-01-01 as a `SystemTime`.
fn at(offset: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(Y2024 + offset)
}

/// A moment inside every default validity period: 2025-06-30.
fn now() -> SystemTime {
    at(YEAR + 180 * DAY)
}

fn nationality(code: &str) -> Nationality {
    Nationality::from_str(code).unwrap()
}

fn clearance() -> ClearanceAttribute {
    ClearanceAttribute {
        policy_oid: "1.3.26.1.3.1".to_owned(),
        class_list: 1 << 4,
        categories: vec![
            ("1.3.26.1.3.1.7".to_owned(), "REL TO GBR".to_owned()),
            ("1.3.26.1.3.1.7".to_owned(), "REL TO FRA".to_owned()),
        ],
    }
}

fn attributes(officer_id: &str) -> OfficerAttributes {
    OfficerAttributes::new(
        officer_id,
        "Alice Martin",
        "Border Security Cell",
        nationality("GBR"),
        clearance(),
    )
    .unwrap()
}

/// A root authority valid for ten years from 2024-01-01.
fn authority(name: &str) -> Authority {
    Authority::init(
        name,
        "Liaison Exercise",
        &nationality("GBR"),
        Validity::new(at(0), at(10 * YEAR)).unwrap(),
    )
    .unwrap()
}

/// An officer's key and certificate, valid for 2025 (and into 2026).
struct Officer {
    key: DeviceKey,
    certificate: Vec<u8>,
}

fn officer(issuer: &Authority, officer_id: &str) -> Officer {
    let key = DeviceKey::generate().unwrap();
    let certificate = issuer
        .issue(
            &attributes(officer_id),
            &key.public_key(),
            at(YEAR),
            at(2 * YEAR + 30 * DAY),
        )
        .unwrap();
    Officer { key, certificate }
}

fn single_chain(certificate: &[u8]) -> CertificateChain {
    CertificateChain::from_der(vec![certificate.to_vec()]).unwrap()
}
