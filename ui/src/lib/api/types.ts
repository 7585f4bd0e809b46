// The contract between the desktop shell (src-tauri, Rust) and the UI.
//
// Every command is a Tauri command invoked with `invoke(name, args)`; its
// arguments are one object whose keys are camelCase. Rust structs mirror
// these types with `#[serde(rename_all = "camelCase")]`. Keys, MLS state and
// the database never cross this boundary: only view models.
//
// Every command either resolves with its result or rejects with an
// `AppError` whose `kind` the UI switches on.

/** Error kinds the UI can switch on. `message` is plain words for the user. */
export type AppErrorKind =
  | 'noProfile' // no profile yet: show onboarding
  | 'locked' // the profile is locked: show the unlock screen
  | 'wrongPassphrase'
  | 'keyringUnavailable' // no OS keyring: offer passphrase mode
  | 'invalidInput' // a field the user typed is wrong (see `field`)
  | 'labelRefused' // the label is not allowed in this channel (see `message`)
  | 'ruleViolation' // an admin action would break a channel rule
  | 'forbidden' // not an admin, or the channel is archived/left
  | 'notFound'
  | 'offline' // the relay cannot be reached; the action is queued or refused
  | 'certificate' // a certificate or key file is invalid, expired or untrusted
  | 'internal';

export interface AppError {
  kind: AppErrorKind;
  message: string;
  /** For `invalidInput`: which argument was wrong. */
  field?: string;
}

/** Colour token for a classification level, lowest first. */
export type LevelTone = 'unclassified' | 'restricted' | 'confidential' | 'secret' | 'topSecret';

/** A security label as the UI shows it. Only the core builds labels. */
export interface LabelView {
  /** Full display marking, e.g. "NATO SECRET//REL TO FRA, GBR". */
  marking: string;
  /** Portion marking shown beside a message, e.g. "(NS//REL TO FRA, GBR)". */
  portion: string;
  /** Classification name, e.g. "NATO SECRET". */
  classification: string;
  /** Classification rank in its policy, 0 = lowest. Banners show the highest. */
  rank: number;
  /** Banner colour from the label policy, "#RRGGBB". */
  colour: string;
  /** Colour token, for styles and tests. */
  tone: LevelTone;
}

export type Precedence = 'routine' | 'priority' | 'immediate' | 'flash';

export type ProtectionKind = 'keyring' | 'passphrase';

/** Who the user is, once unlocked. */
export interface ProfileView {
  officerId: string;
  displayName: string;
  organisation: string;
  /** ISO 3166 alpha-3. */
  nationality: string;
  /** Clearance as a marking, e.g. "NATO SECRET". */
  clearance: string;
  protection: ProtectionKind;
}

export type AppPhase = 'noProfile' | 'locked' | 'unlocked';

export interface AppStatus {
  phase: AppPhase;
  /** Demo mode: a local relay and scripted partner officers. */
  demo: boolean;
  /** Present once unlocked. */
  profile?: ProfileView;
  /** How the existing profile is protected (when phase is 'locked'). */
  protection?: ProtectionKind;
  /** UI language: 'en' or 'fr'. */
  language: string;
}

export type ConnectionState = 'online' | 'connecting' | 'offline';

export interface ChannelView {
  /** Hex MLS group id. */
  id: string;
  name: string;
  /** The channel's ceiling label. */
  ceiling: LabelView;
  unread: number;
  /** FLASH/IMMEDIATE messages from others this user has not acknowledged. */
  awaitingAck: number;
  /** Highest precedence among messages awaiting acknowledgement. */
  awaitingPrecedence?: Precedence;
  archived: boolean;
  /** False once the user left or was removed. */
  active: boolean;
  isAdmin: boolean;
  lastActivityMs?: number;
  memberCount: number;
  /** 'imported': opened read-only from an archive file. */
  origin: 'live' | 'imported';
  /** The relay withholds a commit from this member: newer messages cannot be read until it comes. */
  commitWithheld: boolean;
  /** The channel has forked here: this member holds another branch than the admins and waits to be added back. */
  fork?: ForkView;
  /** What this member could not read because the channel forked, oldest first. */
  gaps: GapView[];
}

