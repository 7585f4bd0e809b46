// Every command the window may call, each named once, here: module and
// function (`commands/<module>.rs`). `commands/mod.rs` makes this list the
// invoke handler and `COMMANDS`; `build.rs` makes it the application's
// permission manifest (an `allow-<command>` permission each) and the
// `main` window's capability, which grants exactly these and the two event
// permissions. The UI's side is `Commands` in `ui/src/lib/api/types.ts`
// (a test checks the two agree).
window_commands! {
    session::app_status,
    session::create_exercise_profile,
    session::import_profile,
    session::unlock,
    session::lock,
    session::connection_state,
    files::choose_file,
    channel::list_channels,
    channel::thread_page,
    channel::mark_read,
    channel::composer_options,
    channel::send_message,
    channel::acknowledge,
    channel::list_members,
    channel::directory,
    channel::candidate_from_certificate,
    channel::add_member,
    channel::remove_member,
    channel::set_admin,
    channel::channel_policy,
    channel::preview_policy,
    channel::change_policy,
    session::audit_log,
    session::settings,
    session::save_settings,
    archive::search,
    archive::archive_channel,
    archive::export_archive,
    archive::import_archive,
    trust::pinned_authorities,
    trust::list_invitations,
    trust::accept_invitation,
    trust::decline_invitation,
    trust::anchor_notices,
}
