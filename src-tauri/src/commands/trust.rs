//! Commands about the partner authorities the profile trusts: the pinned
//! list, invitations held for channels naming others, and the notices a
//! channel keeps when a policy change adds one.

use liaison_desk::views::{
    AnchorNoticeView, AuthorityFileView, InvitationView, PinnedAuthorityView,
};
use liaison_desk::{AcceptInvitationRequest, AppError, FileToken};

use crate::state::DeskState;

pub(crate) async fn pinned_authorities(
    state: &DeskState,
) -> Result<Vec<PinnedAuthorityView>, AppError> {
    Ok(state.desk().pinned_authorities().await?)
}

pub(crate) async fn list_invitations(state: &DeskState) -> Result<Vec<InvitationView>, AppError> {
    Ok(state.desk().invitations().await?)
}

pub(crate) async fn accept_invitation(
    state: &DeskState,
    request: AcceptInvitationRequest,
) -> Result<String, AppError> {
    Ok(state.desk().accept_invitation(request).await?)
}

pub(crate) async fn decline_invitation(state: &DeskState, id: i64) -> Result<(), AppError> {
    Ok(state.desk().decline_invitation(id).await?)
}

pub(crate) async fn anchor_notices(
    state: &DeskState,
    channel_id: String,
) -> Result<Vec<AnchorNoticeView>, AppError> {
    Ok(state.desk().anchor_notices(&channel_id).await?)
}

pub(crate) async fn read_authority(
    state: &DeskState,
    file: FileToken,
) -> Result<AuthorityFileView, AppError> {
    Ok(state.desk().read_authority(&file).await?)
}

pub(crate) async fn pin_authority(
    state: &DeskState,
    file: FileToken,
    confirmed_fingerprint: String,
) -> Result<PinnedAuthorityView, AppError> {
    Ok(state
        .desk()
        .pin_authority(&file, &confirmed_fingerprint)
        .await?)
}

pub(crate) async fn unpin_authority(
    state: &DeskState,
    fingerprint: String,
    confirmed_fingerprint: String,
) -> Result<PinnedAuthorityView, AppError> {
    Ok(state
        .desk()
        .unpin_authority(&fingerprint, &confirmed_fingerprint)
        .await?)
}
