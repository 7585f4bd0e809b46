// The window contract's types, generated from the Rust types of liaison-desk
// (crates/liaison-desk/src/contract.rs) with ts-rs. Do not edit: change the
// Rust types and run `cargo xtask contract`. `../types.ts` re-exports them
// under the names the UI uses.

/**
 * The user accepts an invitation, having confirmed the fingerprint of
 * every authority of the channel not yet pinned.
 */
export type AcceptInvitationRequest = {
/**
 * The invitation's id.
 */
id: number,
/**
 * The fingerprints the user compared and confirmed (hex, colons
 * allowed): every unpinned authority's.
 */
confirmedFingerprints: Array<string>, };

/**
 * An acknowledgement of one of the user's messages.
 */
export type AckView = {
/**
 * The acknowledging officer.
 */
officerId: string,
/**
 * Their display name, when known.
 */
displayName: string,
/**
 * When it was recorded.
 */
atMs: number, };

/**
 * Payload of the `acks` event.
 */
export type AcksEvent = {
/**
 * Hex channel id.
 */
channelId: string,
/**
 * Hex id of the user's message that was acknowledged.
 */
messageId: string, };

/**
 * Why an officer's clearance and nationality do not admit a channel's
 * ceiling, or their certificate its authorities (rule 2).
 */
export type AdmissionReason = { "code": "certificateInvalid" } | { "code": "authorityNotTrusted" } | { "code": "clearanceUnknown" } | { "code": "levelTooLow",
/**
 * The level they hold.
 */
held: string,
/**
 * The ceiling's level.
 */
required: string, } | { "code": "missingCaveat",
/**
 * The caveat's category.
 */
category: string,
/**
 * The caveat.
 */
value: string, } | { "code": "notReleasable",
/**
 * Their nationality.
 */
nationality: string, } | { "code": "missingPermissive",
/**
 * The category.
 */
category: string, } | { "code": "notCompliant" };

/**
 * A pinned partner authority offered as a new channel's trust anchor.
 */
export type AnchorChoice = {
/**
 * SHA-256 of its certificate, upper-case colon hex (what the request
 * sends back).
 */
fingerprint: string,
/**
 * The name its certificate gives itself.
 */
name: string,
/**
 * It certifies the user: a channel the user creates must trust it.
 */
own: boolean, };

/**
 * A partner authority a policy change added to a channel.
 */
export type AnchorNoticeView = {
/**
 * The epoch the change started.
 */
epoch: number,
/**
 * When the user's desk applied it.
 */
atMs: number,
/**
 * The authority.
 */
anchor: AnchorView, };

/**
 * A partner authority as the window shows it: its name (its own claim)
 * and its fingerprint (what identifies it).
 */
export type AnchorView = {
/**
 * The name its certificate gives itself.
 */
name: string,
/**
 * SHA-256 of its certificate, upper-case colon hex.
 */
fingerprint: string,
/**
 * Whether the profile has pinned it.
 */
pinned: boolean, };

/**
 * The error the window receives (`AppError` in types.ts).
 */
export type AppError = {
/**
 * What went wrong.
 */
kind: ErrorKind,
/**
 * Plain words for the user.
 */
message: string,
/**
 * For `invalidInput`: the argument that was wrong.
 */
field?: string,
/**
 * For `tooManyAttempts`: seconds before the next try is accepted.
 */
retryAfterSeconds?: number,
/**
 * What exactly was refused, as a stable code the window translates
 * (`aboveCeiling`, `pinTooShort`…; docs/desktop.md lists them).
 */
code?: string,
/**
 * The values the code's sentence names (markings, officers, nations,
 * an excess over the ceiling each with its own `kind`…).
 */
params?: Record<string, unknown>, };

/**
 * The three phases of the application.
 */
export type AppPhase = "noProfile" | "locked" | "unlocked";

/**
 * What the window needs to choose its first screen.
 */
export type AppStatus = {
/**
 * The phase.
 */
phase: AppPhase,
/**
 * Demo mode: a local relay and scripted partner officers.
 */
demo: boolean,
/**
 * Present once unlocked.
 */
profile?: ProfileView,
/**
 * How the existing profile is protected (when locked, and unlocked).
 */
protection?: ProtectionKind,
/**
 * A keyring profile made before PINs existed: the unlock screen asks
 * the officer to choose a PIN, which protects the store from then on.
 */
newPin: boolean,
/**
 * UI language: "en" or "fr".
 */
language: string, };

