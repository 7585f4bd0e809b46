//! Choosing files. The native dialog opens here, in Rust, never in the
//! webview; the window gets a token for the chosen file and its name, and
//! the commands that read or write files take the token (`liaison_desk`,
//! `files.rs`). A closed dialog is the `cancelled` answer, not an error.

use liaison_desk::views::FileChoice;
use liaison_desk::{AppError, FilePurpose};
use tauri::{Runtime, WebviewWindow};

use crate::dialogs;
use crate::state::DeskState;

pub(crate) async fn choose_file<R: Runtime>(
    window: &WebviewWindow<R>,
    state: &DeskState,
    purpose: FilePurpose,
) -> Result<FileChoice, AppError> {
    // Unreadable settings only cost the dialog its French title.
    let language = state
        .desk()
        .settings()
        .map(|s| s.language)
        .unwrap_or_default();
    Ok(match dialogs::choose(window, purpose, language).await? {
        Some(path) => state.desk().grant_file(purpose, path)?,
        None => FileChoice::Cancelled,
    })
}