/** A fork found in a channel and not yet repaired. */
export interface ForkView {
  /** The epoch at which the branches differ. */
  epoch: number;
  detectedAtMs: number;
  /** Whether the channel's admins were asked to add this member back. */
  requested: boolean;
}

/** A gap in a channel's history left by a fork. */
export interface GapView {
  forkEpoch: number;
  /** The epoch this member was added back at. */
  rejoinedEpoch: number;
  detectedAtMs: number;
  rejoinedAtMs: number;
}

/**
 * 'verified': sender signature and label checked at receipt (or offline, for
 * an imported archive); 'own': sent by this profile; 'unverified': the sender's
 * authority is not known here; 'tampered': an imported message whose signature
 * or label does not verify (shown, flagged, never trusted).
 */
export type VerificationState = 'verified' | 'own' | 'unverified' | 'tampered';

export interface AckView {
  officerId: string;
  displayName: string;
  atMs: number;
}

export interface MessageView {
  /** Hex message id. */
  id: string;
  /**
   * Position in the thread, 0-based, in the relay's order; the user's own
   * pending messages stay at the end until the relay orders them (a
   * `messages` event's `reorderedFrom` says where the thread changed).
   */
  index: number;
  senderId: string;
  senderName: string;
  senderNation: string;
  verification: VerificationState;
  /** False for a version 1 message: its signature does not name its channel and epoch. */
  contextSigned: boolean;
  label: LabelView;
  precedence: Precedence;
  exercise: boolean;
  body: string;
  /** The message this one replies to, if any. */
  replyTo?: { id: string; senderName?: string; excerpt?: string; label?: LabelView };
  sentAtMs: number;
  receivedAtMs: number;
  mine: boolean;
  /** FLASH/IMMEDIATE: recipients are asked to acknowledge. */
  ackRequested: boolean;
  /** For others' messages: whether this user has acknowledged it. */
  acknowledgedByMe: boolean;
  /** For the user's own messages: who has acknowledged. */
  acks: AckView[];
  /** Own message still waiting for the relay (offline). */
  pending: boolean;
}

export interface ThreadPage {
  channelId: string;
  /** Total messages in the thread. */
  total: number;
  /** Messages with index in [start, start + messages.length). */
  start: number;
  messages: MessageView[];
  /** Highest label among `messages` (for banners); absent when empty. */
  highest?: LabelView;
}

/** A label the composer may offer. */
export interface LabelChoice {
  label: LabelView;
  /** True for the channel's default label. */
  isDefault: boolean;
}

export interface ComposerOptions {
  channelId: string;
  /** Only labels the channel allows and the user's clearance dominates. */
  labels: LabelChoice[];
  precedences: Precedence[];
  /** When false, the reason in plain words (archived, left, offline queueing is still allowed). */
  canSend: boolean;
  reason?: string;
}

export interface SendRequest {
  channelId: string;
  body: string;
  /** Display marking of the chosen label (one of ComposerOptions.labels). */
  marking: string;
  precedence: Precedence;
  exercise: boolean;
  /** Hex id of the message replied to; the core checks label inheritance. */
  replyTo?: string;
}

export type Role = 'admin' | 'member';

export interface MemberView {
  officerId: string;
  displayName: string;
  organisation: string;
  nationality: string;
  /** Clearance marking, e.g. "NATO SECRET". */
  clearance: string;
  role: Role;
  isSelf: boolean;
}

/** An officer who could be added (from the relay's directory or a certificate file). */
export interface CandidateView {
  officerId: string;
  displayName: string;
  organisation: string;
  nationality: string;
  clearance: string;
  /** Already a member. */
  isMember: boolean;
  /** False when adding would break a channel rule; `reason` says which, in plain words. */
  eligible: boolean;
  reason?: string;
  /** Whether the relay holds a key package for them (needed to add). */
  reachable: boolean;
  /** Fingerprint (hex) of the partner authority that certifies them; passed back to `add_member`. */
  authority?: string;
}

/** The editable part of a channel policy. */
export interface PolicyView {
  name: string;
  policyId: string;
  ceiling: string;
  defaultLabel: string;
  /** Nations (alpha-3) the channel is releasable to. */
  releasableTo: string[];
  admins: string[];
  retentionDays?: number;
  onRemoval: 'keep' | 'purge';
}

