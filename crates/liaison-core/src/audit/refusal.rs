//! Why something was refused, as a stable code with its facts: the audit
//! log records it for refused deliveries, and the desktop window receives
//! the same code with an error, so both can say it in the officer's
//! language. The English `Display` text of the error stays the fallback.
//!
//! A nested fact with a `kind` (an excess over the ceiling, the reason a
//! clearance is short, a certificate failure) names its own sentence; its
//! `text` is the English of it.

use liaison_identity::CredentialError;
use liaison_rules::{Excess, LabelError, MarkingError, NotAdmitted, RuleViolation};

use super::Facts;
use crate::EngineError;

/// A refusal: what failed (`code`, stable across versions) and its facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// A camelCase code such as `aboveCeiling`; `other` when no code fits.
    pub code: &'static str,
    /// The values the sentence names (markings, officers, nations…).
    pub facts: Facts,
    /// The English sentence of it (the error's own text).
    pub text: String,
}

impl Refusal {
    fn new(code: &'static str) -> Self {
        Self {
            code,
            facts: Facts::new(),
            text: String::new(),
        }
    }

    fn with(mut self, key: &str, value: impl Into<serde_json::Value>) -> Self {
        self.facts = self.facts.with(key, value);
        self
    }

    fn nested(mut self, key: &str, facts: Facts) -> Self {
        self.facts = self.facts.nested(key, facts);
        self
    }

    /// A refusal without a code of its own, said in English.
    pub fn other(text: impl Into<String>) -> Self {
        let mut refusal = Self::new("other");
        refusal.text = text.into();
        refusal
    }

    fn said(mut self, text: String) -> Self {
        self.text = text;
        self
    }

    /// The facts as one object for a log row: `reason` (the code), `text`
    /// (the English) and the facts.
    pub fn to_facts(&self) -> Facts {
        Facts::new()
            .with("reason", self.code)
            .with("text", self.text.as_str())
            .merged(self.facts.clone())
    }

    /// A broken channel rule.
    pub fn of_violation(violation: &RuleViolation) -> Self {
        Self::coded_violation(violation).said(violation.to_string())
    }

    fn coded_violation(violation: &RuleViolation) -> Self {
        match violation {
            RuleViolation::AboveCeiling {
                label,
                ceiling,
                excess,
            } => Self::new("aboveCeiling")
                .with("label", label.as_str())
                .with("ceiling", ceiling.as_str())
                .list("excess", excess.iter().map(excess_facts).collect()),
            RuleViolation::NotAdmitted { officer, reason } => Self::new("notAdmitted")
                .with("officer", officer.as_str())
                .nested("why", not_admitted_facts(reason)),
            RuleViolation::TighteningIncomplete { officer } => {
                Self::new("tighteningIncomplete").with("officer", officer.as_str())
            }
            RuleViolation::InvalidLabel(error) => {
                Self::new("invalidLabel").nested("why", label_error_facts(error))
            }
            RuleViolation::ForeignLabelPolicy { expected, found } => {
                Self::new("foreignLabelPolicy")
                    .with("expected", expected.as_str())
                    .with("found", found.as_str())
            }
            RuleViolation::BindingMismatch => Self::new("bindingMismatch"),
            RuleViolation::ContextMismatch { signed, arrived } => Self::new("contextMismatch")
                .with("signed", *signed)
                .with("arrived", *arrived),
            RuleViolation::CommitWithheld { ours, theirs } => Self::new("commitWithheld")
                .with("ours", *ours)
                .with("theirs", *theirs),
            RuleViolation::InheritanceBroken { kind, source_label } => {
                Self::new("inheritanceBroken")
                    .with("reference", *kind)
                    .with("sourceLabel", source_label.as_str())
            }
            RuleViolation::NotAdmin { officer, action } => Self::new("notAdmin")
                .with("officer", officer.as_str())
                .with("action", action_code(action))
                .with("actionText", *action),
            RuleViolation::Credential { officer, error } => Self::new("credential")
                .with("officer", officer.as_str())
                .nested("why", credential_facts(error)),
            RuleViolation::IdentityChanged { from, to } => Self::new("identityChanged")
                .with("from", from.as_str())
                .with("to", to.as_str()),
            RuleViolation::AmbiguousOfficerId(officer) => {
                Self::new("ambiguousOfficerId").with("officer", officer.as_str())
            }
            RuleViolation::BadEnvelopeSignature => Self::new("badEnvelopeSignature"),
            RuleViolation::MalformedPayload(error) => {
                Self::new("malformedPayload").with("detail", error.to_string())
            }
            RuleViolation::InvalidPolicy(error) => {
                Self::new("invalidPolicy").with("detail", error.to_string())
            }
            RuleViolation::ForbiddenProposal(proposal) => {
                Self::new("forbiddenProposal").with("proposal", *proposal)
            }
            RuleViolation::ExternalSender => Self::new("externalSender"),
            RuleViolation::InvalidMemberKept { officer, error } => Self::new("invalidMemberKept")
                .with("officer", officer.as_str())
                .nested("why", credential_facts(error)),
            RuleViolation::ForkDetected { epoch } => {
                Self::new("forkDetected").with("epoch", *epoch)
            }
            RuleViolation::MissingStamp(error) => {
                Self::new("missingStamp").with("detail", error.to_string())
            }
            RuleViolation::InstantOutOfRange {
                seconds, allowed, ..
            } => Self::new("instantOutOfRange")
                .with("seconds", *seconds)
                .with("allowed", *allowed),
            _ => Self::new("other"),
        }
    }

