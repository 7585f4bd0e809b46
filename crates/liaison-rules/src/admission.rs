//! Rule 2: who may be a member of a channel.

use liaison_identity::VerifiedCredential;

use crate::channel_policy::ChannelPolicy;
use crate::error::RuleViolation;
use crate::labels::{Clearance, PolicyRegistry};

/// Rule 2: the officer's clearance admits the ceiling and their nationality
/// is in its releasability.
pub fn check_admission(
    verified: &VerifiedCredential,
    policy: &ChannelPolicy,
    registry: &PolicyRegistry,
) -> Result<(), RuleViolation> {
    let officer = verified.attributes();
    let clearance = Clearance::from_attribute(officer.clearance(), registry)?;
    clearance
        .admits(policy.ceiling(), officer.nationality())
        .map_err(|reason| RuleViolation::NotAdmitted {
            officer: officer.officer_id().to_owned(),
            reason,
        })
}
