//! What the window shows: view models serialised for the webview
//! (camelCase fields, enums as string literals). Their TypeScript types are
//! generated from these (`contract.rs`). They carry no key, no MLS state
//! and no database handle; message bodies appear only in [`MessageView`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use liaison_proto::Precedence;

use super::files::FileToken;

mod admin;
pub use admin::*;

/// Colour token of a classification level, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LevelTone {
    /// Unclassified levels.
    Unclassified,
    /// Restricted levels.
    Restricted,
    /// Confidential levels.
    Confidential,
    /// Secret levels.
    Secret,
    /// Top-secret levels.
    TopSecret,
}

/// A security label as the window shows it. Built only in Rust (by the desk,
/// from the core's labels), never by the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LabelView {
    /// Full display marking, e.g. "NATO SECRET//REL TO FRA, GBR".
    pub marking: String,
    /// Portion marking shown beside a message, e.g. "(NS//REL TO FRA, GBR)".
    pub portion: String,
    /// Classification name, e.g. "NATO SECRET".
    pub classification: String,
    /// Rank of the classification in its policy, 0 = lowest. Banners show
    /// the highest.
    pub rank: u32,
    /// Banner colour from the label policy, "#RRGGBB".
    pub colour: String,
    /// Colour token, for styles and tests.
    pub tone: LevelTone,
}

/// Message precedence as the window names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PrecedenceView {
    /// ROUTINE.
    Routine,
    /// PRIORITY.
    Priority,
    /// IMMEDIATE: recipients are asked to acknowledge.
    Immediate,
    /// FLASH: recipients are asked to acknowledge.
    Flash,
}

impl PrecedenceView {
    /// Every precedence, lowest first.
    pub const ALL: [Self; 4] = [Self::Routine, Self::Priority, Self::Immediate, Self::Flash];

    /// Whether recipients are asked for an acknowledgement.
    pub fn asks_acknowledgement(self) -> bool {
        matches!(self, Self::Immediate | Self::Flash)
    }
}

impl From<Precedence> for PrecedenceView {
    fn from(value: Precedence) -> Self {
        match value {
            Precedence::Routine => Self::Routine,
            Precedence::Priority => Self::Priority,
            Precedence::Immediate => Self::Immediate,
            Precedence::Flash => Self::Flash,
        }
    }
}

impl From<PrecedenceView> for Precedence {
    fn from(value: PrecedenceView) -> Self {
        match value {
            PrecedenceView::Routine => Self::Routine,
            PrecedenceView::Priority => Self::Priority,
            PrecedenceView::Immediate => Self::Immediate,
            PrecedenceView::Flash => Self::Flash,
        }
    }
}

/// How the profile's store key is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ProtectionKind {
    /// A random secret in the OS keyring, with a PIN the officer knows.
    Keyring,
    /// A key derived from a passphrase (Argon2id).
    Passphrase,
}

/// Who the user is, once unlocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView {
    /// Officer identifier from the certificate.
    pub officer_id: String,
    /// Display name from the certificate.
    pub display_name: String,
    /// Organisation from the certificate.
    pub organisation: String,
    /// ISO 3166 alpha-3.
    pub nationality: String,
    /// Clearance as a marking, e.g. "NATO SECRET".
    pub clearance: String,
    /// How the store is protected.
    pub protection: ProtectionKind,
}

/// The three phases of the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AppPhase {
    /// No profile yet: onboarding.
    NoProfile,
    /// A profile exists and is locked.
    Locked,
    /// The profile is open.
    Unlocked,
}

/// What the window needs to choose its first screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    /// The phase.
    pub phase: AppPhase,
    /// Demo mode: a local relay and scripted partner officers.
    pub demo: bool,
    /// Present once unlocked.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub profile: Option<ProfileView>,
    /// How the existing profile is protected (when locked, and unlocked).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub protection: Option<ProtectionKind>,
    /// A keyring profile made before PINs existed: the unlock screen asks
    /// the officer to choose a PIN, which protects the store from then on.
    pub new_pin: bool,
    /// UI language: "en" or "fr".
    pub language: String,
}

/// The relay connection as the window shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ConnectionState {
    /// Connected and authenticated.
    Online,
    /// Trying to connect.
    Connecting,
    /// Not connected (no relay configured, unreachable, or refused).
    Offline,
}

/// Where a channel came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ChannelOrigin {
    /// A channel this profile is (or was) a member of.
    Live,
    /// Opened read-only from an archive file.
    Imported,
}