    /// A certificate that no longer verifies.
    pub fn of_credential(error: &CredentialError) -> Self {
        Self::new("credential")
            .nested("why", credential_facts(error))
            .said(error.to_string())
    }

    /// An engine failure, coded when it is a refusal a person can act on.
    pub fn of_engine(error: &EngineError) -> Self {
        Self::coded_engine(error).said(error.to_string())
    }

    fn coded_engine(error: &EngineError) -> Self {
        match error {
            EngineError::Rule(violation) => Self::coded_violation(violation),
            EngineError::UnknownChannel => Self::new("unknownChannel"),
            EngineError::ReadOnly => Self::new("readOnly"),
            EngineError::UnknownMessage(_) => Self::new("unknownMessage"),
            EngineError::UnknownMember(officer) => {
                Self::new("unknownMember").with("officer", officer.as_str())
            }
            EngineError::OwnCredential(error) => {
                Self::new("ownCredential").nested("why", credential_facts(error))
            }
            EngineError::Policy(error) => {
                Self::new("invalidPolicy").with("detail", error.to_string())
            }
            EngineError::MalformedMessage(detail) => {
                Self::new("malformedMessage").with("detail", detail.as_str())
            }
            EngineError::CommitPending => Self::new("commitPending"),
            EngineError::UnpinnedAuthorities { channel, anchors } => {
                Self::new("unpinnedAuthorities")
                    .with("channel", channel.as_str())
                    .with(
                        "authorities",
                        anchors.iter().map(|a| a.name.clone()).collect::<Vec<_>>(),
                    )
            }
            _ => Self::new("other"),
        }
    }

    fn list(mut self, key: &str, items: Vec<Facts>) -> Self {
        self.facts = self.facts.list(key, items);
        self
    }
}

/// A stable code for the admin actions the rules name in English.
fn action_code(action: &str) -> &'static str {
    match action {
        "add members" => "addMembers",
        "add a member back" => "readdMember",
        "remove other members" => "removeMembers",
        "change the channel policy" => "changePolicy",
        "create a channel without being one of its admins" => "createWithoutAdmin",
        _ => "other",
    }
}