/**
 * What an audit entry is about (`AuditCategory` of the core).
 */
export type AuditCategoryView = "membership" | "policy" | "refusals" | "acknowledgements" | "archive" | "security" | "channel" | "other";

/**
 * Which audit entries to read, newest first. Every filter is optional.
 */
export type AuditRequest = {
/**
 * At most this many (capped at 1000).
 */
limit: number,
/**
 * Only entries about this channel (hex id).
 */
channelId?: string,
/**
 * Only entries of these categories (all when absent or empty).
 */
categories?: Array<AuditCategoryView>,
/**
 * Only entries at or after this instant (Unix ms).
 */
fromMs?: number,
/**
 * Only entries before this instant (Unix ms).
 */
toMs?: number,
/**
 * Only entries older than this one (paging).
 */
beforeId?: number, };

/**
 * One audit log entry. The window says it as a sentence from its `kind`
 * and `facts` (`audit.sentences.<kind>` in the locales); `detail` is the
 * English of it, shown for entries written before facts were kept and for
 * kinds the window does not know.
 */
export type AuditView = {
/**
 * Position in the log (page older entries with `beforeId`).
 */
id: number,
/**
 * When.
 */
atMs: number,
/**
 * Machine kind, e.g. "member.added" (docs/audit.md lists them).
 */
kind: string,
/**
 * What the entry is about, for the screen's filter.
 */
category: AuditCategoryView,
/**
 * Plain-words English detail (never message content).
 */
detail: string,
/**
 * The event's facts by name (officer ids with their `…Name`,
 * markings before and after, counts, a refusal's `reason` code…);
 * absent for entries written before facts were kept.
 */
facts?: Record<string, unknown>,
/**
 * Hex channel id, for channel events.
 */
channelId?: string, };

/**
 * A partner authority's certificate the officer chose, before pinning it:
 * what to compare with the authority out of band.
 */
export type AuthorityFileView = {
/**
 * The name the certificate gives itself (anyone can choose any name:
 * the fingerprint is what identifies it).
 */
name: string,
/**
 * SHA-256 of the certificate, upper-case colon hex.
 */
fingerprint: string,
/**
 * Whether the profile already trusts it.
 */
pinned: boolean, };

/**
 * An officer who could be added.
 */
export type CandidateView = {
/**
 * Officer id.
 */
officerId: string,
/**
 * Display name (from the certificate, when it verifies).
 */
displayName: string,
/**
 * Organisation.
 */
organisation: string,
/**
 * Nationality.
 */
nationality: string,
/**
 * Clearance marking.
 */
clearance: string,
/**
 * Already a member.
 */
isMember: boolean,
/**
 * Whether adding would keep every channel rule.
 */
eligible: boolean,
/**
 * Why not, in plain words (English; the window says `reason_code`).
 */
reason?: string,
/**
 * Why not, as a code with its parameters, for the window to say in the
 * user's language; `None` when eligible or already a member.
 */
reasonCode?: AdmissionReason,
/**
 * Whether the relay holds a key package for them (needed to add them).
 */
reachable: boolean,
/**
 * The partner authority that certifies them (SHA-256 fingerprint of
 * its certificate, lowercase hex), when their certificate verifies
 * against the channel's authorities. Passed back to `add_member`, so
 * that an id two authorities certify adds the one shown.
 */
authority?: string, };

/**
 * How a category's tags restrict readers.
 */
export type CategoryKindView = "restrictive" | "permissive" | "releasability";

/**
 * A tag category of a label policy, with what a marking needs to render it.
 */
export type CategoryView = {
/**
 * Its name ("Special Category", "Releasable To").
 */
name: string,
/**
 * How it restricts readers.
 */
kind: CategoryKindView,
/**
 * The text starting its marking segment ("REL TO "), possibly empty.
 */
prefix: string,
/**
 * The text between two of its values in a marking ("/", ", ").
 */
valueSeparator: string,
/**
 * Its values in marking order; empty for REL TO, whose values are
 * nation codes and the policy's communities.
 */
values: Array<string>,
/**
 * For REL TO: the nations a marking names first, in this order.
 */
lead: Array<string>, };

/**
 * Where a channel came from.
 */
export type ChannelOrigin = "live" | "imported";

