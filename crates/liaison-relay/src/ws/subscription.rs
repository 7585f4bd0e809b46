//! Pushing a group's deliveries to a subscribed connection: from its
//! cursor, then each new message as it is appended, until the device's
//! membership ends (after the commit that removed it is pushed).

use std::sync::Arc;

use axum::extract::ws::Message;
use liaison_proto::Seq;
use liaison_proto::relay::{Push, ServerFrame};
use tokio::sync::mpsc;

use super::session::text;
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
    let mut appended = relay.slot(&group_id).watch();
    loop {
        // Mark the current position seen before reading, so an append
        // during the read wakes the next wait.
        appended.borrow_and_update();
        let read = {
            let relay = relay.clone();
            let session = session.clone();
            let group_id = group_id.clone();
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
                )?;
                Ok((batch, open))
            })
            .await
        };
        let (batch, open) = match read.map_err(Error::from) {
            Ok(Ok(read)) => read,
            Ok(Err(error)) => {
                tracing::error!(%error, "subscription read failed");
                return;
            }
            Err(error) => {
                tracing::error!(%error, "subscription task failed");
                return;
            }
        };
        let full = batch.len() >= usize::try_from(PUSH_BATCH).unwrap_or(usize::MAX);
        let pushed = u64::try_from(batch.len()).unwrap_or(u64::MAX);
        for delivery in batch {
            after = delivery.seq;
            let frame = ServerFrame::Push {
                push: Push::Deliver { delivery },
            };
            if out.send(text(&frame)).await.is_err() {
                return;
            }
        }
        relay.metrics.pushed(pushed);
        if full {
            continue;
        }
        if !open {
            tracing::debug!("membership ended; subscription closed");
            return;
        }
        if appended.changed().await.is_err() {
            return;
        }
    }
}
