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
    ArchiveError, ArchiveProtection, ChannelId, Engine, EngineError, ExportRequest, ImportRequest,
    Passphrase, Progress, SearchError, SearchQuery, highest_label,
};
use liaison_rules::Label;
use rusqlite::params;

/// A bound of a sent-time range as SQLite compares it (as the core's export).
fn range_bound(ms: Option<u64>, default: i64) -> i64 {
    ms.map_or(default, |ms| i64::try_from(ms).unwrap_or(i64::MAX))
}

/// What an export of `channel` over `[from_ms, to_ms]` holds: the messages
/// the core's export selects, how many are EXERCISE, and their highest label
/// (the core's `highest_label`, the one the archive header carries).
fn export_contents(
    engine: &Engine,
    channel: &ChannelId,
    from_ms: Option<u64>,
    to_ms: Option<u64>,
) -> Result<ExportContentsView, DeskError> {
    let (from, to) = (range_bound(from_ms, 0), range_bound(to_ms, i64::MAX));
    if engine.channel_origin(channel)?.is_none() {
        return Err(EngineError::UnknownChannel.into());
    }
    let conn = engine.store().connection();
    let (messages, exercise): (i64, i64) = conn
        .query_row(
            "SELECT count(*), coalesce(sum(exercise != 0), 0) FROM messages \
             WHERE group_id = ?1 AND sent_at_ms BETWEEN ?2 AND ?3",
            params![channel.0, from, to],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .map_err(EngineError::from)?;
    let mut stmt = conn
        .prepare(
            "SELECT DISTINCT label FROM messages WHERE group_id = ?1 AND sent_at_ms BETWEEN ?2 AND ?3",
        )
        .map_err(EngineError::from)?;
    let mut labels = Vec::new();
    for bytes in stmt
        .query_map(params![channel.0, from, to], |row| row.get::<_, Vec<u8>>(0))
        .map_err(EngineError::from)?
    {
        let bytes = bytes.map_err(EngineError::from)?;
        let label = Label::from_bytes(&bytes, engine.registry())
            .map_err(|e| EngineError::from(liaison_rules::RuleViolation::from(e)))?;
        labels.push(label);
    }
    Ok(ExportContentsView {
        messages: u64::try_from(messages).unwrap_or(0),
        exercise: u64::try_from(exercise).unwrap_or(0),
        highest: highest_label(&labels).map(label_view),
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
            ArchiveError::PassphraseRequired => Self::invalid(
                "passphrase",
                "This archive is protected by a passphrase: enter it.",
            ),
            ArchiveError::EmptyPassphrase => Self::invalid("passphrase", "Enter a passphrase."),
            ArchiveError::Io { .. } => Self::invalid("file", sentence(&error)),
            ArchiveError::NotAnArchive
            | ArchiveError::UnsupportedVersion { .. }
            | ArchiveError::MalformedHeader(_) => Self::invalid("file", sentence(&error)),
            ArchiveError::Tampered { .. }
            | ArchiveError::Truncated
            | ArchiveError::MalformedContent(_) => Self::invalid(
                "file",
                format!(
                    "{} Nothing was imported: the file cannot be trusted.",
                    sentence(&error)
                ),
            ),
            ArchiveError::AlreadyImported { .. } | ArchiveError::Policy(_) => {
                Self::invalid("file", sentence(&error))
            }
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
