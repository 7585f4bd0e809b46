//! Search, archived channels and archive files, as the window asks for
//! them: the requests are parsed here, the work is the core's
//! (`liaison_core`'s archive, `docs/archive.md`), and the results become views.

use std::collections::HashMap;

use super::error::{DeskError, sentence};
use super::events::DeskEvent;
use super::files::FilePurpose;
use super::label_view::label_view;
use super::pem;
use super::requests::{
    ExportArchiveRequest, ExportProtection, ImportArchiveRequest, SearchRequest,
};
use super::thread::ThreadReader;
use super::views::{
    ExportContentsView, ExportReportView, ImportReportView, ProgressView, SearchHitView,
    SearchResultsView,
};
use super::{Desk, parse_channel};
use liaison_core::{
    ArchiveError, ArchiveProtection, ChannelId, Engine, ExportRequest, ImportRequest, Passphrase,
    Progress, SearchError, SearchQuery,
};

/// What an export of `channel` over `[from_ms, to_ms]` holds, as the
/// window shows it (the core's [`Engine::export_contents`]).
fn export_contents(
    engine: &Engine,
    channel: &ChannelId,
    from_ms: Option<u64>,
    to_ms: Option<u64>,
) -> Result<ExportContentsView, DeskError> {
    let contents = engine.export_contents(channel, from_ms, to_ms)?;
    Ok(ExportContentsView {
        messages: contents.messages,
        exercise: contents.exercise,
        highest: contents.highest.as_ref().map(label_view),
    })
}

/// The request field a search error is about.
fn search_field(error: &SearchError) -> &'static str {
    match error {
        SearchError::UnknownClassification(_) => "classification",
        SearchError::InvertedRange => "toMs",
        SearchError::BadLimit => "limit",
        _ => "text",
    }
}

impl From<ArchiveError> for DeskError {
    fn from(error: ArchiveError) -> Self {
        match error {
            ArchiveError::Search(e) => Self::invalid(search_field(&e), sentence(&e)),
            ArchiveError::Engine(e) => e.into(),
            ArchiveError::Store(e) => e.into(),
            ArchiveError::WrongPassphrase => Self::WrongPassphrase,
            ArchiveError::PassphraseRequired => Self::invalid_coded(
                "passphrase",
                "archivePassphraseRequired",
                "This archive is protected by a passphrase: enter it.",
            ),
            ArchiveError::EmptyPassphrase => {
                Self::invalid_coded("passphrase", "passphraseMissing", "Enter a passphrase.")
            }
            ArchiveError::Io { .. } => Self::invalid("file", sentence(&error)),
            ArchiveError::NotAnArchive => {
                Self::invalid_coded("file", "notAnArchive", sentence(&error))
            }
            ArchiveError::UnsupportedVersion { .. } | ArchiveError::MalformedHeader(_) => {
                Self::invalid("file", sentence(&error))
            }
            ArchiveError::Tampered { .. }
            | ArchiveError::Truncated
            | ArchiveError::MalformedContent(_) => Self::invalid_coded(
                "file",
                "archiveUntrusted",
                format!(
                    "{} Nothing was imported: the file cannot be trusted.",
                    sentence(&error)
                ),
            ),
            ArchiveError::AlreadyImported { .. } => {
                Self::invalid_coded("file", "alreadyImported", sentence(&error))
            }
            ArchiveError::Policy(_) => Self::invalid("file", sentence(&error)),
            ArchiveError::NotForThisProfile { .. }
            | ArchiveError::Recipient(_)
            | ArchiveError::RecipientCertificate(_) => Self::Certificate(sentence(&error)),
            other => Self::Internal(format!("the archive operation failed: {other}")),
        }
    }
}

impl From<Progress> for ProgressView {
    fn from(progress: Progress) -> Self {
        Self {
            done: progress.done,
            total: progress.total,
        }
    }
}

/// The core query for a window request.
fn query(request: &SearchRequest) -> Result<SearchQuery, DeskError> {
    let invalid = |e: SearchError| DeskError::invalid(search_field(&e), sentence(&e));
    let mut query = SearchQuery::new(&request.text)
        .and_then(|q| q.with_limit(request.limit))
        .and_then(|q| q.with_sent_between(request.from_ms, request.to_ms))
        .map_err(invalid)?;
    if let Some(channel) = &request.channel_id {
        query = query.with_channel(parse_channel(channel)?);
    }
    if let Some(sender) = request.sender_id.as_deref().filter(|s| !s.is_empty()) {
        query = query.with_sender(sender);
    }
    if let Some(name) = request.classification.as_deref().filter(|s| !s.is_empty()) {
        query = query.with_classification(name);
    }
    if let Some(precedence) = request.precedence {
        query = query.with_precedence(precedence.into());
    }
    Ok(query)
}

