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
//! segments and values in any order, spaces around separators, runs of
//! spaces, and any case (`nato secret//rel to gbr`), but refuses an empty,
//! unknown or repeated segment or value. Case and spacing are settled
//! first ([`canonical_marking`]): a name typed is replaced only by the
//! policy's own name that equals it ignoring case, so what is parsed is
//! the label the officer named or an error, never another label.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::error::{LabelError, MarkingError};
use super::label::Label;
use super::label_policy::{Category, CategoryKind, LabelPolicy, Level};
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
            if canonical_level(policy, &collapse_spaces(head)).is_some() {
                if found.is_some() {
                    return Err(MarkingError::Ambiguous.into());
                }
                found = Some(policy);
            }
        }
        let policy = found.ok_or_else(|| {
            let levels: Vec<String> = registry.iter().map(|p| p.level_names()).collect();
            MarkingError::UnknownClassification {
                marking: text.into(),
                levels: levels.join(", "),
            }
        })?;
        Self::parse_marking_for(text, policy)
    }

    /// Parses a banner marking of a known policy.
    pub fn parse_marking_for(text: &str, policy: &Arc<LabelPolicy>) -> Result<Label, LabelError> {
        check_length(text)?;
        let text = canonical_marking(text, policy)?;
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

/// The marking as the policy spells it: each segment trimmed with runs of
/// spaces made one, and the level, the prefixes, the values and the
/// communities in the policy's case (nation codes in capitals). Anything
/// not recognised is left as typed, for the parser to refuse with its
/// reason.
fn canonical_marking(text: &str, policy: &LabelPolicy) -> Result<String, LabelError> {
    let mut pieces = text.split(policy.separator());
    let head = collapse_spaces(pieces.next().unwrap_or_default());
    let level =
        canonical_level(policy, &head).ok_or_else(|| LabelError::UnknownClassification {
            policy: policy.id().to_owned(),
            name: head.as_str().into(),
            levels: policy.level_names(),
        })?;
    let mut canonical = level.to_owned();
    for piece in pieces {
        canonical.push_str(policy.separator());
        let privacy = policy.privacy_mark_prefix();
        match strip_words_ignoring_case(piece, privacy) {
            // The privacy mark is free text: its case and inner spaces are
            // the officer's.
            Some(mark) => {
                canonical.push_str(privacy);
                canonical.push_str(mark.trim());
            }
            None => canonical.push_str(&canonical_segment(policy, &collapse_spaces(piece))),
        }
    }
    Ok(canonical)
}

/// `text` without the words of `prefix` (compared ignoring ASCII case,
/// with any run of spaces between and before them); `None` for an empty
/// prefix or one `text` does not start with. A prefix ending in a space
/// must be followed by one.
fn strip_words_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let words: Vec<&str> = prefix.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let mut rest = text.trim_start();
    for (index, word) in words.iter().enumerate() {
        if index > 0 {
            // The prefix's words are apart by at least one space.
            let trimmed = rest.trim_start();
            if trimmed.len() == rest.len() {
                return None;
            }
            rest = trimmed;
        }
        rest = strip_prefix_ignoring_case(rest, word)?;
    }
    if prefix.ends_with(char::is_whitespace) && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some(rest)
}

/// The policy's level of that name, ignoring case.
fn canonical_level<'a>(policy: &'a LabelPolicy, name: &str) -> Option<&'a str> {
    canonical(name, policy.levels().iter().map(Level::name))
}

/// One segment as the policy spells it (see [`canonical_marking`]).
fn canonical_segment(policy: &LabelPolicy, segment: &str) -> String {
    let category = segment_category(policy, segment);
    let Some(category) = category else {
        return segment.to_owned();
    };
    let body = strip_prefix_ignoring_case(segment, category.prefix()).unwrap_or(segment);
    let separator = category.value_separator().trim();
    let values: Vec<String> = body
        .split(separator)
        .map(|value| canonical_value(policy, category, value.trim()))
        .collect();
    format!("{}{}", category.prefix(), values.join(separator))
}

/// A value as the category spells it: a listed value or community in the
/// policy's case, a nation code in capitals; anything else as typed.
fn canonical_value(policy: &LabelPolicy, category: &Category, value: &str) -> String {
    if category.kind() == CategoryKind::Releasability {
        if let Some(community) = canonical(value, policy.communities().keys().map(String::as_str)) {
            return community.to_owned();
        }
        let upper = value.to_ascii_uppercase();
        return if Nationality::new(&upper).is_ok() {
            upper
        } else {
            value.to_owned()
        };
    }
    canonical(value, category.values().iter().map(String::as_str))
        .unwrap_or(value)
        .to_owned()
}

/// `typed` as one of `names` spells it: the name equal to it, else the
/// only one equal to it ignoring ASCII case (two such names: none, and the
/// text stays as typed).
fn canonical<'a>(typed: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut ignoring_case = None;
    let mut several = false;
    for name in names {
        if name == typed {
            return Some(name);
        }
        if name.eq_ignore_ascii_case(typed) {
            several |= ignoring_case.is_some();
            ignoring_case = Some(name);
        }
    }
    if several { None } else { ignoring_case }
}

/// `text` without `prefix`, compared ignoring ASCII case; `None` for an
/// empty prefix.
fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    if prefix.is_empty() {
        return None;
    }
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

/// Trimmed, with every run of whitespace made one space.
fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
/// else the prefix-less one that lists its first value, either ignoring
/// case. The policy loader checked that at most one can match.
fn segment_category<'a>(policy: &'a LabelPolicy, segment: &str) -> Option<&'a Category> {
    let categories = policy.categories();
    categories
        .iter()
        .find(|category| strip_prefix_ignoring_case(segment, category.prefix()).is_some())
        .or_else(|| {
            categories.iter().find(|category| {
                let first = segment
                    .split(category.value_separator().trim())
                    .next()
                    .unwrap_or_default()
                    .trim();
                category.prefix().is_empty()
                    && canonical(first, category.values().iter().map(String::as_str)).is_some()
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
