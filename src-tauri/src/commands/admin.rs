//! Commands for a channel's admin work that is not about one channel yet:
//! the label policies the structured label picker offers, and a new
//! channel (its form, the directory's officers as admins, its check and
//! its creation).

use liaison_desk::views::{LabelPolicyView, NewChannelForm, OfficerView, PolicyIssue};
use liaison_desk::{AppError, NewChannelRequest};

use crate::state::DeskState;

pub(crate) async fn label_policies(state: &DeskState) -> Result<Vec<LabelPolicyView>, AppError> {
    Ok(state.desk().label_policies().await?)
}

pub(crate) async fn new_channel_form(state: &DeskState) -> Result<NewChannelForm, AppError> {
    Ok(state.desk().new_channel_form().await?)
}

pub(crate) async fn officer_directory(state: &DeskState) -> Result<Vec<OfficerView>, AppError> {
    Ok(state.desk().officer_directory().await?)
}

pub(crate) async fn check_new_channel(
    state: &DeskState,
    request: NewChannelRequest,
) -> Result<Vec<PolicyIssue>, AppError> {
    Ok(state.desk().check_new_channel(&request).await?)
}

pub(crate) async fn create_channel(
    state: &DeskState,
    request: NewChannelRequest,
) -> Result<String, AppError> {
    Ok(state.desk().new_channel(&request).await?)
}
