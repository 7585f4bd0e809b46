//! Checking a channel policy, new (`create.rs`) or changed (`policy.rs`),
//! into structured issues: every problem found at once, each a code with
//! its parameters ([`PolicyIssue`]), so the window can word it in the
//! user's language and point at the field. The English wording here is
//! for the log and for a refusal that reaches the window as an error.

use std::collections::BTreeSet;
use std::fmt;
use std::time::SystemTime;

use super::label_spec::{build_label, excess_views, fitted_default, same_spec, spec_of};
use super::shared::Shared;
use super::views::{
    AdmissionReason, ConnectionState, ExcessView, LabelField, LabelSpec, OnRemoval, PolicyIssue,
};
use liaison_identity::{CertificateChain, TrustAnchors, VerifiedCredential, verify_credential};
use liaison_proto::channel_policy::{MAX_ADMINS, MAX_OFFICER_ID_LEN, MAX_PARTNERSHIP_LEN};
use liaison_rules::{
    ChannelPolicy, ChannelPolicyError, Clearance, Excess, HistoryOnRemoval, Label, NotAdmitted,
    PolicyRegistry,
};

/// Most officers read from the relay's directory for a check.
const DIRECTORY_LIMIT: u32 = 1000;

/// A `usize` limit as the window's number.
fn limit(max: usize) -> u32 {
    u32::try_from(max).unwrap_or(u32::MAX)
}

/// The window's form of why a clearance does not admit a label.
pub(crate) fn admission_reason(reason: NotAdmitted) -> AdmissionReason {
    match reason {
        NotAdmitted::WrongPolicy { .. } => AdmissionReason::ClearanceUnknown,
        NotAdmitted::LevelTooLow { held, required } => {
            AdmissionReason::LevelTooLow { held, required }
        }
        NotAdmitted::MissingCaveat { category, value } => {
            AdmissionReason::MissingCaveat { category, value }
        }
        NotAdmitted::NotReleasable { nationality } => AdmissionReason::NotReleasable {
            nationality: nationality.as_str().to_owned(),
        },
        NotAdmitted::MissingPermissive { category } => {
            AdmissionReason::MissingPermissive { category }
        }
        _ => AdmissionReason::NotCompliant,
    }
}

/// Whether the officer of `chain` would be admitted to a channel under
/// `policy` (rule 2: their certificate chains to its authorities, their
/// clearance and nationality admit its ceiling), and if not, why.
pub(crate) fn officer_admission(
    chain: &CertificateChain,
    policy: &ChannelPolicy,
    registry: &PolicyRegistry,
) -> Result<VerifiedCredential, AdmissionReason> {
    let key = chain
        .leaf_public_key()
        .map_err(|_| AdmissionReason::CertificateInvalid)?;
    let verified = verify_credential(chain, policy.anchors(), SystemTime::now(), &key)
        .map_err(|_| AdmissionReason::AuthorityNotTrusted)?;
    let officer = verified.attributes();
    let clearance = Clearance::from_attribute(officer.clearance(), registry)
        .map_err(|_| AdmissionReason::ClearanceUnknown)?;
    clearance
        .admits(policy.ceiling(), officer.nationality())
        .map_err(admission_reason)?;
    Ok(verified)
}

/// Admins of `policy` among `admins` whom the relay's directory knows and
/// the policy does not admit under any of their certificates: a warning
/// each ([`PolicyIssue::AdminNotAdmitted`], with the first certificate's
/// reason). An admin the directory does not list is not judged.
pub(crate) fn directory_admin_issues(
    policy: &ChannelPolicy,
    admins: &[&String],
    directory: &[(String, CertificateChain)],
    registry: &PolicyRegistry,
) -> Vec<PolicyIssue> {
    let mut issues = Vec::new();
    for admin in admins {
        let chains = directory.iter().filter(|(id, _)| id == *admin);
        let mut first = None;
        let mut admitted = false;
        for (_, chain) in chains {
            match officer_admission(chain, policy, registry) {
                Ok(_) => {
                    admitted = true;
                    break;
                }
                Err(reason) => {
                    first.get_or_insert((reason, chain));
                }
            }
        }
        if let (false, Some((reason, chain))) = (admitted, first) {
            issues.push(PolicyIssue::AdminNotAdmitted {
                officer_id: (*admin).clone(),
                display_name: chain
                    .claimed_attributes()
                    .map(|a| a.display_name().to_owned())
                    .unwrap_or_else(|_| (*admin).clone()),
                reason,
            });
        }
    }
    issues
}

