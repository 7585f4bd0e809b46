//! What the admin screens show and send: label policies as the structured
//! label picker offers them, labels as the picker builds them, the form of
//! a new channel, and the structured reasons of a policy check (a code
//! and its parameters, which the window words in the user's language).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::LevelTone;

/// One tag of a label as the picker chose it: a category of the label
/// policy and one of its values (a caveat, a mission, a nation code or a
/// community name for REL TO).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TagSpec {
    /// The category's name, as the policy names it ("Releasable To").
    pub category: String,
    /// The value.
    pub value: String,
}

/// A label in parts, as the structured picker builds it and the desk
/// shows an editable label: never a typed marking. The desk builds the
/// label from its parts and refuses any part the policy does not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LabelSpec {
    /// The label policy's identifier ("NATO").
    pub policy_id: String,
    /// The classification's full name ("NATO SECRET").
    pub classification: String,
    /// Every tag, in any order.
    pub tags: Vec<TagSpec>,
}

/// A classification level of a label policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LevelView {
    /// Full name ("NATO SECRET").
    pub name: String,
    /// Portion abbreviation ("NS").
    pub portion: String,
    /// Banner colour, "#RRGGBB".
    pub colour: String,
    /// Colour token.
    pub tone: LevelTone,
}

/// How a category's tags restrict readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CategoryKindView {
    /// Caveats: a reader holds every one.
    Restrictive,
    /// A reader holds at least one of the values (a mission).
    Permissive,
    /// REL TO: nation codes and communities.
    Releasability,
}

/// A tag category of a label policy, with what a marking needs to render it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CategoryView {
    /// Its name ("Special Category", "Releasable To").
    pub name: String,
    /// How it restricts readers.
    pub kind: CategoryKindView,
    /// The text starting its marking segment ("REL TO "), possibly empty.
    pub prefix: String,
    /// The text between two of its values in a marking ("/", ", ").
    pub value_separator: String,
    /// Its values in marking order; empty for REL TO, whose values are
    /// nation codes and the policy's communities.
    pub values: Vec<String>,
    /// For REL TO: the nations a marking names first, in this order.
    pub lead: Vec<String>,
}

/// A named community of nations ("NATO", "FVEY").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommunityView {
    /// Its name, as a REL TO value.
    pub name: String,
    /// Its nations (ISO 3166 alpha-3), alphabetically.
    pub nations: Vec<String>,
}

/// A label policy the profile knows, as the structured label picker offers
/// it: every label the picker can build from these parts is one the
/// policy expresses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LabelPolicyView {
    /// Identifier ("NATO").
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// Levels, lowest first.
    pub levels: Vec<LevelView>,
    /// Categories, in marking order.
    pub categories: Vec<CategoryView>,
    /// Named communities, by name.
    pub communities: Vec<CommunityView>,
    /// Nations a label without REL TO is releasable to, alphabetically.
    pub default_community: Vec<String>,
    /// The text between a marking's segments ("//").
    pub separator: String,
}

/// A pinned partner authority offered as a new channel's trust anchor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnchorChoice {
    /// SHA-256 of its certificate, upper-case colon hex (what the request
    /// sends back).
    pub fingerprint: String,
    /// The name its certificate gives itself.
    pub name: String,
    /// It certifies the user: a channel the user creates must trust it.
    pub own: bool,
}

/// What the new-channel screen offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewChannelForm {
    /// The pinned partner authorities, the user's own first.
    pub anchors: Vec<AnchorChoice>,
    /// A starting ceiling: the user's clearance level, releasable to the
    /// user's nation (absent when the clearance is not understood here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub suggested_ceiling: Option<LabelSpec>,
}

/// An officer of the relay's directory, as a new channel's admin candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OfficerView {
    /// Officer id.
    pub officer_id: String,
    /// Display name.
    pub display_name: String,
    /// Organisation.
    pub organisation: String,
    /// Nationality (alpha-3).
    pub nationality: String,
    /// Clearance marking.
    pub clearance: String,
    /// SHA-256 of the pinned authority that certifies them, upper-case
    /// colon hex.
    pub authority: String,
}

/// Which label of a policy an issue is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LabelField {
    /// The ceiling.
    Ceiling,
    /// The default label.
    DefaultLabel,
}

/// Why a label is not within a limit (a default above the ceiling), one
/// reason each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "code", rename_all = "camelCase")]
pub enum ExcessView {
    /// The labels are of different policies.
    OtherPolicy {
        /// The limit's policy.
        limit: String,
    },
    /// The level is above the limit's.
    Level {
        /// The label's level.
        level: String,
        /// The limit's level.
        limit: String,
    },
    /// A caveat the limit lacks.
    Caveat {
        /// The caveat's category.
        category: String,
        /// The caveat.
        value: String,
    },
    /// The label restricts readers to values (a mission) the limit does not.
    Restricts {
        /// The category.
        category: String,
        /// The values.
        values: Vec<String>,
    },
    /// The label leaves out values the limit names.
    LeavesOut {
        /// The category.
        category: String,
        /// The values.
        values: Vec<String>,
    },
    /// The label's REL TO leaves out nations the limit releases to.
    LeavesOutNations {
        /// The nations, alphabetically.
        nations: Vec<String>,
    },
    /// A reason this version does not name.
    Other,
}

