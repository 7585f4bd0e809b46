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
// liaison-desk (`./generated/contract.ts`) and re-exported here under the
// names the UI uses; `Commands` is generated from the shell's command list
// (`./generated/commands.ts`) and `Events` from the desk's events
// (`./generated/events.ts`). After changing either, run
// `cargo xtask contract` (docs/desktop.md, "The window contract").

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
  AuthorityFileView,
  CandidateView,
  ChannelOrigin,
  ChannelView,
  ComposerOptions,
  ConnectionState,
  ErrorKind as AppErrorKind,
  ExerciseProfileRequest,
  ExportArchiveRequest as ExportRequest,
  ExportContentsView as ExportContents,
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
  AuthorityFileView,
  CandidateView,
  ChannelOrigin,
  ChannelView,
  ComposerOptions,
  ConnectionState,
  ExerciseProfileRequest,
  ExportContents,
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

// New channels, the structured label picker and policy checks.
export type {
  AdmissionReason,
  AnchorChoice,
  CategoryKindView,
  CategoryView,
  CommunityView,
  ExcessView,
  LabelField,
  LabelPolicyView,
  LabelSpec,
  LevelView,
  NewChannelForm,
  NewChannelRequest,
  OfficerView,
  PolicyIssue,
  TagSpec,
} from './generated/contract';

export type { Commands } from './generated/commands';
export type { Events } from './generated/events';
