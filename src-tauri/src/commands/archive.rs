//! Commands about history: search, archiving a channel, and archive files.
//! Export and import report their progress over a Tauri channel the
//! window passes as `onProgress`.

use liaison_desk::views::{
    ExportContentsView, ExportReportView, ImportReportView, ProgressView, SearchResultsView,
};
use liaison_desk::{AppError, ExportArchiveRequest, ImportArchiveRequest, SearchRequest};
use tauri::ipc::Channel;

use crate::state::DeskState;

pub(crate) async fn search(
    state: &DeskState,
    query: SearchRequest,
) -> Result<SearchResultsView, AppError> {
    Ok(state.desk().search(&query).await?)
}

pub(crate) async fn archive_channel(state: &DeskState, channel_id: String) -> Result<(), AppError> {
    Ok(state.desk().archive_channel(&channel_id).await?)
}

pub(crate) async fn export_contents(
    state: &DeskState,
    channel_id: String,
    from_ms: Option<u64>,
    to_ms: Option<u64>,
) -> Result<ExportContentsView, AppError> {
    Ok(state
        .desk()
        .export_contents(&channel_id, from_ms, to_ms)
        .await?)
}

pub(crate) async fn export_archive(
    state: &DeskState,
    request: ExportArchiveRequest,
    on_progress: Channel<ProgressView>,
) -> Result<ExportReportView, AppError> {
    Ok(state
        .desk()
        .export_archive(request, |progress| {
            // A closed window stops listening; the export goes on.
            let _ = on_progress.send(progress);
        })
        .await?)
}

pub(crate) async fn import_archive(
    state: &DeskState,
    request: ImportArchiveRequest,
    on_progress: Channel<ProgressView>,
) -> Result<ImportReportView, AppError> {
    Ok(state
        .desk()
        .import_archive(request, |progress| {
            let _ = on_progress.send(progress);
        })
        .await?)
}