/// Why an officer's clearance and nationality do not admit a channel's
/// ceiling, or their certificate its authorities (rule 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "code", rename_all = "camelCase")]
pub enum AdmissionReason {
    /// Their certificate cannot be read or no longer verifies.
    CertificateInvalid,
    /// Their certificate does not chain to the policy's authorities.
    AuthorityNotTrusted,
    /// Their clearance is of another label policy, or not understood here.
    ClearanceUnknown,
    /// Their clearance level is below the ceiling's.
    LevelTooLow {
        /// The level they hold.
        held: String,
        /// The ceiling's level.
        required: String,
    },
    /// They do not hold a caveat of the ceiling.
    MissingCaveat {
        /// The caveat's category.
        category: String,
        /// The caveat.
        value: String,
    },
    /// The ceiling is not releasable to their nation.
    NotReleasable {
        /// Their nationality.
        nationality: String,
    },
    /// They hold no value of a permissive category the ceiling names.
    MissingPermissive {
        /// The category.
        category: String,
    },
    /// The rules refuse them for a reason this version does not name.
    NotCompliant,
}

/// One problem of a channel policy, new or changed: a code the window
/// words in the user's language, and its parameters. Every issue but
/// [`PolicyIssue::AdminNotAdmitted`] refuses the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "code", rename_all = "camelCase")]
pub enum PolicyIssue {
    /// Only the channel's admins may change its policy.
    NotAdmin,
    /// The partnership name is empty.
    NameMissing,
    /// The partnership name is too long.
    NameTooLong {
        /// Most bytes allowed.
        max: u32,
    },
    /// A label names a policy, level, category or value the profile does
    /// not know.
    UnknownLabelPart {
        /// The label.
        field: LabelField,
        /// What is unknown, as sent.
        part: String,
    },
    /// The ceiling and the default label are of different label policies.
    MixedLabelPolicies,
    /// The default label is not within the ceiling.
    DefaultAboveCeiling {
        /// The default label's marking.
        default: String,
        /// The ceiling's marking.
        ceiling: String,
        /// Why, each reason once.
        excess: Vec<ExcessView>,
    },
    /// No admin is listed.
    NoAdmin,
    /// An admin's officer id is empty or too long.
    BadOfficerId {
        /// The id as sent.
        officer: String,
    },
    /// More admins than a channel may list.
    TooManyAdmins {
        /// The most allowed.
        max: u32,
    },
    /// No partner authority is chosen.
    NoAnchor,
    /// A chosen authority is not among the pinned ones (or not a
    /// fingerprint at all).
    UnknownAnchor {
        /// The fingerprint as sent.
        fingerprint: String,
    },
    /// The authority that certifies the user is not among the anchors.
    OwnAuthorityMissing,
    /// More authorities than a channel may list.
    TooManyAnchors {
        /// The most allowed.
        max: u32,
    },
    /// The user's own clearance and nationality do not admit the ceiling.
    SelfNotAdmitted {
        /// Why.
        reason: AdmissionReason,
    },
    /// The change would remove the user (past their own clearance).
    RemovesYou {
        /// Why.
        reason: AdmissionReason,
    },
    /// An admin the policy no longer admits (a warning: they are removed
    /// with the change, or cannot be added).
    AdminNotAdmitted {
        /// Their officer id.
        #[serde(rename = "officerId")]
        #[ts(rename = "officerId")]
        officer_id: String,
        /// Their display name.
        #[serde(rename = "displayName")]
        #[ts(rename = "displayName")]
        display_name: String,
        /// Why.
        reason: AdmissionReason,
    },
}

impl PolicyIssue {
    /// Whether the issue refuses the policy (every one but an admin the
    /// policy no longer admits, which is a warning).
    pub fn refuses(&self) -> bool {
        !matches!(self, Self::AdminNotAdmitted { .. })
    }

    /// The request field the issue is about (camelCase, as the window
    /// names it).
    pub fn field(&self) -> &'static str {
        match self {
            Self::NotAdmin => "channelId",
            Self::NameMissing | Self::NameTooLong { .. } => "name",
            Self::UnknownLabelPart { field, .. } => match field {
                LabelField::Ceiling => "ceiling",
                LabelField::DefaultLabel => "defaultLabel",
            },
            Self::MixedLabelPolicies | Self::DefaultAboveCeiling { .. } => "defaultLabel",
            Self::SelfNotAdmitted { .. } | Self::RemovesYou { .. } => "ceiling",
            Self::NoAdmin
            | Self::BadOfficerId { .. }
            | Self::TooManyAdmins { .. }
            | Self::AdminNotAdmitted { .. } => "admins",
            Self::NoAnchor
            | Self::UnknownAnchor { .. }
            | Self::OwnAuthorityMissing
            | Self::TooManyAnchors { .. } => "anchors",
        }
    }
}
