// Every command the window may call, each declared once, here: its module
// (`commands/<module>.rs` holds the function it calls), its name, the
// arguments the window sends (`&window` first when the command needs the
// calling window) and what it resolves with; it rejects with an `AppError`.
// `commands/mod.rs` makes this list the Tauri commands (each in a tracing
// span), the invoke handler, `COMMANDS` and the UI's `Commands` type
// (`ui/src/lib/api/generated/commands.ts`); `build.rs` makes it the
// application's permission manifest (an `allow-<command>` permission each)
// and the `main` window's capability, which grants exactly these and the
// two event permissions. The doc comments become the UI's.
window_commands! {
    /// Which screen to show first.
    session::app_status() -> AppStatus;
    /// Creates an exercise profile (demo mode issues the certificate).
    session::create_exercise_profile(request: ExerciseProfileRequest) -> ProfileView;
    /// Creates a profile from PEM certificate and key files the officer chose.
    session::import_profile(request: ImportProfileRequest) -> ProfileView;
    /// Unlocks the profile with its PIN (keyring) or passphrase; an older keyring profile takes the PIN chosen now.
    session::unlock(secret: Option<String>) -> ProfileView;
    /// Locks the profile (the `locked` event follows).
    session::lock() -> ();
    /// Replaces the PIN (keyring profiles) or passphrase with `replacement`, once `current` proves the one in use.
    session::change_secret(current: String, replacement: String) -> ();
    /// The officer is at the keyboard (sent, throttled, on input): the idle lock counts again.
    session::still_here() -> ();
    /// The relay connection state.
    session::connection_state() -> ConnectionState;
    /// Opens the native dialog for `purpose` in the shell; the only way a file is chosen.
    files::choose_file(&window, purpose: FilePurpose) -> FileChoice;
    /// Every channel of the profile.
    channel::list_channels() -> Vec<ChannelView>;
    /// A page of a thread, by index.
    channel::thread_page(channel_id: String, start: u64, count: u64) -> ThreadPage;
    /// Moves the read marker forward.
    channel::mark_read(channel_id: String, up_to_index: u64) -> ();
    /// The labels and precedences the composer may offer.
    channel::composer_options(channel_id: String) -> ComposerOptions;
    /// The nations a typed marking releases to that no member holds.
    channel::released_beyond_members(channel_id: String, marking: String) -> Vec<String>;
    /// Sends a message (queued while offline).
    channel::send_message(request: SendRequest) -> MessageView;
    /// Acknowledges a FLASH or IMMEDIATE message.
    channel::acknowledge(channel_id: String, message_id: String) -> ();
    /// The channel's members.
    channel::list_members(channel_id: String) -> Vec<MemberView>;
    /// Officers the relay can reach, checked against the channel's rules.
    channel::directory(channel_id: String) -> Vec<CandidateView>;
    /// An officer from a certificate file the officer chose (`choose_file`'s
    /// token), checked against the channel's rules.
    channel::candidate_from_certificate(channel_id: String, file: FileToken) -> CandidateView;
    /// Adds an officer (admins only).
    channel::add_member(channel_id: String, officer_id: String, authority: Option<String>) -> ();
    /// Removes an officer (admins only).
    channel::remove_member(channel_id: String, officer_id: String) -> ();
    /// Promotes or demotes an officer (admins only).
    channel::set_admin(channel_id: String, officer_id: String, admin: bool) -> ();
    /// The channel's editable policy.
    channel::channel_policy(channel_id: String) -> PolicyView;
    /// Who a policy change would remove.
    channel::preview_policy(channel_id: String, policy: PolicyView) -> PolicyPreview;
    /// Changes the channel policy (admins only).
    channel::change_policy(channel_id: String, policy: PolicyView) -> ();
    // Creating a channel, and the structured label picker.
    /// The label policies the profile knows, as the label picker offers them.
    admin::label_policies() -> Vec<LabelPolicyView>;
    /// What the new-channel screen chooses from: pinned authorities, a starting ceiling.
    admin::new_channel_form() -> NewChannelForm;
    /// Officers of the relay's directory a pinned authority certifies (admin candidates).
    admin::officer_directory() -> Vec<OfficerView>;
    /// Every issue of a new channel request (code and parameters); empty when it can be created.
    admin::check_new_channel(request: NewChannelRequest) -> Vec<PolicyIssue>;
    /// Creates a channel with the user as its only member and an admin; resolves with its id.
    admin::create_channel(request: NewChannelRequest) -> String;
    /// The newest audit entries that pass the filters (channel, categories,
    /// time range), older than `beforeId` when paging.
    session::audit_log(query: AuditRequest) -> Vec<AuditView>;
    /// The settings.
    session::settings() -> Settings;
    /// Checks and saves the settings.
    session::save_settings(settings: Settings) -> Settings;
    /// Searches every message the profile holds.
    archive::search(query: SearchRequest) -> SearchResultsView;
    /// Makes a channel read-only here.
    archive::archive_channel(channel_id: String) -> ();
    /// What an archive file of a channel over a sent-time range would hold:
    /// its highest marking and EXERCISE traffic.
    archive::export_contents(channel_id: String, from_ms: Option<u64>, to_ms: Option<u64>) -> ExportContentsView;
    /// Writes a channel's history to an encrypted archive file; `onProgress`
    /// is a Tauri `Channel<Progress>`.
    archive::export_archive(request: ExportArchiveRequest, on_progress: Channel<ProgressView>) -> ExportReportView;
    /// Opens an archive file as a read-only imported channel; `onProgress` is
    /// a Tauri `Channel<Progress>`.
    archive::import_archive(request: ImportArchiveRequest, on_progress: Channel<ProgressView>) -> ImportReportView;
    /// The partner authorities the profile trusts.
    trust::pinned_authorities() -> Vec<PinnedAuthorityView>;
    /// A partner authority's certificate the officer chose, to compare its
    /// fingerprint before pinning it.
    trust::read_authority(file: FileToken) -> AuthorityFileView;
    /// Pins the authority in the chosen file, with the fingerprint the
    /// officer compared out of band.
    trust::pin_authority(file: FileToken, confirmed_fingerprint: String) -> PinnedAuthorityView;
    /// Stops trusting a partner authority; the fingerprint is repeated.
    trust::unpin_authority(fingerprint: String, confirmed_fingerprint: String) -> PinnedAuthorityView;
    /// The invitations waiting for the user.
    trust::list_invitations() -> Vec<InvitationView>;
    /// Accepts an invitation with the fingerprints the user confirmed;
    /// resolves with the joined channel's id.
    trust::accept_invitation(request: AcceptInvitationRequest) -> String;
    /// Declines an invitation.
    trust::decline_invitation(id: i64) -> ();
    /// The authorities policy changes added to a channel.
    trust::anchor_notices(channel_id: String) -> Vec<AnchorNoticeView>;
}