export interface PolicyPreview {
  /** Members a change would remove, with the reason for each. */
  removed: { member: MemberView; reason: string }[];
  /** False when the change is refused outright; `reason` says why. */
  allowed: boolean;
  reason?: string;
}

export interface AuditEntry {
  atMs: number;
  /** Machine kind, e.g. "message_refused", "member_added". */
  kind: string;
  /** Plain-words detail (never message content). */
  detail: string;
  channelId?: string;
}

export interface Settings {
  relayUrl: string;
  /** Notifications show sender and label only unless this is true. */
  notificationsShowContent: boolean;
  /** Lock after this many minutes of no input; 0 disables. */
  idleLockMinutes: number;
  language: 'en' | 'fr';
}

export interface ExerciseProfileRequest {
  displayName: string;
  officerId: string;
  nationality: string;
  clearance: string;
  protection: ProtectionKind;
  passphrase?: string;
}

/**
 * What a chosen file is for. The shell opens the matching native dialog, and a
 * token serves only the purpose it was chosen for.
 */
export type FilePurpose = 'openCertificate' | 'openKey' | 'openArchive' | 'saveArchive';

/**
 * An opaque reference to a file the officer chose in the shell's native
 * dialog. The webview never sends a path: commands that read or write files
 * take one of these. A token is used up when its command succeeds; after a
 * failure (a wrong passphrase, say) it can be sent again.
 */
export type FileToken = string;

/** The answer of `choose_file`: a token and the file's name to show, or a closed dialog. */
export type FileChoice = { kind: 'chosen'; token: FileToken; name: string } | { kind: 'cancelled' };

export interface ImportProfileRequest {
  /** PEM certificate chain (leaf first), chosen for 'openCertificate'. */
  certificateFile: FileToken;
  /** PEM PKCS#8 private key, chosen for 'openKey'. */
  keyFile: FileToken;
  protection: ProtectionKind;
  passphrase?: string;
}

export interface SearchQuery {
  /** Words to find (FTS5 syntax is not exposed: plain words, all must match; a trailing * is a prefix). */
  text: string;
  channelId?: string;
  senderId?: string;
  /** Classification name, e.g. "NATO SECRET". */
  classification?: string;
  precedence?: Precedence;
  fromMs?: number;
  toMs?: number;
  limit: number;
}

export interface SearchHit {
  channelId: string;
  channelName: string;
  message: MessageView;
  /** Body excerpt around the match; matched words wrapped in \u0002 … \u0003. */
  snippet: string;
}

export interface SearchResults {
  hits: SearchHit[];
  /** Highest label among the hits, for the results banner. */
  highest?: LabelView;
}

/** Progress of an export or import, sent over a Tauri Channel. */
export interface Progress {
  done: number;
  total: number;
}

export interface ExportRequest {
  channelId: string;
  fromMs?: number;
  toMs?: number;
  /** The archive file to write, chosen for 'saveArchive'. */
  file: FileToken;
  /** Protect with a passphrase, or for a named officer's certificate (chosen for 'openCertificate'). */
  protection:
    { kind: 'passphrase'; passphrase: string } | { kind: 'certificate'; certificateFile: FileToken };
}

export interface ExportReport {
  messages: number;
  bytes: number;
  /** Where the file was written, to show (never sent back). */
  path: string;
}

export interface ImportRequest {
  /** The archive file, chosen for 'openArchive'. */
  file: FileToken;
  passphrase?: string;
}

export interface ImportReport {
  channelId: string;
  messages: number;
  verified: number;
  /** Messages whose signature or label failed offline verification. */
  tampered: number;
}

/**
 * A partner authority as shown: `name` is its certificate's own claim (anyone
 * can choose any name); `fingerprint` (SHA-256, "AB:CD:…") is what identifies it.
 */
export interface AnchorView {
  name: string;
  fingerprint: string;
  /** Whether this profile has pinned (trusts) it. */
  pinned: boolean;
}

/** How an authority came to be pinned: at onboarding, at import, by the user, or when upgrading an older profile. */
export type PinSource = 'onboarding' | 'import' | 'officer' | 'upgrade';

