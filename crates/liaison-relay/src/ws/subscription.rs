//! Pushing a group's deliveries to a subscribed connection: from its
//! cursor, then each new message as it is appended, until the device's
//! membership ends (after the commit that removed it is pushed).
//!
//! A subscriber behind reads the database; one caught up pushes each new
//! application message straight from its announcement, with the frame
//! encoded once for all subscribers, so fan-out costs no database read
//! per subscriber. Handshake messages (which may change the device's
//! windows), gaps and lag go back through the database.

use std::sync::Arc;

use axum::extract::ws::{Message, Utf8Bytes};
use liaison_proto::relay::{Push, ServerFrame};
use liaison_proto::{Delivery, Seq};
use tokio::sync::{broadcast, mpsc};

use super::connection::text;
use crate::auth::Session;
use crate::error::Error;
use crate::relay::{Relay, read_windows};
use crate::storage::StorageError;

/// Deliveries read per database round trip.
const PUSH_BATCH: u32 = 256;

pub(super) async fn run(
    relay: Arc<Relay>,
    session: Session,
    group_id: Vec<u8>,
    mut after: Seq,
    out: mpsc::Sender<Message>,
) {
    // Follow appends before the first read, so that none falls between.
    // The subscription was granted after a membership check, so the group
    // exists; the slot may have been freed since.
    let mut live = match relay.existing_slot(&group_id) {
        Some(slot) => slot.follow(),
        None => relay.insert_slot(&group_id, None).follow(),
    };
    loop {
        match catch_up(&relay, &session, &group_id, &mut after, &out).await {
            Some(true) => {}
            Some(false) => {
                tracing::debug!("membership ended; subscription closed");
                return;
            }
            None => return,
        }
        // Caught up: application messages come straight from the append,
        // without a database read, while they follow on from the cursor.
        loop {
            let appended = match live.recv().await {
                Ok(appended) => appended,
                // Missed some: read them from the database.
                Err(broadcast::error::RecvError::Lagged(_)) => break,
                Err(broadcast::error::RecvError::Closed) => return,
            };
            let seq = appended.delivery.seq;
            if seq <= after {
                // Already read from the database.
                continue;
            }
            if appended.handshake || Some(seq) != after.checked_add(1) {
                // A commit may end or change this device's windows, and a
                // gap means missed appends: the database knows.
                break;
            }
            let frame = appended
                .frame
                .get_or_init(|| encode(appended.delivery.clone()));
            if out.send(Message::Text(frame.clone())).await.is_err() {
                return;
            }
            after = seq;
            relay.metrics.pushed(1);
        }
    }
}

fn encode(delivery: Delivery) -> Utf8Bytes {
    let frame = ServerFrame::Push {
        push: Push::Deliver { delivery },
    };
    // Our own types always serialise.
    Utf8Bytes::from(serde_json::to_string(&frame).unwrap_or_default())
}

/// Pushes what the database holds after the cursor, within this device's
/// windows. Returns whether the device is still a member (`None`: the
/// connection is gone or the read failed).
async fn catch_up(
    relay: &Arc<Relay>,
    session: &Session,
    group_id: &[u8],
    after: &mut Seq,
    out: &mpsc::Sender<Message>,
) -> Option<bool> {
    loop {
        let read = {
            let (relay, session, group_id, after) =
                (relay.clone(), session.clone(), group_id.to_vec(), *after);
            tokio::task::spawn_blocking(move || -> Result<_, StorageError> {
                let windows = relay
                    .storage
                    .windows(&group_id, &session.officer_id, &session.signature_key)?
                    .unwrap_or_default();
                let open = windows.iter().any(|w| w.is_open());
                let batch = read_windows(
                    relay.storage.as_ref(),
                    &group_id,
                    &windows,
                    after,
                    PUSH_BATCH,
                    relay.config.limits.max_answer_bytes,
                )?;
                Ok((batch, open))
            })
            .await
        };
        let (batch, open) = match read.map_err(Error::from) {
            Ok(Ok(read)) => read,
            Ok(Err(error)) => {
                tracing::error!(%error, "subscription read failed");
                return None;
            }
            Err(error) => {
                tracing::error!(%error, "subscription task failed");
                return None;
            }
        };
        // A read stops at PUSH_BATCH deliveries or at the byte budget:
        // only an empty read means the cursor has caught up.
        let more = !batch.is_empty();
        let pushed = u64::try_from(batch.len()).unwrap_or(u64::MAX);
        for delivery in batch {
            *after = delivery.seq;
            let frame = ServerFrame::Push {
                push: Push::Deliver { delivery },
            };
            if out.send(text(&frame)).await.is_err() {
                return None;
            }
        }
        relay.metrics.pushed(pushed);
        if !more {
            return Some(open);
        }
    }
}
