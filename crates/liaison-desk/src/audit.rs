//! The audit log as the window reads it: filtered in the store, each entry
//! with its category and facts for the window's sentences; and the
//! session's own events (unlocks, locks), which only the desk sees.

use liaison_core::{AuditCategory, AuditEntry, AuditEvent, AuditQuery, AuditScope};

use super::Desk;
use super::error::DeskError;
use super::requests::AuditRequest;
use super::views::{AuditCategoryView, AuditView};

/// Most audit entries returned at once.
const MAX_AUDIT_ENTRIES: u32 = 1000;

impl From<AuditCategory> for AuditCategoryView {
    fn from(category: AuditCategory) -> Self {
        match category {
            AuditCategory::Membership => Self::Membership,
            AuditCategory::Policy => Self::Policy,
            AuditCategory::Refusals => Self::Refusals,
            AuditCategory::Acknowledgements => Self::Acknowledgements,
            AuditCategory::Archive => Self::Archive,
            AuditCategory::Security => Self::Security,
            AuditCategory::Channel => Self::Channel,
            _ => Self::Other,
        }
    }
}

impl From<AuditCategoryView> for AuditCategory {
    fn from(category: AuditCategoryView) -> Self {
        match category {
            AuditCategoryView::Membership => Self::Membership,
            AuditCategoryView::Policy => Self::Policy,
            AuditCategoryView::Refusals => Self::Refusals,
            AuditCategoryView::Acknowledgements => Self::Acknowledgements,
            AuditCategoryView::Archive => Self::Archive,
            AuditCategoryView::Security => Self::Security,
            AuditCategoryView::Channel => Self::Channel,
            AuditCategoryView::Other => Self::Other,
        }
    }
}

impl From<AuditEntry> for AuditView {
    fn from(entry: AuditEntry) -> Self {
        Self {
            id: entry.id,
            at_ms: u64::try_from(entry.at.unix_timestamp_nanos() / 1_000_000).unwrap_or(0),
            category: entry.category().into(),
            kind: entry.event,
            detail: entry.detail,
            facts: entry.facts.map(liaison_core::Facts::into_map),
            channel_id: entry.group_id.map(hex::encode),
        }
    }
}

impl Desk {
    /// The newest audit entries that pass `request`'s filters, at most
    /// `limit` (capped at 1000), older than `beforeId` when given.
    pub async fn audit_log(&self, request: &AuditRequest) -> Result<Vec<AuditView>, DeskError> {
        let channel = request
            .channel_id
            .as_deref()
            .map(super::parse_channel)
            .transpose()?;
        let query = AuditQuery {
            scope: match &channel {
                Some(channel) => AuditScope::Group(&channel.0),
                None => AuditScope::All,
            },
            categories: request
                .categories
                .iter()
                .flatten()
                .map(|&c| c.into())
                .collect(),
            from_ms: request.from_ms,
            to_ms: request.to_ms,
            before: request.before_id,
            limit: request.limit.min(MAX_AUDIT_ENTRIES),
        };
        let shared = self.shared().await?;
        let engine = shared.engine().await;
        let entries = engine.store().audit_query(&query)?;
        Ok(entries.into_iter().map(AuditView::from).collect())
    }
}

/// Records a session event; a failure is logged, never in the way of
/// locking or unlocking.
pub(crate) fn record_session_event(engine: &liaison_core::Engine, event: &AuditEvent) {
    if let Err(error) = engine.store().record(None, event) {
        tracing::warn!(%error, kind = event.kind(), "could not audit a session event");
    }
}