/// One entry of the channel list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChannelView {
    /// Hex MLS group id.
    pub id: String,
    /// Partnership name.
    pub name: String,
    /// The channel's ceiling label.
    pub ceiling: LabelView,
    /// Messages after the read marker.
    pub unread: u64,
    /// FLASH/IMMEDIATE messages from others not yet acknowledged.
    pub awaiting_ack: u64,
    /// Highest precedence among those.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub awaiting_precedence: Option<PrecedenceView>,
    /// Archived (read-only).
    pub archived: bool,
    /// False once the user left or was removed.
    pub active: bool,
    /// Whether the user is an admin of the channel policy.
    pub is_admin: bool,
    /// Newest message time (receipt), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub last_activity_ms: Option<u64>,
    /// Current members (MLS leaves of distinct officers).
    pub member_count: u32,
    /// Live or imported.
    pub origin: ChannelOrigin,
    /// The relay withholds a commit from this member: messages of a later
    /// epoch arrive and cannot be read until it comes. Shown as a warning.
    pub commit_withheld: bool,
    /// The channel has forked here: this member holds another branch than
    /// the admins and waits to be added back. Shown as a warning.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fork: Option<ForkView>,
    /// What this member could not read because the channel forked, oldest
    /// first. Shown as notices in the channel.
    pub gaps: Vec<GapView>,
}

/// A fork found in a channel and not yet repaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ForkView {
    /// The epoch at which the branches differ.
    pub epoch: u64,
    /// When it was found, Unix milliseconds.
    pub detected_at_ms: u64,
    /// Whether the channel's admins were asked to add this member back.
    pub requested: bool,
}

/// A gap in a channel's history left by a fork.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GapView {
    /// The epoch at which the channel forked.
    pub fork_epoch: u64,
    /// The epoch this member was added back at.
    pub rejoined_epoch: u64,
    /// When the fork was found, Unix milliseconds.
    pub detected_at_ms: u64,
    /// When this member was added back, Unix milliseconds.
    pub rejoined_at_ms: u64,
}

/// How far a message is to be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum VerificationState {
    /// Sender signature and label checked at receipt (or offline, for an
    /// imported archive).
    Verified,
    /// Sent by this profile.
    Own,
    /// The sender's authority is not known here.
    Unverified,
    /// An imported message whose signature or label does not verify:
    /// shown, flagged, never trusted.
    Tampered,
}

/// An acknowledgement of one of the user's messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AckView {
    /// The acknowledging officer.
    pub officer_id: String,
    /// Their display name, when known.
    pub display_name: String,
    /// When it was recorded.
    pub at_ms: u64,
}

/// The message a reply refers to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReplyView {
    /// Hex message id.
    pub id: String,
    /// The source's sender, when the source is held here.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sender_name: Option<String>,
    /// The start of the source's text, when held here.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub excerpt: Option<String>,
    /// The source's label, when held here.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub label: Option<LabelView>,
}

/// One message of a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    /// Hex message id.
    pub id: String,
    /// Position in the thread, 0-based, in the relay's order; the user's
    /// own pending messages stay at the end until the relay orders them (a
    /// `messages` event's `reorderedFrom` says where the thread changed).
    pub index: u64,
    /// Sender's officer id.
    pub sender_id: String,
    /// Sender's display name.
    pub sender_name: String,
    /// Sender's nationality.
    pub sender_nation: String,
    /// Trust state.
    pub verification: VerificationState,
    /// Whether the sender's signature names the channel and the epoch the
    /// message was sent in. False for a version 1 message (an older sender
    /// or archive): shown marked, since its signature does not tie it to
    /// this channel.
    pub context_signed: bool,
    /// The message's label.
    pub label: LabelView,
    /// Precedence.
    pub precedence: PrecedenceView,
    /// EXERCISE traffic.
    pub exercise: bool,
    /// The text.
    pub body: String,
    /// The message replied to.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reply_to: Option<ReplyView>,
    /// Sender's clock.
    pub sent_at_ms: u64,
    /// Our clock at receipt.
    pub received_at_ms: u64,
    /// Sent by this profile.
    pub mine: bool,
    /// FLASH/IMMEDIATE: recipients are asked to acknowledge.
    pub ack_requested: bool,
    /// For others' messages: acknowledged by this user.
    pub acknowledged_by_me: bool,
    /// For the user's own messages: who acknowledged.
    pub acks: Vec<AckView>,
    /// Own message still waiting for the relay.
    pub pending: bool,
}

/// A window of a thread, by index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ThreadPage {
    /// Hex channel id.
    pub channel_id: String,
    /// Messages in the thread.
    pub total: u64,
    /// Index of the first message returned.
    pub start: u64,
    /// Messages with index in `[start, start + len)`.
    pub messages: Vec<MessageView>,
    /// Highest label among `messages`, for banners; absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub highest: Option<LabelView>,
}

/// A label the composer may offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LabelChoice {
    /// The label.
    pub label: LabelView,
    /// The channel's default label.
    pub is_default: bool,
    /// The nations (ISO 3166 alpha-3, sorted) this label releases to that no
    /// member of the channel holds: allowed, but the composer says so
    /// before sending.
    pub beyond_members: Vec<String>,
}