/// The relay's directory, when the relay is reachable now; empty otherwise
/// (a check never waits for a relay that is down).
pub(crate) async fn directory_if_online(shared: &Shared) -> Vec<(String, CertificateChain)> {
    if shared.state() != ConnectionState::Online {
        return Vec::new();
    }
    match shared.client() {
        Ok(client) => client
            .list_officers(DIRECTORY_LIMIT)
            .await
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    }
}

/// A channel policy as the window sends it, before any check.
pub(crate) struct PolicyDraft<'a> {
    pub(crate) name: &'a str,
    pub(crate) ceiling: &'a LabelSpec,
    pub(crate) default_label: &'a LabelSpec,
    pub(crate) admins: &'a [String],
    pub(crate) retention_days: Option<u32>,
    pub(crate) on_removal: OnRemoval,
}

/// What [`check_policy`] found.
pub(crate) struct Checked {
    /// The policy, when no issue refuses it.
    pub(crate) policy: Option<ChannelPolicy>,
    /// Every issue found.
    pub(crate) issues: Vec<PolicyIssue>,
    /// A default label within the ceiling, when the one sent is not.
    pub(crate) fixed_default: Option<LabelSpec>,
}

/// Builds the label of `spec`; an unchanged label of `current` is kept
/// whole (with what the picker does not edit, such as a privacy mark).
fn label(
    spec: &LabelSpec,
    field: LabelField,
    current: Option<&Label>,
    registry: &PolicyRegistry,
) -> Result<Label, PolicyIssue> {
    match current {
        Some(label) if same_spec(&spec_of(label), spec) => Ok(label.clone()),
        _ => build_label(spec, field, registry),
    }
}

/// Checks every part of `draft` over `anchors`, collecting each issue.
/// `current` is the policy being changed, if any. Without anchors (the
/// caller refused them with its own issues) no policy is made, and the
/// rest is still checked.
pub(crate) fn check_policy(
    draft: &PolicyDraft<'_>,
    anchors: Option<TrustAnchors>,
    registry: &PolicyRegistry,
    current: Option<&ChannelPolicy>,
) -> Checked {
    let mut issues = Vec::new();
    let mut fixed_default = None;
    let name = draft.name.trim();
    if name.is_empty() {
        issues.push(PolicyIssue::NameMissing);
    } else if name.len() > MAX_PARTNERSHIP_LEN {
        issues.push(PolicyIssue::NameTooLong {
            max: limit(MAX_PARTNERSHIP_LEN),
        });
    }
    let ceiling = label(
        draft.ceiling,
        LabelField::Ceiling,
        current.map(ChannelPolicy::ceiling),
        registry,
    )
    .map_err(|issue| issues.push(issue))
    .ok();
    let default_label = label(
        draft.default_label,
        LabelField::DefaultLabel,
        current.map(ChannelPolicy::default_label),
        registry,
    )
    .map_err(|issue| issues.push(issue))
    .ok();
    if let (Some(ceiling), Some(default_label)) = (&ceiling, &default_label) {
        if ceiling.policy_id() != default_label.policy_id() {
            issues.push(PolicyIssue::MixedLabelPolicies);
            fixed_default = Some(spec_of(&fitted_default(default_label, ceiling)));
        } else if !ceiling.dominates(default_label) {
            issues.push(PolicyIssue::DefaultAboveCeiling {
                default: default_label.marking(),
                ceiling: ceiling.marking(),
                excess: excess_views(default_label.exceeds(ceiling)),
            });
            fixed_default = Some(spec_of(&fitted_default(default_label, ceiling)));
        }
    }
    let admins: BTreeSet<String> = draft.admins.iter().map(|a| a.trim().to_owned()).collect();
    if admins.is_empty() {
        issues.push(PolicyIssue::NoAdmin);
    } else if admins.len() > MAX_ADMINS {
        issues.push(PolicyIssue::TooManyAdmins {
            max: limit(MAX_ADMINS),
        });
    }
    for admin in &admins {
        if admin.is_empty() || admin.len() > MAX_OFFICER_ID_LEN {
            issues.push(PolicyIssue::BadOfficerId {
                officer: admin.clone(),
            });
        }
    }
    let policy = match (ceiling, default_label, anchors) {
        (Some(ceiling), Some(default_label), Some(anchors)) if issues.is_empty() => {
            ChannelPolicy::new(name, ceiling, default_label, admins, anchors)
                .map(|policy| {
                    policy.with_retention(
                        draft.retention_days.filter(|days| *days > 0),
                        match draft.on_removal {
                            OnRemoval::Keep => HistoryOnRemoval::Keep,
                            OnRemoval::Purge => HistoryOnRemoval::Purge,
                        },
                    )
                })
                .map_err(|error| issues.push(policy_error_issue(error)))
                .ok()
        }
        _ => None,
    };
    Checked {
        policy,
        issues,
        fixed_default,
    }
}

