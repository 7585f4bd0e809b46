// The contract between the desktop shell (src-tauri, Rust) and the UI.
//
// Every command is a Tauri command invoked with `invoke(name, args)`; its
// arguments are one object whose keys are camelCase. Keys, MLS state and the
// database never cross this boundary: only view models.
//
// Every command either resolves with its result or rejects with an
// `AppError` whose `kind` the UI switches on.
//
// The types that cross the boundary are generated from the Rust types of
// liaison-desk (`./generated/contract.ts`; after changing one, run
// `cargo xtask contract`) and re-exported here under the names the UI uses.
// Written here by hand: `Commands` and `Events`. src-tauri's tests check
// `Commands` against the commands the shell registers and the arguments they
// read (docs/desktop.md, "The window contract").

import type {
  AcceptInvitationRequest,
  AckView,
  AcksEvent,
  AnchorNoticeView,
  AnchorView,
  AppError,
  AppPhase,
  AppStatus,
  AuditView as AuditEntry,
  CandidateView,
  ChannelOrigin,
  ChannelView,
  ComposerOptions,
  ConnectionState,
  ErrorKind as AppErrorKind,
  ExerciseProfileRequest,
  ExportArchiveRequest as ExportRequest,
  ExportProtection,
  ExportReportView as ExportReport,
  FileChoice,
  FilePurpose,
  FileToken,
  ForkView,
  GapView,
  ImportArchiveRequest as ImportRequest,
  ImportProfileRequest,
  ImportReportView as ImportReport,
  InvitationView,
  InviterView,
  LabelChoice,
  LabelView,
  Language,
  LevelTone,
  MemberView,
  MessagesEvent,
  MessageView,
  OnRemoval,
  PinnedAuthorityView,
  PolicyPreview,
  PolicyView,
  PrecedenceView as Precedence,
  ProfileView,
  ProgressView as Progress,
  ProtectionKind,
  RemovedMember,
  ReplyView,
  Role,
  SearchHitView as SearchHit,
  SearchRequest as SearchQuery,
  SearchResultsView as SearchResults,
  SendRequest,
  Settings,
  ThreadPage,
  VerificationState,
} from './generated/contract';

export type {
  AcceptInvitationRequest,
  AckView,
  AcksEvent,
  AnchorNoticeView,
  AnchorView,
  AppError,
  AppErrorKind,
  AppPhase,
  AppStatus,
  AuditEntry,
  CandidateView,
  ChannelOrigin,
  ChannelView,
  ComposerOptions,
  ConnectionState,
  ExerciseProfileRequest,
  ExportProtection,
  ExportReport,
  ExportRequest,
  FileChoice,
  FilePurpose,
  FileToken,
  ForkView,
  GapView,
  ImportProfileRequest,
  ImportReport,
  ImportRequest,
  InvitationView,
  InviterView,
  LabelChoice,
  LabelView,
  Language,
  LevelTone,
  MemberView,
  MessagesEvent,
  MessageView,
  OnRemoval,
  PinnedAuthorityView,
  PolicyPreview,
  PolicyView,
  Precedence,
  ProfileView,
  Progress,
  ProtectionKind,
  RemovedMember,
  ReplyView,
  Role,
  SearchHit,
  SearchQuery,
  SearchResults,
  SendRequest,
  Settings,
  ThreadPage,
  VerificationState,
};

/** How an authority came to be pinned: at onboarding, at import, by the user, or when upgrading an older profile. */
export type PinSource = PinnedAuthorityView['source'];

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
  messages: MessagesEvent;
  /** Channel list changed (joined, removed, policy, unread). */
  channels: null;
  /** Acknowledgements changed for a message of ours. */
  acks: AcksEvent;
  /** Invitations changed (one held, accepted or declined). */
  invitations: null;
  /** The profile was locked (idle or on demand). */
  locked: null;
}