/**
 * One entry of the channel list.
 */
export type ChannelView = {
/**
 * Hex MLS group id.
 */
id: string,
/**
 * Partnership name.
 */
name: string,
/**
 * The channel's ceiling label.
 */
ceiling: LabelView,
/**
 * Messages after the read marker.
 */
unread: number,
/**
 * FLASH/IMMEDIATE messages from others not yet acknowledged.
 */
awaitingAck: number,
/**
 * Highest precedence among those.
 */
awaitingPrecedence?: PrecedenceView,
/**
 * Archived (read-only).
 */
archived: boolean,
/**
 * False once the user left or was removed.
 */
active: boolean,
/**
 * Whether the user is an admin of the channel policy.
 */
isAdmin: boolean,
/**
 * Newest message time (receipt), if any.
 */
lastActivityMs?: number,
/**
 * Current members (MLS leaves of distinct officers).
 */
memberCount: number,
/**
 * Live or imported.
 */
origin: ChannelOrigin,
/**
 * The relay withholds a commit from this member: messages of a later
 * epoch arrive and cannot be read until it comes. Shown as a warning.
 */
commitWithheld: boolean,
/**
 * The channel has forked here: this member holds another branch than
 * the admins and waits to be added back. Shown as a warning.
 */
fork?: ForkView,
/**
 * What this member could not read because the channel forked, oldest
 * first. Shown as notices in the channel.
 */
gaps: Array<GapView>, };

/**
 * A named community of nations ("NATO", "FVEY").
 */
export type CommunityView = {
/**
 * Its name, as a REL TO value.
 */
name: string,
/**
 * Its nations (ISO 3166 alpha-3), alphabetically.
 */
nations: Array<string>, };

/**
 * What the composer may offer in a channel.
 */
export type ComposerOptions = {
/**
 * Hex channel id.
 */
channelId: string,
/**
 * Labels the channel allows and the user's clearance admits, default first.
 */
labels: Array<LabelChoice>,
/**
 * Precedences, lowest first.
 */
precedences: Array<PrecedenceView>,
/**
 * Whether sending is possible (queueing while offline counts); when
 * not, `reason` says why (archived, left).
 */
canSend: boolean,
/**
 * Why not, in plain English words.
 */
reason?: string,
/**
 * Why not, as a code the window translates (`channelArchived`,
 * `channelLeft`, `noLabelAdmitted`).
 */
reasonCode?: string, };

/**
 * The relay connection as the window shows it.
 */
export type ConnectionState = "online" | "connecting" | "offline";

/**
 * What went wrong, for the UI to switch on (`AppErrorKind` in types.ts).
 */
export type ErrorKind = "noProfile" | "locked" | "wrongPassphrase" | "wrongPin" | "tooManyAttempts" | "keyringUnavailable" | "invalidInput" | "labelRefused" | "ruleViolation" | "forbidden" | "notFound" | "offline" | "certificate" | "internal";

/**
 * Why a label is not within a limit (a default above the ceiling), one
 * reason each.
 */
export type ExcessView = { "code": "otherPolicy",
/**
 * The limit's policy.
 */
limit: string, } | { "code": "level",
/**
 * The label's level.
 */
level: string,
/**
 * The limit's level.
 */
limit: string, } | { "code": "caveat",
/**
 * The caveat's category.
 */
category: string,
/**
 * The caveat.
 */
value: string, } | { "code": "restricts",
/**
 * The category.
 */
category: string,
/**
 * The values.
 */
values: Array<string>, } | { "code": "leavesOut",
/**
 * The category.
 */
category: string,
/**
 * The values.
 */
values: Array<string>, } | { "code": "leavesOutNations",
/**
 * The nations, alphabetically.
 */
nations: Array<string>, } | { "code": "other" };

/**
 * A new exercise profile, issued by the configured exercise authority.
 */
export type ExerciseProfileRequest = {
/**
 * Display name for the certificate.
 */
displayName: string,
/**
 * Officer id for the certificate.
 */
officerId: string,
/**
 * ISO 3166 alpha-3.
 */
nationality: string,
/**
 * Clearance level name, e.g. "NATO SECRET".
 */
clearance: string,
/**
 * Keyring (with a PIN) or passphrase.
 */
protection: ProtectionKind,
/**
 * Required in passphrase mode.
 */
passphrase?: string,
/**
 * Required in keyring mode: the PIN asked at every unlock (at least
 * six characters, not trivial).
 */
pin?: string, };

