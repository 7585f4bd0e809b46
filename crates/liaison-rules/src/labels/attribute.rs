//! The certificate form of a clearance: the content of an RFC 5755
//! `Clearance` attribute (X.501 2.5.4.55), as plain data for the identity
//! module to DER-encode.

use std::collections::BTreeSet;

use liaison_identity::ClearanceAttribute;

use super::clearance::Clearance;
use super::error::LabelError;
use super::registry::PolicyRegistry;

/// The `class_list` value of one ClassList bit (0..=7).
fn bit_mask(bit: u8) -> u8 {
    1u8.checked_shl(u32::from(bit)).unwrap_or(0)
}

impl Clearance {
    /// The certificate form: the policy OID, the ClassList bits of every
    /// level up to the one held (a holder of SECRET is also cleared for the
    /// levels below), and the held tags sorted by OID then value.
    pub fn to_attribute(&self) -> ClearanceAttribute {
        let class_list = self
            .policy
            .levels()
            .iter()
            .take(self.rank.saturating_add(1))
            .fold(0, |bits, level| bits | bit_mask(level.class_bit()));
        let categories: BTreeSet<(String, String)> = self
            .restrictive
            .iter()
            .chain(&self.permissive)
            .filter_map(|tag| {
                let category = self.policy.category(tag.category())?;
                Some((category.oid().to_owned(), tag.value().to_owned()))
            })
            .collect();
        ClearanceAttribute {
            policy_oid: self.policy.oid().to_owned(),
            class_list,
            categories: categories.into_iter().collect(),
        }
    }

    /// Reads a certificate's clearance. The policy is found by OID; the level
    /// is the highest one whose bit is set (bits the policy does not map are
    /// ignored); every category must be a restrictive or permissive category
    /// of the policy with one of its values, or the clearance is refused.
    pub fn from_attribute(
        attribute: &ClearanceAttribute,
        registry: &PolicyRegistry,
    ) -> Result<Clearance, LabelError> {
        let policy =
            registry
                .by_oid(&attribute.policy_oid)
                .ok_or_else(|| LabelError::UnknownPolicyOid {
                    oid: attribute.policy_oid.as_str().into(),
                })?;
        let level = policy
            .levels()
            .iter()
            .rev()
            .find(|level| attribute.class_list & bit_mask(level.class_bit()) != 0)
            .ok_or_else(|| LabelError::NoMappedClassification {
                policy: policy.id().to_owned(),
            })?;
        let mut builder = Clearance::builder(policy, level.name());
        for (oid, value) in &attribute.categories {
            let category =
                policy
                    .category_by_oid(oid)
                    .ok_or_else(|| LabelError::UnknownCategoryOid {
                        policy: policy.id().to_owned(),
                        oid: oid.as_str().into(),
                    })?;
            builder = builder.tag(category.name(), value);
        }
        builder.build()
    }
}
