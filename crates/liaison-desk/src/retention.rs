//! The channel policies' retention periods, enforced while the profile is
//! unlocked: at unlock, then every hour.
//!
//! Retention deletes the oldest messages of a thread, which would leave the
//! thread's positions (`thread_index`, `migrations/client/0004_desk.sql`)
//! starting past 0 and the window paging through empty rows. After a
//! deletion the positions of the channel are renumbered 0 to n - 1 in the
//! same order, and its read marker moved with them.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::error::DeskError;
use super::events::DeskEvent;
use super::shared::Shared;

/// How often retention runs while unlocked.
pub(crate) const RETENTION_PERIOD: Duration = Duration::from_secs(3600);

/// Deletes what the retention periods no longer allow, then renumbers the
/// threads that lost messages. Returns the messages deleted.
pub(crate) async fn enforce(shared: &Shared, now: SystemTime) -> Result<u64, DeskError> {
    let deleted = {
        let mut engine = shared.engine().await;
        let report = engine.enforce_retention(now)?;
        engine.compact_threads()?;
        report.messages()
    };
    if deleted > 0 {
        shared.emit(DeskEvent::Channels);
    }
    Ok(deleted)
}

/// Runs [`enforce`] now and every [`RETENTION_PERIOD`]; aborted at lock.
pub(crate) async fn run(shared: Arc<Shared>) {
    loop {
        if let Err(error) = enforce(&shared, SystemTime::now()).await {
            tracing::warn!(%error, "retention could not run");
        }
        tokio::time::sleep(RETENTION_PERIOD).await;
    }
}