/// What a policy the checks above let through could still be refused for
/// (the anchors, mostly).
fn policy_error_issue(error: ChannelPolicyError) -> PolicyIssue {
    match error {
        ChannelPolicyError::BadPartnershipName => PolicyIssue::NameTooLong {
            max: limit(MAX_PARTNERSHIP_LEN),
        },
        ChannelPolicyError::MixedLabelPolicies => PolicyIssue::MixedLabelPolicies,
        ChannelPolicyError::NoAdmin => PolicyIssue::NoAdmin,
        ChannelPolicyError::NoTrustAnchor => PolicyIssue::NoAnchor,
        ChannelPolicyError::TooMany("admins") => PolicyIssue::TooManyAdmins {
            max: limit(MAX_ADMINS),
        },
        ChannelPolicyError::TooMany(_) => PolicyIssue::TooManyAnchors {
            max: limit(liaison_proto::channel_policy::MAX_AUTHORITIES),
        },
        ChannelPolicyError::BadOfficerId => PolicyIssue::BadOfficerId {
            officer: String::new(),
        },
        // The labels were built and compared above; an anchor is what is
        // left to refuse.
        _ => PolicyIssue::NoAnchor,
    }
}

impl fmt::Display for AdmissionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CertificateInvalid => f.write_str("their certificate no longer verifies"),
            Self::AuthorityNotTrusted => {
                f.write_str("their certificate is not accepted by the policy's partner authorities")
            }
            Self::ClearanceUnknown => f.write_str("their clearance is not understood here"),
            Self::LevelTooLow { held, required } => {
                write!(f, "their clearance {held} is below {required}")
            }
            Self::MissingCaveat { category, value } => {
                write!(f, "they do not hold the caveat {value} ({category})")
            }
            Self::NotReleasable { nationality } => {
                write!(f, "the ceiling is not releasable to {nationality}")
            }
            Self::MissingPermissive { category } => {
                write!(f, "they hold no {category} value of the ceiling")
            }
            Self::NotCompliant => f.write_str("they do not comply with the channel policy"),
        }
    }
}

impl fmt::Display for ExcessView {
    /// The rulebook's own words for the excess ([`Excess`]'s), so the desk
    /// and the engine never describe one refusal two ways.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let excess = match self.clone() {
            Self::OtherPolicy { limit } => Excess::OtherPolicy { limit },
            Self::Level { level, limit } => Excess::Level { level, limit },
            Self::Caveat { category, value } => Excess::Caveat { category, value },
            Self::Restricts { category, values } => Excess::Restricts { category, values },
            Self::LeavesOut { category, values } => Excess::LeavesOut { category, values },
            Self::LeavesOutNations { nations } => Excess::LeavesOutNations { nations },
            Self::Other => return f.write_str("it is not within the ceiling"),
        };
        excess.fmt(f)
    }
}

