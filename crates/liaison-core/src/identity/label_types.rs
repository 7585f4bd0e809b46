//! Stand-ins for the two label types the identity module needs.
//!
//! The labels module owns `Nationality` and `ClearanceAttribute`; it is being
//! built at the same time, so this file defines the exact shapes agreed with
//! it, and nothing more. On merge it is replaced by
//! `pub(crate) use crate::labels::{ClearanceAttribute, Nationality};`.
//! The identity code uses only: `Nationality::{from_str, as_str, Display}`
//! and the three public fields of `ClearanceAttribute`, plus `Clone`,
//! `Debug`, `PartialEq` and `Eq` on both.

use std::fmt;
use std::str::FromStr;

/// A nationality as an ISO 3166-1 alpha-3 code (three ASCII capitals).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nationality(String);

impl Nationality {
    /// The alpha-3 code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The text is not three ASCII capital letters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a nationality is three ASCII capital letters (ISO 3166-1 alpha-3)")]
pub struct NationalityError;

impl FromStr for Nationality {
    type Err = NationalityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(NationalityError)
        }
    }
}

impl fmt::Display for Nationality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A clearance as carried by the RFC 5755 Clearance attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClearanceAttribute {
    /// The security policy the clearance belongs to, as a dotted OID.
    pub policy_oid: String,
    /// RFC 5755 ClassList: bit `n` (value `1 << n`) is named bit `n`
    /// (0 unmarked, 1 unclassified, 2 restricted, 3 confidential, 4 secret,
    /// 5 topSecret).
    pub class_list: u8,
    /// Security categories held: `(category OID dotted, tag value)`.
    pub categories: Vec<(String, String)>,
}