/// What the composer may offer in a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComposerOptions {
    /// Hex channel id.
    pub channel_id: String,
    /// Labels the channel allows and the user's clearance admits, default first.
    pub labels: Vec<LabelChoice>,
    /// Precedences, lowest first.
    pub precedences: Vec<PrecedenceView>,
    /// Whether sending is possible (queueing while offline counts); when
    /// not, `reason` says why (archived, left).
    pub can_send: bool,
    /// Why not, in plain English words.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<String>,
    /// Why not, as a code the window translates (`channelArchived`,
    /// `channelLeft`, `noLabelAdmitted`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason_code: Option<String>,
}

/// A member's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// Listed as admin in the channel policy.
    Admin,
    /// Any other member.
    Member,
}

/// A channel member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MemberView {
    /// Officer id.
    pub officer_id: String,
    /// Display name.
    pub display_name: String,
    /// Organisation.
    pub organisation: String,
    /// Nationality.
    pub nationality: String,
    /// Clearance marking.
    pub clearance: String,
    /// Role.
    pub role: Role,
    /// This user.
    pub is_self: bool,
}

/// An officer who could be added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CandidateView {
    /// Officer id.
    pub officer_id: String,
    /// Display name (from the certificate, when it verifies).
    pub display_name: String,
    /// Organisation.
    pub organisation: String,
    /// Nationality.
    pub nationality: String,
    /// Clearance marking.
    pub clearance: String,
    /// Already a member.
    pub is_member: bool,
    /// Whether adding would keep every channel rule.
    pub eligible: bool,
    /// Why not, in plain words (English; the window says `reason_code`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<String>,
    /// Why not, as a code with its parameters, for the window to say in the
    /// user's language; `None` when eligible or already a member.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason_code: Option<AdmissionReason>,
    /// Whether the relay holds a key package for them (needed to add them).
    pub reachable: bool,
    /// The partner authority that certifies them (SHA-256 fingerprint of
    /// its certificate, lowercase hex), when their certificate verifies
    /// against the channel's authorities. Passed back to `add_member`, so
    /// that an id two authorities certify adds the one shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub authority: Option<String>,
}

/// What happens to a removed member's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum OnRemoval {
    /// Kept read-only.
    Keep,
    /// Deleted.
    Purge,
}

/// The editable part of a channel policy. Its labels are in parts, as the
/// structured label picker edits them; the ceiling's REL TO is the
/// channel's releasability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PolicyView {
    /// Partnership name.
    pub name: String,
    /// The ceiling: the highest label the channel carries.
    pub ceiling: LabelSpec,
    /// The label of a message sent without one.
    pub default_label: LabelSpec,
    /// Admin officer ids.
    pub admins: Vec<String>,
    /// Days messages are kept, if limited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub retention_days: Option<u32>,
    /// History rule on removal.
    pub on_removal: OnRemoval,
}

/// A member a policy change would remove, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RemovedMember {
    /// The member.
    pub member: MemberView,
    /// Why the new policy does not admit them.
    pub reason: AdmissionReason,
}

/// What a policy change would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PolicyPreview {
    /// Members the change removes.
    pub removed: Vec<RemovedMember>,
    /// False when an issue refuses the change.
    pub allowed: bool,
    /// What is wrong with the change, or worth a warning
    /// ([`PolicyIssue::refuses`] tells which).
    pub issues: Vec<PolicyIssue>,
    /// When the default label is not within the new ceiling: a default
    /// that is, as close to the one asked for as the ceiling allows, for
    /// the window to offer in one click.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fixed_default: Option<LabelSpec>,
}

/// One audit log entry. The window says it as a sentence from its `kind`
/// and `facts` (`audit.sentences.<kind>` in the locales); `detail` is the
/// English of it, shown for entries written before facts were kept and for
/// kinds the window does not know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditView {
    /// Position in the log (page older entries with `beforeId`).
    pub id: i64,
    /// When.
    pub at_ms: u64,
    /// Machine kind, e.g. "member.added" (docs/audit.md lists them).
    pub kind: String,
    /// What the entry is about, for the screen's filter.
    pub category: AuditCategoryView,
    /// Plain-words English detail (never message content).
    pub detail: String,
    /// The event's facts by name (officer ids with their `…Name`,
    /// markings before and after, counts, a refusal's `reason` code…);
    /// absent for entries written before facts were kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Record<string, unknown>")]
    pub facts: Option<serde_json::Map<String, serde_json::Value>>,
    /// Hex channel id, for channel events.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub channel_id: Option<String>,
}

