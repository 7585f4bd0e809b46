//! A security label, valid against its policy by construction.

use std::collections::BTreeSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::builder::LabelBuilder;
use super::label_policy::{Category, CategoryKind, Colour, LabelPolicy, Level, Releasee};
use liaison_identity::Nationality;

/// One tag of a label or clearance: a category of the policy and one of its
/// values. Ordered by category name, then value (bytewise), which is the
/// order of the binary encoding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag {
    pub(crate) category: String,
    pub(crate) value: String,
}

impl Tag {
    /// The category's name.
    pub fn category(&self) -> &str {
        &self.category
    }

    /// The value: a caveat, a permissive value, or for releasability a
    /// nation code or community name.
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// A security label (ADatP-4774 confidentiality metadata): a classification
/// of a policy, restrictive and permissive tags, and optional privacy mark,
/// originator and creation time.
///
/// A `Label` exists only in its valid form: it is made by [`Label::builder`],
/// [`Label::parse_marking`] or [`Label::from_bytes`], each checking every part
/// against the policy. It keeps a handle on its policy, so it renders and
/// compares without a registry.
///
/// Equality and hashing are on content: two labels are equal when their
/// policies are equal and every part is equal, whichever `Arc` they hold.
/// A REL TO written as a community (`NATO`) is content distinct from the same
/// nations written one by one, though both dominate each other.
#[derive(Clone)]
pub struct Label {
    pub(crate) policy: Arc<LabelPolicy>,
    /// Index in the policy's levels; the builder takes it from the policy.
    pub(crate) rank: usize,
    pub(crate) restrictive: BTreeSet<Tag>,
    pub(crate) permissive: BTreeSet<Tag>,
    pub(crate) privacy_mark: Option<String>,
    pub(crate) originator: Option<String>,
    pub(crate) created_at: Option<u64>,
}

impl Label {
    /// Starts a label of `policy` at the classification with this full name.
    /// Nothing is checked until [`LabelBuilder::build`].
    pub fn builder(policy: &Arc<LabelPolicy>, classification: impl AsRef<str>) -> LabelBuilder {
        LabelBuilder::new(policy, classification.as_ref())
    }

    /// The label's policy.
    pub fn policy(&self) -> &Arc<LabelPolicy> {
        &self.policy
    }

    /// The policy identifier (`NATO`).
    pub fn policy_id(&self) -> &str {
        self.policy.id()
    }

    /// The classification level.
    pub fn level(&self) -> &Level {
        // `rank` was taken from this policy's levels when the label was
        // built, and neither changes afterwards.
        &self.policy.levels[self.rank]
    }

    /// The classification's full name (`NATO SECRET`).
    pub fn classification(&self) -> &str {
        self.level().name()
    }

    /// The classification's rank in the policy, 0 for the lowest.
    pub fn rank(&self) -> usize {
        self.rank
    }

    /// The banner colour of the classification.
    pub fn colour(&self) -> Colour {
        self.level().colour()
    }

    /// The caveats: a reader must hold every one.
    pub fn restrictive_tags(&self) -> &BTreeSet<Tag> {
        &self.restrictive
    }

    /// The permissive tags, releasability values included as written
    /// (nation codes and community names).
    pub fn permissive_tags(&self) -> &BTreeSet<Tag> {
        &self.permissive
    }

    /// The nations the label is releasable to: communities expanded, and the
    /// policy's default community when the label has no REL TO.
    pub fn releasable_to(&self) -> BTreeSet<Nationality> {
        let category = self.policy.releasability();
        let mut nations = BTreeSet::new();
        let mut any = false;
        for value in self.values_of(category) {
            any = true;
            match self.policy.releasee(value) {
                Some(Releasee::Nation(nation)) => {
                    nations.insert(nation);
                }
                Some(Releasee::Community(members)) => nations.extend(members.iter().copied()),
                // The builder accepted only values the policy resolves.
                None => {}
            }
        }
        if any {
            nations
        } else {
            self.policy.default_community().clone()
        }
    }

    /// Whether a reader of this nationality is in the effective REL TO.
    pub fn is_releasable_to(&self, nationality: &Nationality) -> bool {
        self.releasable_to().contains(nationality)
    }

    /// The privacy mark, if any.
    pub fn privacy_mark(&self) -> Option<&str> {
        self.privacy_mark.as_deref()
    }

    /// The originator, if any.
    pub fn originator(&self) -> Option<&str> {
        self.originator.as_deref()
    }

    /// The creation time in Unix seconds, if any.
    pub fn created_at(&self) -> Option<u64> {
        self.created_at
    }

    /// The label's values in one category, in tag order.
    pub(crate) fn values_of<'a>(&'a self, category: &'a Category) -> impl Iterator<Item = &'a str> {
        let tags = match category.kind() {
            CategoryKind::Restrictive => &self.restrictive,
            CategoryKind::Permissive | CategoryKind::Releasability => &self.permissive,
        };
        tags.iter()
            .filter(move |tag| tag.category == category.name())
            .map(|tag| tag.value.as_str())
    }
}

/// Whether two handles name the same policy: the same `Arc`, or equal content.
pub(crate) fn same_policy(a: &Arc<LabelPolicy>, b: &Arc<LabelPolicy>) -> bool {
    Arc::ptr_eq(a, b) || **a == **b
}

impl PartialEq for Label {
    fn eq(&self, other: &Self) -> bool {
        same_policy(&self.policy, &other.policy)
            && self.rank == other.rank
            && self.restrictive == other.restrictive
            && self.permissive == other.permissive
            && self.privacy_mark == other.privacy_mark
            && self.originator == other.originator
            && self.created_at == other.created_at
    }
}

impl Eq for Label {}

impl Hash for Label {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Equal policies have equal identifiers, so hashing the identifier
        // alone agrees with `eq`.
        self.policy.id().hash(state);
        self.rank.hash(state);
        self.restrictive.hash(state);
        self.permissive.hash(state);
        self.privacy_mark.hash(state);
        self.originator.hash(state);
        self.created_at.hash(state);
    }
}

impl fmt::Debug for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Label")
            .field("policy", &self.policy.id())
            .field("marking", &self.marking())
            .field("originator", &self.originator)
            .field("created_at", &self.created_at)
            .finish()
    }
}