/**
 * A channel's history to write to an archive file (`ExportRequest`).
 */
export type ExportArchiveRequest = {
/**
 * Hex channel id.
 */
channelId: string,
/**
 * Only messages sent at or after (Unix milliseconds).
 */
fromMs?: number,
/**
 * Only messages sent at or before (Unix milliseconds).
 */
toMs?: number,
/**
 * The file to write (a token for
 * [`FilePurpose::SaveArchive`](super::FilePurpose)).
 */
file: FileToken,
/**
 * Passphrase or certificate.
 */
protection: ExportProtection, };

/**
 * What an archive file of a channel holds, or would hold: said before the
 * export and in its result, so the officer knows how to handle the file.
 */
export type ExportContentsView = {
/**
 * Messages in the range.
 */
messages: number,
/**
 * How many of them are EXERCISE traffic.
 */
exercise: number,
/**
 * The highest label among them (the marking the archive's header
 * carries): the file is handled at it. Absent when there are none.
 */
highest?: LabelView, };

/**
 * How a new archive file is protected.
 */
export type ExportProtection = { "kind": "passphrase",
/**
 * The passphrase; must not be empty.
 */
passphrase: string, } | { "kind": "certificate",
/**
 * PEM certificate chain of the recipient, leaf first (a token for
 * [`FilePurpose::OpenCertificate`](super::FilePurpose)).
 */
certificateFile: FileToken, };

/**
 * What an export wrote.
 */
export type ExportReportView = {
/**
 * Messages in the archive.
 */
messages: number,
/**
 * Size of the file.
 */
bytes: number,
/**
 * The file written, to show (the window never sends it back).
 */
path: string,
/**
 * What the file holds: its highest marking, the handling it needs.
 */
contents: ExportContentsView, };

/**
 * The answer of a native file dialog (`FileChoice` in types.ts). The
 * window gets a token and the file's name to show, never a path it could
 * send back.
 */
export type FileChoice = { "kind": "chosen",
/**
 * What later commands take instead of the path.
 */
token: FileToken,
/**
 * The file's name, without its directory.
 */
name: string, } | { "kind": "cancelled" };

/**
 * What a chosen file is for. Each opens its own kind of dialog, and a
 * token serves only the purpose it was granted for.
 */
export type FilePurpose = "openCertificate" | "openKey" | "openArchive" | "saveArchive";

/**
 * An opaque reference to a file the officer chose in the shell's native
 * dialog, valid for one purpose: a string the window keeps and sends
 * back. The webview never sends a path: commands that read or write files
 * take one of these. A token is used up when its command succeeds; after
 * a failure (a wrong passphrase, say) it can be sent again.
 */
export type FileToken = string;

/**
 * A fork found in a channel and not yet repaired.
 */
export type ForkView = {
/**
 * The epoch at which the branches differ.
 */
epoch: number,
/**
 * When it was found, Unix milliseconds.
 */
detectedAtMs: number,
/**
 * Whether the channel's admins were asked to add this member back.
 */
requested: boolean, };

/**
 * A gap in a channel's history left by a fork.
 */
export type GapView = {
/**
 * The epoch at which the channel forked.
 */
forkEpoch: number,
/**
 * The epoch this member was added back at.
 */
rejoinedEpoch: number,
/**
 * When the fork was found, Unix milliseconds.
 */
detectedAtMs: number,
/**
 * When this member was added back, Unix milliseconds.
 */
rejoinedAtMs: number, };

/**
 * An archive file to open read-only (`ImportRequest`).
 */
export type ImportArchiveRequest = {
/**
 * The archive file (a token for
 * [`FilePurpose::OpenArchive`](super::FilePurpose)).
 */
file: FileToken,
/**
 * Its passphrase, for a passphrase-protected archive.
 */
passphrase?: string, };

/**
 * A profile from a certificate chain and key issued elsewhere. The files
 * are the ones the officer chose in native dialogs, named by their tokens.
 */
