//! Commands about the profile as a whole: status, onboarding, locking,
//! connection, settings and the audit log.

use liaison_desk::views::{AppStatus, AuditView, ConnectionState, ProfileView};
use liaison_desk::{AppError, ExerciseProfileRequest, ImportProfileRequest, Settings};
use tauri::State;

use crate::state::DeskState;

/// Which screen to show first.
#[tauri::command]
pub(crate) async fn app_status(state: State<'_, DeskState>) -> Result<AppStatus, AppError> {
    Ok(state.desk().status().await?)
}

/// Creates an exercise profile (demo mode issues the certificate).
#[tauri::command]
pub(crate) async fn create_exercise_profile(
    state: State<'_, DeskState>,
    request: ExerciseProfileRequest,
) -> Result<ProfileView, AppError> {
    let profile = state.desk().create_exercise_profile(request).await?;
    state.profile_ready(&profile.officer_id);
    Ok(profile)
}

/// Creates a profile from PEM certificate and key files.
#[tauri::command]
pub(crate) async fn import_profile(
    state: State<'_, DeskState>,
    request: ImportProfileRequest,
) -> Result<ProfileView, AppError> {
    Ok(state.desk().import_profile(request).await?)
}

/// Unlocks the profile.
#[tauri::command]
pub(crate) async fn unlock(
    state: State<'_, DeskState>,
    passphrase: Option<String>,
) -> Result<ProfileView, AppError> {
    Ok(state.desk().unlock(passphrase).await?)
}

/// Locks the profile (the `locked` event follows).
#[tauri::command]
pub(crate) async fn lock(state: State<'_, DeskState>) -> Result<(), AppError> {
    Ok(state.desk().lock().await?)
}

/// The relay connection state.
#[tauri::command]
pub(crate) async fn connection_state(
    state: State<'_, DeskState>,
) -> Result<ConnectionState, AppError> {
    Ok(state.desk().connection_state().await)
}

/// The newest audit entries.
#[tauri::command]
pub(crate) async fn audit_log(
    state: State<'_, DeskState>,
    limit: u32,
) -> Result<Vec<AuditView>, AppError> {
    Ok(state.desk().audit_log(limit).await?)
}

/// The settings.
#[tauri::command]
pub(crate) async fn settings(state: State<'_, DeskState>) -> Result<Settings, AppError> {
    Ok(state.desk().settings()?)
}

/// Checks and saves the settings.
#[tauri::command]
pub(crate) async fn save_settings(
    state: State<'_, DeskState>,
    settings: Settings,
) -> Result<Settings, AppError> {
    Ok(state.desk().save_settings(settings).await?)
}