/// What an audit entry is about (`AuditCategory` of the core).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum AuditCategoryView {
    /// Joins, adds, removals, departures, admins, invitations.
    Membership,
    /// Ceiling, default label, retention, anchors.
    Policy,
    /// What the rules or the relay refused.
    Refusals,
    /// FLASH and IMMEDIATE acknowledgements.
    Acknowledgements,
    /// Exports, imports, archiving, retention.
    Archive,
    /// Profile protection, unlocks and locks, pinned authorities, forks.
    Security,
    /// The channel's state moving on (epochs, rejoins, the outbox).
    Channel,
    /// A kind this version does not know.
    Other,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchHitView {
    /// Hex channel id.
    pub channel_id: String,
    /// The channel's name.
    pub channel_name: String,
    /// The message, as a thread shows it (label, portion marking, trust).
    pub message: MessageView,
    /// Body excerpt; matched words between U+0002 and U+0003.
    pub snippet: String,
}

/// The results of a search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchResultsView {
    /// Best first (most recently stored first).
    pub hits: Vec<SearchHitView>,
    /// Highest label among the hits, for the results banner.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub highest: Option<LabelView>,
}

/// Progress of an export or an import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProgressView {
    /// Messages done.
    pub done: u64,
    /// Messages in all.
    pub total: u64,
}

/// The answer of a native file dialog (`FileChoice` in types.ts). The
/// window gets a token and the file's name to show, never a path it could
/// send back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum FileChoice {
    /// The officer chose a file.
    Chosen {
        /// What later commands take instead of the path.
        token: FileToken,
        /// The file's name, without its directory.
        name: String,
    },
    /// The officer closed the dialog without choosing: not an error.
    Cancelled,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportReportView {
    /// Messages in the archive.
    pub messages: u64,
    /// Size of the file.
    pub bytes: u64,
    /// The file written, to show (the window never sends it back).
    pub path: String,
    /// What the file holds: its highest marking, the handling it needs.
    pub contents: ExportContentsView,
}

/// What an archive file of a channel holds, or would hold: said before the
/// export and in its result, so the officer knows how to handle the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportContentsView {
    /// Messages in the range.
    pub messages: u64,
    /// How many of them are EXERCISE traffic.
    pub exercise: u64,
    /// The highest label among them (the marking the archive's header
    /// carries): the file is handled at it. Absent when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub highest: Option<LabelView>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReportView {
    /// Hex id of the new, imported and archived, channel.
    pub channel_id: String,
    /// Messages in the archive.
    pub messages: u64,
    /// Messages verified offline.
    pub verified: u64,
    /// Messages whose signature or label failed offline verification.
    pub tampered: u64,
}

/// A partner authority as the window shows it: its name (its own claim)
/// and its fingerprint (what identifies it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnchorView {
    /// The name its certificate gives itself.
    pub name: String,
    /// SHA-256 of its certificate, upper-case colon hex.
    pub fingerprint: String,
    /// Whether the profile has pinned it.
    pub pinned: bool,
}

/// A partner authority the profile trusts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PinnedAuthorityView {
    /// SHA-256 of its certificate, upper-case colon hex.
    pub fingerprint: String,
    /// The name its certificate gives itself.
    pub name: String,
    /// How it was pinned: "onboarding", "import", "officer" or "upgrade"
    /// (the core's `PinSource::as_str`; a string here, so the window's type
    /// names the four values itself).
    #[ts(type = r#""onboarding" | "import" | "officer" | "upgrade""#)]
    pub source: String,
    /// When it was pinned.
    pub pinned_at_ms: u64,
}

/// A partner authority's certificate the officer chose, before pinning it:
/// what to compare with the authority out of band.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuthorityFileView {
    /// The name the certificate gives itself (anyone can choose any name:
    /// the fingerprint is what identifies it).
    pub name: String,
    /// SHA-256 of the certificate, upper-case colon hex.
    pub fingerprint: String,
    /// Whether the profile already trusts it.
    pub pinned: bool,
}

/// Who added the user to a channel, as the channel's authorities certify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InviterView {
    /// Officer id.
    pub officer_id: String,
    /// Display name.
    pub display_name: String,
}

/// A channel not joined because it names partner authorities the profile
/// has not pinned, waiting for the user to accept or decline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InvitationView {
    /// The invitation's id.
    pub id: i64,
    /// Hex channel id.
    pub channel_id: String,
    /// The channel's name.
    pub channel_name: String,
    /// Who added the user, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub invited_by: Option<InviterView>,
    /// When the invitation was held.
    pub received_at_ms: u64,
    /// Every authority the channel trusts, with whether it is pinned.
    pub anchors: Vec<AnchorView>,
}

/// A partner authority a policy change added to a channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnchorNoticeView {
    /// The epoch the change started.
    pub epoch: u64,
    /// When the user's desk applied it.
    pub at_ms: u64,
    /// The authority.
    pub anchor: AnchorView,
}