export type ImportProfileRequest = {
/**
 * PEM certificate chain, leaf first, ending with the issuing authority
 * (a token for [`FilePurpose::OpenCertificate`](super::FilePurpose)).
 */
certificateFile: FileToken,
/**
 * PEM PKCS#8 Ed25519 private key (a token for
 * [`FilePurpose::OpenKey`](super::FilePurpose)).
 */
keyFile: FileToken,
/**
 * Keyring (with a PIN) or passphrase.
 */
protection: ProtectionKind,
/**
 * Required in passphrase mode.
 */
passphrase?: string,
/**
 * Required in keyring mode: the PIN asked at every unlock (at least
 * six characters, not trivial).
 */
pin?: string, };

/**
 * What an import did.
 */
export type ImportReportView = {
/**
 * Hex id of the new, imported and archived, channel.
 */
channelId: string,
/**
 * Messages in the archive.
 */
messages: number,
/**
 * Messages verified offline.
 */
verified: number,
/**
 * Messages whose signature or label failed offline verification.
 */
tampered: number, };

/**
 * A channel not joined because it names partner authorities the profile
 * has not pinned, waiting for the user to accept or decline.
 */
export type InvitationView = {
/**
 * The invitation's id.
 */
id: number,
/**
 * Hex channel id.
 */
channelId: string,
/**
 * The channel's name.
 */
channelName: string,
/**
 * Who added the user, if known.
 */
invitedBy?: InviterView,
/**
 * When the invitation was held.
 */
receivedAtMs: number,
/**
 * Every authority the channel trusts, with whether it is pinned.
 */
anchors: Array<AnchorView>, };

/**
 * Who added the user to a channel, as the channel's authorities certify.
 */
export type InviterView = {
/**
 * Officer id.
 */
officerId: string,
/**
 * Display name.
 */
displayName: string, };

/**
 * A label the composer may offer.
 */
export type LabelChoice = {
/**
 * The label.
 */
label: LabelView,
/**
 * The channel's default label.
 */
isDefault: boolean,
/**
 * The nations (ISO 3166 alpha-3, sorted) this label releases to that no
 * member of the channel holds: allowed, but the composer says so
 * before sending.
 */
beyondMembers: Array<string>, };

/**
 * Which label of a policy an issue is about.
 */
export type LabelField = "ceiling" | "defaultLabel";

/**
 * A label policy the profile knows, as the structured label picker offers
 * it: every label the picker can build from these parts is one the
 * policy expresses.
 */
export type LabelPolicyView = {
/**
 * Identifier ("NATO").
 */
id: string,
/**
 * Human-readable name.
 */
name: string,
/**
 * Levels, lowest first.
 */
levels: Array<LevelView>,
/**
 * Categories, in marking order.
 */
categories: Array<CategoryView>,
/**
 * Named communities, by name.
 */
communities: Array<CommunityView>,
/**
 * Nations a label without REL TO is releasable to, alphabetically.
 */
defaultCommunity: Array<string>,
/**
 * The text between a marking's segments ("//").
 */
separator: string, };

/**
 * A label in parts, as the structured picker builds it and the desk
 * shows an editable label: never a typed marking. The desk builds the
 * label from its parts and refuses any part the policy does not know.
 */
export type LabelSpec = {
/**
 * The label policy's identifier ("NATO").
 */
policyId: string,
/**
 * The classification's full name ("NATO SECRET").
 */
classification: string,
/**
 * Every tag, in any order.
 */
tags: Array<TagSpec>, };

/**
 * A security label as the window shows it. Built only in Rust (by the desk,
 * from the core's labels), never by the window.
 */
export type LabelView = {
/**
 * Full display marking, e.g. "NATO SECRET//REL TO FRA, GBR".
 */
marking: string,
/**
 * Portion marking shown beside a message, e.g. "(NS//REL TO FRA, GBR)".
 */
portion: string,
/**
 * Classification name, e.g. "NATO SECRET".
 */
classification: string,
/**
 * Rank of the classification in its policy, 0 = lowest. Banners show
 * the highest.
 */
rank: number,
/**
 * Banner colour from the label policy, "#RRGGBB".
 */
colour: string,
/**
 * Colour token, for styles and tests.
 */
tone: LevelTone, };

/**
 * UI language.
 */
export type Language = "en" | "fr";

/**
 * Colour token of a classification level, lowest first.
 */
export type LevelTone = "unclassified" | "restricted" | "confidential" | "secret" | "topSecret";

/**
 * A classification level of a label policy.
 */
