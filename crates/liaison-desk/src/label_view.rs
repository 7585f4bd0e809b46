//! Labels as the window shows them: markings, banner colour and tone.

use super::views::{LabelView, LevelTone};
use liaison_rules::Label;

/// The tone of a level from its RFC 5755 ClassList bit, which every
/// policy file states (1 unclassified … 5 top secret). Bits a policy uses
/// beyond 5 are shown as the highest tone rather than the lowest.
pub(crate) fn tone(class_bit: u8) -> LevelTone {
    match class_bit {
        0 | 1 => LevelTone::Unclassified,
        2 => LevelTone::Restricted,
        3 => LevelTone::Confidential,
        4 => LevelTone::Secret,
        _ => LevelTone::TopSecret,
    }
}

/// The view of a label.
pub(crate) fn label_view(label: &Label) -> LabelView {
    LabelView {
        marking: label.marking(),
        portion: label.portion_marking(),
        classification: label.classification().to_owned(),
        rank: u32::try_from(label.rank()).unwrap_or(u32::MAX),
        colour: label.colour().to_string(),
        tone: tone(label.level().class_bit()),
    }
}

/// The higher of two labels for a banner: by rank, then the longer
/// marking (more categories) on a tie.
pub(crate) fn higher(current: Option<LabelView>, candidate: &LabelView) -> Option<LabelView> {
    match current {
        Some(held)
            if (held.rank, held.marking.len()) >= (candidate.rank, candidate.marking.len()) =>
        {
            Some(held)
        }
        _ => Some(candidate.clone()),
    }
}
