//! Building a label: every part is checked against the policy in
//! [`LabelBuilder::build`], the one way into a [`Label`].

use std::collections::BTreeSet;
use std::sync::Arc;

use super::encoding::MAX_TAGS;
use super::error::LabelError;
use super::label::{Label, Tag};
use super::label_policy::{CategoryKind, LabelPolicy};
use super::text::{MAX_FREE_TEXT_LEN, text_problem};

/// Collects the parts of a [`Label`]; see [`Label::builder`].
///
/// Adding the same tag twice is the same as adding it once. Errors are
/// reported by [`build`](Self::build), the first one found.
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct LabelBuilder {
    policy: Arc<LabelPolicy>,
    classification: String,
    restrictive: Vec<(String, String)>,
    permissive: Vec<(String, String)>,
    privacy_mark: Option<String>,
    originator: Option<String>,
    created_at: Option<u64>,
}

impl LabelBuilder {
    pub(crate) fn new(policy: &Arc<LabelPolicy>, classification: &str) -> Self {
        Self {
            policy: Arc::clone(policy),
            classification: classification.to_owned(),
            restrictive: Vec::new(),
            permissive: Vec::new(),
            privacy_mark: None,
            originator: None,
            created_at: None,
        }
    }

    /// Adds a caveat: a value of a restrictive category.
    pub fn restrictive(mut self, category: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.restrictive
            .push((category.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Adds a value of a permissive category (the releasability category
    /// included).
    pub fn permissive(mut self, category: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.permissive
            .push((category.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// Adds a nation code or a community of the policy to the REL TO.
    pub fn releasable_to(self, nation_or_community: impl AsRef<str>) -> Self {
        let category = self.policy.releasability().name().to_owned();
        self.permissive(category, nation_or_community)
    }

    /// Sets the privacy mark: at most 128 bytes, no control character, no
    /// surrounding whitespace, not containing the policy's separator.
    pub fn privacy_mark(mut self, mark: impl AsRef<str>) -> Self {
        self.privacy_mark = Some(mark.as_ref().to_owned());
        self
    }

    /// Sets the originator: at most 128 bytes, no control character, no
    /// surrounding whitespace.
    pub fn originator(mut self, originator: impl AsRef<str>) -> Self {
        self.originator = Some(originator.as_ref().to_owned());
        self
    }

    /// Sets the creation time, in Unix seconds.
    pub fn created_at(mut self, unix_seconds: u64) -> Self {
        self.created_at = Some(unix_seconds);
        self
    }

    /// Checks every part against the policy and makes the label.
    pub fn build(self) -> Result<Label, LabelError> {
        let policy = self.policy;
        let rank = policy
            .level(&self.classification)
            .ok_or_else(|| LabelError::UnknownClassification {
                policy: policy.id().to_owned(),
                name: self.classification.as_str().into(),
                levels: policy.level_names(),
            })?
            .rank();
        let restrictive = tag_set(&policy, self.restrictive, CategoryKind::Restrictive)?;
        let permissive = tag_set(&policy, self.permissive, CategoryKind::Permissive)?;
        if let Some(mark) = &self.privacy_mark {
            let problem = text_problem(mark, MAX_FREE_TEXT_LEN).or_else(|| {
                mark.contains(policy.separator())
                    .then_some("contains the marking separator")
            });
            if let Some(reason) = problem {
                return Err(LabelError::InvalidText {
                    field: "privacy mark",
                    reason,
                });
            }
        }
        if let Some(reason) = self
            .originator
            .as_deref()
            .and_then(|originator| text_problem(originator, MAX_FREE_TEXT_LEN))
        {
            return Err(LabelError::InvalidText {
                field: "originator",
                reason,
            });
        }
        Ok(Label {
            policy,
            rank,
            restrictive,
            permissive,
            privacy_mark: self.privacy_mark,
            originator: self.originator,
            created_at: self.created_at,
        })
    }
}

/// Checks that `value` is a value of `category` in `policy`, and returns the
/// category's kind with the tag.
pub(crate) fn checked_tag(
    policy: &LabelPolicy,
    category: &str,
    value: &str,
) -> Result<(CategoryKind, Tag), LabelError> {
    let found = policy
        .category(category)
        .ok_or_else(|| LabelError::UnknownCategory {
            policy: policy.id().to_owned(),
            category: category.into(),
        })?;
    match found.kind() {
        CategoryKind::Releasability if policy.releasee(value).is_none() => {
            return Err(LabelError::InvalidReleasability {
                policy: policy.id().to_owned(),
                value: value.into(),
            });
        }
        CategoryKind::Restrictive | CategoryKind::Permissive
            if found.value_position(value).is_none() =>
        {
            return Err(LabelError::UnknownValue {
                category: found.name().to_owned(),
                value: value.into(),
            });
        }
        _ => {}
    }
    let tag = Tag {
        category: found.name().to_owned(),
        value: value.to_owned(),
    };
    Ok((found.kind(), tag))
}

/// Checks tags that must all be restrictive, or all permissive
/// (releasability included), and collects them into a set.
fn tag_set(
    policy: &LabelPolicy,
    tags: Vec<(String, String)>,
    expected: CategoryKind,
) -> Result<BTreeSet<Tag>, LabelError> {
    let mut set = BTreeSet::new();
    for (category, value) in tags {
        let (kind, tag) = checked_tag(policy, &category, &value)?;
        if kind.is_permissive() != expected.is_permissive() {
            return Err(LabelError::WrongCategoryKind {
                category,
                expected,
                actual: kind,
            });
        }
        set.insert(tag);
    }
    if set.len() > MAX_TAGS {
        return Err(LabelError::TooManyTags { max: MAX_TAGS });
    }
    Ok(set)
}