export type LevelView = {
/**
 * Full name ("NATO SECRET").
 */
name: string,
/**
 * Portion abbreviation ("NS").
 */
portion: string,
/**
 * Banner colour, "#RRGGBB".
 */
colour: string,
/**
 * Colour token.
 */
tone: LevelTone, };

/**
 * A channel member.
 */
export type MemberView = {
/**
 * Officer id.
 */
officerId: string,
/**
 * Display name.
 */
displayName: string,
/**
 * Organisation.
 */
organisation: string,
/**
 * Nationality.
 */
nationality: string,
/**
 * Clearance marking.
 */
clearance: string,
/**
 * Role.
 */
role: Role,
/**
 * This user.
 */
isSelf: boolean, };

/**
 * One message of a thread.
 */
export type MessageView = {
/**
 * Hex message id.
 */
id: string,
/**
 * Position in the thread, 0-based, in the relay's order; the user's
 * own pending messages stay at the end until the relay orders them (a
 * `messages` event's `reorderedFrom` says where the thread changed).
 */
index: number,
/**
 * Sender's officer id.
 */
senderId: string,
/**
 * Sender's display name.
 */
senderName: string,
/**
 * Sender's nationality.
 */
senderNation: string,
/**
 * Trust state.
 */
verification: VerificationState,
/**
 * Whether the sender's signature names the channel and the epoch the
 * message was sent in. False for a version 1 message (an older sender
 * or archive): shown marked, since its signature does not tie it to
 * this channel.
 */
contextSigned: boolean,
/**
 * The message's label.
 */
label: LabelView,
/**
 * Precedence.
 */
precedence: PrecedenceView,
/**
 * EXERCISE traffic.
 */
exercise: boolean,
/**
 * The text.
 */
body: string,
/**
 * The message replied to.
 */
replyTo?: ReplyView,
/**
 * Sender's clock.
 */
sentAtMs: number,
/**
 * Our clock at receipt.
 */
receivedAtMs: number,
/**
 * Sent by this profile.
 */
mine: boolean,
/**
 * FLASH/IMMEDIATE: recipients are asked to acknowledge.
 */
ackRequested: boolean,
/**
 * For others' messages: acknowledged by this user.
 */
acknowledgedByMe: boolean,
/**
 * For the user's own messages: who acknowledged.
 */
acks: Array<AckView>,
/**
 * Own message still waiting for the relay.
 */
pending: boolean, };

/**
 * Payload of the `messages` event.
 */
export type MessagesEvent = {
/**
 * Hex channel id.
 */
channelId: string,
/**
 * Messages stored since the last event for this channel.
 */
newCount: number,
/**
 * Highest precedence among them.
 */
highestPrecedence?: PrecedenceView,
/**
 * The lowest thread index whose message changed other than by an
 * append: a message placed before the user's own pending ones, or the
 * user's own message ordered by the relay (no longer pending, perhaps
 * moved). The window reloads the thread from there.
 */
reorderedFrom?: number, };

/**
 * What the new-channel screen offers.
 */
export type NewChannelForm = {
/**
 * The pinned partner authorities, the user's own first.
 */
anchors: Array<AnchorChoice>,
/**
 * A starting ceiling: the user's clearance level, releasable to the
 * user's nation (absent when the clearance is not understood here).
 */
suggestedCeiling?: LabelSpec, };

/**
 * A new channel, as the new-channel screen sends it. The user is always
 * one of its admins, whether listed or not.
 */
export type NewChannelRequest = {
/**
 * Partnership name.
 */
name: string,
/**
 * The ceiling, in parts (its REL TO is the channel's releasability).
 */
ceiling: LabelSpec,
/**
 * The default label, in parts; within the ceiling.
 */
defaultLabel: LabelSpec,
/**
 * Other admins' officer ids (from the relay's directory).
 */
admins: Array<string>,
/**
 * The partner authorities to trust: fingerprints of pinned ones
 * (hex, colons allowed). The one that certifies the user is needed.
 */
anchors: Array<string>,
/**
 * Days messages are kept, if limited.
 */
retentionDays?: number,
/**
 * What happens to a removed member's history.
 */
onRemoval: OnRemoval, };

/**
 * An officer of the relay's directory, as a new channel's admin candidate.
 */
