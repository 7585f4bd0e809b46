//! History beyond the live channel: full-text search, archived (read-only)
//! channels, retention, and encrypted archive files that another desktop
//! opens read-only and verifies offline against the partner authorities.
//!
//! - [`SearchQuery`] and `Engine::search`: an FTS5 index inside the
//!   encrypted store, kept in step with `messages` by triggers
//!   (`migrations/client/0003_archive.sql`), so receipt, retention, purge on
//!   removal and import all update it in their own transaction. What the
//!   user types is never passed as FTS5 syntax: see [`SearchText`].
//! - `Engine::archive_channel`: a channel becomes read-only; the engine
//!   refuses sends and admin actions on it with `EngineError::ReadOnly`.
//! - `Engine::enforce_retention`: deletes what the channel policy's
//!   retention period no longer allows, from the table and the index.
//! - `Engine::export_archive` and `Engine::import_archive`: one file,
//!   chunked authenticated encryption, for a passphrase or for a named
//!   officer's certificate; imported messages are verified offline and
//!   flagged per message ([`Verification`]).
//!
//! `docs/archive.md` documents all of it, the file format included.

pub(crate) mod bulk;
mod error;
mod export;
mod format;
mod highest;
mod import;
mod lifecycle;
mod offline_verifier;
mod progress;
mod provenance;
mod query;
mod retention;
mod rows;
mod search;
mod snippet;

#[cfg(test)]
mod tests;

pub use error::{ArchiveError, SearchError};
pub use export::{ArchiveProtection, ExportContents, ExportReport, ExportRequest};
pub use format::{ArchiveInfo, ArchiveKeyKind, inspect_archive};
pub use highest::highest_label;
pub use import::{ImportReport, ImportRequest};
pub use progress::Progress;
pub use provenance::{ChannelOrigin, Verification};
pub use query::{
    MAX_SEARCH_LIMIT, MAX_SEARCH_TERMS, MAX_SEARCH_TEXT, SearchOrder, SearchQuery, SearchText,
};
pub use retention::{ChannelRetention, RetentionReport};
pub use search::{RELEVANCE_WINDOW, SearchHit, SearchResults};

pub(crate) use lifecycle::channel_origin;
