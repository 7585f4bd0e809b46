//! A reader's clearance, and whether it admits a label.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use super::builder::checked_tag;
use super::dominance::permissive_values;
use super::encoding::MAX_TAGS;
use super::error::{LabelError, NotAdmitted};
use super::label::{Label, Tag, same_policy};
use super::label_policy::{CategoryKind, LabelPolicy, Level};
use liaison_identity::Nationality;

/// What an officer is cleared for under one policy: a level, the caveats
/// held, and the values held in permissive categories other than
/// releasability (which is decided by nationality).
///
/// Made by [`Clearance::builder`] or [`Clearance::from_attribute`], each
/// checking every part against the policy.
#[derive(Clone)]
pub struct Clearance {
    pub(crate) policy: Arc<LabelPolicy>,
    /// Index in the policy's levels; the builder takes it from the policy.
    pub(crate) rank: usize,
    pub(crate) restrictive: BTreeSet<Tag>,
    pub(crate) permissive: BTreeSet<Tag>,
}

impl Clearance {
    /// Starts a clearance of `policy` at the level with this full name.
    pub fn builder(policy: &Arc<LabelPolicy>, level: impl AsRef<str>) -> ClearanceBuilder {
        ClearanceBuilder {
            policy: Arc::clone(policy),
            level: level.as_ref().to_owned(),
            tags: Vec::new(),
        }
    }

    /// The clearance's policy.
    pub fn policy(&self) -> &Arc<LabelPolicy> {
        &self.policy
    }

    /// The level held.
    pub fn level(&self) -> &Level {
        // `rank` was taken from this policy's levels when the clearance was
        // built, and neither changes afterwards.
        &self.policy.levels[self.rank]
    }

    /// The caveats held.
    pub fn restrictive_tags(&self) -> &BTreeSet<Tag> {
        &self.restrictive
    }

    /// The permissive values held.
    pub fn permissive_tags(&self) -> &BTreeSet<Tag> {
        &self.permissive
    }

    /// Whether an officer of `nationality` with this clearance may read
    /// `label`: same policy, level at least the label's, every caveat held,
    /// the nationality in the label's effective REL TO, and at least one held
    /// value in every other permissive category the label names.
    pub fn admits(&self, label: &Label, nationality: &Nationality) -> Result<(), NotAdmitted> {
        if !same_policy(&self.policy, label.policy()) {
            return Err(NotAdmitted::WrongPolicy {
                clearance: self.policy.id().to_owned(),
                label: label.policy_id().to_owned(),
            });
        }
        if self.rank < label.rank() {
            return Err(NotAdmitted::LevelTooLow {
                held: self.level().name().to_owned(),
                required: label.classification().to_owned(),
            });
        }
        if let Some(missing) = label
            .restrictive_tags()
            .difference(&self.restrictive)
            .next()
        {
            return Err(NotAdmitted::MissingCaveat {
                category: missing.category().to_owned(),
                value: missing.value().to_owned(),
            });
        }
        if !label.is_releasable_to(nationality) {
            return Err(NotAdmitted::NotReleasable {
                nationality: *nationality,
            });
        }
        for category in self.policy.categories() {
            if category.kind() != CategoryKind::Permissive {
                continue;
            }
            let Some(required) = permissive_values(label, category) else {
                continue;
            };
            let held = self
                .permissive
                .iter()
                .any(|tag| tag.category() == category.name() && required.contains(tag.value()));
            if !held {
                return Err(NotAdmitted::MissingPermissive {
                    category: category.name().to_owned(),
                });
            }
        }
        Ok(())
    }
}

impl PartialEq for Clearance {
    fn eq(&self, other: &Self) -> bool {
        same_policy(&self.policy, &other.policy)
            && self.rank == other.rank
            && self.restrictive == other.restrictive
            && self.permissive == other.permissive
    }
}

impl Eq for Clearance {}

impl fmt::Debug for Clearance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clearance")
            .field("policy", &self.policy.id())
            .field("level", &self.level().name())
            .field("restrictive", &self.restrictive)
            .field("permissive", &self.permissive)
            .finish()
    }
}

/// Collects the parts of a [`Clearance`]; see [`Clearance::builder`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClearanceBuilder {
    policy: Arc<LabelPolicy>,
    level: String,
    tags: Vec<(String, String)>,
}

impl ClearanceBuilder {
    /// Adds a held value of a restrictive or permissive category (not of the
    /// releasability category). Adding it twice is the same as once.
    pub fn tag(mut self, category: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.tags
            .push((category.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Checks every part against the policy and makes the clearance.
    pub fn build(self) -> Result<Clearance, LabelError> {
        let policy = self.policy;
        let rank = policy
            .level(&self.level)
            .ok_or_else(|| LabelError::UnknownClassification {
                policy: policy.id().to_owned(),
                name: self.level.as_str().into(),
                levels: policy.level_names(),
            })?
            .rank();
        let mut restrictive = BTreeSet::new();
        let mut permissive = BTreeSet::new();
        for (category, value) in &self.tags {
            match checked_tag(&policy, category, value)? {
                (CategoryKind::Restrictive, tag) => restrictive.insert(tag),
                (CategoryKind::Permissive, tag) => permissive.insert(tag),
                (CategoryKind::Releasability, _) => {
                    return Err(LabelError::ReleasabilityInClearance);
                }
            };
        }
        if restrictive.len() > MAX_TAGS || permissive.len() > MAX_TAGS {
            return Err(LabelError::TooManyTags { max: MAX_TAGS });
        }
        Ok(Clearance {
            policy,
            rank,
            restrictive,
            permissive,
        })
    }
}