/** A partner authority this profile trusts. */
export interface PinnedAuthorityView {
  fingerprint: string;
  name: string;
  source: PinSource;
  pinnedAtMs: number;
}

/**
 * A channel not joined because it trusts partner authorities this profile has
 * not pinned; it waits for the user to accept (confirming each unpinned
 * fingerprint) or decline.
 */
export interface InvitationView {
  id: number;
  channelId: string;
  channelName: string;
  /** Who added the user, as the channel's own authorities certify them. */
  invitedBy?: { officerId: string; displayName: string };
  receivedAtMs: number;
  /** Every authority the channel trusts. */
  anchors: AnchorView[];
}

export interface AcceptInvitationRequest {
  id: number;
  /** Fingerprints the user compared and confirmed: every unpinned anchor's. */
  confirmedFingerprints: string[];
}

/** A partner authority a policy change added to a channel. */
export interface AnchorNoticeView {
  epoch: number;
  atMs: number;
  anchor: AnchorView;
}

/** Command name -> [arguments, result]. The UI calls these through `api.ts`. */
export interface Commands {
  app_status: [Record<string, never>, AppStatus];
  create_exercise_profile: [{ request: ExerciseProfileRequest }, ProfileView];
  import_profile: [{ request: ImportProfileRequest }, ProfileView];
  unlock: [{ passphrase?: string }, ProfileView];
  lock: [Record<string, never>, null];
  connection_state: [Record<string, never>, ConnectionState];
  /** Opens the native dialog for `purpose` in the shell; the only way a file is chosen. */
  choose_file: [{ purpose: FilePurpose }, FileChoice];
  list_channels: [Record<string, never>, ChannelView[]];
  thread_page: [{ channelId: string; start: number; count: number }, ThreadPage];
  mark_read: [{ channelId: string; upToIndex: number }, null];
  composer_options: [{ channelId: string }, ComposerOptions];
  send_message: [{ request: SendRequest }, MessageView];
  acknowledge: [{ channelId: string; messageId: string }, null];
  list_members: [{ channelId: string }, MemberView[]];
  directory: [{ channelId: string }, CandidateView[]];
  candidate_from_certificate: [{ channelId: string; file: FileToken }, CandidateView];
  add_member: [{ channelId: string; officerId: string; authority?: string }, null];
  remove_member: [{ channelId: string; officerId: string }, null];
  set_admin: [{ channelId: string; officerId: string; admin: boolean }, null];
  channel_policy: [{ channelId: string }, PolicyView];
  preview_policy: [{ channelId: string; policy: PolicyView }, PolicyPreview];
  change_policy: [{ channelId: string; policy: PolicyView }, null];
  audit_log: [{ limit: number }, AuditEntry[]];
  settings: [Record<string, never>, Settings];
  save_settings: [{ settings: Settings }, Settings];
  search: [{ query: SearchQuery }, SearchResults];
  archive_channel: [{ channelId: string }, null];
  /** `onProgress` is a Tauri `Channel<Progress>`. */
  export_archive: [{ request: ExportRequest; onProgress: unknown }, ExportReport];
  import_archive: [{ request: ImportRequest; onProgress: unknown }, ImportReport];
  pinned_authorities: [Record<string, never>, PinnedAuthorityView[]];
  list_invitations: [Record<string, never>, InvitationView[]];
  /** Resolves with the joined channel's id. */
  accept_invitation: [{ request: AcceptInvitationRequest }, string];
  decline_invitation: [{ id: number }, null];
  anchor_notices: [{ channelId: string }, AnchorNoticeView[]];
}

/** Events the shell emits (Tauri `listen(name)`), with their payloads. */
export interface Events {
  /** Relay connection changed. */
  connection: ConnectionState;
  /** New messages arrived or were sent in a channel. */
  messages: {
    channelId: string;
    newCount: number;
    highestPrecedence?: Precedence;
    /** Lowest thread index whose message changed in place (relay order); reload from there. */
    reorderedFrom?: number;
  };
  /** Channel list changed (joined, removed, policy, unread). */
  channels: null;
  /** Acknowledgements changed for a message of ours. */
  acks: { channelId: string; messageId: string };
  /** Invitations changed (one held, accepted or declined). */
  invitations: null;
  /** The profile was locked (idle or on demand). */
  locked: null;
}
