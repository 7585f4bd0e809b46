//! The certificate form of a clearance, shared by the identity code (which
//! DER-encodes it) and the label policies (which give it meaning).

/// The content of an RFC 5755 `Clearance`: `policyId`, `classList` and the
/// security categories.
///
/// `class_list` holds ClassList bit *n* as the value `1 << n` (bit 0
/// `unmarked`, 1 `unclassified`, 2 `restricted`, 3 `confidential`,
/// 4 `secret`, 5 `topSecret`, 6 and 7 free for policies). A DER BIT STRING
/// numbers bits from the most significant bit of its first octet, so the
/// encoder must reverse the order within the octet.
///
/// Each category is `(category OID, value)`: the `SecurityCategory` type is
/// the category's OID from the policy file and its value is the tag value as
/// a UTF-8 string.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClearanceAttribute {
    /// The policy's dotted OID.
    pub policy_oid: String,
    /// ClassList bits, bit *n* as `1 << n`.
    pub class_list: u8,
    /// `(category OID, value)` pairs.
    pub categories: Vec<(String, String)>,
}
