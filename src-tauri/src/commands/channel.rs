//! Commands about channels: the list, threads, the composer, members and
//! the channel policy.

use liaison_desk::views::{
    CandidateView, ChannelView, ComposerOptions, MemberView, MessageView, PolicyPreview,
    PolicyView, ThreadPage,
};
use liaison_desk::{AppError, FileToken, SendRequest};

use crate::state::DeskState;

pub(crate) async fn list_channels(state: &DeskState) -> Result<Vec<ChannelView>, AppError> {
    Ok(state.desk().list_channels().await?)
}

pub(crate) async fn thread_page(
    state: &DeskState,
    channel_id: String,
    start: u64,
    count: u64,
) -> Result<ThreadPage, AppError> {
    Ok(state.desk().thread_page(&channel_id, start, count).await?)
}

pub(crate) async fn mark_read(
    state: &DeskState,
    channel_id: String,
    up_to_index: u64,
) -> Result<(), AppError> {
    Ok(state.desk().mark_read(&channel_id, up_to_index).await?)
}

pub(crate) async fn composer_options(
    state: &DeskState,
    channel_id: String,
) -> Result<ComposerOptions, AppError> {
    Ok(state.desk().composer_options(&channel_id).await?)
}

pub(crate) async fn released_beyond_members(
    state: &DeskState,
    channel_id: String,
    marking: String,
) -> Result<Vec<String>, AppError> {
    Ok(state
        .desk()
        .released_beyond_members(&channel_id, &marking)
        .await?)
}

pub(crate) async fn send_message(
    state: &DeskState,
    request: SendRequest,
) -> Result<MessageView, AppError> {
    Ok(state.desk().send_message(request).await?)
}

pub(crate) async fn acknowledge(
    state: &DeskState,
    channel_id: String,
    message_id: String,
) -> Result<(), AppError> {
    Ok(state.desk().acknowledge(&channel_id, &message_id).await?)
}

pub(crate) async fn list_members(
    state: &DeskState,
    channel_id: String,
) -> Result<Vec<MemberView>, AppError> {
    Ok(state.desk().list_members(&channel_id).await?)
}

pub(crate) async fn directory(
    state: &DeskState,
    channel_id: String,
) -> Result<Vec<CandidateView>, AppError> {
    Ok(state.desk().directory(&channel_id).await?)
}

pub(crate) async fn candidate_from_certificate(
    state: &DeskState,
    channel_id: String,
    file: FileToken,
) -> Result<CandidateView, AppError> {
    Ok(state
        .desk()
        .candidate_from_certificate(&channel_id, &file)
        .await?)
}

pub(crate) async fn add_member(
    state: &DeskState,
    channel_id: String,
    officer_id: String,
    authority: Option<String>,
) -> Result<(), AppError> {
    Ok(state
        .desk()
        .add_member(&channel_id, &officer_id, authority.as_deref())
        .await?)
}

pub(crate) async fn remove_member(
    state: &DeskState,
    channel_id: String,
    officer_id: String,
) -> Result<(), AppError> {
    Ok(state.desk().remove_member(&channel_id, &officer_id).await?)
}

pub(crate) async fn set_admin(
    state: &DeskState,
    channel_id: String,
    officer_id: String,
    admin: bool,
) -> Result<(), AppError> {
    Ok(state
        .desk()
        .set_admin(&channel_id, &officer_id, admin)
        .await?)
}

pub(crate) async fn channel_policy(
    state: &DeskState,
    channel_id: String,
) -> Result<PolicyView, AppError> {
    Ok(state.desk().channel_policy(&channel_id).await?)
}

pub(crate) async fn preview_policy(
    state: &DeskState,
    channel_id: String,
    policy: PolicyView,
) -> Result<PolicyPreview, AppError> {
    Ok(state.desk().preview_policy(&channel_id, &policy).await?)
}

pub(crate) async fn change_policy(
    state: &DeskState,
    channel_id: String,
    policy: PolicyView,
) -> Result<(), AppError> {
    Ok(state.desk().change_policy(&channel_id, &policy).await?)
}
