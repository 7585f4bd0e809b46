//! Object identifiers in dotted decimal form.

use std::fmt;

/// Longest dotted OID accepted, in bytes.
const MAX_OID_LEN: usize = 128;

/// An object identifier such as `1.3.6.1.4.1.32473.4774.1.1`.
///
/// Each arc fits in a `u64`, so every OID here can be DER-encoded by common
/// ASN.1 libraries (yasna's `ObjectIdentifier` holds `u64` arcs).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Oid(String);

impl Oid {
    /// Parses a dotted OID: at least two arcs, the first 0, 1 or 2, the
    /// second below 40 under 0 and 1 (X.690), decimal without leading zeros.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        if text.is_empty() || text.len() > MAX_OID_LEN {
            return None;
        }
        let mut arcs = Vec::new();
        for arc in text.split('.') {
            let starts_with_zero = arc.len() > 1 && arc.starts_with('0');
            if arc.is_empty() || starts_with_zero || !arc.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            arcs.push(arc.parse::<u64>().ok()?);
        }
        match arcs.as_slice() {
            [0 | 1, second, ..] if *second < 40 => {}
            [2, _, ..] => {}
            _ => return None,
        }
        Some(Self(text.to_owned()))
    }

    /// The dotted form.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
