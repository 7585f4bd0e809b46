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

use rusqlite::params;

use super::error::DeskError;
use super::events::DeskEvent;
use super::shared::Shared;
use liaison_core::{ChannelId, Engine, EngineError};

/// How often retention runs while unlocked.
pub(crate) const RETENTION_PERIOD: Duration = Duration::from_secs(3600);

/// Deletes what the retention periods no longer allow, then renumbers the
/// threads that lost messages. Returns the messages deleted.
pub(crate) async fn enforce(shared: &Shared, now: SystemTime) -> Result<u64, DeskError> {
    let deleted = {
        let mut engine = shared.engine().await;
        let report = engine.enforce_retention(now)?;
        compact_threads(&engine)?;
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

/// Renumbers every thread whose positions are not 0 to n - 1 (after a
/// deletion, or one interrupted before its renumbering), keeping their
/// order and what the read markers cover. One pass over the position
/// index finds them.
pub(crate) fn compact_threads(engine: &Engine) -> Result<(), EngineError> {
    let gapped: Vec<ChannelId> = {
        let conn = engine.store().connection();
        let mut stmt = conn.prepare(
            "SELECT group_id FROM messages GROUP BY group_id
             HAVING max(thread_index) + 1 != count(*)",
        )?;
        let rows = stmt.query_map([], |row| Ok(ChannelId(row.get(0)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    for channel in &gapped {
        engine.store().transaction(|store| {
            let conn = store.connection();
            conn.execute(
                "UPDATE read_markers SET read_up_to = (
                     SELECT count(*) FROM messages
                     WHERE group_id = ?1 AND thread_index <= read_markers.read_up_to
                 ) - 1
                 WHERE group_id = ?1",
                [&channel.0],
            )?;
            let positions: Vec<(i64, i64)> = {
                let mut stmt = conn.prepare(
                    "SELECT id, thread_index FROM messages WHERE group_id = ?1
                     ORDER BY thread_index",
                )?;
                let rows = stmt.query_map([&channel.0], |row| Ok((row.get(0)?, row.get(1)?)))?;
                rows.collect::<Result<_, _>>()?
            };
            // Moved rows go through negative positions first, so the unique
            // index on (group_id, thread_index) holds after every statement.
            let mut set =
                conn.prepare_cached("UPDATE messages SET thread_index = ?2 WHERE id = ?1")?;
            for (position, (id, index)) in (0_i64..).zip(&positions) {
                if *index != position {
                    set.execute(params![id, -1 - position])?;
                }
            }
            conn.execute(
                "UPDATE messages SET thread_index = -1 - thread_index
                 WHERE group_id = ?1 AND thread_index < 0",
                [&channel.0],
            )?;
            Ok::<_, EngineError>(())
        })?;
    }
    Ok(())
}
