//! Dominance between labels: the order that channel ceilings, inheritance and
//! forwarding rules are stated in.

use std::collections::BTreeSet;
use std::fmt;

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

/// One reason a label is not dominated by a limit (a channel ceiling), as
/// [`Label::exceeds`] finds them: what a refusal names.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Excess {
    /// The labels are of different policies.
    OtherPolicy {
        /// The limit's policy.
        limit: String,
    },
    /// The level is above the limit's.
    Level {
        /// The label's level.
        level: String,
        /// The limit's level.
        limit: String,
    },
    /// A caveat the limit lacks.
    Caveat {
        /// The caveat's category.
        category: String,
        /// The caveat.
        value: String,
    },
    /// The label restricts readers to values of a permissive category
    /// (a mission) that the limit does not restrict them to.
    Restricts {
        /// The category.
        category: String,
        /// The label's values the limit does not name.
        values: Vec<String>,
    },
    /// The label leaves out values of a permissive category that the limit
    /// names.
    LeavesOut {
        /// The category.
        category: String,
        /// The limit's values the label does not name.
        values: Vec<String>,
    },
    /// The label's REL TO leaves out nations the limit releases to.
    LeavesOutNations {
        /// Those nations' codes, alphabetically.
        nations: Vec<String>,
    },
}

impl fmt::Display for Excess {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OtherPolicy { limit } => write!(f, "it is not of policy {limit}"),
            Self::Level { level, limit } => write!(f, "{level} is above {limit}"),
            Self::Caveat { category, value } => {
                write!(f, "the ceiling lacks the caveat {value} ({category})")
            }
            Self::Restricts { category, values } => write!(
                f,
                "it restricts readers to {category} {}, which the ceiling does not",
                values.join(", ")
            ),
            Self::LeavesOut { category, values } => {
                write!(f, "it leaves out {category} {}", values.join(", "))
            }
            Self::LeavesOutNations { nations } => write!(
                f,
                "its REL TO leaves out {}, which the ceiling releases to",
                nations.join(", ")
            ),
        }
    }
}

impl Label {
    /// Why `limit` does not dominate this label, each reason once, in the
    /// order level, caveats, permissive categories, releasability; empty
    /// when it does ([`Label::dominates`] states the order).
    pub fn exceeds(&self, limit: &Label) -> Vec<Excess> {
        if !same_policy(&self.policy, &limit.policy) {
            return vec![Excess::OtherPolicy {
                limit: limit.policy_id().to_owned(),
            }];
        }
        let mut excess = Vec::new();
        if self.rank > limit.rank {
            excess.push(Excess::Level {
                level: self.classification().to_owned(),
                limit: limit.classification().to_owned(),
            });
        }
        for tag in self.restrictive.difference(&limit.restrictive) {
            excess.push(Excess::Caveat {
                category: tag.category.clone(),
                value: tag.value.clone(),
            });
        }
        for category in self
            .policy
            .categories()
            .iter()
            .filter(|category| category.kind() == CategoryKind::Permissive)
        {
            let name = category.name().to_owned();
            match (
                permissive_values(limit, category),
                permissive_values(self, category),
            ) {
                (_, None) => {}
                (None, Some(own)) => excess.push(Excess::Restricts {
                    category: name,
                    values: own.into_iter().map(str::to_owned).collect(),
                }),
                (Some(limits), Some(own)) => {
                    let values: Vec<String> =
                        limits.difference(&own).map(|v| (*v).to_owned()).collect();
                    if !values.is_empty() {
                        excess.push(Excess::LeavesOut {
                            category: name,
                            values,
                        });
                    }
                }
            }
        }
        let nations: Vec<String> = limit
            .releasable_to()
            .difference(&self.releasable_to())
            .map(|nation| nation.as_str().to_owned())
            .collect();
        if !nations.is_empty() {
            excess.push(Excess::LeavesOutNations { nations });
        }
        excess
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
