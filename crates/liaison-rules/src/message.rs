//! The message rules as pure functions, shared by the send path and the
//! receive path so both enforce exactly the same thing.

use liaison_proto::ReferenceKind;

use crate::channel_policy::ChannelPolicy;
use crate::error::RuleViolation;
use crate::labels::Label;

/// Rules 1 and 4: the label is of the channel's label policy and dominated
/// by the ceiling.
pub fn check_message_label(policy: &ChannelPolicy, label: &Label) -> Result<(), RuleViolation> {
    if label.policy_id() != policy.ceiling().policy_id() {
        return Err(RuleViolation::ForeignLabelPolicy {
            expected: policy.ceiling().policy_id().to_string(),
            found: label.policy_id().to_string(),
        });
    }
    if !policy.ceiling().dominates(label) {
        return Err(RuleViolation::AboveCeiling {
            label: label.marking(),
            ceiling: policy.ceiling().marking(),
            excess: label.exceeds(policy.ceiling()),
        });
    }
    Ok(())
}

/// Rule 6: a reply, quote or forward carries at least its source's label.
pub fn check_inheritance(
    kind: ReferenceKind,
    source: &Label,
    label: &Label,
) -> Result<(), RuleViolation> {
    if label.dominates(source) {
        return Ok(());
    }
    Err(RuleViolation::InheritanceBroken {
        kind: match kind {
            ReferenceKind::Reply => "reply",
            ReferenceKind::Quote => "quote",
            ReferenceKind::Forward => "forward",
        },
        source_label: source.marking(),
    })
}
