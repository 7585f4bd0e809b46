//! Retention: messages older than the channel policy allows are deleted,
//! from the table and (by trigger) from the full-text index.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::channel::EngineError;
use crate::engine::{ChannelId, Engine};
use crate::store::tables::{acks, channels, messages};
use liaison_rules::ChannelPolicy;

const DAY: Duration = Duration::from_secs(86_400);

/// What retention deleted in one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRetention {
    /// The channel.
    pub channel: ChannelId,
    /// Messages deleted.
    pub messages: u64,
    /// Acknowledgements of those messages deleted.
    pub acknowledgements: u64,
    /// Messages received before this time (Unix milliseconds) were deleted.
    pub cutoff_ms: u64,
}

/// What one run of [`Engine::enforce_retention`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Channels whose policy limits retention (whether or not anything was
    /// old enough to go).
    pub channels_checked: u64,
    /// The channels where something was deleted.
    pub deleted: Vec<ChannelRetention>,
}

impl RetentionReport {
    /// Messages deleted in all channels.
    pub fn messages(&self) -> u64 {
        self.deleted.iter().map(|c| c.messages).sum()
    }
}

fn millis(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Engine {
    /// Deletes, in every channel whose policy sets a retention period (live,
    /// archived, left or imported), the messages this profile received more
    /// than that period before `now`, with their acknowledgements. The
    /// full-text index follows by trigger, in the same transaction; FTS5's
    /// secure-delete and the store's `secure_delete` leave no trace of the
    /// text in the file. One audit entry per channel where something went.
    ///
    /// Age is counted from local receipt (`received_at_ms`), not the sender's
    /// clock, so a sender cannot shorten or lengthen a message's life. Meant
    /// to be called periodically by the sync loop; cheap when nothing is due
    /// (an index lookup per channel).
    pub fn enforce_retention(&mut self, now: SystemTime) -> Result<RetentionReport, EngineError> {
        let policies: Vec<(ChannelId, Vec<u8>)> = channels::policies(self.store().connection())?
            .into_iter()
            .map(|(group_id, policy)| (ChannelId(group_id), policy))
            .collect();
        let mut report = RetentionReport::default();
        let registry = self.registry_arc();
        self.store().transaction(|store| {
            for (channel, bytes) in &policies {
                // A policy that no longer decodes (a label policy removed
                // from this installation) cannot say what to keep: skip it
                // rather than guess, and say so in the audit log.
                let policy = match ChannelPolicy::decode(bytes, &registry) {
                    Ok(policy) => policy,
                    Err(error) => {
                        store.record(
                            Some(&channel.0),
                            &crate::AuditEvent::RetentionSkipped {
                                reason: error.to_string(),
                            },
                        )?;
                        continue;
                    }
                };
                let Some(days) = policy.retention_days() else {
                    continue;
                };
                report.channels_checked += 1;
                let period = DAY.saturating_mul(days);
                let cutoff_ms = millis(now.checked_sub(period).unwrap_or(UNIX_EPOCH));
                let conn = store.connection();
                let acknowledgements =
                    acks::delete_of_received_before(conn, &channel.0, cutoff_ms)?;
                let messages = messages::delete_received_before(conn, &channel.0, cutoff_ms)?;
                if messages == 0 {
                    continue;
                }
                store.record(
                    Some(&channel.0),
                    &crate::AuditEvent::RetentionDeleted {
                        messages: u64::try_from(messages).unwrap_or(u64::MAX),
                        days,
                        cutoff_ms,
                    },
                )?;
                report.deleted.push(ChannelRetention {
                    channel: channel.clone(),
                    messages: u64::try_from(messages).unwrap_or(u64::MAX),
                    acknowledgements: u64::try_from(acknowledgements).unwrap_or(u64::MAX),
                    cutoff_ms,
                });
            }
            Ok::<_, EngineError>(())
        })?;
        Ok(report)
    }
}