impl fmt::Display for PolicyIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAdmin => f.write_str("Only the channel's admins may change its policy."),
            Self::NameMissing => f.write_str("Enter the partnership's name."),
            Self::NameTooLong { max } => {
                write!(f, "The partnership's name is longer than {max} bytes.")
            }
            Self::UnknownLabelPart { field, part } => write!(
                f,
                "The {} names “{part}”, which no label policy of this profile knows.",
                match field {
                    LabelField::Ceiling => "ceiling",
                    LabelField::DefaultLabel => "default label",
                }
            ),
            Self::MixedLabelPolicies => {
                f.write_str("The ceiling and the default label must use the same label policy.")
            }
            Self::DefaultAboveCeiling {
                default,
                ceiling,
                excess,
            } => {
                let reasons: Vec<String> = excess.iter().map(ToString::to_string).collect();
                write!(
                    f,
                    "The default label {default} is not within the ceiling {ceiling}: {}.",
                    reasons.join("; ")
                )
            }
            Self::NoAdmin => f.write_str("A channel needs at least one admin."),
            Self::BadOfficerId { officer } => {
                write!(f, "“{officer}” is not an officer id.")
            }
            Self::TooManyAdmins { max } => write!(f, "A channel lists at most {max} admins."),
            Self::NoAnchor => f.write_str("Choose at least one partner authority."),
            Self::UnknownAnchor { fingerprint } => write!(
                f,
                "{fingerprint} is not the fingerprint of a pinned partner authority."
            ),
            Self::OwnAuthorityMissing => {
                f.write_str("The channel must trust the partner authority that certifies you.")
            }
            Self::TooManyAnchors { max } => {
                write!(f, "A channel trusts at most {max} partner authorities.")
            }
            Self::SelfNotAdmitted { reason } => {
                write!(f, "You may not read this ceiling: {reason}.")
            }
            Self::RemovesYou { reason } => write!(
                f,
                "This change would remove you ({reason}): an admin cannot tighten the channel past their own clearance."
            ),
            Self::AdminNotAdmitted {
                display_name,
                reason,
                ..
            } => write!(
                f,
                "{display_name} is an admin, and the policy does not admit them: {reason}."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::label_spec::nato_spec as spec;
    use liaison_test_kit::{DAY, Nation, anchors_of};

    fn anchors() -> TrustAnchors {
        let gbr = Nation::around_now("GBR", DAY, 365 * DAY);
        anchors_of(&[&gbr.authority])
    }

    fn draft<'a>(
        name: &'a str,
        ceiling: &'a LabelSpec,
        default_label: &'a LabelSpec,
        admins: &'a [String],
    ) -> PolicyDraft<'a> {
        PolicyDraft {
            name,
            ceiling,
            default_label,
            admins,
            retention_days: Some(0),
            on_removal: OnRemoval::Purge,
        }
    }

    #[test]
    fn a_valid_draft_makes_its_policy() {
        let (ceiling, default) = (
            spec("NATO SECRET", &["FRA", "GBR"]),
            spec("NATO RESTRICTED", &["FRA", "GBR"]),
        );
        let admins = ["gbr.a".to_owned(), " fra.b ".to_owned()];
        let checked = check_policy(
            &draft(" Cell ", &ceiling, &default, &admins),
            Some(anchors()),
            &PolicyRegistry::builtin(),
            None,
        );
        assert!(checked.issues.is_empty(), "{:?}", checked.issues);
        let policy = checked.policy.unwrap();
        assert_eq!(policy.partnership(), "Cell");
        assert_eq!(policy.ceiling().marking(), "NATO SECRET//REL TO FRA, GBR");
        assert!(policy.is_admin("fra.b"));
        assert_eq!(policy.retention_days(), None);
        assert_eq!(policy.history_on_removal(), HistoryOnRemoval::Purge);
    }

    #[test]
    fn every_problem_is_found_at_once_with_a_fix_for_the_default() {
        let (ceiling, default) = (
            spec("NATO CONFIDENTIAL", &["FRA", "GBR"]),
            spec("NATO SECRET", &["FRA"]),
        );
        let admins = [String::new()];
        let checked = check_policy(
            &draft("  ", &ceiling, &default, &admins),
            Some(anchors()),
            &PolicyRegistry::builtin(),
            None,
        );
        assert!(checked.policy.is_none());
        assert_eq!(
            checked.issues,
            [
                PolicyIssue::NameMissing,
                PolicyIssue::DefaultAboveCeiling {
                    default: "NATO SECRET//REL TO FRA".into(),
                    ceiling: "NATO CONFIDENTIAL//REL TO FRA, GBR".into(),
                    excess: vec![
                        ExcessView::Level {
                            level: "NATO SECRET".into(),
                            limit: "NATO CONFIDENTIAL".into()
                        },
                        ExcessView::LeavesOutNations {
                            nations: vec!["GBR".into()]
                        },
                    ],
                },
                PolicyIssue::BadOfficerId {
                    officer: String::new()
                },
            ]
        );
        let fixed = checked.fixed_default.unwrap();
        assert!(same_spec(
            &fixed,
            &spec("NATO CONFIDENTIAL", &["FRA", "GBR"])
        ));
        assert!(checked.issues.iter().all(PolicyIssue::refuses));
    }

    #[test]
    fn issues_serialise_as_a_code_and_parameters() {
        let issue = PolicyIssue::AdminNotAdmitted {
            officer_id: "deu.k".into(),
            display_name: "OTL K".into(),
            reason: AdmissionReason::NotReleasable {
                nationality: "DEU".into(),
            },
        };
        assert!(!issue.refuses());
        assert_eq!(issue.field(), "admins");
        assert_eq!(
            serde_json::to_value(&issue).unwrap(),
            serde_json::json!({
                "code": "adminNotAdmitted",
                "officerId": "deu.k",
                "displayName": "OTL K",
                "reason": { "code": "notReleasable", "nationality": "DEU" }
            })
        );
        assert_eq!(
            issue.to_string(),
            "OTL K is an admin, and the policy does not admit them: the ceiling is not releasable to DEU."
        );
    }
}
