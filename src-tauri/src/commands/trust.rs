//! Commands about the partner authorities the profile trusts: the pinned
//! list, invitations held for channels naming others, and the notices a
//! channel keeps when a policy change adds one.

use liaison_desk::views::{AnchorNoticeView, InvitationView, PinnedAuthorityView};
use liaison_desk::{AcceptInvitationRequest, AppError};
use tauri::State;

use crate::state::DeskState;

/// The partner authorities the profile trusts.
#[tauri::command]
pub(crate) async fn pinned_authorities(
    state: State<'_, DeskState>,
) -> Result<Vec<PinnedAuthorityView>, AppError> {
    Ok(state.desk().pinned_authorities().await?)
}

/// The invitations waiting for the user.
#[tauri::command]
pub(crate) async fn list_invitations(
    state: State<'_, DeskState>,
) -> Result<Vec<InvitationView>, AppError> {
    Ok(state.desk().invitations().await?)
}

/// Accepts an invitation with the fingerprints the user confirmed;
/// returns the joined channel's id.
#[tauri::command]
pub(crate) async fn accept_invitation(
    state: State<'_, DeskState>,
    request: AcceptInvitationRequest,
) -> Result<String, AppError> {
    Ok(state.desk().accept_invitation(request).await?)
}

/// Declines an invitation.
#[tauri::command]
pub(crate) async fn decline_invitation(
    state: State<'_, DeskState>,
    id: i64,
) -> Result<(), AppError> {
    Ok(state.desk().decline_invitation(id).await?)
}

/// The authorities policy changes added to a channel.
#[tauri::command]
pub(crate) async fn anchor_notices(
    state: State<'_, DeskState>,
    channel_id: String,
) -> Result<Vec<AnchorNoticeView>, AppError> {
    Ok(state.desk().anchor_notices(&channel_id).await?)
}