/// One way a label exceeds a ceiling.
pub(crate) fn excess_facts(excess: &Excess) -> Facts {
    let facts = Facts::new().with("text", excess.to_string());
    match excess {
        Excess::OtherPolicy { limit } => facts
            .with("kind", "otherPolicy")
            .with("limit", limit.as_str()),
        Excess::Level { level, limit } => facts
            .with("kind", "level")
            .with("level", level.as_str())
            .with("limit", limit.as_str()),
        Excess::Caveat { category, value } => facts
            .with("kind", "caveat")
            .with("category", category.as_str())
            .with("value", value.as_str()),
        Excess::Restricts { category, values } => facts
            .with("kind", "restricts")
            .with("category", category.as_str())
            .with("values", values.clone()),
        Excess::LeavesOut { category, values } => facts
            .with("kind", "leavesOut")
            .with("category", category.as_str())
            .with("values", values.clone()),
        Excess::LeavesOutNations { nations } => facts
            .with("kind", "leavesOutNations")
            .with("nations", nations.clone()),
        _ => facts.with("kind", "other"),
    }
}

fn not_admitted_facts(reason: &NotAdmitted) -> Facts {
    let facts = Facts::new().with("text", reason.to_string());
    match reason {
        NotAdmitted::WrongPolicy { clearance, label } => facts
            .with("kind", "wrongPolicy")
            .with("clearance", clearance.as_str())
            .with("label", label.as_str()),
        NotAdmitted::LevelTooLow { held, required } => facts
            .with("kind", "levelTooLow")
            .with("held", held.as_str())
            .with("required", required.as_str()),
        NotAdmitted::MissingCaveat { category, value } => facts
            .with("kind", "missingCaveat")
            .with("category", category.as_str())
            .with("value", value.as_str()),
        NotAdmitted::NotReleasable { nationality } => facts
            .with("kind", "notReleasable")
            .with("nationality", nationality.to_string()),
        NotAdmitted::MissingPermissive { category } => facts
            .with("kind", "missingPermissive")
            .with("category", category.as_str()),
        _ => facts.with("kind", "other"),
    }
}

/// Why a label or a marking was refused.
pub(crate) fn label_error_facts(error: &LabelError) -> Facts {
    let facts = Facts::new().with("text", error.to_string());
    match error {
        LabelError::UnknownPolicy { id } => facts
            .with("kind", "unknownPolicy")
            .with("policy", id.to_string()),
        LabelError::UnknownClassification {
            policy,
            name,
            levels,
        } => facts
            .with("kind", "unknownClassification")
            .with("policy", policy.as_str())
            .with("name", name.to_string())
            .with("levels", levels.as_str()),
        LabelError::UnknownCategory { policy, category } => facts
            .with("kind", "unknownCategory")
            .with("policy", policy.as_str())
            .with("category", category.to_string()),
        LabelError::UnknownValue { category, value } => facts
            .with("kind", "unknownValue")
            .with("category", category.as_str())
            .with("value", value.to_string()),
        LabelError::InvalidReleasability { policy, value } => facts
            .with("kind", "invalidReleasability")
            .with("policy", policy.as_str())
            .with("value", value.to_string()),
        LabelError::Marking(MarkingError::UnknownClassification { marking, levels }) => facts
            .with("kind", "unknownMarkingClassification")
            .with("marking", marking.to_string())
            .with("levels", levels.as_str()),
        LabelError::Marking(MarkingError::UnknownSegment { segment }) => facts
            .with("kind", "unknownSegment")
            .with("segment", segment.to_string()),
        LabelError::Marking(MarkingError::EmptySegment) => facts.with("kind", "emptySegment"),
        LabelError::Marking(MarkingError::TooLong { max }) => {
            facts.with("kind", "tooLong").with("max", *max)
        }
        _ => facts.with("kind", "other"),
    }
}

/// Why a certificate was refused.
pub(crate) fn credential_facts(error: &CredentialError) -> Facts {
    let kind = match error {
        CredentialError::UnknownIssuer => "unknownIssuer",
        CredentialError::Expired => "expired",
        CredentialError::NotYetValid => "notYetValid",
        CredentialError::Revoked => "revoked",
        CredentialError::KeyMismatch => "keyMismatch",
        CredentialError::BadCertificateSignature => "badSignature",
        _ => "other",
    };
    Facts::new()
        .with("kind", kind)
        .with("text", error.to_string())
}