export type OfficerView = {
/**
 * Officer id.
 */
officerId: string,
/**
 * Display name.
 */
displayName: string,
/**
 * Organisation.
 */
organisation: string,
/**
 * Nationality (alpha-3).
 */
nationality: string,
/**
 * Clearance marking.
 */
clearance: string,
/**
 * SHA-256 of the pinned authority that certifies them, upper-case
 * colon hex.
 */
authority: string, };

/**
 * What happens to a removed member's history.
 */
export type OnRemoval = "keep" | "purge";

/**
 * A partner authority the profile trusts.
 */
export type PinnedAuthorityView = {
/**
 * SHA-256 of its certificate, upper-case colon hex.
 */
fingerprint: string,
/**
 * The name its certificate gives itself.
 */
name: string,
/**
 * How it was pinned: "onboarding", "import", "officer" or "upgrade"
 * (the core's `PinSource::as_str`; a string here, so the window's type
 * names the four values itself).
 */
source: "onboarding" | "import" | "officer" | "upgrade",
/**
 * When it was pinned.
 */
pinnedAtMs: number, };

/**
 * One problem of a channel policy, new or changed: a code the window
 * words in the user's language, and its parameters. Every issue but
 * [`PolicyIssue::AdminNotAdmitted`] refuses the policy.
 */
export type PolicyIssue = { "code": "notAdmin" } | { "code": "nameMissing" } | { "code": "nameTooLong",
/**
 * Most bytes allowed.
 */
max: number, } | { "code": "unknownLabelPart",
/**
 * The label.
 */
field: LabelField,
/**
 * What is unknown, as sent.
 */
part: string, } | { "code": "mixedLabelPolicies" } | { "code": "defaultAboveCeiling",
/**
 * The default label's marking.
 */
default: string,
/**
 * The ceiling's marking.
 */
ceiling: string,
/**
 * Why, each reason once.
 */
excess: Array<ExcessView>, } | { "code": "noAdmin" } | { "code": "badOfficerId",
/**
 * The id as sent.
 */
officer: string, } | { "code": "tooManyAdmins",
/**
 * The most allowed.
 */
max: number, } | { "code": "noAnchor" } | { "code": "unknownAnchor",
/**
 * The fingerprint as sent.
 */
fingerprint: string, } | { "code": "ownAuthorityMissing" } | { "code": "tooManyAnchors",
/**
 * The most allowed.
 */
max: number, } | { "code": "selfNotAdmitted",
/**
 * Why.
 */
reason: AdmissionReason, } | { "code": "removesYou",
/**
 * Why.
 */
reason: AdmissionReason, } | { "code": "adminNotAdmitted",
/**
 * Their officer id.
 */
officerId: string,
/**
 * Their display name.
 */
displayName: string,
/**
 * Why.
 */
reason: AdmissionReason, };

/**
 * What a policy change would do.
 */
export type PolicyPreview = {
/**
 * Members the change removes.
 */
removed: Array<RemovedMember>,
/**
 * False when an issue refuses the change.
 */
allowed: boolean,
/**
 * What is wrong with the change, or worth a warning
 * ([`PolicyIssue::refuses`] tells which).
 */
issues: Array<PolicyIssue>,
/**
 * When the default label is not within the new ceiling: a default
 * that is, as close to the one asked for as the ceiling allows, for
 * the window to offer in one click.
 */
fixedDefault?: LabelSpec, };

/**
 * The editable part of a channel policy. Its labels are in parts, as the
 * structured label picker edits them; the ceiling's REL TO is the
 * channel's releasability.
 */
export type PolicyView = {
/**
 * Partnership name.
 */
name: string,
/**
 * The ceiling: the highest label the channel carries.
 */
ceiling: LabelSpec,
/**
 * The label of a message sent without one.
 */
defaultLabel: LabelSpec,
/**
 * Admin officer ids.
 */
admins: Array<string>,
/**
 * Days messages are kept, if limited.
 */
retentionDays?: number,
/**
 * History rule on removal.
 */
onRemoval: OnRemoval, };

/**
 * Message precedence as the window names it.
 */
export type PrecedenceView = "routine" | "priority" | "immediate" | "flash";

/**
 * Who the user is, once unlocked.
 */
export type ProfileView = {
/**
 * Officer identifier from the certificate.
 */
officerId: string,
/**
 * Display name from the certificate.
 */
displayName: string,
/**
 * Organisation from the certificate.
 */
organisation: string,
/**
 * ISO 3166 alpha-3.
 */
nationality: string,
/**
 * Clearance as a marking, e.g. "NATO SECRET".
 */
clearance: string,
/**
 * How the store is protected.
 */
protection: ProtectionKind, };

