//! Commands about the profile as a whole: status, onboarding, locking,
//! connection, settings and the audit log (declared in `list.rs`).

use liaison_desk::views::{AppStatus, AuditView, ConnectionState, ProfileView};
use liaison_desk::{
    AppError, AuditRequest, ExerciseProfileRequest, ImportProfileRequest, Settings,
};

use crate::state::DeskState;

pub(crate) async fn app_status(state: &DeskState) -> Result<AppStatus, AppError> {
    Ok(state.desk().status().await?)
}

pub(crate) async fn create_exercise_profile(
    state: &DeskState,
    request: ExerciseProfileRequest,
) -> Result<ProfileView, AppError> {
    let profile = state.desk().create_exercise_profile(request).await?;
    state.profile_ready(&profile.officer_id);
    Ok(profile)
}

pub(crate) async fn import_profile(
    state: &DeskState,
    request: ImportProfileRequest,
) -> Result<ProfileView, AppError> {
    Ok(state.desk().import_profile(request).await?)
}

pub(crate) async fn unlock(
    state: &DeskState,
    secret: Option<String>,
) -> Result<ProfileView, AppError> {
    Ok(state.desk().unlock(secret).await?)
}

pub(crate) async fn change_secret(
    state: &DeskState,
    current: String,
    replacement: String,
) -> Result<(), AppError> {
    Ok(state.desk().change_secret(current, replacement).await?)
}

pub(crate) async fn still_here(state: &DeskState) -> Result<(), AppError> {
    state.desk().still_here().await;
    Ok(())
}

pub(crate) async fn lock(state: &DeskState) -> Result<(), AppError> {
    Ok(state.desk().lock().await?)
}

pub(crate) async fn connection_state(state: &DeskState) -> Result<ConnectionState, AppError> {
    Ok(state.desk().connection_state().await)
}

pub(crate) async fn audit_log(
    state: &DeskState,
    query: AuditRequest,
) -> Result<Vec<AuditView>, AppError> {
    Ok(state.desk().audit_log(&query).await?)
}

pub(crate) async fn settings(state: &DeskState) -> Result<Settings, AppError> {
    Ok(state.desk().settings()?)
}

pub(crate) async fn save_settings(
    state: &DeskState,
    settings: Settings,
) -> Result<Settings, AppError> {
    Ok(state.desk().save_settings(settings).await?)
}
