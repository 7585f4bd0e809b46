//! Display markings: rendering a label as text for banners and portions, and
//! parsing a banner marking back.
//!
//! ```text
//! marking  = level *( SEP segment ) [ SEP privacy ]
//! segment  = prefix value *( value-separator value )   ; one per category
//! privacy  = privacy-prefix text
//! portion  = "(" abbreviation *( SEP segment ) ")"
//! ```
//!
//! Rendering is canonical: categories in policy order, values in the
//! category's order (for REL TO: the lead nations, the other nations
//! alphabetically, then communities alphabetically). Parsing accepts the
//! segments and values in any order and spaces around value separators, but
//! refuses an empty, unknown or repeated segment or value.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::error::{LabelError, MarkingError};
use super::label::Label;
use super::label_policy::{Category, CategoryKind, LabelPolicy};
use super::registry::PolicyRegistry;
use liaison_identity::Nationality;

/// Longest marking [`Label::parse_marking`] reads, in bytes.
pub(crate) const MAX_MARKING_LEN: usize = 16 * 1024;

impl Label {
    /// The banner marking, e.g. `NATO SECRET//REL TO FRA, GBR`, with the
    /// privacy mark last. Originator and creation time are not shown.
    pub fn marking(&self) -> String {
        let mut text = self.segments(self.classification());
        if let Some(mark) = &self.privacy_mark {
            text.push_str(self.policy.separator());
            text.push_str(self.policy.privacy_mark_prefix());
            text.push_str(mark);
        }
        text
    }

    /// The portion marking shown on each message, e.g.
    /// `(NS//REL TO FRA, GBR)`: the level's abbreviation and the tags,
    /// without the privacy mark.
    pub fn portion_marking(&self) -> String {
        format!("({})", self.segments(self.level().portion()))
    }

    /// Parses a banner marking with whichever registered policy has a level
    /// of that name (level names are unique within a registry).
    pub fn parse_marking(text: &str, registry: &PolicyRegistry) -> Result<Label, LabelError> {
        check_length(text)?;
        let mut found = None;
        for policy in registry.iter() {
            let head = text
                .split_once(policy.separator())
                .map_or(text, |(head, _)| head);
            if policy.level(head).is_some() {
                if found.is_some() {
                    return Err(MarkingError::Ambiguous.into());
                }
                found = Some(policy);
            }
        }
        let policy = found.ok_or_else(|| MarkingError::UnknownClassification {
            marking: text.into(),
        })?;
        Self::parse_marking_for(text, policy)
    }

    /// Parses a banner marking of a known policy.
    pub fn parse_marking_for(text: &str, policy: &Arc<LabelPolicy>) -> Result<Label, LabelError> {
        check_length(text)?;
        let mut segments = text.split(policy.separator());
        let head = segments.next().unwrap_or_default();
        let mut builder = Label::builder(policy, head);
        let mut seen_privacy = false;
        let mut seen_categories = BTreeSet::new();
        for segment in segments {
            if segment.is_empty() {
                return Err(MarkingError::EmptySegment.into());
            }
            if let Some(mark) = segment.strip_prefix(policy.privacy_mark_prefix()) {
                if seen_privacy {
                    return Err(duplicate_segment("privacy mark"));
                }
                seen_privacy = true;
                builder = builder.privacy_mark(mark);
                continue;
            }
            let category =
                segment_category(policy, segment).ok_or_else(|| MarkingError::UnknownSegment {
                    segment: segment.into(),
                })?;
            if !seen_categories.insert(category.name()) {
                return Err(duplicate_segment(category.name()));
            }
            let body = segment.strip_prefix(category.prefix()).unwrap_or(segment);
            let mut values = BTreeSet::new();
            for value in body.split(category.value_separator().trim()).map(str::trim) {
                if value.is_empty() {
                    return Err(MarkingError::EmptyValue {
                        category: category.name().to_owned(),
                    }
                    .into());
                }
                if !values.insert(value) {
                    return Err(MarkingError::DuplicateValue {
                        category: category.name().to_owned(),
                        value: value.into(),
                    }
                    .into());
                }
                builder = match category.kind() {
                    CategoryKind::Restrictive => builder.restrictive(category.name(), value),
                    CategoryKind::Permissive | CategoryKind::Releasability => {
                        builder.permissive(category.name(), value)
                    }
                };
            }
        }
        builder.build()
    }

    /// `head` followed by one segment per category that has values.
    fn segments(&self, head: &str) -> String {
        let mut text = head.to_owned();
        for category in self.policy.categories() {
            let values = ordered_values(self, category);
            if values.is_empty() {
                continue;
            }
            text.push_str(self.policy.separator());
            text.push_str(category.prefix());
            text.push_str(&values.join(category.value_separator()));
        }
        text
    }
}

fn check_length(text: &str) -> Result<(), LabelError> {
    if text.len() > MAX_MARKING_LEN {
        return Err(MarkingError::TooLong {
            max: MAX_MARKING_LEN,
        }
        .into());
    }
    Ok(())
}

fn duplicate_segment(what: &str) -> LabelError {
    MarkingError::DuplicateSegment {
        what: what.to_owned(),
    }
    .into()
}

/// The category a segment belongs to: the one whose prefix starts it, or
/// else the prefix-less one that lists its first value. The policy loader
/// checked that at most one can match.
fn segment_category<'a>(policy: &'a LabelPolicy, segment: &str) -> Option<&'a Category> {
    let categories = policy.categories();
    categories
        .iter()
        .find(|category| !category.prefix().is_empty() && segment.starts_with(category.prefix()))
        .or_else(|| {
            categories.iter().find(|category| {
                let first = segment
                    .split(category.value_separator().trim())
                    .next()
                    .unwrap_or_default()
                    .trim();
                category.prefix().is_empty() && category.value_position(first).is_some()
            })
        })
}

/// A label's values in one category, in canonical marking order.
fn ordered_values<'a>(label: &'a Label, category: &'a Category) -> Vec<&'a str> {
    let mut values: Vec<&str> = label.values_of(category).collect();
    match category.kind() {
        CategoryKind::Releasability => {
            values.sort_by_key(|value| match Nationality::new(value) {
                Ok(nation) => match category.lead().iter().position(|lead| *lead == nation) {
                    Some(position) => (0, position, *value),
                    None => (1, 0, *value),
                },
                // Community names are never shaped like nation codes.
                Err(_) => (2, 0, *value),
            });
        }
        CategoryKind::Restrictive | CategoryKind::Permissive => {
            values.sort_by_key(|value| category.value_position(value));
        }
    }
    values
}
