//! Checks that a policy's marking grammar is unambiguous, so that every label
//! renders to a marking that parses back to the same label.
//!
//! The rules, in terms of the separator `//` and a category's value
//! separator (`, ` or `/`, compared without its surrounding spaces):
//! - separators are ASCII punctuation, so nation codes and community names
//!   never contain them;
//! - no level name, abbreviation, prefix or value contains a character of the
//!   separator, and no value contains a character of its category's value
//!   separator, so splitting is exact;
//! - the non-empty prefixes (categories and privacy mark) are not prefixes of
//!   one another, so a segment starts with at most one of them;
//! - the values of categories without a prefix are unique among those
//!   categories and start with no prefix, so their segment names its category.

use std::collections::BTreeMap;

use super::error::PolicyError;
use super::label_policy::{CategoryKind, LabelPolicy};

/// Longest separator, in bytes.
const MAX_SEPARATOR_LEN: usize = 8;
/// Longest prefix, in bytes.
const MAX_PREFIX_LEN: usize = 32;

/// Checks the marking rules of an otherwise checked policy.
pub(crate) fn check(policy: &LabelPolicy) -> Result<(), PolicyError> {
    let separator = policy.separator.as_str();
    if !is_punctuation(separator) {
        return Err(invalid("marking separator", separator));
    }
    let clashes = |text: &str| text.chars().any(|c| separator.contains(c));
    for level in &policy.levels {
        if clashes(&level.name) || clashes(&level.portion) {
            return Err(ambiguous(format!(
                "level {:?} uses a character of the separator",
                level.name
            )));
        }
    }
    check_prefix(
        "privacy mark prefix",
        &policy.privacy_mark_prefix,
        separator,
    )?;
    let mut prefixes = vec![policy.privacy_mark_prefix.as_str()];
    let mut bare_values: BTreeMap<&str, &str> = BTreeMap::new();
    for category in &policy.categories {
        let value_separator = category.value_separator.trim();
        if category.value_separator.len() > MAX_SEPARATOR_LEN
            || category.value_separator.chars().any(char::is_control)
            || !is_punctuation(value_separator)
            || value_separator.contains(separator)
        {
            return Err(invalid("value separator", &category.value_separator));
        }
        if category.prefix.is_empty() {
            if category.kind == CategoryKind::Releasability {
                return Err(ambiguous(format!(
                    "releasability category {:?} needs a prefix",
                    category.name
                )));
            }
        } else {
            check_prefix("category prefix", &category.prefix, separator)?;
            prefixes.push(&category.prefix);
        }
        for value in &category.values {
            if clashes(value) || value.chars().any(|c| value_separator.contains(c)) {
                return Err(ambiguous(format!(
                    "value {value:?} of {:?} uses a separator character",
                    category.name
                )));
            }
            if category.prefix.is_empty()
                && let Some(other) = bare_values.insert(value, &category.name)
            {
                return Err(ambiguous(format!(
                    "value {value:?} is in both {other:?} and {:?}",
                    category.name
                )));
            }
        }
    }
    for (index, prefix) in prefixes.iter().enumerate() {
        for other in prefixes.iter().skip(index + 1) {
            if prefix.starts_with(other) || other.starts_with(prefix) {
                return Err(ambiguous(format!(
                    "prefixes {prefix:?} and {other:?} overlap"
                )));
            }
        }
    }
    for value in bare_values.keys() {
        if let Some(prefix) = prefixes.iter().find(|prefix| value.starts_with(*prefix)) {
            return Err(ambiguous(format!(
                "value {value:?} starts with prefix {prefix:?}"
            )));
        }
    }
    Ok(())
}

fn is_punctuation(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_SEPARATOR_LEN
        && text.bytes().all(|b| b.is_ascii_punctuation())
}

fn check_prefix(field: &'static str, prefix: &str, separator: &str) -> Result<(), PolicyError> {
    if prefix.is_empty()
        || prefix.len() > MAX_PREFIX_LEN
        || prefix.starts_with(char::is_whitespace)
        || prefix
            .chars()
            .any(|c| c.is_control() || separator.contains(c))
    {
        return Err(invalid(field, prefix));
    }
    Ok(())
}

fn invalid(field: &'static str, text: &str) -> PolicyError {
    PolicyError::InvalidText {
        field,
        text: text.into(),
    }
}

fn ambiguous(detail: String) -> PolicyError {
    PolicyError::AmbiguousMarking { detail }
}
