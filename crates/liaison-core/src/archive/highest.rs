//! The highest of several labels, for the banner above and below a list of
//! messages (rule 7).

use liaison_rules::Label;

/// The label a banner shows for `labels`: the highest classification;
/// among labels of that classification, one that dominates the others
/// (more caveats, narrower releasability) when there is one, else the
/// first met. `None` for no labels.
///
/// Labels of different policies are compared by classification rank only:
/// there is no dominance between policies, and the banner must not show
/// less than the highest level present.
pub fn highest_label<'a>(labels: impl IntoIterator<Item = &'a Label>) -> Option<&'a Label> {
    let mut best: Option<&Label> = None;
    for label in labels {
        best = match best {
            None => Some(label),
            Some(current) if label.rank() > current.rank() => Some(label),
            Some(current)
                if label.rank() == current.rank()
                    && label != current
                    && label.dominates(current) =>
            {
                Some(label)
            }
            keep => keep,
        };
    }
    best
}