impl Desk {
    /// Searches every message the profile holds, offline.
    pub async fn search(&self, request: &SearchRequest) -> Result<SearchResultsView, DeskError> {
        let query = query(request)?;
        let shared = self.shared().await?;
        let engine = shared.engine().await;
        let results = engine.search(&query)?;
        let mut readers: HashMap<ChannelId, ThreadReader<'_>> = HashMap::new();
        let mut hits = Vec::with_capacity(results.hits.len());
        for hit in &results.hits {
            let reader = readers
                .entry(hit.channel.clone())
                .or_insert_with(|| ThreadReader::new(&engine, &hit.channel));
            hits.push(SearchHitView {
                channel_id: hit.channel.to_hex(),
                channel_name: hit.channel_name.clone(),
                message: reader.message(hit.message.message_id)?,
                snippet: hit.snippet.clone(),
            });
        }
        Ok(SearchResultsView {
            hits,
            highest: results.highest.as_ref().map(label_view),
        })
    }

    /// Archives a channel: read-only from now on, here. Archiving twice is
    /// not an error.
    pub async fn archive_channel(&self, channel_id: &str) -> Result<(), DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        shared.engine().await.archive_channel(&channel)?;
        shared.emit(DeskEvent::Channels);
        Ok(())
    }

    /// Writes a channel's history to an encrypted archive file, the one
    /// the officer chose in the save dialog; `progress` is called as
    /// messages are written. The file tokens are consumed on success.
    pub async fn export_archive(
        &self,
        request: ExportArchiveRequest,
        mut progress: impl FnMut(ProgressView) + Send,
    ) -> Result<ExportReportView, DeskError> {
        let channel = parse_channel(&request.channel_id)?;
        let target = self.chosen_file(&request.file, FilePurpose::SaveArchive, "file")?;
        let (protection, recipient) = match request.protection {
            ExportProtection::Passphrase { passphrase } => (
                ArchiveProtection::Passphrase {
                    passphrase: Passphrase::from(passphrase),
                    params: self.config.kdf,
                },
                None,
            ),
            ExportProtection::Certificate { certificate_file } => {
                let file = self.chosen_file(
                    &certificate_file,
                    FilePurpose::OpenCertificate,
                    "certificateFile",
                )?;
                let chain = pem::read_chain(file.path())?;
                (ArchiveProtection::Certificate(chain), Some(file))
            }
        };
        let request = ExportRequest {
            channel,
            from_ms: request.from_ms,
            to_ms: request.to_ms,
            path: target.path().to_path_buf(),
            protection,
        };
        let shared = self.shared().await?;
        let engine = shared.engine().await;
        let contents = export_contents(&engine, &request.channel, request.from_ms, request.to_ms)?;
        let report = engine.export_archive(&request, &mut |p| progress(p.into()))?;
        target.consume();
        if let Some(recipient) = recipient {
            recipient.consume();
        }
        Ok(ExportReportView {
            messages: report.messages,
            bytes: report.bytes,
            path: report.path.display().to_string(),
            contents,
        })
    }

    /// What an export of a channel over a sent-time range would hold (its
    /// highest marking, EXERCISE traffic), for the export dialog to say
    /// before anything is written.
    pub async fn export_contents(
        &self,
        channel_id: &str,
        from_ms: Option<u64>,
        to_ms: Option<u64>,
    ) -> Result<ExportContentsView, DeskError> {
        let channel = parse_channel(channel_id)?;
        let shared = self.shared().await?;
        let engine = shared.engine().await;
        export_contents(&engine, &channel, from_ms, to_ms)
    }

    /// Opens an archive file, the one the officer chose in the open
    /// dialog, as a new imported channel: archived, read-only, every
    /// message verified offline and flagged. The token is consumed on
    /// success; after a wrong passphrase it can be used again.
    pub async fn import_archive(
        &self,
        request: ImportArchiveRequest,
        mut progress: impl FnMut(ProgressView) + Send,
    ) -> Result<ImportReportView, DeskError> {
        let source = self.chosen_file(&request.file, FilePurpose::OpenArchive, "file")?;
        let request = ImportRequest {
            path: source.path().to_path_buf(),
            passphrase: request
                .passphrase
                .filter(|p| !p.is_empty())
                .map(Passphrase::from),
        };
        let shared = self.shared().await?;
        // The new channel's thread positions come from the insert trigger,
        // in archive order, 0 to n - 1.
        let report = shared
            .engine()
            .await
            .import_archive(&request, &mut |p| progress(p.into()))?;
        source.consume();
        shared.emit(DeskEvent::Channels);
        Ok(ImportReportView {
            channel_id: report.channel.to_hex(),
            messages: report.messages,
            verified: report.verified,
            tampered: report.tampered,
        })
    }
}
