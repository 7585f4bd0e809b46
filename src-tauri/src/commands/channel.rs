//! Commands about channels: the list, threads, the composer, members and
//! the channel policy.

use liaison_desk::views::{
    CandidateView, ChannelView, ComposerOptions, MemberView, MessageView, PolicyPreview,
    PolicyView, ThreadPage,
};
use liaison_desk::{AppError, FileToken, SendRequest};
use tauri::State;

use crate::state::DeskState;

/// Every channel of the profile.
#[tauri::command]
pub(crate) async fn list_channels(
    state: State<'_, DeskState>,
) -> Result<Vec<ChannelView>, AppError> {
    Ok(state.desk().list_channels().await?)
}

/// A page of a thread, by index.
#[tauri::command]
pub(crate) async fn thread_page(
    state: State<'_, DeskState>,
    channel_id: String,
    start: u64,
    count: u64,
) -> Result<ThreadPage, AppError> {
    Ok(state.desk().thread_page(&channel_id, start, count).await?)
}

/// Moves the read marker forward.
#[tauri::command]
pub(crate) async fn mark_read(
    state: State<'_, DeskState>,
    channel_id: String,
    up_to_index: u64,
) -> Result<(), AppError> {
    Ok(state.desk().mark_read(&channel_id, up_to_index).await?)
}

/// The labels and precedences the composer may offer.
#[tauri::command]
pub(crate) async fn composer_options(
    state: State<'_, DeskState>,
    channel_id: String,
) -> Result<ComposerOptions, AppError> {
    Ok(state.desk().composer_options(&channel_id).await?)
}

/// Sends a message (queued while offline).
#[tauri::command]
pub(crate) async fn send_message(
    state: State<'_, DeskState>,
    request: SendRequest,
) -> Result<MessageView, AppError> {
    Ok(state.desk().send_message(request).await?)
}

/// Acknowledges a FLASH or IMMEDIATE message.
#[tauri::command]
pub(crate) async fn acknowledge(
    state: State<'_, DeskState>,
    channel_id: String,
    message_id: String,
) -> Result<(), AppError> {
    Ok(state.desk().acknowledge(&channel_id, &message_id).await?)
}

/// The channel's members.
#[tauri::command]
pub(crate) async fn list_members(
    state: State<'_, DeskState>,
    channel_id: String,
) -> Result<Vec<MemberView>, AppError> {
    Ok(state.desk().list_members(&channel_id).await?)
}

/// Officers the relay can reach, checked against the channel's rules.
#[tauri::command]
pub(crate) async fn directory(
    state: State<'_, DeskState>,
    channel_id: String,
) -> Result<Vec<CandidateView>, AppError> {
    Ok(state.desk().directory(&channel_id).await?)
}

/// An officer from a certificate file the officer chose (`choose_file`'s
/// token), checked against the channel's rules.
#[tauri::command]
pub(crate) async fn candidate_from_certificate(
    state: State<'_, DeskState>,
    channel_id: String,
    file: FileToken,
) -> Result<CandidateView, AppError> {
    Ok(state
        .desk()
        .candidate_from_certificate(&channel_id, &file)
        .await?)
}

/// Adds an officer (admins only).
#[tauri::command]
pub(crate) async fn add_member(
    state: State<'_, DeskState>,
    channel_id: String,
    officer_id: String,
    authority: Option<String>,
) -> Result<(), AppError> {
    Ok(state
        .desk()
        .add_member(&channel_id, &officer_id, authority.as_deref())
        .await?)
}

/// Removes an officer (admins only).
#[tauri::command]
pub(crate) async fn remove_member(
    state: State<'_, DeskState>,
    channel_id: String,
    officer_id: String,
) -> Result<(), AppError> {
    Ok(state.desk().remove_member(&channel_id, &officer_id).await?)
}

/// Promotes or demotes an officer (admins only).
#[tauri::command]
pub(crate) async fn set_admin(
    state: State<'_, DeskState>,
    channel_id: String,
    officer_id: String,
    admin: bool,
) -> Result<(), AppError> {
    Ok(state
        .desk()
        .set_admin(&channel_id, &officer_id, admin)
        .await?)
}

/// The channel's editable policy.
#[tauri::command]
pub(crate) async fn channel_policy(
    state: State<'_, DeskState>,
    channel_id: String,
) -> Result<PolicyView, AppError> {
    Ok(state.desk().channel_policy(&channel_id).await?)
}

/// Who a policy change would remove.
#[tauri::command]
pub(crate) async fn preview_policy(
    state: State<'_, DeskState>,
    channel_id: String,
    policy: PolicyView,
) -> Result<PolicyPreview, AppError> {
    Ok(state.desk().preview_policy(&channel_id, &policy).await?)
}

/// Changes the channel policy (admins only).
#[tauri::command]
pub(crate) async fn change_policy(
    state: State<'_, DeskState>,
    channel_id: String,
    policy: PolicyView,
) -> Result<(), AppError> {
    Ok(state.desk().change_policy(&channel_id, &policy).await?)
}
