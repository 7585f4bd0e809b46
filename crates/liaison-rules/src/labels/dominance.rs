//! Dominance between labels: the order that channel ceilings, inheritance and
//! forwarding rules are stated in.

use std::collections::BTreeSet;

use super::label::{Label, same_policy};
use super::label_policy::{Category, CategoryKind};

impl Label {
    /// Whether this label dominates `other` (docs/design.md, "Security labels"):
    /// both are of the same policy, this level is at least `other`'s, this
    /// label's caveats include all of `other`'s, and for every permissive
    /// category this label's values are a subset of `other`'s.
    ///
    /// Releasability compares the effective REL TO sets
    /// ([`Label::releasable_to`]): communities expanded, the policy's default
    /// community for a label without REL TO. Any other permissive category
    /// that a label does not name places no restriction on readers, so it
    /// counts as the set of every value: a label naming it is dominated only
    /// by labels naming a subset, and a label not naming it dominates only
    /// labels that do not name it either.
    ///
    /// Labels of different policies never dominate each other.
    pub fn dominates(&self, other: &Label) -> bool {
        same_policy(&self.policy, &other.policy)
            && self.rank >= other.rank
            && self.restrictive.is_superset(&other.restrictive)
            && self
                .policy
                .categories()
                .iter()
                .filter(|category| category.kind() == CategoryKind::Permissive)
                .all(|category| {
                    narrower_or_equal(
                        permissive_values(self, category),
                        permissive_values(other, category),
                    )
                })
            && self.releasable_to().is_subset(&other.releasable_to())
    }
}

/// The values a label names in a permissive category; `None` when it names
/// none, which restricts nothing.
pub(crate) fn permissive_values<'a>(
    label: &'a Label,
    category: &'a Category,
) -> Option<BTreeSet<&'a str>> {
    let values: BTreeSet<&str> = label.values_of(category).collect();
    (!values.is_empty()).then_some(values)
}

/// `a ⊆ b`, where `None` is the set of every value.
fn narrower_or_equal(a: Option<BTreeSet<&str>>, b: Option<BTreeSet<&str>>) -> bool {
    match (a, b) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => a.is_subset(&b),
    }
}