/**
 * Progress of an export or an import.
 */
export type ProgressView = {
/**
 * Messages done.
 */
done: number,
/**
 * Messages in all.
 */
total: number, };

/**
 * How the profile's store key is protected.
 */
export type ProtectionKind = "keyring" | "passphrase";

/**
 * A member a policy change would remove, and why.
 */
export type RemovedMember = {
/**
 * The member.
 */
member: MemberView,
/**
 * Why the new policy does not admit them.
 */
reason: AdmissionReason, };

/**
 * The message a reply refers to.
 */
export type ReplyView = {
/**
 * Hex message id.
 */
id: string,
/**
 * The source's sender, when the source is held here.
 */
senderName?: string,
/**
 * The start of the source's text, when held here.
 */
excerpt?: string,
/**
 * The source's label, when held here.
 */
label?: LabelView, };

/**
 * A member's role.
 */
export type Role = "admin" | "member";

/**
 * One search result.
 */
export type SearchHitView = {
/**
 * Hex channel id.
 */
channelId: string,
/**
 * The channel's name.
 */
channelName: string,
/**
 * The message, as a thread shows it (label, portion marking, trust).
 */
message: MessageView,
/**
 * Body excerpt; matched words between U+0002 and U+0003.
 */
snippet: string, };

/**
 * A search, as the window asks for it (`SearchQuery` in types.ts).
 */
export type SearchRequest = {
/**
 * Words to find: plain words (no FTS5 syntax), all must match; a
 * trailing `*` is a prefix.
 */
text: string,
/**
 * Only this channel (hex id).
 */
channelId?: string,
/**
 * Only this sender (officer id).
 */
senderId?: string,
/**
 * Only this classification, by name ("NATO SECRET").
 */
classification?: string,
/**
 * Only this precedence.
 */
precedence?: PrecedenceView,
/**
 * Sent at or after (Unix milliseconds, sender's clock).
 */
fromMs?: number,
/**
 * Sent at or before (Unix milliseconds, sender's clock).
 */
toMs?: number,
/**
 * Most results (1 to 500).
 */
limit: number, };

/**
 * The results of a search.
 */
export type SearchResultsView = {
/**
 * Best first (most recently stored first).
 */
hits: Array<SearchHitView>,
/**
 * Highest label among the hits, for the results banner.
 */
highest?: LabelView, };

/**
 * A message to send.
 */
export type SendRequest = {
/**
 * Hex channel id.
 */
channelId: string,
/**
 * The text.
 */
body: string,
/**
 * Display marking of the chosen label (one of the composer options'
 * labels).
 */
marking: string,
/**
 * Precedence.
 */
precedence: PrecedenceView,
/**
 * EXERCISE traffic.
 */
exercise: boolean,
/**
 * Hex id of the message replied to; the core checks label inheritance.
 */
replyTo?: string, };

/**
 * The settings the window edits.
 */
export type Settings = {
/**
 * `wss://HOST:PORT/v1/ws`, or empty when no relay is configured.
 */
relayUrl: string,
/**
 * Notifications show sender and label only unless this is true.
 */
notificationsShowContent: boolean,
/**
 * Lock after this many minutes without input; 0 disables.
 */
idleLockMinutes: number,
/**
 * UI language.
 */
language: Language, };

/**
 * One tag of a label as the picker chose it: a category of the label
 * policy and one of its values (a caveat, a mission, a nation code or a
 * community name for REL TO).
 */
export type TagSpec = {
/**
 * The category's name, as the policy names it ("Releasable To").
 */
category: string,
/**
 * The value.
 */
value: string, };

/**
 * A window of a thread, by index.
 */
export type ThreadPage = {
/**
 * Hex channel id.
 */
channelId: string,
/**
 * Messages in the thread.
 */
total: number,
/**
 * Index of the first message returned.
 */
start: number,
/**
 * Messages with index in `[start, start + len)`.
 */
messages: Array<MessageView>,
/**
 * Highest label among `messages`, for banners; absent when there are none.
 */
highest?: LabelView, };

/**
 * How far a message is to be trusted.
 */
export type VerificationState = "verified" | "own" | "unverified" | "tampered";
