//! Rules for the short texts of policies and labels.

/// Longest policy identifier, in bytes.
pub(crate) const MAX_POLICY_ID_LEN: usize = 32;
/// Longest level name, portion abbreviation, category name or value, in bytes.
pub(crate) const MAX_NAME_LEN: usize = 64;
/// Longest privacy mark or originator, in bytes.
pub(crate) const MAX_FREE_TEXT_LEN: usize = 128;

/// A policy identifier: 1 to [`MAX_POLICY_ID_LEN`] of `A-Z`, `0-9`, `-`, `_`.
pub(crate) fn is_policy_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_POLICY_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// Why a text is refused; the text itself is never part of the reason, so
/// the reason can be shown for a privacy mark too.
pub(crate) fn text_problem(text: &str, max: usize) -> Option<&'static str> {
    if text.is_empty() {
        Some("empty")
    } else if text.len() > max {
        Some("too long")
    } else if text.chars().any(char::is_control) {
        Some("control character")
    } else if text.trim() != text {
        Some("leading or trailing whitespace")
    } else {
        None
    }
}

/// A name in a policy file: see [`text_problem`] with [`MAX_NAME_LEN`].
pub(crate) fn is_name(text: &str) -> bool {
    text_problem(text, MAX_NAME_LEN).is_none()
}
