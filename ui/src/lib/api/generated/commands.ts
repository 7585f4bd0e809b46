// The window's commands, generated from the shell's command list
// (src-tauri/src/commands/list.rs). Do not edit: change the list and run
// `cargo xtask contract`. `../types.ts` re-exports `Commands`.

import type {
  AcceptInvitationRequest,
  AnchorNoticeView,
  AppStatus,
  AuditRequest,
  AuditView,
  AuthorityFileView,
  CandidateView,
  ChannelView,
  ComposerOptions,
  ConnectionState,
  ExerciseProfileRequest,
  ExportArchiveRequest,
  ExportContentsView,
  ExportReportView,
  FileChoice,
  FilePurpose,
  FileToken,
  ImportArchiveRequest,
  ImportProfileRequest,
  ImportReportView,
  InvitationView,
  LabelPolicyView,
  MemberView,
  MessageView,
  NewChannelForm,
  NewChannelRequest,
  OfficerView,
  PinnedAuthorityView,
  PolicyIssue,
  PolicyPreview,
  PolicyView,
  ProfileView,
  SearchRequest,
  SearchResultsView,
  SendRequest,
  Settings,
  ThreadPage,
} from './contract';

/** Command name -> [arguments, result]. The UI calls these through `api.ts`. */
export interface Commands {
  /**
   * Which screen to show first.
   */
  app_status: [Record<string, never>, AppStatus];
  /**
   * Creates an exercise profile (demo mode issues the certificate).
   */
  create_exercise_profile: [{ request: ExerciseProfileRequest }, ProfileView];
  /**
   * Creates a profile from PEM certificate and key files the officer chose.
   */
  import_profile: [{ request: ImportProfileRequest }, ProfileView];
  /**
   * Unlocks the profile with its PIN (keyring) or passphrase; an older keyring profile takes the PIN chosen now.
   */
  unlock: [{ secret?: string }, ProfileView];
  /**
   * Locks the profile (the `locked` event follows).
   */
  lock: [Record<string, never>, null];
  /**
   * Replaces the PIN (keyring profiles) or passphrase with `replacement`, once `current` proves the one in use.
   */
  change_secret: [{ current: string; replacement: string }, null];
  /**
   * The officer is at the keyboard (sent, throttled, on input): the idle lock counts again.
   */
  still_here: [Record<string, never>, null];
  /**
   * The relay connection state.
   */
  connection_state: [Record<string, never>, ConnectionState];
  /**
   * Opens the native dialog for `purpose` in the shell; the only way a file is chosen.
   */
  choose_file: [{ purpose: FilePurpose }, FileChoice];
  /**
   * Every channel of the profile.
   */
  list_channels: [Record<string, never>, Array<ChannelView>];
  /**
   * A page of a thread, by index.
   */
  thread_page: [{ channelId: string; start: number; count: number }, ThreadPage];
  /**
   * Moves the read marker forward.
   */
  mark_read: [{ channelId: string; upToIndex: number }, null];
  /**
   * The labels and precedences the composer may offer.
   */
  composer_options: [{ channelId: string }, ComposerOptions];
  /**
   * The nations a typed marking releases to that no member holds.
   */
  released_beyond_members: [{ channelId: string; marking: string }, Array<string>];
  /**
   * Sends a message (queued while offline).
   */
  send_message: [{ request: SendRequest }, MessageView];
  /**
   * Acknowledges a FLASH or IMMEDIATE message.
   */
  acknowledge: [{ channelId: string; messageId: string }, null];
  /**
   * The channel's members.
   */
  list_members: [{ channelId: string }, Array<MemberView>];
  /**
   * Officers the relay can reach, checked against the channel's rules.
   */
  directory: [{ channelId: string }, Array<CandidateView>];
  /**
   * An officer from a certificate file the officer chose (`choose_file`'s
   * token), checked against the channel's rules.
   */
  candidate_from_certificate: [{ channelId: string; file: FileToken }, CandidateView];
  /**
   * Adds an officer (admins only).
   */
  add_member: [{ channelId: string; officerId: string; authority?: string }, null];
  /**
   * Removes an officer (admins only).
   */
  remove_member: [{ channelId: string; officerId: string }, null];
  /**
   * Promotes or demotes an officer (admins only).
   */
  set_admin: [{ channelId: string; officerId: string; admin: boolean }, null];
  /**
   * The channel's editable policy.
   */
  channel_policy: [{ channelId: string }, PolicyView];
  /**
   * Who a policy change would remove.
   */
  preview_policy: [{ channelId: string; policy: PolicyView }, PolicyPreview];
  /**
   * Changes the channel policy (admins only).
   */
  change_policy: [{ channelId: string; policy: PolicyView }, null];
  /**
   * The label policies the profile knows, as the label picker offers them.
   */
  label_policies: [Record<string, never>, Array<LabelPolicyView>];
  /**
   * What the new-channel screen chooses from: pinned authorities, a starting ceiling.
   */
  new_channel_form: [Record<string, never>, NewChannelForm];
  /**
   * Officers of the relay's directory a pinned authority certifies (admin candidates).
   */
  officer_directory: [Record<string, never>, Array<OfficerView>];
  /**
   * Every issue of a new channel request (code and parameters); empty when it can be created.
   */
  check_new_channel: [{ request: NewChannelRequest }, Array<PolicyIssue>];
  /**
   * Creates a channel with the user as its only member and an admin; resolves with its id.
   */
  create_channel: [{ request: NewChannelRequest }, string];
  /**
   * The newest audit entries that pass the filters (channel, categories,
   * time range), older than `beforeId` when paging.
   */
  audit_log: [{ query: AuditRequest }, Array<AuditView>];
  /**
   * The settings.
   */
  settings: [Record<string, never>, Settings];
  /**
   * Checks and saves the settings.
   */
  save_settings: [{ settings: Settings }, Settings];
  /**
   * Searches every message the profile holds.
   */
  search: [{ query: SearchRequest }, SearchResultsView];
  /**
   * Makes a channel read-only here.
   */
  archive_channel: [{ channelId: string }, null];
  /**
   * What an archive file of a channel over a sent-time range would hold:
   * its highest marking and EXERCISE traffic.
   */
  export_contents: [{ channelId: string; fromMs?: number; toMs?: number }, ExportContentsView];
  /**
   * Writes a channel's history to an encrypted archive file; `onProgress`
   * is a Tauri `Channel<Progress>`.
   */
  export_archive: [{ request: ExportArchiveRequest; onProgress: unknown }, ExportReportView];
  /**
   * Opens an archive file as a read-only imported channel; `onProgress` is
   * a Tauri `Channel<Progress>`.
   */
  import_archive: [{ request: ImportArchiveRequest; onProgress: unknown }, ImportReportView];
  /**
   * The partner authorities the profile trusts.
   */
  pinned_authorities: [Record<string, never>, Array<PinnedAuthorityView>];
  /**
   * A partner authority's certificate the officer chose, to compare its
   * fingerprint before pinning it.
   */
  read_authority: [{ file: FileToken }, AuthorityFileView];
  /**
   * Pins the authority in the chosen file, with the fingerprint the
   * officer compared out of band.
   */
  pin_authority: [{ file: FileToken; confirmedFingerprint: string }, PinnedAuthorityView];
  /**
   * Stops trusting a partner authority; the fingerprint is repeated.
   */
  unpin_authority: [{ fingerprint: string; confirmedFingerprint: string }, PinnedAuthorityView];
  /**
   * The invitations waiting for the user.
   */
  list_invitations: [Record<string, never>, Array<InvitationView>];
  /**
   * Accepts an invitation with the fingerprints the user confirmed;
   * resolves with the joined channel's id.
   */
  accept_invitation: [{ request: AcceptInvitationRequest }, string];
  /**
   * Declines an invitation.
   */
  decline_invitation: [{ id: number }, null];
  /**
   * The authorities policy changes added to a channel.
   */
  anchor_notices: [{ channelId: string }, Array<AnchorNoticeView>];
}
